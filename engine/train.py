"""The training generator: one pulled item is one gradient-descent update of the seed's model."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, replace

import torch

from engine.data import Dataset


@dataclass
class Hyper:
    """Settings the generator reads at every step, so a change applies to the next pull."""

    lr: float = 0.01


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The state after `step` updates, in plain floats.

    `loss`, `grad_w` and `grad_b` are those the last update came from (measured before it, as
    the seed prints them); `lr` is the rate it used. `diverged` marks a state the engine rolled
    back to because the next update overflowed: every value here is still finite.
    """

    step: int
    w: float
    b: float
    loss: float
    grad_w: float
    grad_b: float
    lr: float
    diverged: bool = False


class Trainer:
    """The seed's model y = x @ w + b, its MSE loss and its manual update rule."""

    def __init__(self, data: Dataset, hyper: Hyper, w0: float, b0: float = 0.0) -> None:
        self.data = data
        self.hyper = hyper
        self.w = torch.tensor([[w0]], requires_grad=True)
        self.b = torch.tensor(b0, requires_grad=True)
        loss = self._backward()
        self.initial = Snapshot(0, w0, b0, loss.item(), self.w.grad.item(), self.b.grad.item(), hyper.lr)
        self.current = self.previous = self.initial

    def _backward(self) -> torch.Tensor:
        """The seed's forward pass and backward pass: loss at the current w, b and its gradients."""
        y_predict = self.data.x @ self.w + self.b
        loss = (self.data.y - y_predict).pow(2).mean()
        self.w.grad = self.b.grad = None  # zeroed, so gradients do not accumulate across steps
        loss.backward()
        return loss

    def restore(self, snapshot: Snapshot) -> None:
        """Continue from `snapshot`, bit for bit (its floats hold the float32 parameters exactly)."""
        with torch.no_grad():
            self.w.fill_(snapshot.w)
            self.b.fill_(snapshot.b)
        self.current = self.previous = replace(snapshot, diverged=False)

    def run(self) -> Iterator[Snapshot]:
        """Yield one Snapshot per update, for ever; the caller decides when to stop pulling."""
        w, b, hyper = self.w, self.b, self.hyper
        while True:
            loss = self._backward()
            lr = hyper.lr
            with torch.no_grad():
                w -= lr * w.grad
                b -= lr * b.grad
            # .item() on these one-element tensors is cheaper than stacking them into one.
            loss_v, grad_w, grad_b = loss.item(), w.grad.item(), b.grad.item()
            w_v, b_v = w.item(), b.item()
            if not math.isfinite(loss_v + grad_w + grad_b + w_v + b_v):
                yield self._roll_back(loss_was_finite=math.isfinite(loss_v))
                continue
            self.previous = self.current
            self.current = Snapshot(self.current.step + 1, w_v, b_v, loss_v, grad_w, grad_b, lr)
            yield self.current

    def _roll_back(self, loss_was_finite: bool) -> Snapshot:
        """Undo the update that overflowed and report the last state whose loss was finite."""
        # A non-finite loss means the update before this one already led somewhere unusable.
        good = self.current if loss_was_finite else self.previous
        self.restore(good)
        return replace(good, diverged=True)
