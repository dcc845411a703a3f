"""Why a run crawls or diverges: the loss's Hessian, its condition number, the best fixed lr, and
how many steps a given lr needs to reach the least-squares line.

The MSE of a line is a quadratic in (w, b) whose Hessian H = (2/n)[[Σx², Σx], [Σx, n]] is the
same everywhere. Along each eigenvector of H, full-batch gradient descent multiplies the
distance to the optimum by |1 - lr·λ| per step: the steep direction (λmax) bounds the lr
(2/λmax), the flat one (λmin) sets the pace. κ = λmax/λmin says how far apart they are.

"At w*" means each coefficient within TOLERANCE of its optimum on its own scale (closeness.py).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from gdtui.engine.data.dataset import Dataset, least_squares
from gdtui.engine.theory.closeness import TOLERANCE, Closeness
from gdtui.engine.training.hyper import MOMENTUM
from gdtui.engine.training.scaling import Scaling

ILL_CONDITIONED = 100  # κ above this, with a run this long ahead, deserves advice
LONG_RUN = 100_000  # steps
ADAM_LR = 1e-3  # Adam's published default: its step is about lr per parameter, whatever H is
NEVER = 10**18  # steps: a mode that does not contract still may not matter (its share already within the goal)


def hessian(x: np.ndarray) -> np.ndarray:
    """The MSE's Hessian over (w, b) for points x (float64)."""
    n = len(x)
    return (2 / n) * np.array([[x @ x, x.sum()], [x.sum(), n]])


def momentum_radius(a: np.ndarray | float, beta: float = MOMENTUM) -> np.ndarray:
    """Per-step contraction of heavy-ball momentum along a mode with lr·λ = a: the spectral
    radius of the iteration [[1 + β - a, -β], [1, 0]] on (error now, error before)."""
    a = np.asarray(a, dtype=np.float64)
    trace = 1 + beta - a
    root = np.sqrt(np.maximum(trace * trace - 4 * beta, 0))
    real = (np.abs(trace) + root) / 2  # the larger root, when both are real
    return np.where(trace * trace < 4 * beta, math.sqrt(beta), real)


def best_momentum_lr(low: float, high: float) -> float:
    """The lr at which heavy-ball momentum (β fixed) contracts its slowest mode fastest, for a
    Hessian whose extreme eigenvalues are `low` and `high`.

    When lr·λ fits in [(1-√β)², (1+√β)²] for both extremes, every mode contracts by √β: take the
    geometric middle of that range. Otherwise balance the two ends, by bisection.
    """
    inner, outer = (1 - math.sqrt(MOMENTUM)) ** 2, (1 + math.sqrt(MOMENTUM)) ** 2
    if inner / low <= outer / high:
        return (1 - MOMENTUM) / math.sqrt(low * high)
    left, right = outer / high, inner / low  # slow end too slow at left, fast end at right
    for _ in range(100):
        mid = (left + right) / 2
        if momentum_radius(mid * low) > momentum_radius(mid * high):
            left = mid
        else:
            right = mid
    return (left + right) / 2


def steps_until_within(shares: np.ndarray, rates: np.ndarray, goals: np.ndarray) -> float:
    """The first step at which every coefficient's error is within its goal, when its error
    is made of parts (`shares`: [coefficient, mode], in its units) that shrink by their mode's
    rate per step; inf if a part that matters never shrinks enough."""

    def there(steps: int) -> bool:
        with np.errstate(under="ignore", over="ignore", invalid="ignore"):  # rates past 1 grow to inf
            return bool(np.all(shares @ rates ** float(steps) <= goals))

    if there(0):
        return 0
    if not there(NEVER):  # a mode that does not contract, or a distance past float64's range
        return math.inf
    low, high = 0, 1  # whole numbers: floats past 2**53 could not split the interval, and looped
    while not there(high):
        low, high = high, high * 2
    while high - low > 1:  # bisection: there(high), not there(low)
        middle = (low + high) // 2
        low, high = (low, middle) if there(middle) else (middle, high)
    return high


