"""A run the app can drive: pull steps, change settings, rewind, reset; with what its charts need."""

from __future__ import annotations

from collections import deque

from gdtui.engine.analysis import rule_bound, stable_lr
from gdtui.engine.data import least_squares
from gdtui.engine.history import History
from gdtui.engine.hyper import OPTIMIZERS, Hyper
from gdtui.engine.train import Snapshot, Trainer

REWIND_DEPTH = 10_000  # snapshots kept for stepping back; each is a few hundred bytes


class Session:
    """One Trainer, its generator, its latest snapshot, its history and its lr changes."""

    def __init__(self, trainer: Trainer, target: int) -> None:
        self.trainer = trainer
        self.target = target  # steps after which the app pauses as DONE; 0 = no limit
        self.history = History()
        self.past: deque[Snapshot] = deque(maxlen=REWIND_DEPTH)
        self.lr_marks: list[tuple[int, float]] = []  # (step, new lr) for every change
        self.optimum = least_squares(trainer.data)
        self._gd_bound = stable_lr(trainer.data)  # once: the readouts ask 10 times a second
        self.diverged_lr: float | None = None  # the lr of the update that overflowed
        self.latest: Snapshot = trainer.initial
        self._steps = trainer.run()

    @property
    def hyper(self) -> Hyper:
        return self.trainer.hyper

    @property
    def stable_lr(self) -> float | None:
        """Below this lr the current update rule converges on this data (None: no known bound)."""
        full_batch = not 0 < self.hyper.batch_size < len(self.trainer.data)
        return rule_bound(self._gd_bound, self.hyper.optimizer, full_batch)

    @property
    def lr(self) -> float:
        return self.trainer.hyper.lr

    @lr.setter
    def lr(self, value: float) -> None:
        if value != self.trainer.hyper.lr:
            self.trainer.hyper.lr = value
            self.lr_marks = [m for m in self.lr_marks if m[0] < self.latest.step][-99:]
            self.lr_marks.append((self.latest.step, value))

    def next_optimizer(self) -> str:
        """Switch to the next update rule (gd → momentum → adam → gd); it applies next step."""
        self.hyper.optimizer = OPTIMIZERS[(OPTIMIZERS.index(self.hyper.optimizer) + 1) % len(OPTIMIZERS)]
        return self.hyper.optimizer

    @property
    def done(self) -> bool:
        return 0 < self.target <= self.latest.step

    def advance(self, count: int = 1) -> Snapshot:
        """Pull up to `count` updates; stop early at a divergence."""
        add, keep = self.history.add, self.past.append
        for _ in range(count):
            snap = next(self._steps)
            if snap.diverged:
                self.diverged_lr = self.hyper.lr
                self._go_to(snap)
                break
            keep(self.latest._replace(diverged=False))  # stepping back to it is not diverging
            self.latest = snap
            add(snap.step, snap.loss, snap.w, snap.b)
        return self.latest

    def steps_to_target(self) -> int | None:
        """How many updates remain before DONE, or None when there is no target ahead."""
        left = self.target - self.latest.step
        return left if self.target and left > 0 else None

    def rewind(self) -> bool:
        """Step back one update, exactly; False when there is nothing earlier kept."""
        if not self.past:
            return False
        snap = self.past.pop()
        self.trainer.restore(snap)
        self._go_to(snap)
        return True

    def reset(self) -> None:
        """Back to step 0 and the initial w and b; the data and the current settings stay."""
        self.past.clear()
        self.history.clear()  # and its stride: a long run's thinning must not hide the new one
        self.trainer.restore(self.trainer.initial)
        self._go_to(self.trainer.initial)

    def _go_to(self, snap: Snapshot) -> None:
        """Show `snap` as the latest state: drop what came after it from the charts' records."""
        while self.past and self.past[-1].step >= snap.step:
            self.past.pop()
        self.latest = snap
        self.history.truncate(snap.step)
        self.lr_marks = [m for m in self.lr_marks if m[0] <= snap.step]
