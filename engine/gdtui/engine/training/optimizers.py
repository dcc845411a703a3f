"""Update rules: the seed's manual gradient descent, and torch.optim's momentum and Adam.

Each rule can report its state as plain floats and load it back bit for bit, which is what lets
a run rewind or roll back past an overflow exactly.
"""

from __future__ import annotations

import math

import torch

from gdtui.engine.training.hyper import MOMENTUM, OPTIMIZERS


class GradientDescent:
    """The seed's rule: p = p - lr * p.grad, with no state of its own."""

    def __init__(self, params: list[torch.Tensor]) -> None:
        self.params = params

    def step(self, lr: float) -> None:
        for p in self.params:
            assert p.grad is not None  # set by the backward pass just before
            # The seed's `w.data = w.data - rate * w.grad`, same arithmetic, in place.
            p.data.sub_(lr * p.grad)

    def state(self) -> tuple[float, ...]:
        return ()

    def load(self, state: tuple[float, ...]) -> None:
        pass


class TorchOptimizer:
    """A torch.optim optimizer whose per-parameter state is a few one-element tensors."""

    STATE_KEYS = {"momentum": ("momentum_buffer",), "adam": ("step", "exp_avg", "exp_avg_sq")}

    def __init__(self, name: str, params: list[torch.Tensor]) -> None:
        self.params = params
        self.keys = self.STATE_KEYS[name]
        if name == "momentum":
            self.optimizer: torch.optim.Optimizer = torch.optim.SGD(params, lr=0.01, momentum=MOMENTUM)
        else:
            self.optimizer = torch.optim.Adam(params, lr=0.01)

    def step(self, lr: float) -> None:
        for group in self.optimizer.param_groups:
            group["lr"] = lr  # read every step, as the manual rule reads it
        try:
            self.optimizer.step()
        except RuntimeError as error:
            # torch.optim hands lr-scaled factors to float32 kernels as scalars, and one beyond
            # float32's range raises where the manual rule's arithmetic gives inf. It is the same
            # overflow: leave the parameters non-finite, so the trainer rolls the step back (and
            # with it the optimizer's state, which the failed step may have left half made).
            if "overflow" not in str(error):
                raise
            self.optimizer.state.clear()
            with torch.no_grad():
                for p in self.params:
                    p.fill_(math.inf)

    def state(self) -> tuple[float, ...]:
        states = self.optimizer.state
        return tuple(v for p in self.params if p in states for key in self.keys for v in states[p][key].reshape(-1).tolist())

    def load(self, state: tuple[float, ...]) -> None:
        self.optimizer.state.clear()
        values = iter(state)
        for p in self.params if state else ():
            self.optimizer.state[p] = {
                key: torch.tensor(next(values)) if key == "step"
                else torch.tensor([next(values) for _ in range(p.numel())], dtype=p.dtype).reshape(p.shape)
                for key in self.keys
            }


def make_rule(name: str, params: list[torch.Tensor]) -> GradientDescent | TorchOptimizer:
    if name == "gd":
        return GradientDescent(params)
    if name in TorchOptimizer.STATE_KEYS:
        return TorchOptimizer(name, params)
    raise ValueError(f"unknown optimizer {name!r} (choose from {', '.join(OPTIMIZERS)})")


def preload() -> None:
    """Make (and drop) a torch.optim optimizer: the first one imports for about a second."""
    TorchOptimizer("adam", [torch.zeros(1, requires_grad=True)])
