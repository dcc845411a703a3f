"""What a statistician reads off an ordinary least-squares fit, as R's summary(lm) and statsmodels'
OLS give it: each coefficient's standard error, t, p and 95% interval; R², adjusted R², the F test,
RMSE and the design's condition number (statsmodels' definition)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gdtui.engine.regression.design import Design
from gdtui.engine.regression.least_squares import LeastSquares

CONFIDENCE = 0.95


@dataclass(frozen=True)
class Summary:
    """Per coefficient (b first), and for the whole fit."""

    names: tuple[str, ...]  # "intercept", then the columns'
    coefficients: tuple[float, ...]
    std_err: tuple[float, ...]
    t: tuple[float, ...]
    p: tuple[float, ...]
    interval: tuple[tuple[float, float], ...]  # the 95% confidence interval
    r2: float
    adjusted_r2: float
    f: float
    f_p: float
    rmse: float  # sqrt(mean residual²)
    residual_sd: float  # sqrt(Σ residual² / (n - p)): σ's estimate
    condition_number: float  # of [1, X] as given: σmax/σmin (statsmodels: the same, from the Gram matrix)
    rows: int

    @classmethod
    def of(cls, design: Design, fit: LeastSquares) -> Summary:
        from scipy import stats  # the t and F distributions; imported here, only when a summary is asked for

        n, p = len(design.y), design.inputs + 1
        dof = n - p
        sigma2 = fit.residual_sum / dof
        r_inverse = np.linalg.solve(fit.r, np.eye(p))
        std_err = np.sqrt(sigma2 * np.sum(r_inverse**2, axis=1)) / fit.scale
        t = fit.coefficients / std_err
        half = stats.t.ppf(0.5 + CONFIDENCE / 2, dof) * std_err
        total = float(np.sum((design.y - design.y.mean()) ** 2))
        r2 = 1 - fit.residual_sum / total
        f = ((total - fit.residual_sum) / (p - 1)) / sigma2
        singular = np.linalg.svd(np.column_stack([np.ones(n), design.x]), compute_uv=False)
        return cls(
            names=("intercept", *design.names),
            coefficients=tuple(map(float, fit.coefficients)),
            std_err=tuple(map(float, std_err)),
            t=tuple(map(float, t)),
            p=tuple(float(v) for v in 2 * stats.t.sf(np.abs(t), dof)),
            interval=tuple((float(c - h), float(c + h)) for c, h in zip(fit.coefficients, half)),
            r2=r2,
            adjusted_r2=1 - (1 - r2) * (n - 1) / dof,
            f=f,
            f_p=float(stats.f.sf(f, p - 1, dof)),
            rmse=float(np.sqrt(fit.residual_sum / n)),
            residual_sd=float(np.sqrt(sigma2)),
            condition_number=float(singular[0] / singular[-1]),
            rows=n,
        )
