"""Pilot tests of the explain view (x) and the slice chart (v, a), driven as a user would."""

from __future__ import annotations

import math
import re

import pytest
from rich.text import Text

from gdtui.charts.slice import SliceChart
from gdtui.cli import make_app, parse_args
from gdtui.engine.formats import fixed
from gdtui.engine.run.start import RunConfig, start_session
from gdtui.engine.run.walk import LoopPhase
from gdtui.widgets.explain_view import ExplainView, explain_text
from gdtui.widgets.readouts import Readouts


def app_for(*argv: str):
    return make_app(parse_args(["--paused", *argv]))


def view(app) -> str:
    return app.query_one(ExplainView).plain


def readouts(app) -> str:
    return app.query_one(Readouts).plain


def lit(app) -> list[str]:
    """The code lines marked as the current phase."""
    return [line for line in view(app).splitlines() if line.startswith(" ▶")]


async def test_five_phases_of_a_step_show_the_engine_s_numbers() -> None:
    app = app_for("--explain")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("N", "N")  # two whole steps: the walk starts at step 3
        await pilot.pause()
        session = app.session
        e = session.explained()
        assert app.main.explaining and session.latest.step == 2 and e.step == 3

        # 1 forward: three points, each with x, y, its prediction and residual.
        assert "y_pred = x @ w + b" in lit(app)[0]
        for sample in e.samples:
            assert f"{sample.x:.5f}" in view(app) and f"{sample.residual:+.5f}" in view(app)

        # 2 loss: the mean of the squared residuals, printed as the readouts will print it.
        await pilot.press("n")
        assert "loss = " in lit(app)[0] and f"= {e.loss:.4e}" in view(app)

        # 3 zero the gradients: what the last step left in them.
        await pilot.press("n")
        assert "w.grad = b.grad = None" in lit(app)[0]
        assert f"{session.latest.grad_w:+.4e}" in view(app)

        # 4 backward: autograd next to the formula.
        await pilot.press("n")
        assert "loss.backward()" in lit(app)[0]
        assert f"{e.grad[0]:+.5e}" in view(app) and f"{e.formula[0]:+.5e}" in view(app)
        assert "(2/n) Σ (y_pred - y)·x" in view(app)

        # 5 update: the seed's rule with its numbers, and the readouts still at step 2.
        await pilot.press("n")
        assert [line.split()[1:3] for line in lit(app)] == [["w", "-="], ["b", "-="]]
        assert "2 / 3000" in readouts(app)
        update = re.search(r"w ← w - lr × ∇w = (\S+) - 0\.01 × \((\S+)\) = (\S+)", view(app))
        assert update, view(app)
        assert "∇w < 0, so w grows" in view(app)

        # The fifth press makes it: the readouts show the very w the update line promised.
        await pilot.press("n")
        assert session.latest.step == 3 and session.walk.phase is LoopPhase.FORWARD
        assert update.group(3) == fixed(session.latest.w).strip()
        assert f"w {fixed(session.latest.w)}" in readouts(app)
        assert f"{e.loss:.4e}" == f"{session.latest.loss:.4e}"  # the step's loss: from before its update
        # The readouts' loss is at the w, b they show: the one the next step's forward pass finds.
        assert f"loss {session.explained().loss:.4e}" in readouts(app)


async def test_a_new_lr_shows_in_the_update_line_and_applies_there() -> None:
    app = app_for("--explain")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", "n", "n", "n", "plus")
        await pilot.pause()
        promised = re.search(r"w ← w - lr × ∇w = \S+ - 0\.02 × \(\S+\) = (\S+)", view(app))
        assert promised, view(app)
        await pilot.press("n")
        assert app.session.latest.lr == 0.02
        assert promised.group(1) == fixed(app.session.latest.w).strip()


async def test_b_goes_back_a_phase_and_past_the_start_undoes_the_update() -> None:
    app = app_for("--explain")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", "n", "b")
        assert app.session.walk.phase is LoopPhase.LOSS
        await pilot.press("n", "n", "n", "n")  # to the forward pass of step 2
        assert app.session.latest.step == 1
        await pilot.press("b")
        assert app.session.latest.step == 0 and app.session.walk.phase is LoopPhase.UPDATE
        assert "0 / 3000" in readouts(app)


async def test_N_is_one_whole_step_keeping_the_phase_and_x_leaves() -> None:
    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("x", "n", "n", "n", "N")
        await pilot.pause()
        assert app.session.latest.step == 1 and app.session.walk.phase is LoopPhase.BACKWARD
        assert not app.query_one("#charts").display  # at 80x24 the view takes the charts' place
        await pilot.press("x", "n")
        await pilot.pause()
        assert app.session.latest.step == 2 and not app.query_one(ExplainView).display
        assert app.query_one("#charts").display


