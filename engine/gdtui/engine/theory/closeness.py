"""How close a run's line is to the optimum: one definition for every ending, the app's and headless.

A coefficient c is at its optimum c* when |c - c*| <= TOLERANCE · its scale, and a run has
converged when both are. A coefficient's scale is |c*| (so the test is relative, as in "within
1e-4 of w*"), but never below FLOOR times its natural scale: how far c moves when the
standardized coefficients move by 1 (σy/σx for the line's w, σy(1 + |x̄|/σx) for its b; the
classifier's without σy). That floor only matters for an optimum so near 0 that relative digits
mean nothing, which float32 training could never meet.

Each coefficient on its own scale: a distance relative to the size of (w*, b*) together let a
large intercept hide a slope 15% off.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

TOLERANCE = 1e-4
FLOOR = 1e-2


@dataclass(frozen=True)
class Closeness:
    optimum: tuple[float, float]  # (w*, b*) in the data's units
    scales: tuple[float, float]  # what each coefficient's error is measured against

    @classmethod
    def of(cls, x: np.ndarray, y: np.ndarray, optimum: tuple[float, float], linear: bool = True) -> Closeness:
        """For the points x, y (float64) and their optimum; `linear`: y is a value, not a label."""
        sx = float(x.std()) or 1.0
        sy = (float(y.std()) or 1.0) if linear else 1.0
        natural = (sy / sx, sy * (1 + abs(float(x.mean())) / sx))
        w_scale, b_scale = (max(abs(c), FLOOR * n) for c, n in zip(optimum, natural, strict=True))
        return cls(optimum, (w_scale, b_scale))

    def errors(self, w: float, b: float) -> tuple[float, float]:
        """Each coefficient's error on its scale: both TOLERANCE or less is converged."""
        return abs(w - self.optimum[0]) / self.scales[0], abs(b - self.optimum[1]) / self.scales[1]

    def off(self, w: float, b: float) -> float:
        """The larger of the two errors."""
        return max(self.errors(w, b))

    def goals(self) -> np.ndarray:
        """The largest error each coefficient may keep, in its units."""
        return TOLERANCE * np.array(self.scales)
