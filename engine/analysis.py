"""What can be known about the loss without training: its Hessian's stable learning-rate bound."""

from __future__ import annotations

import numpy as np

from engine.data import Dataset


def stable_lr(data: Dataset) -> float:
    """Full-batch gradient descent on the MSE converges iff lr < 2 / λmax of its Hessian.

    The Hessian of mean((w x + b - y)²) is (2/n)·[[Σx², Σx], [Σx, n]], the same at every (w, b).
    """
    x = data.numpy()[0].astype(np.float64)
    n = len(x)
    hessian = (2 / n) * np.array([[x @ x, x.sum()], [x.sum(), n]])
    return float(2 / np.linalg.eigvalsh(hessian)[-1])
