"""The explained step is the step the engine takes: the same bits, for every rule and batch."""

from __future__ import annotations

import pytest
import torch

from gdtui.engine.config import RunConfig
from gdtui.engine.data.dataset import Dataset
from gdtui.engine.run.start import start_session
from gdtui.engine.run.walk import LoopPhase
from gdtui.engine.theory.linear import gradient_check
from gdtui.engine.training.explain import explain


def session_for(**settings):
    return start_session(RunConfig(**settings))


def assert_explains_next(session) -> None:
    """What the explanation says the next update gives, the next snapshot holds, bit for bit."""
    e = session.explained()
    snap = session.advance(1)
    assert (snap.step, snap.w, snap.b) == (e.step, e.new_w, e.new_b)
    assert (snap.loss, snap.grad_w, snap.grad_b, snap.state) == (e.loss, *e.grad, e.new_state)


@pytest.mark.parametrize("optimizer", ["gd", "momentum", "adam"])
@pytest.mark.parametrize("batch_size", [0, 1, 8])
def test_the_explained_update_is_the_next_snapshot(optimizer: str, batch_size: int) -> None:
    session = session_for(optimizer=optimizer, batch_size=batch_size)
    for step in range(40):
        if step == 20:
            session.change(lr=0.05)  # a new lr shows in the very next explained update
        assert_explains_next(session)


def test_explained_after_rewinds_and_a_change_of_rule() -> None:
    session = session_for(optimizer="momentum")
    session.advance(10)
    session.rewind()
    session.rewind()
    assert_explains_next(session)
    session.change(optimizer="adam")  # starts afresh: the explanation says so with empty state
    assert session.explained().state == ()
    assert_explains_next(session)
    assert_explains_next(session)


def test_explaining_leaves_the_run_untouched() -> None:
    explained, plain = session_for(batch_size=8), session_for(batch_size=8)
    for _ in range(30):
        explain(explained.trainer)
        assert explained.advance(1) == plain.advance(1)


def batch_data(session) -> Dataset:
    e = session.explained()
    data = session.trainer.data
    rows = torch.tensor(e.batch) if e.batch is not None else torch.arange(len(data))
    return Dataset(data.x[rows], data.y[rows])


@pytest.mark.parametrize("batch_size", [0, 8])
def test_the_formula_is_what_autograd_computes(batch_size: int) -> None:
    session = session_for(batch_size=batch_size)
    for target in (0, 1, 10, 100, 300, 1000, 3000):
        session.advance(target - session.latest.step)
        e = session.explained()
        # autograd in float64 on the same points: the formula to 1e-6 relative.
        exact = gradient_check(batch_data(session), e.w, e.b).autograd
        for by_formula, by_autograd in zip(e.formula, exact, strict=True):
            assert by_formula == pytest.approx(by_autograd, rel=1e-6)
        # Training's float32 autograd: the same, to float32's rounding, which near the optimum
        # is set by the residuals' rounding (about eps·|y|), not by the slope's small size.
        _, y = session.trainer.data.numpy()
        rounding = 1e-6 * float(abs(y).mean())
        for by_formula, by_autograd in zip(e.formula, e.grad, strict=True):
            assert by_formula == pytest.approx(by_autograd, rel=1e-5, abs=rounding)


def test_the_sample_points_are_the_step_s_own() -> None:
    session = session_for(batch_size=8)
    session.advance(5)
    e = session.explained()
    x, y = session.trainer.data.numpy()
    assert e.points == 8 and len(e.batch) == 8
    for sample in e.samples:
        assert sample.row == e.batch[e.samples.index(sample)]
        assert (sample.x, sample.y) == (float(x[sample.row]), float(y[sample.row]))
        assert sample.residual == pytest.approx(sample.y_pred - sample.y)
    assert e.loss_at(e.w, e.b) == pytest.approx(e.loss, rel=1e-5)


def test_five_phases_make_one_step_and_back_undoes_it() -> None:
    session = session_for()
    for phase in LoopPhase:
        assert session.walk.phase is phase and session.latest.step == 0
        session.walk_on()
    assert session.walk.phase is LoopPhase.FORWARD and session.latest.step == 1
    session.walk_back()
    assert session.walk.phase is LoopPhase.UPDATE and session.latest.step == 0
    session.walk.phase = LoopPhase.FORWARD
    session.walk_back()  # nothing before step 0: it stays at the first phase
    assert session.walk.phase is LoopPhase.FORWARD and session.latest.step == 0


def test_an_overflowing_update_stays_on_the_update_phase() -> None:
    session = session_for(lr=5.0)
    session.walk.phase = LoopPhase.UPDATE
    for _ in range(40):
        session.walk_on()
        session.walk.phase = LoopPhase.UPDATE if session.walk.phase is LoopPhase.FORWARD else session.walk.phase
        if session.latest.diverged:
            break
    assert session.latest.diverged and session.walk.phase is LoopPhase.UPDATE


def test_an_unchanged_run_is_explained_once() -> None:
    session = session_for()
    assert session.explained() is session.explained()
    session.change(lr=0.02)
    assert session.explained().lr == 0.02
