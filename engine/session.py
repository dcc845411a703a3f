"""A run the app can drive: pull steps, change lr, reset, with the history its charts need."""

from __future__ import annotations

from engine.analysis import stable_lr
from engine.data import least_squares
from engine.history import LossHistory
from engine.train import Snapshot, Trainer


class Session:
    """One Trainer, its generator, its latest snapshot and its loss history."""

    def __init__(self, trainer: Trainer, target: int) -> None:
        self.trainer = trainer
        self.target = target  # steps after which the app pauses as DONE; 0 = no limit
        self.history = LossHistory()
        self.stable_lr = stable_lr(trainer.data)  # full-batch GD converges iff lr < this
        self.optimum = least_squares(trainer.data)
        self.latest: Snapshot = trainer.initial
        self._steps = trainer.run()

    @property
    def lr(self) -> float:
        return self.trainer.hyper.lr

    @lr.setter
    def lr(self, value: float) -> None:
        self.trainer.hyper.lr = value

    @property
    def done(self) -> bool:
        return 0 < self.target <= self.latest.step

    def advance(self, count: int = 1) -> Snapshot:
        """Pull up to `count` updates; stop early at a divergence."""
        add = self.history.add
        for _ in range(count):
            snap = next(self._steps)
            self.latest = snap
            if snap.diverged:
                self.history.truncate(snap.step)
                break
            add(snap.step, snap.loss)
        return self.latest

    def steps_to_target(self) -> int | None:
        """How many updates remain before DONE, or None when there is no target ahead."""
        left = self.target - self.latest.step
        return left if self.target and left > 0 else None

    def reset(self) -> None:
        """Back to step 0 and the initial w and b; the data and the current lr stay."""
        self.trainer.restore(self.trainer.initial)
        self.latest = self.trainer.initial
        self.history.clear()
