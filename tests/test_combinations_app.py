"""Features together on screen: a key refused for this model or a race says why; a race takes L
and z; a diverged run leaves by the route its hint names; no readout is cut at 80 columns."""

from __future__ import annotations

import pytest
from rich.text import Text

from gdtui.cli import make_app, parse_args
from gdtui.engine.run.frame import Phase
from gdtui.widgets.readouts import Readouts


def app_of(*argv: str):
    return make_app(parse_args(["--paused", *argv]))


def notices(app) -> list[str]:
    return [notice.message for notice in app._notifications]


@pytest.mark.parametrize(
    ("argv", "key", "says"),
    [
        (("--compare", "gd,adam"), "x", "explain one step is of one run"),
        (("--compare", "gd,adam"), "a", "the slice chart is of one run"),
        (("--compare", "gd,adam"), "c", "the gradient check is of one run"),
        (("--compare", "gd,adam"), "e", "export is of one run"),
    ],
)
async def test_a_key_not_for_this_run_says_why(argv, key, says) -> None:
    app = app_of(*argv)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        await pilot.press(key)
        await pilot.pause()
        assert any(says in notice for notice in notices(app)), notices(app)


async def test_a_race_takes_the_best_lr_and_standardizing() -> None:
    app = app_of("--compare", "gd:0.01,momentum:0.01")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("tab", "L")
        race = app.session
        assert race.sessions[1].lr == race.sessions[1].trainer.auto_lr() and race.sessions[0].lr == 0.01
        await pilot.press("z", "n")
        assert all(session.standardized for session in race.sessions)
        assert race.step_count == 1 and not any("Error" in notice for notice in notices(app))


async def test_after_diverged_lower_lr_and_space_run_on() -> None:
    app = make_app(parse_args(["--lr", "0.9", "--speed", "max"]))
    async with app.run_test(size=(80, 24)) as pilot:
        while app.main._session is None or app.session.phase is not Phase.DIVERGED:
            await pilot.pause(0.05)
        stopped = app.session.latest.step
        await pilot.press("minus")
        assert "lr now 0.5: space runs on" in app.main.query_one(Readouts).plain
        await pilot.press("space")
        await pilot.pause(0.3)
        assert app.session.phase is not Phase.DIVERGED and app.session.latest.step > stopped


def fitting(app) -> list[str]:
    """The readouts' lines that do not fit the screen's width."""
    lines = app.main.query_one(Readouts).text.plain.splitlines()
    return [line for line in lines if Text(line).cell_len > app.size.width]


@pytest.mark.parametrize(
    ("argv", "keys"),
    [
        ((), ["l", *"0.00752558", "enter", "z", "space"]),  # a long lr, standardized, running
        (("--lr", "0.9", "--speed", "max"), ["space"]),  # diverged: the hint with its fix
        (("--lr", "0.9", "--speed", "max"), ["space", "minus"]),  # and after lowering lr
        (("--model", "logistic", "--lr", "40"), ["space"]),  # past the safe bound
        (("--optimizer", "adam", "--batch-size", "8", "--steps", "5"), ["space"]),  # DONE, no prediction
        (("--compare", "gd:0.00752558:b128,momentum:0.5,adam:0.1"), ["N"]),  # a race with a wide row
        (("--compare", "gd:0.1,gd:0.9,momentum:0.05:b128"), ["N"] * 4),  # and one diverged at step 169
    ],
)
async def test_no_readout_is_cut_at_80_columns(argv, keys) -> None:
    app = app_of(*argv)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
        for _ in range(10):  # frames as the run goes on
            await pilot.pause(0.1)
            assert fitting(app) == []
