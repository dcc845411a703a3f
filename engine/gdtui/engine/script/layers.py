"""Per-layer health of a model, measured around one optimizer step: how big each layer's
parameters are, how big their gradient, how far the step moved them relative to their size,
and how many of their numbers are no longer finite."""

from __future__ import annotations

import math
from typing import NamedTuple

import torch


class LayerRow(NamedTuple):
    name: str
    size: int  # numbers in the layer's parameters
    norm: float  # ‖parameters‖
    grad_norm: float  # ‖gradient‖ (nan: no gradient)
    ratio: float  # ‖update‖ / ‖parameters‖ at this step (nan: not measured)
    nonfinite: int  # parameters and gradient entries that are nan or inf


def layer_of(name: str) -> str:
    """The layer a parameter belongs to: its module's path (`fc1.weight` -> `fc1`)."""
    return name.rpartition(".")[0] or name


class Layers:
    """The parameters an optimizer steps, named from the model and grouped by layer."""

    def __init__(self, params: list[torch.Tensor], names: dict[int, str]) -> None:
        self.params = params
        grouped: dict[str, list[int]] = {}
        for i, param in enumerate(params):
            grouped.setdefault(layer_of(names.get(id(param), f"param{i}")), []).append(i)
        self.groups = list(grouped.items())

    def before(self) -> list[torch.Tensor]:
        """A copy of the parameters as they are before a step, to measure the step by."""
        with torch.no_grad():
            return [param.detach().clone() for param in self.params]

    def rows(self, before: list[torch.Tensor] | None) -> list[LayerRow]:
        """Each layer's row now; the update ratio from `before` (taken ahead of the step), if given."""
        rows = []
        with torch.no_grad():
            for name, members in self.groups:
                norm2 = grad2 = moved2 = 0.0
                nonfinite = size = 0
                has_grad = False
                for i in members:
                    param = self.params[i].detach()
                    size += param.numel()
                    norm2 += float(torch.linalg.vector_norm(param, dtype=torch.float64)) ** 2  # no copy of the layer
                    nonfinite += int((~torch.isfinite(param)).sum())
                    grad = self.params[i].grad
                    if grad is not None:
                        has_grad = True
                        grad2 += float(torch.linalg.vector_norm(grad, dtype=torch.float64)) ** 2
                        nonfinite += int((~torch.isfinite(grad)).sum())
                    if before is not None:
                        moved2 += float(torch.linalg.vector_norm(param - before[i], dtype=torch.float64)) ** 2
                norm = math.sqrt(norm2)
                ratio = math.sqrt(moved2) / norm if before is not None and norm > 0 else math.nan
                rows.append(LayerRow(name, size, norm, math.sqrt(grad2) if has_grad else math.nan, ratio, nonfinite))
        return rows


def nonfinite_gradient(params: list[torch.Tensor]) -> bool:
    """Whether any gradient holds a nan or an inf: one norm per tensor, one check over them."""
    grads = [p.grad for p in params if p.grad is not None]
    if not grads:
        return False
    return not bool(torch.stack([g.double().norm() for g in grads]).isfinite().all())
