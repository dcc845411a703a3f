"""Several inputs on big data: the full-batch MSE from the design's sums (regression/sums.py) held
to the per-row form, in value and gradients, and Descent training on it to least squares."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch

import gdtui.engine.regression.descent as descent_module
from gdtui.engine.data.dataset import Dataset
from gdtui.engine.regression.descent import Descent
from gdtui.engine.regression.design import Design
from gdtui.engine.regression.sums import Sums
from gdtui.engine.theory.closeness import TOLERANCE
from gdtui.engine.training.hyper import Hyper
from gdtui.engine.training.moments import MOMENTS_FROM, Moments

RELATIVE = 1e-10


def design_data(rng: np.random.Generator, n: int, d: int, mean: float, spread: float) -> tuple[np.ndarray, np.ndarray]:
    """Correlated columns around `mean` with about `spread` of spread, and y from a line plus noise."""
    mixing = np.eye(d) + 0.5 * rng.standard_normal((d, d))
    x = mean + spread * rng.standard_normal((n, d)) @ mixing
    y = x @ rng.standard_normal(d) + 3.0 + 0.1 * rng.standard_normal(n)
    return x, y


def per_row(x: np.ndarray, y: np.ndarray, w: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """The loss as the rows give it, in float64: mean((x w + b - y)²)."""
    residual = torch.from_numpy(x) @ w + b - torch.from_numpy(y).reshape(-1, 1)
    return (residual * residual).mean()


def loss_and_grads(loss_of, w0: np.ndarray, b0: float) -> tuple[float, np.ndarray]:
    """The loss at (w0, b0) in float64 leaves, and its gradient over (b, w)."""
    w = torch.tensor(w0.reshape(-1, 1), dtype=torch.float64, requires_grad=True)
    b = torch.tensor(b0, dtype=torch.float64, requires_grad=True)
    loss = loss_of(w, b)
    loss.backward()
    assert w.grad is not None and b.grad is not None
    return loss.item(), np.concatenate([[b.grad.item()], w.grad.numpy().ravel()])


def assert_close(got: np.ndarray | float, want: np.ndarray | float) -> None:
    """Equal to RELATIVE of the largest magnitude (a gradient's small parts are judged on its scale)."""
    got, want = np.atleast_1d(got), np.atleast_1d(want)
    assert np.max(np.abs(got - want)) <= RELATIVE * np.max(np.abs(want)), (got, want)


@pytest.mark.parametrize(("d", "mean"), list(itertools.product([1, 3, 20], [0.0, 1e4])))
def test_the_sums_give_the_rows_loss_and_gradients(d: int, mean: float) -> None:
    rng = np.random.default_rng(d)
    x, y = design_data(rng, 5_000, d, mean, spread=1.0)
    sums = Sums(x, y)
    optimum, *_ = np.linalg.lstsq(np.column_stack([np.ones(len(y)), x]), y, rcond=None)
    around = optimum + 0.01 * rng.standard_normal(d + 1)  # near least squares: the loss is small, the sums nearly cancel
    far = np.concatenate([[rng.standard_normal()], rng.standard_normal(d)])
    for point in (far, around):
        b0, w0 = float(point[0]), point[1:]
        got_loss, got_grads = loss_and_grads(sums.loss, w0, b0)
        want_loss, want_grads = loss_and_grads(lambda w, b: per_row(x, y, w, b), w0, b0)
        assert_close(got_loss, want_loss)
        assert_close(got_grads, want_grads)


def test_the_data_with_large_means_defeats_the_uncentred_sums() -> None:
    """What the centring is for: Σxxᵀ/n - mx mxᵀ on columns near 1e4 loses the loss near the optimum."""
    rng = np.random.default_rng(7)
    x, y = design_data(rng, 5_000, 3, 1e4, spread=1.0)
    optimum, *_ = np.linalg.lstsq(np.column_stack([np.ones(len(y)), x]), y, rcond=None)
    b, w = optimum[0], optimum[1:]
    n = len(y)
    naive = w @ (x.T @ x / n) @ w - 2 * (x.T @ y / n) @ w + y @ y / n + 2 * b * (x.mean(axis=0) @ w - y.mean()) + b * b
    want = float(np.mean((x @ w + b - y) ** 2))
    assert abs(naive - want) > 1e3 * RELATIVE * want
    got, _ = loss_and_grads(Sums(x, y).loss, w, b)
    assert_close(got, want)


def test_one_input_agrees_with_moments() -> None:
    rng = np.random.default_rng(1)
    x32 = torch.from_numpy(rng.normal(50.0, 3.0, 10_000)).float().reshape(-1, 1)
    y32 = 2.5 * x32 - 7.0 + torch.from_numpy(rng.standard_normal(10_000)).float().reshape(-1, 1)
    moments = Moments(Dataset(x32, y32))
    sums = Sums(x32.numpy().astype(np.float64), y32.numpy().ravel().astype(np.float64))

    def at(loss_of, w0: float, b0: float) -> tuple[float, float, float]:
        """The loss and its gradients at float32 leaves, as Descent and the Trainer hold w and b."""
        w, b = torch.tensor([[w0]], requires_grad=True), torch.tensor(b0, requires_grad=True)
        loss = loss_of(w, b)
        loss.backward()
        assert loss.dtype == torch.float64 and w.grad is not None and w.grad.dtype == torch.float32 and b.grad is not None
        return loss.item(), w.grad.item(), b.grad.item()

    for w0, b0 in [(2.4, -6.0), (0.3, 1.0), (-5.0, 400.0)]:
        (got, *got_grads), (want, *want_grads) = at(sums.loss, w0, b0), at(moments.loss, w0, b0)
        assert got == pytest.approx(want, rel=1e-12)
        assert got_grads == pytest.approx(want_grads, rel=1e-6)  # rounded to float32


@pytest.fixture(scope="module")
def big_design() -> Design:
    rng = np.random.default_rng(3)
    x, y = design_data(rng, 200_000, 5, 0.0, spread=1.0)
    x = x * np.array([1.0, 1e3, 0.01, 50.0, 7.0]) + np.array([0.0, 2e4, -3.0, 100.0, 1.0])  # each in its own units
    return Design(("a", "b", "c", "d", "e"), x, y)


def counted(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """How often each way of computing the loss runs from here on."""
    calls = {"rows": 0, "sums": 0}
    forward, loss = descent_module.forward, Sums.loss

    def rows(*args):
        calls["rows"] += 1
        return forward(*args)

    def sums(self, *args):
        calls["sums"] += 1
        return loss(self, *args)

    monkeypatch.setattr(descent_module, "forward", rows)
    monkeypatch.setattr(Sums, "loss", sums)
    return calls


def test_a_full_batch_on_big_data_trains_on_the_sums_to_least_squares(big_design: Design, monkeypatch: pytest.MonkeyPatch) -> None:
    assert len(big_design.y) >= MOMENTS_FROM
    calls = counted(monkeypatch)
    hyper = Hyper(optimizer="gd")
    run = Descent(big_design, hyper)
    hyper.lr = run.auto_lr()
    steps = 0
    for snap in run.run():
        assert not snap.diverged
        steps = snap.step
        if np.all(run.errors(snap.coefficients) <= TOLERANCE) or steps == 500:
            break
    assert np.all(run.errors(snap.coefficients) <= TOLERANCE), (steps, run.errors(snap.coefficients))
    assert calls == {"rows": 0, "sums": steps + 1}  # and once for the start
    # the Step's loss is the rows' loss, in the data's units
    b, w = snap.coefficients[0], np.array(snap.coefficients[1:])
    assert snap.loss == pytest.approx(float(np.mean((big_design.x @ w + b - big_design.y) ** 2)), rel=1e-2)


def test_a_mini_batch_on_big_data_still_uses_the_rows(big_design: Design, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = counted(monkeypatch)
    hyper = Hyper(optimizer="gd", batch_size=64)
    run = Descent(big_design, hyper)
    hyper.lr = run.auto_lr()
    for snap in itertools.islice(run.run(), 20):
        assert not snap.diverged
    assert calls == {"rows": 20, "sums": 1}  # the start is measured over every row, from the sums


def test_small_data_keeps_the_rows_form() -> None:
    rng = np.random.default_rng(4)
    x, y = design_data(rng, 1_000, 3, 0.0, spread=1.0)
    assert Descent(Design(("a", "b", "c"), x, y), Hyper()).sums is None


def steps_of(design: Design, lr_share: float, sums: bool, count: int) -> list:
    hyper = Hyper(optimizer="gd")
    run = Descent(design, hyper)
    hyper.lr = lr_share * run.auto_lr()
    if not sums:
        run.sums = None  # every step over all the rows
    steps = []
    for snap in itertools.islice(run.run(), count):
        steps.append(snap)
        if snap.diverged:  # rolled back to the last finite state: training could go on from there
            break
    return steps


def test_the_sums_take_the_steps_the_rows_take(big_design: Design) -> None:
    """The same Steps, to float32's precision: the rows' loss and gradients are summed in float32."""
    for by_sums, by_rows in zip(steps_of(big_design, 1.0, True, 8), steps_of(big_design, 1.0, False, 8)):
        assert by_sums.step == by_rows.step and by_sums.lr == by_rows.lr and not by_sums.diverged
        assert by_sums.loss == pytest.approx(by_rows.loss, rel=1e-4)
        np.testing.assert_allclose(by_sums.grads, by_rows.grads, rtol=1e-3, atol=1e-4 * np.max(np.abs(by_rows.grads)))
        np.testing.assert_allclose(by_sums.coefficients, by_rows.coefficients, rtol=1e-4, atol=1e-5)


def test_too_large_an_lr_diverges_on_the_sums_as_on_the_rows(big_design: Design) -> None:
    """Both stop at an overflow with their last Step marked; the sums' float64 loss overflows only
    once the float32 parameters do, so later than the rows' float32 sum of squares."""
    with np.errstate(invalid="ignore", over="ignore"):
        by_sums, by_rows = (steps_of(big_design, 10.0, sums, 1_000) for sums in (True, False))
    for steps in (by_sums, by_rows):
        assert steps[-1].diverged and not any(snap.diverged for snap in steps[:-1])
    assert len(by_rows) <= len(by_sums) < 1_000
