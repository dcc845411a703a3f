"""The data a run learns from: the seed's synthetic line, and its least-squares optimum."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import torch


@dataclass(frozen=True)
class Dataset:
    """Points (x, y) as float32 column tensors, the shape the seed's `x @ w + b` expects: x is
    [n, 1] for one input, [n, d] for several (their names in `x_names`)."""

    x: torch.Tensor
    y: torch.Tensor
    true_w: float | None = None  # the line the points came from, when known
    true_b: float | None = None
    x_name: str = "x"  # what x and y are called: a CSV file's column names
    y_name: str = "y"
    source: str | None = None  # the file the points came from, when they did
    x_start: datetime | None = None  # when x holds dates: x is years since this one
    x_names: tuple[str, ...] = ()  # with several inputs, each column's name (x_name joins them)
    notes: tuple[str, ...] = ()  # what reading the file noted (rows skipped, ...), for the user to see
    # A file's values as read, in float64; the tensors hold them rounded to float32, which keeps
    # about 7 digits: a longitude of -118.2437 only to 1e-5, enough to move a weak slope by 2e-4.
    read: tuple[np.ndarray, np.ndarray] | None = field(default=None, compare=False, repr=False)

    def __len__(self) -> int:
        return self.x.shape[0]

    @property
    def inputs(self) -> int:
        """How many x columns: 1 for the seed's line."""
        return self.x.shape[1]

    def columns(self) -> tuple[np.ndarray, np.ndarray]:
        """x as an [n, d] float64 matrix and y as a vector, as read where they were: the design
        that least squares and its statistics are computed on."""
        if self.read is not None:
            x, y = self.read
        else:
            x, y = self.x.numpy().astype(np.float64), self.y.numpy().ravel().astype(np.float64)
        return x.reshape(len(self), -1), y

    def numpy(self) -> tuple[np.ndarray, np.ndarray]:
        """x and y as trained on raw: float32."""
        return self.x.numpy().ravel(), self.y.numpy().ravel()

    def float64(self) -> tuple[np.ndarray, np.ndarray]:
        """x and y as float64 vectors, as read where they were: what the closed-form analyses
        (the optimum, the scaling to standardized coordinates) compute in."""
        if self.read is not None:
            return self.read
        x, y = self.numpy()
        return x.astype(np.float64), y.astype(np.float64)


def make_line(
    generator: torch.Generator,
    n: int = 500,
    true_w: float = 3.0,
    true_b: float = 0.8,
    noise: float = 0.0,
) -> Dataset:
    """The seed's data: x ~ U[0, 1), y = true_w * x + true_b (+ Gaussian noise of std `noise`)."""
    x = torch.rand([n, 1], generator=generator)
    y = true_w * x + true_b
    if noise > 0:
        y = y + noise * torch.randn([n, 1], generator=generator)
    return Dataset(x, y, true_w, true_b)


def make_classes(
    generator: torch.Generator,
    n: int = 500,
    true_w: float = 8.0,
    true_b: float = -4.0,
    separable: bool = False,
) -> Dataset:
    """Two classes on a line: x ~ U[0, 1), y ~ Bernoulli(σ(true_w x + true_b)), or, `separable`,
    y = 1 exactly where true_w x + true_b > 0 (no overlap: no finite optimum)."""
    x = torch.rand([n, 1], generator=generator)
    z = true_w * x + true_b
    y = (z > 0).float() if separable else torch.bernoulli(torch.sigmoid(z), generator=generator)
    return Dataset(x, y, true_w, true_b)


def least_squares(data: Dataset) -> tuple[float, float]:
    """The (w*, b*) minimising the mean squared error, in closed form (float64 normal equations)."""
    x, y = data.float64()
    xm, ym = x.mean(), y.mean()
    var = ((x - xm) ** 2).sum()
    w = ((x - xm) * (y - ym)).sum() / var if var > 0 else 0.0
    return float(w), float(ym - w * xm)