@dataclass(frozen=True)
class Conditioning:
    """The Hessian of the coordinates trained in, and what it predicts, for one data set."""

    eigenvalues: tuple[float, float]  # λmin, λmax
    eigenvectors: np.ndarray  # columns, in the trained coordinates
    scaling: Scaling
    closeness: Closeness  # how near (w*, b*), in the data's units
    widest_point: float  # max over points of 1 + x², the steepest single point's curvature / 2

    @classmethod
    def of(cls, data: Dataset, scaling: Scaling | None = None) -> Conditioning:
        """Computed once per data set and scaling (None: the data as it is): O(n) in float64."""
        scaling = scaling or Scaling()
        x = scaling.apply(data).numpy()[0].astype(np.float64)
        values, vectors = np.linalg.eigh(hessian(x))
        return cls(
            (float(values[0]), float(values[1])), vectors, scaling, Closeness.of(*data.float64(), least_squares(data)),
            1 + float((x * x).max()),
        )

    @property
    def optimum(self) -> tuple[float, float]:
        return self.closeness.optimum

    @property
    def kappa(self) -> float:
        low, high = self.eigenvalues
        return high / low if low > 0 else math.inf

    @property
    def gd_bound(self) -> float:
        """Full-batch gd converges iff lr < 2/λmax."""
        return 2 / self.eigenvalues[1]

    @property
    def best_gd_lr(self) -> float:
        """2/(λmax + λmin): both extreme modes contract by the same (κ-1)/(κ+1), the least
        any fixed lr achieves for the slower of them."""
        return 2 / sum(self.eigenvalues)

    def best_momentum_lr(self) -> float:
        return best_momentum_lr(*self.eigenvalues)

    def auto_lr(self, optimizer: str, batch_size: int, points: int) -> float:
        """The lr `--lr auto` picks for this rule (see README: conditioning)."""
        if optimizer == "adam":
            return ADAM_LR
        full_batch = not 0 < batch_size < points
        if full_batch:
            return self.best_gd_lr if optimizer == "gd" else self.best_momentum_lr()
        # A mini-batch's Hessian can be as steep as its steepest point's, 2(1 + x²): this lr
        # puts a one-point step exactly on that point's line, so no batch overshoots. Momentum
        # adds up its steps to lr/(1-β) times the gradient: scaled down by as much.
        single = 1 / (2 * self.widest_point)
        return single if optimizer == "gd" else (1 - MOMENTUM) * single

    def rates(self, lr: float, optimizer: str) -> np.ndarray | None:
        """Per-step contraction along each eigenvector (λmin's first), or None where no theory
        gives one (Adam)."""
        with np.errstate(over="ignore"):  # an lr near the largest float: inf, and never arrives
            a = lr * np.array(self.eigenvalues)
        if optimizer == "gd":
            return np.abs(1 - a)
        if optimizer == "momentum":
            return momentum_radius(a)
        return None

    def distance(self, w: float, b: float) -> float:
        """‖(w, b) - (w*, b*)‖ in the data's units."""
        return math.hypot(w - self.optimum[0], b - self.optimum[1])

    def steps_to_optimum(self, lr: float, optimizer: str, w: float, b: float) -> float | None:
        """Predicted full-batch steps from (w, b) (data units) until each coefficient is within
        its tolerance of the optimum.

        The distance from the optimum splits along the Hessian's eigenvectors; each part shrinks
        by its mode's rate per step, and a coefficient's error is at most the sum of its parts:
        the answer is the first step at which that sum is within the goal for both coefficients.
        inf if a mode that matters does not contract, None for Adam. For momentum the rate is
        exact for quadratics but the start-up transient is ignored.
        """
        rates = self.rates(lr, optimizer)
        if rates is None:
            return None
        error = np.array([w - self.optimum[0], b - self.optimum[1]])
        linear = self.scaling.linear
        with np.errstate(over="ignore", invalid="ignore"):  # a diverging run's distance: inf, then never
            parts = self.eigenvectors.T @ np.linalg.solve(linear, error)  # per mode, trained coords
            shares = np.abs(linear @ self.eigenvectors * parts)  # [coefficient, mode], data units
        return steps_until_within(shares, rates, self.closeness.goals())

    def remaining(self, lr: float, optimizer: str, full_batch: bool, w: float, b: float) -> float | None:
        """Steps still needed from (w, b): 0 when there, None where nothing can be predicted
        (Adam, mini-batches)."""
        if self.closeness.off(w, b) <= TOLERANCE:
            return 0
        return self.steps_to_optimum(lr, optimizer, w, b) if full_batch else None

    def crawls(self, remaining: float | None) -> bool:
        """Ill-conditioned and far from done: standardizing (or the best lr) is the fix."""
        return self.kappa > ILL_CONDITIONED and remaining is not None and remaining > LONG_RUN
