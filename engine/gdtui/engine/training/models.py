"""The two models gdtui trains, each with its loss and what can be known about it in advance.

linear:   y = x @ w + b,         loss = mean((y - y_pred)²)                  (the seed's regression)
logistic: p = σ(x @ w + b),      loss = mean(-[y log p + (1 - y) log(1 - p)])  (binary cross entropy)

Both losses take the model's raw output: the logistic one is computed from the logits z, as
log(1 + e^z) - y z, which neither overflows nor takes log(0) however large |w| grows.
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

from gdtui.engine.data.dataset import Dataset, least_squares
from gdtui.engine.run.frame import Optimum
from gdtui.engine.theory import linear, logistic
from gdtui.engine.training.hyper import MOMENTUM

MEAN = 1  # torch's Reduction enum for "mean", the form its loss kernels take


def mean_squared_error(y_pred: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """F.mse_loss(y_pred, y): the seed's (y - y_pred).pow(2).mean() as one fused op, the same values.

    Its kernel is called directly: F.mse_loss first broadcasts its two arguments (equal-shaped
    here) into new views, which adds an autograd node and ~9 µs to a step that takes ~100
    (bench/engine_speed.py). tests/test_models.py holds it to F.mse_loss, value and gradients.
    """
    return torch._C._nn.mse_loss(y_pred, y, MEAN)  # type: ignore[arg-type]  # the stub says str; the binding takes the enum



class Linear:
    """The seed's line and its mean squared error: a quadratic, so everything is exact."""

    name = "linear"
    loss_name = "mean squared error"
    bound_word = "stable"  # 2/λmax is where gradient descent starts to diverge, exactly
    optimum_name = "least squares"
    loss = staticmethod(mean_squared_error)

    def optimum(self, data: Dataset) -> Optimum:
        w, b = least_squares(data)
        return Optimum(w, b, float(linear.loss_grid(data, np.array([w]), np.array([b]))[0, 0]))

    def gd_bound(self, data: Dataset) -> float:
        return linear.stable_lr(data)

    def rule_bound(self, gd_bound: float, optimizer: str, full_batch: bool) -> float | None:
        return linear.rule_bound(gd_bound, optimizer, full_batch)

    def loss_grid(self, data: Dataset, ws: np.ndarray, bs: np.ndarray) -> np.ndarray:
        return linear.loss_grid(data, ws, bs)

    def accuracy(self, data: Dataset, w: float, b: float) -> float | None:
        return None


class Logistic:
    """p = σ(w x + b) for labels y in {0, 1}, and its binary cross entropy."""

    name = "logistic"
    loss_name = "binary cross entropy"
    bound_word = "safe"  # 8/λmax never diverges, but larger lr may still converge
    optimum_name = "optimum"
    loss = staticmethod(F.binary_cross_entropy_with_logits)

    def optimum(self, data: Dataset) -> Optimum:
        x, y = data.float64()
        if logistic.separable(x, y):
            w, b = logistic.towards_separation(x, y)
            loss = float(logistic.cross_entropy(w * x + b, y))
            return Optimum(w, b, loss, logistic.accuracy(x, y, w, b), finite=False)
        w, b = logistic.newton(x, y)
        return Optimum(w, b, float(logistic.cross_entropy(w * x + b, y)), logistic.accuracy(x, y, w, b))

    def gd_bound(self, data: Dataset) -> float:
        return logistic.safe_lr(data.float64()[0])

    def rule_bound(self, gd_bound: float, optimizer: str, full_batch: bool) -> float | None:
        """Safe bounds: gd's 2/L, and heavy-ball momentum β's 2(1-β)/L (Ghadimi et al., 2015),
        which hold for any L-smooth convex loss, not only for a quadratic."""
        if not full_batch:
            return None
        if optimizer == "gd":
            return gd_bound
        if optimizer == "momentum":
            return (1 - MOMENTUM) * gd_bound
        return None

    def loss_grid(self, data: Dataset, ws: np.ndarray, bs: np.ndarray) -> np.ndarray:
        return logistic.loss_grid(*data.float64(), ws, bs)

    def accuracy(self, data: Dataset, w: float, b: float) -> float | None:
        x, y = data.float64()
        return logistic.accuracy(x, y, w, b)


Model = Linear | Logistic
MODELS: dict[str, Model] = {"linear": Linear(), "logistic": Logistic()}

