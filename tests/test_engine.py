"""The training engine as the app and the headless runner see it: one pull, one update."""

from __future__ import annotations

import itertools
import math
from functools import partial

import numpy as np
import pytest

from gdtui.engine.data.dataset import least_squares
from gdtui.engine.run.start import RunConfig, build
from gdtui.engine.theory.linear import stable_lr
from gdtui.engine.training.trainer import Snapshot, Trainer

f32 = np.float32


def pull(run, n: int) -> list[Snapshot]:
    """The next `n` snapshots from a running generator."""
    return list(itertools.islice(run, n))


def floats(snap: Snapshot) -> list[float]:
    return [snap.w, snap.b, snap.loss, snap.grad_w, snap.grad_b, snap.lr]


def is_finite(snap: Snapshot) -> bool:
    return all(math.isfinite(v) for v in floats(snap))


def assert_update(before: Snapshot, after: Snapshot) -> None:
    """`after` is one update from `before`: the seed's w -= lr * grad, in float32."""
    assert after.step == before.step + 1
    assert not after.diverged
    assert f32(after.w) == f32(before.w) - f32(after.lr) * f32(after.grad_w)
    assert f32(after.b) == f32(before.b) - f32(after.lr) * f32(after.grad_b)


def train(config: RunConfig, steps: int) -> tuple[Trainer, Snapshot]:
    """Pull `steps` updates; fail if any of them diverged."""
    trainer = build(config)
    snaps = pull(trainer.run(), steps)
    assert not any(s.diverged for s in snaps)
    return trainer, snaps[-1]


def test_one_pull_is_one_update():
    trainer = build(RunConfig())
    run = trainer.run()
    before = trainer.initial
    assert before.step == 0
    for _ in range(5):
        after = next(run)
        assert_update(before, after)
        assert (after.w, after.b) != (before.w, before.b)
        assert trainer.current == after
        before = after


def test_lr_change_applies_on_next_pull_and_resets_nothing():
    trainer = build(RunConfig(lr=0.01))
    run = trainer.run()
    before = pull(run, 10)[-1]
    for lr in (0.3, 0.01):
        trainer.hyper.lr = lr
        after = next(run)
        assert after.lr == lr
        assert_update(before, after)  # step 11 then 12, from where w and b were
        before = after
    assert before.step == 12


def test_same_seed_same_run_other_seed_differs():
    first = pull(build(RunConfig(seed=7)).run(), 200)
    assert pull(build(RunConfig(seed=7)).run(), 200) == first
    other = pull(build(RunConfig(seed=8)).run(), 200)
    assert all(a != b for a, b in zip(first, other))


@pytest.mark.parametrize("config", [RunConfig(), RunConfig(n=40, true_w=-2.0, noise=0.3, seed=3)])
def test_gradients_are_the_analytic_mse_gradient(config):
    trainer = build(config)
    x, y = (a.astype(np.float64) for a in trainer.data.numpy())
    before = trainer.initial
    for after in pull(trainer.run(), 100):
        residual = before.w * x + before.b - y  # at the parameters before the update
        close = partial(pytest.approx, rel=1e-4, abs=1e-6)  # abs: float32 sums that cancel out near a zero gradient
        assert after.loss == close(np.mean(residual**2))
        assert after.grad_w == close(2 * np.mean(residual * x))
        assert after.grad_b == close(2 * np.mean(residual))
        before = after


def test_default_run_fits_the_seed_line():
    _, last = train(RunConfig(), 3000)
    assert last.step == 3000
    assert last.w == pytest.approx(3, abs=0.1)
    assert last.b == pytest.approx(0.8, abs=0.1)
    assert last.loss < 1e-3


@pytest.mark.parametrize("noise", [0.0, 0.5])
def test_long_run_converges_to_least_squares(noise):
    trainer, last = train(RunConfig(lr=0.5, noise=noise), 2000)
    w_star, b_star = least_squares(trainer.data)
    if noise:  # the noisy points' best line is not the line they came from
        assert abs(w_star - 3) > 0.01 or abs(b_star - 0.8) > 0.01
    assert last.w == pytest.approx(w_star, abs=1e-3)
    assert last.b == pytest.approx(b_star, abs=1e-3)


def test_divergence_is_flagged_with_finite_values_and_recovers():
    trainer = build(RunConfig(lr=5.0))
    run = trainer.run()
    for snap in itertools.islice(run, 300):
        if snap.diverged:
            break
        assert is_finite(snap)
    else:
        pytest.fail("lr 5.0 did not diverge in 300 pulls")
    assert is_finite(snap)

    trainer.hyper.lr = 0.01
    after = pull(run, 500)
    assert after[0].step == snap.step + 1
    assert not any(s.diverged for s in after)
    assert all(is_finite(s) for s in after)
    losses = [s.loss for s in after]
    assert all(a >= b for a, b in itertools.pairwise(losses))
    assert losses[-1] < 1e-6 * losses[0]


def test_restore_continues_bit_for_bit():
    trainer = build(RunConfig())
    run = trainer.run()
    first = pull(run, 100)

    trainer.restore(first[49])
    assert pull(run, 50) == first[50:]

    trainer.restore(trainer.initial)  # rewind to the start
    assert pull(run, 100) == first

    other = build(RunConfig())
    other.restore(first[49])
    assert pull(other.run(), 50) == first[50:]


@pytest.mark.parametrize("config", [RunConfig(), RunConfig(n=40, true_w=-2.0, true_b=5.0, seed=3)])
def test_stable_lr_is_two_over_the_largest_hessian_eigenvalue(config):
    x = build(config).data.numpy()[0].astype(np.float64)
    n = len(x)
    hessian = (2 / n) * np.array([[x @ x, x.sum()], [x.sum(), n]])
    expected = 2 / np.linalg.eigvals(hessian).real.max()
    assert stable_lr(build(config).data) == pytest.approx(expected, rel=1e-9)


def test_stable_lr_separates_converging_from_diverging():
    bound = stable_lr(build(RunConfig()).data)
    assert bound == pytest.approx(0.79, abs=0.01)

    trainer, last = train(RunConfig(lr=0.95 * bound), 2000)
    w_star, b_star = least_squares(trainer.data)
    assert last.w == pytest.approx(w_star, abs=1e-3)
    assert last.b == pytest.approx(b_star, abs=1e-3)

    snaps = pull(build(RunConfig(lr=1.05 * bound)).run(), 1000)
    assert any(s.diverged for s in snaps)


def test_importing_engine_does_not_import_textual(run_python):
    code = (  # every module of the engine package, not only the package
        "import importlib, pkgutil, sys, gdtui.engine as engine\n"
        "for module in pkgutil.walk_packages(engine.__path__, 'gdtui.engine.'):\n"
        "    importlib.import_module(module.name)\n"
        "assert 'torch' in sys.modules, 'the modules were not all imported'\n"
        "assert 'textual' not in sys.modules, 'textual imported'"
    )
    result = run_python("-c", code)
    assert result.returncode == 0, result.stderr
