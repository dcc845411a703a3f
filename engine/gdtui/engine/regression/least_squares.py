"""The least-squares coefficients, computed so that they can be trusted on hard data.

The normal equations square the design's condition number; numpy.linalg.lstsq with its defaults
loses every digit on NIST's Filip (a degree-10 polynomial). Here the columns of [1, X] are
scaled to unit length, then factored by Householder QR (LAPACK), in float64, and the solution is
refined once against the residual: NIST's certified values to 7 digits and more on Filip.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gdtui.engine.regression.design import Design, DesignError

COLLINEAR = 0.05  # a column whose share of the near-null direction exceeds this is part of it


@dataclass(frozen=True)
class LeastSquares:
    """b and w minimising mean((X w + b - y)²), and how well the design determines them."""

    coefficients: np.ndarray  # b first, then one per column
    residual_sum: float  # Σ (y - X w - b)²
    r: np.ndarray  # R of the scaled [1, X] = Q R: what the statistics' covariance comes from
    scale: np.ndarray  # each column's length: the scaled design's coefficients are these times it
    condition: float  # of the scaled [1, X]: digits lost in solving are about log10 of it

    @classmethod
    def of(cls, design: Design) -> LeastSquares:
        a = np.column_stack([np.ones(len(design.y)), design.x])
        try:
            coefficients, r, scale, condition = solve(a, design.y)
        except np.linalg.LinAlgError:
            raise DesignError(collinear_message(design, a / np.linalg.norm(a, axis=0))) from None
        residual_sum = float(np.sum((design.y - a @ coefficients) ** 2))
        return cls(coefficients, residual_sum, r, scale, condition)


def solve(a: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """min ‖a c - y‖ by QR of a's columns scaled to unit length, refined once: (c, R, the scale,
    the scaled a's condition number). LinAlgError where the columns are collinear to float64's
    precision: no digit of c would mean anything."""
    scale = np.linalg.norm(a, axis=0)
    scaled = a / scale
    q, r = np.linalg.qr(scaled)
    singular = np.linalg.svd(r, compute_uv=False)
    condition = float(singular[0] / singular[-1]) if singular[-1] > 0 else np.inf
    if not condition * np.finfo(np.float64).eps * max(a.shape) < 1:
        raise np.linalg.LinAlgError(f"condition number {condition:.3g}")
    z = np.linalg.solve(r, q.T @ y)
    z += np.linalg.solve(r, q.T @ (y - scaled @ z))  # one refinement: the residual's own solution
    return z / scale, r, scale, condition


def ridge(design: Design, l2: float) -> np.ndarray:
    """b and w minimising mean((X w + b - y)²) + l2 ‖w‖² (b is not penalized), the same way: the
    penalty is √(n l2) times each w's row appended to the design, with 0 for its y."""
    n, d = design.x.shape
    a = np.column_stack([np.ones(n), design.x])
    penalty = np.sqrt(n * l2) * np.eye(d + 1)[1:]
    return solve(np.vstack([a, penalty]), np.concatenate([design.y, np.zeros(d)]))[0]


def collinear_message(design: Design, scaled: np.ndarray) -> str:
    """Which columns (b among them) combine to nothing: the near-null right singular vector's support."""
    _, _, vt = np.linalg.svd(scaled, full_matrices=False)
    null = np.abs(vt[-1])
    names = ("b (the intercept)", *design.names)
    involved = [f"{names[k]!r}" if k else names[k] for k in np.flatnonzero(null > COLLINEAR * null.max())]
    return f"columns {', '.join(involved)} are collinear (one is a combination of the others): drop one of them"
