"""The training generator: one pulled item is one gradient-descent update of the seed's model."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import NamedTuple

import torch

from gdtui.engine.data.dataset import Dataset
from gdtui.engine.theory.conditioning import ADAM_LR, Conditioning
from gdtui.engine.training.hyper import Hyper, is_full_batch
from gdtui.engine.training.models import MODELS, Model
from gdtui.engine.training.moments import MOMENTS_FROM, Moments
from gdtui.engine.training.optimizers import make_rule
from gdtui.engine.training.scaling import Scaling

__all__ = ["Hyper", "Snapshot", "Trainer", "batch_rows", "forward"]

WATCHABLE_SHARE = 10  # watchable_lr: the best lr's 1/10 contracts by 0.9 a step, ~150 steps to w*


def forward(model: Model, x: torch.Tensor, y: torch.Tensor, w: torch.Tensor, b: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """The seed's forward pass: y_pred = x @ w + b (the logits, for the logistic model), and the loss.

    torch.addmm(b, x, w) is that sum as one op and one node for backward: the same float32 values,
    at a few microseconds less a step than the product and the sum apart.
    """
    y_pred = torch.addmm(b, x, w)
    return y_pred, model.loss(y_pred, y)


def batch_rows(generator: torch.Generator, seed: int, step: int, size: int, n: int) -> torch.Tensor | None:
    """The rows of n that update `step` of run `seed` learns from, `size` of them drawn with
    replacement from (seed, step) alone, so a step taken again draws the same; None: all rows."""
    if is_full_batch(size, n):
        return None
    generator.manual_seed((seed * 1_000_003 + step) % 2**64)
    return torch.randint(n, (size,), generator=generator)


class Snapshot(NamedTuple):
    """The state after `step` updates, in plain floats.

    `loss`, `grad_w` and `grad_b` are those the last update came from (measured before it, as
    the seed prints them); `lr`, `optimizer` and `batch_size` are what it used, and `state` is
    the optimizer's own state after it. `diverged` marks a state the engine rolled back to
    because the next update overflowed: every value here is still finite.
    w, b, loss and the gradients are in the data's own units; a standardized run (see
    gdtui.engine.training.scaling) also keeps the parameters it trains, exactly, in `trained`.
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
    trained: tuple[float, float] | None = None


