"""Pilot tests: every key of the app, driven as a user would, with the run paused."""

from __future__ import annotations

import gc
import math

import pytest
from textual.widgets._footer import FooterKey

from gdtui.app import GdtuiApp
from gdtui.charts.fit import FitChart
from gdtui.charts.landscape import LandscapeChart
from gdtui.charts.loss import LossChart
from gdtui.charts.slice import SliceChart
from gdtui.cli import make_app, parse_args
from gdtui.screens.lr_dialog import LrScreen
from gdtui.widgets.readouts import Readouts


def one_run(*argv: str) -> GdtuiApp:
    """The app for these options: a single run's, not a race's."""
    app = make_app(parse_args(list(argv)))
    assert isinstance(app, GdtuiApp)
    return app


def app_for(*argv: str) -> GdtuiApp:
    return one_run("--paused", *argv)


async def wait_until(pilot, condition, timeout: float = 60) -> None:
    """Let the app run until `condition()` holds; generous, for a busy machine."""
    for _ in range(int(timeout / 0.05)):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError(f"still waiting after {timeout} s")


async def assert_stays_put(pilot, app: GdtuiApp) -> None:
    """A paused app takes no step on its own."""
    before = app.session.latest.step
    await pilot.pause(0.2)
    assert app.session.latest.step == before


async def run_until_paused(pilot, app: GdtuiApp) -> None:
    """Let the app train until it pauses itself (DONE or DIVERGED)."""
    await wait_until(pilot, lambda: not app.session.running)


async def type_lr(pilot, text: str) -> None:
    """Open the lr dialog, wait for it, replace what it holds with `text`, press Enter."""
    await pilot.press("l")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, LrScreen) and pilot.app.screen.is_mounted)
    await pilot.pause()
    await pilot.press("ctrl+a", "ctrl+k", *text, "enter")


def screen_text(app: GdtuiApp) -> str:
    return app.query_one(Readouts).plain


async def test_opens_paused_at_step_zero_with_every_readout() -> None:
    app = app_for()
    async with app.run_test(size=(80, 24)):
        text = screen_text(app)
        for label in ("PAUSED", "step", "0 / 3000", "w ", "b ", "loss", "lr", "∇w", "∇b", "speed"):
            assert label in text
        assert app.session.latest.step == 0


async def test_n_and_right_step_exactly_once_and_N_fifty() -> None:
    app = app_for()
    async with app.run_test() as pilot:
        await pilot.press("n")
        assert app.session.latest.step == 1
        await pilot.press("right")
        assert app.session.latest.step == 2
        await pilot.press("N")
        assert app.session.latest.step == 52
        assert "52 / 3000" in screen_text(app)


async def test_step_pauses_a_running_app() -> None:
    app = one_run("--speed", "max")
    async with app.run_test() as pilot:
        await wait_until(pilot, lambda: app.session.latest.step > 0)
        assert app.session.running
        await pilot.press("n")
        assert not app.session.running
        await assert_stays_put(pilot, app)


async def test_space_pauses_and_resumes() -> None:
    app = app_for("--speed", "max", "--steps", "0")
    async with app.run_test() as pilot:
        await pilot.press("space")
        assert app.session.running and "RUNNING" in screen_text(app)
        await wait_until(pilot, lambda: app.session.latest.step > 0)
        await pilot.press("space")
        assert not app.session.running and "PAUSED" in screen_text(app)
        assert app.session.latest.step > 0
        await assert_stays_put(pilot, app)


async def test_run_reaches_done_and_space_goes_past_the_target() -> None:
    app = app_for("--speed", "max", "--steps", "300")
    async with app.run_test() as pilot:
        await pilot.press("space")
        await run_until_paused(pilot, app)
        assert app.session.latest.step == 300
        assert "DONE" in screen_text(app)
        await pilot.press("space")
        await wait_until(pilot, lambda: app.session.latest.step > 300)
        assert app.session.latest.step > 300