async def test_momentum_and_adam_show_their_rule_with_their_state() -> None:
    app = app_for("--explain", "--optimizer", "momentum")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("N", "n", "n", "n", "n")
        await pilot.pause()
        e = app.session.explained()
        assert "buf = 0.9 * buf + w.grad" in lit(app)[0]
        assert f"buf_w ← 0.9 × {e.state[0]:.5g}".replace("× -", "× (-") in view(app)
        assert f"= {fixed(e.new_w).strip()}" in view(app)
        await pilot.press("o", "N")  # adam from the next step
        await pilot.pause()
        e = app.session.explained()
        assert e.optimizer == "adam" and "m_hat" in view(app) and f"t = {int(e.new_state[0])}" in view(app)
        promised = fixed(e.new_w).strip()
        await pilot.press("n")
        assert fixed(app.session.latest.w).strip() == promised


@pytest.mark.parametrize("optimizer", ["momentum", "adam"])
async def test_an_update_past_float32_is_explained_and_then_diverges(optimizer) -> None:
    """torch.optim stops on an lr × step past float32 and leaves no state to show."""
    app = app_for("--explain", "--optimizer", optimizer, "--lr", "2e39")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", "n", "n", "n")
        await pilot.pause()
        assert "w ← inf, b ← inf: lr times the step is past float32" in view(app)
        await pilot.press("n")
        await pilot.pause()
        assert readouts(app).startswith(" DIVERGED")


async def test_a_mini_batch_names_its_points() -> None:
    app = app_for("--explain", "--batch-size", "8")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        e = app.session.explained()
        assert "8 random points" in view(app) and f"rows {e.batch[0]} " in view(app)
        assert f"{e.samples[0].row:>7}" in view(app)


async def test_a_paused_app_builds_neither_view_again() -> None:
    app = app_for("--explain")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n", "v", "v")
        await pilot.pause(0.3)
        explain, chart = app.query_one(ExplainView), app.query_one(SliceChart)
        assert chart.display and "●" in chart.plain and explain.builds and chart.builds
        before = explain.builds, chart.builds
        await pilot.pause(0.5)  # five draw ticks
        assert (explain.builds, chart.builds) == before
        await pilot.press("n")
        assert explain.builds == before[0] + 1


async def test_a_switches_the_slice_between_w_and_b() -> None:
    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("N", "a")  # a brings the slice up, along w
        await pilot.pause()
        chart = app.query_one(SliceChart)
        assert chart.display and "loss(w) at b" in chart.plain and "slope ∇w" in chart.plain
        await pilot.press("a")
        await pilot.pause()
        assert "loss(b) at w" in chart.plain and "slope ∇b" in chart.plain


async def test_the_classifier_s_step_taken_apart_is_its_own() -> None:
    app = app_for("--model", "logistic", "--explain")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("N")
        await pilot.pause()
        session = app.session
        e = session.explained()
        assert "p = σ(y_pred)" in view(app)
        for sample in e.samples:  # p = σ(x·w + b) and p - y, point by point
            p = 1 / (1 + math.exp(-(sample.x * e.w + e.b)))
            assert sample.y_pred == pytest.approx(p, rel=1e-5) and f"{sample.residual:+.5f}" in view(app)
        await pilot.press("n")
        assert "bce_with_logits(y_pred, y)" in lit(app)[0] and f"= {e.loss:.4e}" in view(app)
        await pilot.press("n", "n")
        assert "(1/n) Σ (p - y)·x" in view(app)
        assert e.formula == pytest.approx(e.grad, rel=1e-4)  # the cross entropy's slope, by hand and by autograd
        await pilot.press("n", "n")
        assert (session.latest.w, session.latest.b) == (e.new_w, e.new_b)  # the update shown, made


@pytest.mark.parametrize("model", ["linear", "logistic"])
@pytest.mark.parametrize("optimizer", ["gd", "momentum", "adam"])
@pytest.mark.parametrize("batch_size", [0, 8])
def test_every_phase_fits_80_columns(model, optimizer, batch_size) -> None:
    session = start_session(RunConfig(model=model, optimizer=optimizer, batch_size=batch_size, lr=None))
    session.step(3)
    for phase in LoopPhase:
        assert [line for line in explain_text(session.explained(), phase).plain.splitlines() if Text(line).cell_len > 80] == []
