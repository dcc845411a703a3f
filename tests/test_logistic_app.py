"""Pilot tests of the logistic model's screen: every key, the classifier's readouts and charts,
and separable classes running on without a nan."""

from __future__ import annotations

import math

import pytest

from gdtui.app import GdtuiApp
from gdtui.charts.fit import FitChart
from gdtui.charts.landscape import LandscapeChart
from gdtui.charts.loss import LossChart
from gdtui.charts.sigmoid import SigmoidChart
from gdtui.screens.gradient_check import GradientScreen
from gdtui.screens.help import HelpScreen
from gdtui.screens.lr_dialog import LrScreen
from gdtui.screens.main import BINDINGS
from gdtui.widgets.readouts import Readouts
from test_app import one_run, run_until_paused, screen_text, wait_until


def logistic_app(*argv: str) -> GdtuiApp:
    return one_run("--paused", "--model", "logistic", *argv)


async def test_readouts_show_accuracy_the_boundary_and_the_safe_bound() -> None:
    app = logistic_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("N")
        text = screen_text(app)
        snap = app.session.latest
        assert "safe < 6.34" in text
        assert f"accuracy {app.session.accuracy():>6.1%}" in text
        assert f"boundary x = -b/w = {-snap.b / snap.w:.5f}" in text
        assert "optimum  w* 8.18506  b* -4.14939" in text and "accuracy* 83.6%" in text


async def test_the_fit_chart_is_the_sigmoid_over_two_classes() -> None:
    app = logistic_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("N")
        await pilot.pause()
        chart = app.query_one("#fit-chart", SigmoidChart)
        assert "σ(w x + b)" in chart.plain and "data (y 0/1)" in chart.plain
        before = chart.plain
        await pilot.press("asterisk")
        await pilot.pause()
        assert "optimum" in chart.plain
        await pilot.press("N", "N")
        await pilot.pause()
        assert chart.plain != before  # the curve moved


async def test_c_checks_the_gradient_of_the_cross_entropy() -> None:
    app = logistic_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, GradientScreen))
        screen = app.screen
        assert isinstance(screen, GradientScreen)
        check = screen.check
        assert check.loss_name == "binary cross entropy" and max(check.relative_error) < 1e-6
        assert "binary cross entropy" in str(app.screen.query_one("#gradient-table").render())


async def test_v_shows_the_cross_entropy_landscape_with_the_optimum() -> None:
    app = logistic_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("N", "v")
        await pilot.pause()
        landscape = app.query_one("#landscape-chart", LandscapeChart)
        assert landscape.display and "optimum" in landscape.plain and "●" in landscape.plain


async def test_separable_classes_run_on_without_nan() -> None:
    app = logistic_app("--separable", "--speed", "max", "--lr", "5", "--steps", "20000")
    async with app.run_test(size=(80, 24)) as pilot:
        assert "no finite optimum" in screen_text(app)
        await pilot.press("v")  # the landscape has no optimum to mark
        await pilot.press("space")
        await run_until_paused(pilot, app)
        await pilot.pause(0.3)
        snap = app.session.latest
        assert snap.step == 20000 and not snap.diverged and snap.w > 30
        assert all(math.isfinite(v) for v in (snap.w, snap.b, snap.loss))
        shown = "\n".join(w.plain for w in (app.query_one(Readouts), app.query_one("#landscape-chart", LandscapeChart)))
        assert "nan" not in shown and "inf" not in shown and "DONE" in shown


async def test_an_lr_past_float32_rolls_back_instead_of_showing_nan() -> None:
    app = logistic_app("--lr", "1e38")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"nnnn")
        snap = app.session.latest
        assert all(math.isfinite(v) for v in (snap.w, snap.b, snap.loss))
        assert "nan" not in screen_text(app)


KEYS = [binding.key.split(",")[0] for binding in BINDINGS if binding.key != "q" and "ctrl" not in binding.key]


@pytest.mark.parametrize("key", KEYS)
async def test_every_key_works_in_logistic_mode(key, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)  # e and s write files here
    app = logistic_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("N")
        session = app.session
        before = (session.latest, session.lr, session.speed, session.hyper.optimizer, session.hyper.batch_size)
        fit = app.query_one(FitChart).plain
        scale = app.query_one("#loss-chart", LossChart).plain
        await pilot.press(key)
        await pilot.pause()
        after = (session.latest, session.lr, session.speed, session.hyper.optimizer, session.hyper.batch_size)
        changed = {
            "space": lambda: session.running,
            "n": lambda: session.latest.step == 51,
            "b": lambda: session.latest.step == 49,
            "N": lambda: session.latest.step == 100,
            "plus": lambda: session.lr == 2.0,
            "minus": lambda: session.lr == 0.5,
            "l": lambda: isinstance(app.screen, LrScreen),
            "r": lambda: session.latest.step == 0,
            "left_square_bracket": lambda: session.speed == 100,
            "right_square_bracket": lambda: session.speed == 500,
            "c": lambda: isinstance(app.screen, GradientScreen),
            "v": lambda: app.query_one("#landscape-chart", LandscapeChart).display,
            "asterisk": lambda: app.query_one(FitChart).plain != fit,
            "g": lambda: app.query_one("#loss-chart", LossChart).plain != scale,
            "o": lambda: session.hyper.optimizer == "momentum",
            "m": lambda: session.hyper.batch_size == 1,
            "e": lambda: len(list(tmp_path.glob("*.csv"))) == 1,
            "s": lambda: len(list(tmp_path.glob("*.svg"))) == 1,
            "question_mark": lambda: isinstance(app.screen, HelpScreen),
            "x": lambda: app.main.explaining,
            "a": lambda: app.query_one("#slice-chart").display,
            "L": lambda: session.lr == session.trainer.auto_lr() != 1.0,  # half the safe bound
            "z": lambda: session.standardized and session.trainer.scaling.y_std == 1.0,  # x alone: labels stay 0/1
            "P": lambda: len(list(tmp_path.glob("*.png"))) == 1,
            "R": lambda: app.recorder.recording and len(list(tmp_path.glob("*.cast"))) == 1,
            "enter": lambda: True,  # no lesson waits: Enter changes nothing (the run stays where it was: below)
        }[key]
        await wait_until(pilot, changed, timeout=10)
        if key not in ("space", "n", "b", "N", "plus", "minus", "r", "left_square_bracket", "right_square_bracket", "o", "m"):
            assert after[0].step == before[0].step  # views and files leave the run where it was
        assert "nan" not in screen_text(app)
    assert app.return_code in (None, 0)


async def test_q_quits_in_logistic_mode() -> None:
    app = logistic_app()
    async with app.run_test() as pilot:
        await pilot.press("N", "q")
    assert app.return_code == 0