async def test_plus_and_minus_walk_the_ladder_without_resetting() -> None:
    app = app_for()
    async with app.run_test() as pilot:
        await pilot.press("N")
        w = app.session.latest.w
        await pilot.press("plus")
        assert app.session.lr == 0.02
        await pilot.press("equals_sign")
        assert app.session.lr == 0.05
        await pilot.press("minus", "minus", "minus")
        assert app.session.lr == 0.005
        assert app.session.latest.step == 50 and app.session.latest.w == w
        await pilot.press("n")
        assert app.session.latest.lr == 0.005  # the engine used the new rate
        assert app.session.trainer.hyper.lr == 0.005


async def test_typed_lr_applies_on_enter() -> None:
    app = app_for()
    async with app.run_test() as pilot:
        await pilot.press("n")
        await type_lr(pilot, "0.123")
        assert not isinstance(app.screen, LrScreen)
        assert app.session.lr == 0.123 and app.session.latest.step == 1
        await pilot.press("minus")  # off the ladder: to the next rung down
        assert app.session.lr == 0.1


@pytest.mark.parametrize("typed", ["abc", "", "0", "-1", "nan", "inf", "1e999"])
async def test_invalid_typed_lr_is_explained_and_changes_nothing(typed: str) -> None:
    app = app_for()
    async with app.run_test() as pilot:
        await type_lr(pilot, typed)
        assert isinstance(app.screen, LrScreen)
        assert "lr " in str(app.screen.query_one("#lr-error").render())
        assert app.session.lr == 0.01
        await pilot.press("ctrl+a", "ctrl+k", *"0.2", "enter")  # the input still works
        assert app.session.lr == 0.2


async def test_escape_cancels_typed_lr() -> None:
    app = app_for()
    async with app.run_test() as pilot:
        await pilot.press("l", *"5", "escape")
        await pilot.pause()
        assert not isinstance(app.screen, LrScreen)
        assert app.session.lr == 0.01


async def test_r_resets_to_step_zero_and_initial_parameters() -> None:
    app = app_for()
    async with app.run_test() as pilot:
        first = app.session.latest
        await pilot.press("N", "plus", "r")
        assert app.session.latest.step == 0
        assert (app.session.latest.w, app.session.latest.b) == (first.w, first.b)
        assert app.session.lr == 0.02  # the chosen lr stays
        assert len(app.session.history) == 0


async def test_brackets_change_speed_up_to_max() -> None:
    app = app_for("--speed", "2000")
    async with app.run_test() as pilot:
        await pilot.press("right_square_bracket")
        assert app.session.speed == 5000
        await pilot.press("right_square_bracket")
        assert math.isinf(app.session.speed) and "speed max" in screen_text(app)
        await pilot.press("left_square_bracket", "left_square_bracket")
        assert app.session.speed == 2000


async def test_g_toggles_the_loss_scale() -> None:
    app = app_for()
    async with app.run_test() as pilot:
        await pilot.press("N")
        chart = app.query_one(LossChart)
        assert "log scale" in chart.plain
        await pilot.press("g")
        assert "linear scale" in chart.plain


async def test_help_lists_every_key() -> None:
    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        shown = "\n".join(str(s.render()) for s in app.screen.query("Static"))
        for binding in app.main.BINDINGS:
            assert binding.tooltip in shown
        await pilot.press("question_mark")
        assert app.screen is app.screen_stack[0]


async def test_q_quits() -> None:
    app = app_for()
    async with app.run_test() as pilot:
        await pilot.press("q")
    assert app.return_code == 0


async def test_huge_lr_diverges_pauses_and_recovers() -> None:
    app = app_for("--lr", "5", "--speed", "max")
    async with app.run_test() as pilot:
        await pilot.press("space")
        await run_until_paused(pilot, app)
        assert "DIVERGED" in screen_text(app)
        assert "L: best lr, or lower lr" in screen_text(app)
        snap = app.session.latest
        assert all(math.isfinite(v) for v in (snap.w, snap.b, snap.loss))
        await type_lr(pilot, "0.1")
        await pilot.press("N")
        assert not app.session.latest.diverged
        assert "DIVERGED" not in screen_text(app)


async def test_charts_draw_the_run() -> None:
    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("N")
        await pilot.pause()
        assert "loss" in app.query_one(LossChart).plain
        fit = app.query_one(FitChart).plain
        assert "data" in fit and "fit" in fit


