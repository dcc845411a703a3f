"""The design: the columns y is regressed on, by name, checked before anything is fitted."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gdtui.engine.config import MAX_DEGREE
from gdtui.engine.data.dataset import Dataset


class DesignError(ValueError):
    """A design that cannot be fitted: one line, naming the column or option."""


@dataclass(frozen=True)
class Design:
    """X (float64, [n, d], no intercept column: b is fitted apart) and y, with each column's name."""

    names: tuple[str, ...]
    x: np.ndarray
    y: np.ndarray
    y_name: str = "y"

    @property
    def inputs(self) -> int:
        return self.x.shape[1]

    @classmethod
    def of(cls, data: Dataset, degree: int = 1) -> Design:
        """The data's columns, or with `degree` K above 1 its one x as x, x^2, ..., x^K; checked."""
        x, y = data.columns()
        names = data.x_names or (data.x_name,)
        if degree > 1:
            if x.shape[1] > 1:
                raise DesignError(f"--degree {degree}: takes one x column, not {x.shape[1]}")
            if degree > MAX_DEGREE:
                raise DesignError(f"--degree {degree}: at most {MAX_DEGREE}")
            x = x[:, 0:1] ** np.arange(1, degree + 1)
            names = (names[0], *(f"{names[0]}^{k}" for k in range(2, degree + 1)))
        design = cls(tuple(names), np.ascontiguousarray(x), y, data.y_name)
        design.check()
        return design

    def split(self, share: float, seed: int) -> tuple[Design, Design]:
        """(the rows to fit, the `share` held out to validate on), drawn from `seed`; both checked."""
        n = len(self.y)
        held = max(1, round(n * share))
        order = np.random.default_rng(seed).permutation(n)
        fit, validate = np.sort(order[held:]), np.sort(order[:held])
        if n - held <= self.inputs + 1:
            raise DesignError(f"--holdout {share:g} keeps {held} of {n} rows, leaving {n - held} to fit {self.inputs + 1} coefficients")
        parts = (Design(self.names, self.x[rows], self.y[rows], self.y_name) for rows in (fit, validate))
        training, validation = parts
        training.check()
        return training, validation

    def loss(self, coefficients: tuple[float, ...]) -> float:
        """mean((X w + b - y)²) at (b, w...), in float64: the validation loss."""
        b, *w = coefficients
        return float(np.mean((self.x @ np.array(w) + b - self.y) ** 2))

    def check(self) -> None:
        """Enough rows for the coefficients, and no column that is the intercept again."""
        n, d = self.x.shape
        if n <= d + 1:
            raise DesignError(f"{n} rows for {d + 1} coefficients (b and {d} inputs): need more rows than coefficients")
        if self.y.min() == self.y.max():
            raise DesignError(f"{self.y_name!r} is constant ({self.y[0]:g} in every row): b alone fits it, nothing to learn")
        for name, column in zip(self.names, self.x.T):
            if column.min() == column.max():
                raise DesignError(f"column {name!r} is constant ({column[0]:g} in every row): it adds nothing b does not")
