"""The settings keys, the same for every run a person steers: lr, update rule and batch size, each
from the next update, with the lr's changes marked where they happened for the loss chart."""

from __future__ import annotations

from gdtui.engine.training.hyper import BATCH_SIZES, OPTIMIZERS, Hyper, is_full_batch
from gdtui.engine.training.ladder import next_on_ladder

MARKS_KEPT = 100  # the newest setting changes marked on the loss chart


class Steering:
    """Mixed into a run that has `hyper`, `points` and `steps_taken`; keeps `marks`."""

    marks: list[tuple[int, str]]  # (step, "lr 0.02" or "standardized" or "raw x, y") per change

    @property
    def hyper(self) -> Hyper:
        raise NotImplementedError

    @property
    def points(self) -> int:
        raise NotImplementedError

    @property
    def steps_taken(self) -> int:
        raise NotImplementedError

    @property
    def lr(self) -> float:
        return self.hyper.lr

    def change(self, *, lr: float | None = None, optimizer: str | None = None, batch_size: int | None = None) -> None:
        """The one route for new settings: each applies from the next update, nothing resets."""
        hyper = self.hyper
        if lr is not None and lr != hyper.lr:
            hyper.lr = lr
            self._mark(f"lr {lr:g}")
        if optimizer is not None:
            if optimizer not in OPTIMIZERS:
                raise ValueError(f"unknown optimizer {optimizer!r}")
            hyper.optimizer = optimizer
        if batch_size is not None:
            hyper.batch_size = 0 if is_full_batch(batch_size, self.points) else batch_size

    def _mark(self, label: str) -> None:
        step = self.steps_taken
        self.marks = [m for m in self.marks if m[0] < step][1 - MARKS_KEPT :]
        self.marks.append((step, label))

    def next_optimizer(self) -> str:
        """Switch to the next update rule (gd → momentum → adam → gd)."""
        self.change(optimizer=OPTIMIZERS[(OPTIMIZERS.index(self.hyper.optimizer) + 1) % len(OPTIMIZERS)])
        return self.hyper.optimizer

    def next_batch_size(self) -> int:
        """All points → 1 → 8 → 32 → 128 → all points, skipping sizes the data cannot fill."""
        larger = [size for size in BATCH_SIZES if self.hyper.batch_size < size < self.points]
        self.change(batch_size=larger[0] if larger else 0)
        return self.hyper.batch_size

    def lr_notch(self, direction: int) -> bool:
        """lr one notch up (+1) or down (-1) the 1-2-5 ladder; False at its end (the float's)."""
        lr = next_on_ladder(self.lr, direction)
        moved = lr != self.lr
        self.change(lr=lr)
        return moved