async def test_charts_fill_their_height_whatever_size_stdout_reports(monkeypatch) -> None:
    # A served app's stdout is a pipe, for which Python reports 24 lines unless LINES says more.
    monkeypatch.setenv("LINES", "24")
    app = app_for()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n")
        await pilot.pause()
        for chart in (app.query_one(LossChart), app.query_one(FitChart)):
            lines = chart.plain.splitlines()
            assert chart.size.height > 30 and len(lines) == chart.size.height, chart.plain
            assert lines[-1].strip(), f"the axis labels are not on the chart's last row:\n{chart.plain}"


async def test_small_terminal_says_what_size_it_needs_and_recovers() -> None:
    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.resize_terminal(40, 10)
        await pilot.pause()
        notice = app.query_one("#too-small")
        assert notice.display and "terminal too small (need 60×16" in str(notice.render())
        assert not app.query_one(Readouts).display
        for size in [(1, 1), (3, 2), (59, 15)]:
            await pilot.resize_terminal(*size)
            await pilot.pause()
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert not notice.display and app.query_one(Readouts).display
        await pilot.press("n")
        assert app.session.latest.step == 1


async def test_b_and_left_rewind_exactly() -> None:
    app = app_for()
    async with app.run_test() as pilot:
        await pilot.press(*"nnnnnn")
        straight = list(app.session.past)[1:] + [app.session.latest]  # steps 1..6, never rewound
        await pilot.press("b", "b", "left", "left", "b")
        assert app.session.latest == straight[0]
        assert "1 / 3000" in screen_text(app)
        await pilot.press("n", "n")  # the same updates again, bit for bit
        assert app.session.latest == straight[2]
        await pilot.press(*"bbbb")  # at step 0 it does nothing more
        assert app.session.latest.step == 0


async def test_c_shows_autograd_next_to_central_difference() -> None:
    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("N", "c")
        table = str(app.screen.query_one("#gradient-table").render())
        assert "autograd" in table and "central difference" in table
        assert f"{app.session.latest.w:.6g}" in table
        await pilot.press("c")
        assert app.screen is app.screen_stack[0]


async def test_v_cycles_fit_landscape_slice_and_back_to_fit() -> None:
    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("N", "v")
        await pilot.pause()
        landscape, slice_ = app.query_one("#landscape-chart", LandscapeChart), app.query_one("#slice-chart", SliceChart)
        assert landscape.display and not app.query_one(FitChart).display
        assert "loss landscape" in landscape.plain and "●" in landscape.plain
        await pilot.press("v")
        await pilot.pause()
        assert slice_.display and not landscape.display
        assert "loss(w)" in slice_.plain and "●" in slice_.plain
        await pilot.press("v")
        await pilot.pause()
        assert app.query_one(FitChart).display and not landscape.display and not slice_.display


async def test_o_and_m_change_optimizer_and_batch_for_the_next_step() -> None:
    app = app_for()
    async with app.run_test() as pilot:
        await pilot.press("n", "o")
        assert "momentum" in screen_text(app)
        await pilot.press("n")
        assert app.session.latest.optimizer == "momentum" and app.session.latest.step == 2
        await pilot.press("o", "o", "m", "m", "n")
        assert app.session.latest.optimizer == "gd" and app.session.latest.batch_size == 8
        assert "batch 8 of 500" in screen_text(app)


async def test_lr_changes_are_marked_on_the_loss_chart() -> None:
    app = app_for()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("N", "plus", "N")
        await pilot.pause()
        chart = app.query_one(LossChart)
        assert "lr 0.02" in chart.plain
        assert app.session.marks == [(50, "lr 0.02")]