class Trainer:
    """The seed's x @ w + b under a model's loss (the seed's MSE by default), updated by the
    chosen rule.

    It trains on the data as given or standardized (`standardize`: x, and y for the line); w0 and
    b0 are in the coordinates trained.
    """

    def __init__(
        self,
        data: Dataset,
        hyper: Hyper,
        w0: float,
        b0: float = 0.0,
        seed: int = 0,
        model: Model = MODELS["linear"],
        standardize: bool = False,
    ) -> None:
        self.data = data
        self.model = model
        self.hyper = hyper
        self.seed = seed  # mini-batches are drawn from (seed, step): a rewound step redraws its own
        self.w = torch.tensor([[w0]], requires_grad=True)
        self.b = torch.tensor(b0, requires_grad=True)
        self._batches = torch.Generator()
        self._modes: dict[bool, tuple[Scaling, Dataset, Moments | None, Conditioning | None, float]] = {}
        self._coordinates(standardize)
        self._use(hyper.optimizer, ())
        loss = self._backward(*self._batch(0, full=True))
        self.initial = self._snapshot(0, hyper, loss.item(), self.grad(self.w), self.grad(self.b), ())
        self.current = self.previous = self.initial

    @property
    def linear(self) -> bool:
        """The seed's line and its MSE: the model conditioning, standardizing and sums apply to."""
        return self.model.name == "linear"

    def _coordinates(self, standardize: bool) -> None:
        """Train in these coordinates from now on."""
        self.standardized = standardize
        self.scaling, self.trained_data, self._moments, self.conditioning, self.gd_bound = self._mode(standardize)

    def _mode(self, standardize: bool) -> tuple[Scaling, Dataset, Moments | None, Conditioning | None, float]:
        """What training in these coordinates needs, prepared once (O(n), float64)."""
        if standardize not in self._modes:
            scaling = Scaling.standardizing(self.data, y=self.linear) if standardize else Scaling()
            trained = scaling.apply(self.data)
            moments = Moments(trained) if self.linear and len(trained) >= MOMENTS_FROM else None
            conditioning = Conditioning.of(self.data, scaling) if self.linear else None
            gd_bound = conditioning.gd_bound if conditioning else self.model.gd_bound(trained)
            self._modes[standardize] = (scaling, trained, moments, conditioning, gd_bound)
        return self._modes[standardize]

    def conditioning_of(self, standardized: bool) -> Conditioning | None:
        """The line's conditioning in either coordinates, whichever is trained."""
        return self._mode(standardized)[3]

    def gd_bound_of(self, standardized: bool) -> float:
        """Plain gd's bound on the lr in either coordinates, whichever is trained."""
        return self._mode(standardized)[4]

    def standardize(self, on: bool) -> None:
        """Switch coordinates, keeping the current line (mapped into the new ones)."""
        if on != self.standardized:
            self._coordinates(on)
            self.restore(self.current)

    def auto_lr(self) -> float:
        """The best fixed lr for this data, its coordinates and the rule in use (the linear
        model's; for the logistic one, half its safe bound: 1/L, the classic choice)."""
        hyper = self.hyper
        if self.conditioning is not None:
            return self.conditioning.auto_lr(hyper.optimizer, hyper.batch_size, len(self.data))
        if hyper.optimizer == "adam":
            return ADAM_LR
        bound = self.model.rule_bound(self.gd_bound, hyper.optimizer, full_batch=True)
        return bound / 2 if bound else ADAM_LR

    def watchable_lr(self) -> float:
        """An lr whose steps are seen: where the best lr lands at the optimum in a step or a few
        (standardized: the line's κ is 1, the classifier's curvature about 1/4 at most; the full
        batch, gd or momentum), a tenth of it, so the loss falls over tens of steps; elsewhere
        the best lr."""
        best = self.auto_lr()
        full_batch = is_full_batch(self.hyper.batch_size, len(self.data))
        at_once = self.standardized and full_batch and self.hyper.optimizer != "adam"
        return best / WATCHABLE_SHARE if at_once else best

    @staticmethod
    def grad(p: torch.Tensor) -> float:
        assert p.grad is not None  # set by _backward
        return p.grad.item()

    def _snapshot(
        self,
        step: int,
        hyper: Hyper,
        loss: float,
        grad_w: float,
        grad_b: float,
        state: tuple[float, ...],
        identity: bool | None = None,
    ) -> Snapshot:
        """A Snapshot of the parameters now, in the data's units; `identity` is whether the
        scaling is, where the caller knows it (Scaling.identity compares every field)."""
        w, b, scaling = self.w.item(), self.b.item(), self.scaling
        if scaling.identity if identity is None else identity:
            return Snapshot(step, w, b, loss, grad_w, grad_b, hyper.lr, hyper.optimizer, hyper.batch_size, state)
        (w_data, b_data), (gw_data, gb_data) = scaling.to_data(w, b), scaling.grads_to_data(grad_w, grad_b)
        return Snapshot(
            step, w_data, b_data, scaling.loss_to_data(loss), gw_data, gb_data,
            hyper.lr, hyper.optimizer, hyper.batch_size, state, trained=(w, b),
        )

    def _use(self, optimizer: str, state: tuple[float, ...]) -> None:
        self.rule = make_rule(optimizer, [self.w, self.b])
        self.rule.load(state)
        self.rule_name = optimizer

    def picks(self, step: int) -> torch.Tensor | None:
        """The rows that update `step` learns from (drawn again, the same, on a rewind); None: all."""
        return batch_rows(self._batches, self.seed, step, self.hyper.batch_size, len(self.data))

    def _batch(self, step: int, full: bool = False) -> tuple[torch.Tensor, ...]:
        """This step's points (in the coordinates trained), or () for the full batch of a data
        set big enough for Moments."""
        data = self.trained_data
        picks = None if full else self.picks(step)
        if picks is None:
            return () if self._moments else (data.x, data.y)
        return data.x[picks], data.y[picks]

    def _backward(self, x: torch.Tensor | None = None, y: torch.Tensor | None = None) -> torch.Tensor:
        """The loss at the current w, b and its gradients, by autograd: on the points x, y, or
        (none given) from the data's sums."""
        if x is None or y is None:
            assert self._moments is not None  # _batch gives no points only when there are sums
            loss = self._moments.loss(self.w, self.b)
        else:
            _, loss = forward(self.model, x, y, self.w, self.b)
        self.w.grad = self.b.grad = None  # zeroed, so gradients do not accumulate across steps
        loss.backward()
        return loss

    def measure(self) -> tuple[float, float, float]:
        """(loss, ∂loss/∂w, ∂loss/∂b) over every point at the current w, b, in the data's units:
        where the run is now (a Snapshot's loss and gradients are from before its update)."""
        w, b = (p.detach().clone().requires_grad_() for p in (self.w, self.b))
        if self._moments is not None:
            loss = self._moments.loss(w, b)
        else:
            _, loss = forward(self.model, self.trained_data.x, self.trained_data.y, w, b)
        loss.backward()
        grad_w, grad_b = self.scaling.grads_to_data(self.grad(w), self.grad(b))
        return self.scaling.loss_to_data(loss.item()), grad_w, grad_b

    def restore(self, snapshot: Snapshot) -> None:
        """Continue from `snapshot`, bit for bit: its floats hold the float32 values exactly.

        The settings (lr, optimizer, batch size) stay as they are now; the optimizer's state
        comes back when the snapshot was taken with the same optimizer, else it starts afresh.
        A snapshot taken in the other coordinates (standardized or not) gives its line, mapped
        into these, and the optimizer starts afresh: its state is in the other coordinates.
        """
        same_coordinates = (snapshot.trained is not None) == self.standardized
        if same_coordinates:
            w, b = snapshot.trained or (snapshot.w, snapshot.b)
        else:
            w, b = self.scaling.to_trained(snapshot.w, snapshot.b)
        with torch.no_grad():
            self.w.fill_(w)
            self.b.fill_(b)
        same = same_coordinates and snapshot.optimizer == self.hyper.optimizer
        self._use(self.hyper.optimizer, snapshot.state if same else ())
        if not same_coordinates:
            snapshot = snapshot._replace(trained=(self.w.item(), self.b.item()) if self.standardized else None)
        self.current = self.previous = snapshot._replace(diverged=False)

    def run(self) -> Iterator[Snapshot]:
        """Yield one Snapshot per update, for ever; the caller decides when to stop pulling."""
        # Tiny tensors: a second thread only adds hand-over cost. OpenMP's setting is per
        # thread, so it is made here, on the thread that trains.
        torch.set_num_threads(1)
        w, b, grad = self.w, self.b, self.grad
        scaling, identity = self.scaling, self.scaling.identity
        while True:
            hyper = self.hyper
            if hyper.optimizer != self.rule_name:
                self._use(hyper.optimizer, ())  # a new rule starts with fresh state
            if self.scaling is not scaling:  # standardized, or back: asked once per switch, not per step
                scaling, identity = self.scaling, self.scaling.identity
            step = self.current.step + 1
            loss = self._backward(*self._batch(step))
            self.rule.step(hyper.lr)
            # .item() on these one-element tensors is cheaper than stacking them into one.
            snap = self._snapshot(step, hyper, loss.item(), grad(w), grad(b), self.rule.state(), identity)
            if not math.isfinite(snap.loss + snap.grad_w + snap.grad_b + snap.w + snap.b + sum(snap.state)):
                yield self._roll_back(loss_was_finite=math.isfinite(snap.loss))
                continue
            self.previous = self.current
            self.current = snap
            yield snap

    def _roll_back(self, loss_was_finite: bool) -> Snapshot:
        """Undo the update that overflowed and report the last state whose loss was finite."""
        # A non-finite loss means the update before this one already led somewhere unusable.
        good = self.current if loss_was_finite else self.previous
        self.restore(good)
        return good._replace(diverged=True)
