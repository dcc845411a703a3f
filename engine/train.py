"""The training generator: one pulled item is one gradient-descent update of the seed's model."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import NamedTuple

import torch

from gdtui.engine.data import Dataset
from gdtui.engine.hyper import Hyper, is_full_batch
from gdtui.engine.models import MODELS, Model
from gdtui.engine.optimizers import make_rule

__all__ = ["Hyper", "Snapshot", "Trainer", "forward"]


def forward(model: Model, x: torch.Tensor, y: torch.Tensor, w: torch.Tensor, b: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """The seed's forward pass: y_pred = x @ w + b (the logits, for the logistic model), and the loss."""
    y_pred = x @ w + b
    return y_pred, model.loss(y_pred, y)


class Snapshot(NamedTuple):
    """The state after `step` updates, in plain floats.

    `loss`, `grad_w` and `grad_b` are those the last update came from (measured before it, as
    the seed prints them); `lr`, `optimizer` and `batch_size` are what it used, and `state` is
    the optimizer's own state after it. `diverged` marks a state the engine rolled back to
    because the next update overflowed: every value here is still finite.
    (A NamedTuple: immutable, and the cheapest record to make once per step.)
    """

    step: int
    w: float
    b: float
    loss: float
    grad_w: float
    grad_b: float
    lr: float
    optimizer: str = "gd"
    batch_size: int = 0
    state: tuple[float, ...] = ()
    diverged: bool = False


class Trainer:
    """The seed's x @ w + b under a model's loss (the seed's MSE by default), updated by the
    chosen rule."""

    def __init__(
        self, data: Dataset, hyper: Hyper, w0: float, b0: float = 0.0, seed: int = 0, model: Model = MODELS["linear"]
    ) -> None:
        self.data = data
        self.model = model
        self.hyper = hyper
        self.seed = seed  # mini-batches are drawn from (seed, step): a rewound step redraws its own
        self.w = torch.tensor([[w0]], requires_grad=True)
        self.b = torch.tensor(b0, requires_grad=True)
        self._batches = torch.Generator()
        self._use(hyper.optimizer, ())
        loss = self._backward(data.x, data.y)
        self.initial = Snapshot(
            0, w0, b0, loss.item(), self.w.grad.item(), self.b.grad.item(), hyper.lr,
            hyper.optimizer, hyper.batch_size,
        )
        self.current = self.previous = self.initial

    def _use(self, optimizer: str, state: tuple[float, ...]) -> None:
        self.rule = make_rule(optimizer, [self.w, self.b])
        self.rule.load(state)
        self.rule_name = optimizer

    def picks(self, step: int) -> torch.Tensor | None:
        """The rows that update `step` learns from (drawn again, the same, on a rewind); None: all."""
        size, n = self.hyper.batch_size, len(self.data)
        if is_full_batch(size, n):
            return None
        self._batches.manual_seed((self.seed * 1_000_003 + step) % 2**64)
        return torch.randint(n, (size,), generator=self._batches)

    def _batch(self, step: int) -> tuple[torch.Tensor, torch.Tensor]:
        picks = self.picks(step)
        if picks is None:
            return self.data.x, self.data.y
        return self.data.x[picks], self.data.y[picks]

    def _backward(self, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        """The seed's forward and backward pass: the loss at the current w, b and its gradients."""
        _, loss = forward(self.model, x, y, self.w, self.b)
        self.w.grad = self.b.grad = None  # zeroed, so gradients do not accumulate across steps
        loss.backward()
        return loss

    def restore(self, snapshot: Snapshot) -> None:
        """Continue from `snapshot`, bit for bit: its floats hold the float32 values exactly.

        The settings (lr, optimizer, batch size) stay as they are now; the optimizer's state
        comes back when the snapshot was taken with the same optimizer, else it starts afresh.
        """
        with torch.no_grad():
            self.w.fill_(snapshot.w)
            self.b.fill_(snapshot.b)
        same = snapshot.optimizer == self.hyper.optimizer
        self._use(self.hyper.optimizer, snapshot.state if same else ())
        self.current = self.previous = snapshot._replace(diverged=False)

    def run(self) -> Iterator[Snapshot]:
        """Yield one Snapshot per update, for ever; the caller decides when to stop pulling."""
        # Tiny tensors: a second thread only adds hand-over cost. OpenMP's setting is per
        # thread, so it is made here, on the thread that trains.
        torch.set_num_threads(1)
        w, b, x, y = self.w, self.b, self.data.x, self.data.y
        while True:
            hyper = self.hyper
            if hyper.optimizer != self.rule_name:
                self._use(hyper.optimizer, ())  # a new rule starts with fresh state
            step = self.current.step + 1
            loss = self._backward(*self._batch(step)) if hyper.batch_size else self._backward(x, y)
            self.rule.step(hyper.lr)
            # .item() on these one-element tensors is cheaper than stacking them into one.
            loss_v, grad_w, grad_b = loss.item(), w.grad.item(), b.grad.item()
            w_v, b_v, state = w.item(), b.item(), self.rule.state()
            if not math.isfinite(loss_v + grad_w + grad_b + w_v + b_v + sum(state)):
                yield self._roll_back(loss_was_finite=math.isfinite(loss_v))
                continue
            self.previous = self.current
            self.current = Snapshot(
                step, w_v, b_v, loss_v, grad_w, grad_b, hyper.lr, hyper.optimizer, hyper.batch_size, state
            )
            yield self.current

    def _roll_back(self, loss_was_finite: bool) -> Snapshot:
        """Undo the update that overflowed and report the last state whose loss was finite."""
        # A non-finite loss means the update before this one already led somewhere unusable.
        good = self.current if loss_was_finite else self.previous
        self.restore(good)
        return good._replace(diverged=True)