async def test_e_exports_the_steps_so_far_and_s_saves_a_screenshot(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    app = app_for()
    async with app.run_test() as pilot:
        await pilot.press("N", "e", "s")
        await pilot.pause()
    [csv_file] = tmp_path.glob("*.csv")
    lines = csv_file.read_text().splitlines()
    assert lines[0] == "step,w,b,loss,grad_w,grad_b,lr,optimizer" and len(lines) == 51
    assert list(tmp_path.glob("*.svg"))


async def test_asterisk_shows_the_least_squares_line() -> None:
    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("asterisk")
        await pilot.pause()
        chart = app.query_one(FitChart)
        assert "least squares" in chart.plain


async def test_rewinding_after_a_divergence_is_not_a_divergence() -> None:
    app = app_for("--lr", "5")
    async with app.run_test() as pilot:
        await pilot.press(*"NN")
        step = app.session.diverged_at
        assert "DIVERGED" in screen_text(app) and f"Diverged at step {step} (lr 5)." in screen_text(app)
        await pilot.press("minus")
        assert f"Diverged at step {step} (lr 5); lr now 2" in screen_text(app)  # the lr that failed, and the new one
        await type_lr(pilot, "0.01")
        await pilot.press("n", "b")
        assert "DIVERGED" not in screen_text(app)


async def test_reset_after_a_long_run_draws_the_new_run_at_once() -> None:
    app = app_for("--steps", "0")
    async with app.run_test() as pilot:
        app.session.advance(9000)
        await pilot.press("r", "n")
        assert app.session.history.steps == [1]


async def test_stepping_after_done_is_no_longer_done() -> None:
    app = app_for("--speed", "max", "--steps", "60")
    async with app.run_test() as pilot:
        await pilot.press("space")
        await run_until_paused(pilot, app)
        assert "DONE" in screen_text(app)
        await pilot.press("b")
        assert "PAUSED" in screen_text(app) and "59 / 60" in screen_text(app)


async def test_too_small_notice_follows_resizes_made_under_a_dialog() -> None:
    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        await pilot.resize_terminal(40, 10)
        await pilot.pause()
        await pilot.resize_terminal(80, 24)
        await pilot.press("escape")
        await pilot.pause()
        assert not app.query_one("#too-small").display and app.query_one(Readouts).display


@pytest.mark.parametrize("key", ["question_mark", "c"])
async def test_dialogs_fit_the_smallest_usable_terminal(key) -> None:
    app = app_for()
    async with app.run_test(size=(60, 16)) as pilot:
        await pilot.press(key)
        await pilot.pause()
        dialog = app.screen.query_one("#help-dialog, #gradient-dialog")
        assert dialog.region.right <= 60 and dialog.region.bottom <= 16


async def test_stable_bound_follows_the_optimizer() -> None:
    app = app_for("--lr", "1")
    async with app.run_test() as pilot:
        assert "stable < 0.792" in screen_text(app) and "will diverge" in screen_text(app)
        await pilot.press("o")  # momentum 0.9: 2(1 + 0.9)/λmax
        assert "stable < 1.5" in screen_text(app) and "will diverge" not in screen_text(app)
        await pilot.press("o")  # adam: no such bound
        assert "no fixed bound" in screen_text(app)


async def test_lr_ladder_stops_at_the_ends_of_floats() -> None:
    app = app_for()
    async with app.run_test() as pilot:
        await type_lr(pilot, "5e-324")
        await pilot.press("minus", "minus")
        assert app.session.lr == 5e-324
        await type_lr(pilot, "1e308")
        await pilot.press("plus", "plus")
        assert app.session.lr == 1e308


@pytest.mark.parametrize("key", ["l", "question_mark", "c"])
async def test_dialogs_opened_and_closed_leave_no_footer_keys_behind(key) -> None:
    """Textual's footer builds its keys again on each dialog and keeps the old ones alive: memory
    grew a quarter of a megabyte per dialog, and each build got slower."""

    def footer_keys_alive() -> int:
        gc.collect()
        return sum(type(thing) is FooterKey for thing in gc.get_objects())

    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.query(FooterKey))
        before = footer_keys_alive()
        for _ in range(30):
            await pilot.press(key)
            await wait_until(pilot, lambda: app.screen is not app.main)
            await pilot.press("escape")
            await wait_until(pilot, lambda: app.screen is app.main)
        await pilot.pause()
        assert footer_keys_alive() <= before
        assert "Run/Pause" in [str(footer_key.description) for footer_key in app.query(FooterKey)]
