"""What can be known about binary cross entropy on 1-D data without training, in float64:
its optimum (Newton's method) or the lack of one, a safe learning-rate bound, the loss over a
grid of (w, b), and the accuracy of a boundary."""

from __future__ import annotations

import numpy as np

GRID_POINTS = 5000  # the landscape's grid costs cells × points: a sample is shaded the same


def cross_entropy(z: np.ndarray, y: np.ndarray, axis: int = -1) -> np.ndarray:
    """mean(-[y log σ(z) + (1-y) log(1-σ(z))]) from the logits z, as log(1 + e^z) - y z.

    np.logaddexp(0, z) never overflows: the same stable form torch's
    binary_cross_entropy_with_logits uses.
    """
    return (np.logaddexp(0.0, z) - y * z).mean(axis=axis)


def sigmoid(z: np.ndarray | float) -> np.ndarray:
    """σ(z) without overflow for any z."""
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(z, dtype=np.float64)))


def separable(x: np.ndarray, y: np.ndarray) -> bool:
    """Whether some threshold on x puts each class on its own side (ties included).

    Then the loss keeps falling as |w| grows along that threshold: no finite optimum exists.
    """
    ones, zeros = x[y == 1], x[y == 0]
    if not len(ones) or not len(zeros):
        return True  # one class only: b alone drives the loss towards 0
    return bool(zeros.max() <= ones.min() or ones.max() <= zeros.min())


def newton(x: np.ndarray, y: np.ndarray, iterations: int = 100) -> tuple[float, float]:
    """The (w, b) minimising the cross entropy of non-separable data: damped Newton steps.

    Two parameters, so each step solves a 2×2 system; backtracking keeps every step downhill.
    """
    features = np.stack([x, np.ones_like(x)], axis=1)
    mean = np.clip(y.mean(), 1e-12, 1 - 1e-12)
    theta = np.array([0.0, np.log(mean / (1 - mean))])
    loss = cross_entropy(features @ theta, y)
    for _ in range(iterations):
        p = sigmoid(features @ theta)
        gradient = features.T @ (p - y) / len(x)
        hessian = (features.T * (p * (1 - p))) @ features / len(x)
        step = np.linalg.solve(hessian, gradient)
        t = 1.0
        while True:
            trial = theta - t * step
            trial_loss = cross_entropy(features @ trial, y)
            if trial_loss <= loss - 1e-4 * t * (gradient @ step) or t < 1e-12:
                break
            t /= 2
        theta, loss = trial, trial_loss
        if np.abs(gradient).max() < 1e-13:
            break
    return float(theta[0]), float(theta[1])


def towards_separation(x: np.ndarray, y: np.ndarray, loss: float = 0.1) -> tuple[float, float]:
    """On separable data, the point along the separating direction where the loss reaches
    `loss`: where gradient descent heads, a place to frame the landscape around."""
    ones, zeros = x[y == 1], x[y == 0]
    if not len(ones) or not len(zeros):
        return 0.0, float(np.log(1 / loss)) * (1 if len(ones) else -1)
    up = zeros.max() <= ones.min()
    threshold = (zeros.max() + ones.min()) / 2 if up else (ones.max() + zeros.min()) / 2
    sign = 1.0 if up else -1.0
    low, high = 0.0, 1.0
    while cross_entropy(sign * high * (x - threshold), y) > loss and high < 1e12:
        low, high = high, 2 * high
    for _ in range(60):  # bisection: the loss falls monotonically along the ray
        mid = (low + high) / 2
        low, high = (mid, high) if cross_entropy(sign * mid * (x - threshold), y) > loss else (low, mid)
    return float(sign * high), float(-sign * high * threshold)


def safe_lr(x: np.ndarray) -> float:
    """8 / λmax of E[[x², x], [x, 1]]: full-batch gradient descent cannot diverge below it.

    The cross entropy's Hessian is E[σ'(z) [[x², x], [x, 1]]] with σ' ≤ 1/4, so its curvature
    is at most L = λmax/4 everywhere, and gradient descent on an L-smooth convex loss converges
    for any lr < 2/L. Safe, not sharp: the true limit is larger where σ' is below 1/4.
    """
    n = len(x)
    moments = np.array([[x @ x, x.sum()], [x.sum(), n]]) / n
    return float(8 / np.linalg.eigvalsh(moments)[-1])


def accuracy(x: np.ndarray, y: np.ndarray, w: float, b: float) -> float:
    """The share of points on their own class's side of w x + b = 0 (threshold 0.5 on σ)."""
    return float(((w * x + b > 0) == (y == 1)).mean())


def loss_grid(x: np.ndarray, y: np.ndarray, ws: np.ndarray, bs: np.ndarray) -> np.ndarray:
    """The cross entropy for every w in `ws` (columns) and b in `bs` (rows)."""
    if len(x) > GRID_POINTS:
        keep = np.random.default_rng(0).choice(len(x), GRID_POINTS, replace=False)
        x, y = x[keep], y[keep]
    w, b = np.meshgrid(ws, bs)
    return cross_entropy(w[..., None] * x + b[..., None], y)
