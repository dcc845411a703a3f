"""The full-batch MSE from the data's sums, so that a step costs the same for 10^7 points as
for 10.

mean((w x + b - y)²) depends on the points only through n, Σx, Σy, Σx², Σxy and Σy². Written
around the means (the same sums, rearranged so that nothing large cancels) it is

    vxx w² - 2 vxy w + vyy + (w mx + b - my)²,

with mx, my the means and vxx, vxy, vyy the (co)variances, all in float64. Autograd
differentiates it as it does the seed's form.
"""

from __future__ import annotations

import numpy as np
import torch

from gdtui.engine.data.dataset import Dataset

# Below this many points the seed's own form is cheap, and keeps its exact float32 arithmetic.
MOMENTS_FROM = 100_000


class Moments:
    """The sums of one data set, and the loss at (w, b) written in them."""

    def __init__(self, data: Dataset) -> None:
        x, y = (a.astype(np.float64) for a in data.numpy())
        self.mx, self.my = float(x.mean()), float(y.mean())
        x -= self.mx
        y -= self.my
        self.vxx, self.vxy, self.vyy = (float(u @ v) / len(x) for u, v in ((x, x), (x, y), (y, y)))

    def loss(self, w: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
        w, b = w.double().reshape(()), b.double()
        shift = w * self.mx + b - self.my
        return self.vxx * w * w - 2 * self.vxy * w + self.vyy + shift * shift
