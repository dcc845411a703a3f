"""One update of the seed's loop, taken apart: the numbers of each phase, for the next step.

Computed with the trainer's own model, loss and update rule on copies of w and b, so the update
explained is bit for bit the one the next step makes; the trainer itself is left untouched.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import torch

from gdtui.engine.theory import logistic
from gdtui.engine.training.hyper import is_full_batch
from gdtui.engine.training.optimizers import make_rule
from gdtui.engine.training.trainer import forward

if TYPE_CHECKING:
    from gdtui.engine.training.trainer import Trainer

SAMPLES = 3  # points whose forward pass is shown one by one


@dataclass(frozen=True)
class Sample:
    """One point's forward pass: its row in the data, x, y, the prediction and the residual
    (for the logistic model: the probability p = σ(x·w + b) of class 1, and p - y)."""

    row: int
    x: float
    y: float
    y_pred: float
    residual: float  # y_pred - y


@dataclass(frozen=True, eq=False)  # the logistic model's points are arrays: one is the same as itself
class Explanation:
    """The next update (`step`) from (w, b), phase by phase, as plain floats."""

    step: int
    w: float
    b: float
    points: int  # how many points this step learns from
    batch: tuple[int, ...] | None  # the rows of a mini-batch, None when every point is used
    samples: tuple[Sample, ...]
    loss: float
    stale_grad: tuple[float, float] | None  # what w.grad, b.grad held before zeroing (None: nothing yet)
    grad: tuple[float, float]  # autograd's ∂loss/∂w, ∂loss/∂b (float32, as training uses them)
    formula: tuple[float, float]  # (2/n) Σ (y_pred - y)·x and (2/n) Σ (y_pred - y) (logistic: (1/n) Σ (p - y)...), float64
    lr: float
    optimizer: str
    state: tuple[float, ...]  # the rule's state before the update ((): none yet)
    new_state: tuple[float, ...]  # and after it
    new_w: float
    new_b: float
    moments: tuple[float, float, float, float, float]  # means of x², xy, y², x, y over the points used
    model: str = "linear"
    points_used: tuple[np.ndarray, np.ndarray] | None = None  # x, y (float64): the logistic loss needs them all

    def loss_at(self, w, b):  # floats or numpy arrays alike
        """The loss of this step's points at (w, b): the curve the step descends (the line's in
        closed form, from the moments)."""
        if self.points_used is not None:
            x, y = self.points_used
            return logistic.cross_entropy(np.asarray(w)[..., None] * x + np.asarray(b)[..., None], y)
        xx, xy, yy, mx, my = self.moments
        return w * w * xx + 2 * w * b * mx + b * b - 2 * w * xy - 2 * b * my + yy


def explain(trainer: Trainer) -> Explanation:
    """The next update of `trainer` (its current w, b, settings and rule state), phase by phase."""
    # In the coordinates trained: standardized ones, after z, are what the step computes in.
    hyper, data, snap = trainer.hyper, trainer.trained_data, trainer.current
    w0, b0 = snap.trained or (snap.w, snap.b)
    step = snap.step + 1
    picks = trainer.picks(step) if not is_full_batch(hyper.batch_size, len(data)) else None
    x, y = (data.x, data.y) if picks is None else (data.x[picks], data.y[picks])
    w = trainer.w.detach().clone().requires_grad_()
    b = trainer.b.detach().clone().requires_grad_()

    y_pred, loss = forward(trainer.model, x, y, w, b)
    loss.backward()
    assert w.grad is not None and b.grad is not None  # set by backward() above
    grad = (w.grad.item(), b.grad.item())

    # The formula by hand, in float64: the exact slope at (w, b), which float32 autograd meets
    # to its own rounding. The line's: (2/n) Σ (y_pred - y)·x; the classifier's: (1/n) Σ (p - y)·x.
    x64, y64, pred32 = (t.detach().double().ravel() for t in (x, y, y_pred))
    n, linear = len(x64), trainer.linear
    exact = x64 * w0 + b0 - y64 if linear else torch.sigmoid(x64 * w0 + b0) - y64
    factor = 2 / n if linear else 1 / n
    formula = (factor * (exact @ x64).item(), factor * exact.sum().item())
    if not linear:
        pred32 = torch.sigmoid(pred32)  # the probability of class 1, from training's own logits
    residual = pred32 - y64  # what training's forward pass found, shown point by point

    # The same rule as training, loaded with the same state: the same bits come out.
    state = trainer.rule.state() if trainer.rule_name == hyper.optimizer else ()
    rule = make_rule(hyper.optimizer, [w, b])
    rule.load(state)
    with torch.no_grad():
        rule.step(hyper.lr)

    rows = picks.tolist() if picks is not None else list(range(n))
    samples = tuple(
        Sample(rows[k], x64[k].item(), y64[k].item(), pred32[k].item(), residual[k].item())
        for k in range(min(SAMPLES, n))
    )
    xx, xy, yy, mx, my = (v.mean().item() for v in (x64 * x64, x64 * y64, y64 * y64, x64, y64))
    return Explanation(
        step=step,
        w=w0,
        b=b0,
        points=n,
        batch=tuple(rows) if picks is not None else None,
        samples=samples,
        loss=loss.item(),
        stale_grad=(snap.grad_w, snap.grad_b) if snap.step > 0 and snap.trained is None else None,
        grad=grad,
        formula=formula,
        lr=hyper.lr,
        optimizer=hyper.optimizer,
        state=state,
        new_state=rule.state(),
        new_w=w.item(),
        new_b=b.item(),
        moments=(xx, xy, yy, mx, my),
        model=trainer.model.name,
        points_used=None if linear else (x64.numpy(), y64.numpy()),
    )
