"""The full-batch MSE of y = X w + b from the data's sums, so that a step costs the same for 10^6
rows as for 10, whatever the number of inputs d.

mean((x w + b - y)²) depends on the rows only through n, Σx, Σy, Σxxᵀ, Σxy and Σy². Written
around the means (the same sums, rearranged so that nothing large cancels: columns near 1e4
with a spread of 1 would lose about 8 digits in Σxxᵀ/n - mx mxᵀ) it is

    wᵀ Vxx w - 2 vxyᵀ w + vyy + (mxᵀ w + b - my)²,

with mx, my the means and Vxx = (x - mx)ᵀ(x - mx)/n, vxy, vyy the centred (co)variances, all in
float64: gdtui.engine.training.moments's form for one input, with w a vector. Autograd
differentiates it as it does the per-row form.
"""

from __future__ import annotations

import numpy as np
import torch


class Sums:
    """The sums of one design (x [n, d], y [n], float64), and the loss at (w, b) written in them."""

    def __init__(self, x: np.ndarray, y: np.ndarray) -> None:
        n = len(y)
        mx, self.my = x.mean(axis=0), float(y.mean())
        cx, cy = x - mx, y - self.my
        self.mx = torch.from_numpy(mx)
        self.vxx = torch.from_numpy(cx.T @ cx / n)
        self.vxy = torch.from_numpy(cx.T @ cy / n)
        self.vyy = float(cy @ cy) / n

    def loss(self, w: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
        """mean((x w + b - y)²) at w ([d, 1]) and b (0-dim), a float64 scalar whatever their dtype."""
        w, b = w.double().reshape(-1), b.double()
        shift = self.mx @ w + b - self.my
        return w @ (self.vxx @ w) - 2 * (self.vxy @ w) + self.vyy + shift * shift
