"""What can be known about the loss without training: its stable learning-rate bound, the
gradient by central difference, and the loss over a grid of (w, b)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch

from gdtui.engine.data.dataset import Dataset
from gdtui.engine.theory.conditioning import Conditioning
from gdtui.engine.training.hyper import MOMENTUM, is_full_batch

CENTRAL_H = 1e-6  # the step of the central difference, as in the original tutorial


def stable_lr(data: Dataset) -> float:
    """Full-batch gradient descent on the MSE converges iff lr < 2 / λmax of its Hessian.

    The Hessian of mean((w x + b - y)²) is (2/n)·[[Σx², Σx], [Σx, n]], the same at every (w, b).
    """
    return Conditioning.of(data).gd_bound


def stable_bound(data: Dataset, optimizer: str, batch_size: int) -> float | None:
    """The largest lr that converges for this update rule on this loss, where one is known."""
    return rule_bound(stable_lr(data), optimizer, full_batch=is_full_batch(batch_size, len(data)))


def rule_bound(gd_bound: float, optimizer: str, full_batch: bool) -> float | None:
    """The bound for an update rule, from full-batch gradient descent's 2/λmax.

    Heavy-ball momentum β: 2(1+β)/λmax. Adam and mini-batches have no such simple bound: None.
    """
    if not full_batch:
        return None
    if optimizer == "gd":
        return gd_bound
    if optimizer == "momentum":
        return (1 + MOMENTUM) * gd_bound
    return None


@dataclass(frozen=True)
class GradientCheck:
    """Autograd's gradient next to the seed's central difference, both in float64."""

    w: float
    b: float
    autograd: tuple[float, float]
    central: tuple[float, float]
    h: float
    loss_name: str = ""  # named where the model is not the seed's regression

    @property
    def relative_error(self) -> tuple[float, float]:
        w, b = (abs(a - c) / max(abs(a), abs(c), 1e-300) for a, c in zip(self.autograd, self.central))
        return w, b


Loss = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]


def gradient_check(
    data: Dataset, w: float, b: float, h: float = CENTRAL_H, loss_of: Loss | None = None, loss_name: str = ""
) -> GradientCheck:
    """∂loss/∂w and ∂loss/∂b at (w, b): by autograd, and by (f(w+h) - f(w-h)) / 2h.

    `loss_of(prediction, y)` is the model's loss (default: the seed's squared error).
    """
    x, y = (torch.from_numpy(a) for a in data.float64())
    params = torch.tensor([w, b], dtype=torch.float64, requires_grad=True)

    def loss(w_: torch.Tensor | float, b_: torch.Tensor | float) -> torch.Tensor:
        if loss_of is None:
            return (y - (x * w_ + b_)).pow(2).mean()
        return loss_of(x * w_ + b_, y)

    loss(params[0], params[1]).backward()
    with torch.no_grad():
        central = (
            ((loss(w + h, b) - loss(w - h, b)) / (2 * h)).item(),
            ((loss(w, b + h) - loss(w, b - h)) / (2 * h)).item(),
        )
    assert params.grad is not None  # set by backward() above
    grad_w, grad_b = params.grad.tolist()
    return GradientCheck(w, b, (grad_w, grad_b), central, h, loss_name)


def loss_grid(data: Dataset, ws: np.ndarray, bs: np.ndarray) -> np.ndarray:
    """mean((w x + b - y)²) for every w in `ws` (columns) and b in `bs` (rows), in float64.

    Expanded into the data's moments, so a grid costs the same for 10 points or a million.
    """
    x, y = data.float64()
    xx, xy, yy, mx, my = (x @ x) / len(x), (x @ y) / len(x), (y @ y) / len(x), x.mean(), y.mean()
    w, b = np.meshgrid(ws, bs)
    return w * w * xx + 2 * w * b * mx + b * b - 2 * w * xy - 2 * b * my + yy
