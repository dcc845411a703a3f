"""Standardized coordinates: train on x' = (x - mean x)/std x, y' = (y - mean y)/std y (class
labels keep y as it is), show in the data's own units.

A line y' = w' x' + b' in those coordinates is the line y = w x + b with
    w = (sy/sx) w',   b = my + sy b' - w mx,
so every value a user sees (w, b, loss, gradients) is mapped back with the functions here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from gdtui.engine.data.dataset import Dataset


@dataclass(frozen=True)
class Scaling:
    """The affine map from the coordinates trained to the data's units; identity by default."""

    x_mean: float = 0.0
    x_std: float = 1.0
    y_mean: float = 0.0
    y_std: float = 1.0

    @classmethod
    def standardizing(cls, data: Dataset, y: bool = True) -> Scaling:
        """Mean 0 and std 1 for x, and for y unless `y` is False (class labels stay 0 and 1);
        a constant column keeps std 1: nothing to divide."""
        x_values, y_values = data.float64()
        x_mean, x_std = float(x_values.mean()), float(x_values.std()) or 1.0
        if not y:
            return cls(x_mean, x_std)
        return cls(x_mean, x_std, float(y_values.mean()), float(y_values.std()) or 1.0)

    @property
    def identity(self) -> bool:
        return self == Scaling()

    def apply(self, data: Dataset) -> Dataset:
        """The points in the trained coordinates (float64 arithmetic from the values as read,
        float32 result)."""
        if self.identity:
            return data
        x, y = (torch.from_numpy(a) for a in data.float64())
        return Dataset(
            ((x - self.x_mean) / self.x_std).float().reshape(-1, 1),
            ((y - self.y_mean) / self.y_std).float().reshape(-1, 1),
        )

    @property
    def linear(self) -> np.ndarray:
        """The matrix taking a change of (w', b') to the change of (w, b) it makes."""
        slope = self.y_std / self.x_std
        return np.array([[slope, 0.0], [-slope * self.x_mean, self.y_std]])

    def to_data(self, w: float, b: float) -> tuple[float, float]:
        """(w, b) of the same line in the data's units."""
        if self.identity:
            return w, b
        w_data = self.y_std / self.x_std * w
        return w_data, self.y_mean + self.y_std * b - w_data * self.x_mean

    def to_trained(self, w: float, b: float) -> tuple[float, float]:
        """(w', b') of the line y = w x + b in the trained coordinates."""
        if self.identity:
            return w, b
        return w * self.x_std / self.y_std, (b + w * self.x_mean - self.y_mean) / self.y_std

    def loss_to_data(self, loss: float) -> float:
        """The mean squared error in y's units (y' errors are y errors over std y)."""
        return loss * self.y_std**2

    def grads_to_data(self, grad_w: float, grad_b: float) -> tuple[float, float]:
        """∂loss/∂w and ∂loss/∂b in the data's units, by the chain rule through to_trained."""
        return (
            self.y_std * (self.x_std * grad_w + self.x_mean * grad_b),
            self.y_std * grad_b,
        )
