"""Pilot tests of a race on screen: keys in lockstep for every run, tab and the settings keys
for the selected one, and a diverged run left behind in its row."""

from __future__ import annotations

from gdtui.charts.race import RaceFitChart, RaceLossChart
from gdtui.cli import make_app, parse_args
from gdtui.widgets.race_readouts import RaceReadouts


def race_app(*argv: str):
    return make_app(parse_args(["--paused", "--compare", *argv]))


def rows(app) -> list[str]:
    return app.main.query_one(RaceReadouts).plain.splitlines()


def steps(app) -> list[int]:
    return [s.latest.step for s in app.session.sessions]


async def test_a_row_per_run_and_tab_moves_the_highlight() -> None:
    app = race_app("gd,momentum,adam")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        lines = rows(app)
        assert len(lines) == 4 and lines[0].startswith(" PAUSED")
        assert [line.split()[:2] for line in lines[1:]] == [["▸1", "gd"], ["2", "momentum"], ["3", "adam"]]
        await pilot.press("tab", "tab")
        assert [line[1] for line in rows(app)[1:]] == [" ", " ", "▸"]
        await pilot.press("tab")
        assert rows(app)[1].startswith(" ▸1")


async def test_step_keys_and_reset_move_every_run_together() -> None:
    app = race_app("gd,momentum,adam")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", "N")
        assert steps(app) == [51, 51, 51]
        await pilot.press("b", "left")
        assert steps(app) == [49, 49, 49]
        await pilot.press("space")
        assert app.session.running
        await pilot.press("space", "r")
        assert steps(app) == [0, 0, 0] and not app.session.running


async def test_settings_keys_change_the_selected_run_only() -> None:
    app = race_app("gd,gd")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("tab", "plus", "o", "n")
        assert [(s.hyper.optimizer, s.lr) for s in app.session.sessions] == [("gd", 0.01), ("momentum", 0.02)]
        assert rows(app)[2].split()[1:4] == ["momentum", "lr", "0.02"]


async def test_a_diverged_run_says_so_while_the_others_go_on() -> None:
    app = race_app("gd:0.1,gd:0.9")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"NNNN")
        assert app.session.step_count == 200
        assert "DIVERGED at 169" in rows(app)[2]
        assert rows(app)[0].startswith(" PAUSED")
        assert steps(app)[0] == 200


async def test_a_diverged_run_does_not_squash_the_others_loss_curves() -> None:
    app = race_app("gd:0.1,gd:0.9")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"NNNN")
        await pilot.pause()
        chart = app.main.query_one(RaceLossChart).plain.splitlines()
        ticks = [float(word.split("┤")[0]) for word in (line.split()[0] for line in chart) if "┤" in word]
        assert max(ticks) <= 10  # run 2's loss passed 1e35: its curve leaves the chart at the top
        assert sum("1" in line.split("┤")[-1].split("│")[-2] for line in chart if "│" in line) >= 8  # run 1 spans the chart


async def test_charts_draw_one_curve_and_line_per_run() -> None:
    app = race_app("gd,momentum,adam")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("N")
        await pilot.pause()
        for chart in (app.main.query_one(RaceLossChart), app.main.query_one(RaceFitChart)):
            assert all(digit in chart.plain for digit in "123")


async def test_help_lists_tab_and_leaves_out_what_a_race_does_not_do() -> None:
    app = race_app("gd,adam")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        shown = "\n".join(str(s.render()) for s in app.screen.query("Static"))
        assert "Select the next run" in shown and "Gradient check" not in shown
