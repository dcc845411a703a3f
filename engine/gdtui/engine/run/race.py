"""Several runs on the same data from the same start, stepped in lockstep: a race between
update rules or learning rates, driven by the same keys and clock as a single run."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields

from gdtui.engine.config import DEFAULT_SPEED, RunConfig
from gdtui.engine.data.dataset import Dataset
from gdtui.engine.run.frame import Frame, RaceFrame, RunFrame
from gdtui.engine.run.playback import Playback
from gdtui.engine.run.race_specs import run_name
from gdtui.engine.run.session import Session
from gdtui.engine.run.start import draw, trainer_for
from gdtui.engine.theory.closeness import TOLERANCE
from gdtui.engine.theory.conditioning import Conditioning
from gdtui.engine.training.hyper import Hyper, is_full_batch


class Race(Playback):
    """Sessions over one Dataset, one update each per step, sharing the step count and a phase.

    A run whose update overflows stops there, DIVERGED, while the others go on; stepping back
    past that step brings it back. It answers the same calls a Session does for moving through
    the run (tick, toggle, step, rewind, reset, speed_notch, frame); settings (change, lr_notch,
    next_optimizer, next_batch_size) go to the selected run.
    """

    def __init__(
        self, sessions: Sequence[Session], target: int = 0, speed: float = DEFAULT_SPEED, running: bool = False
    ) -> None:
        super().__init__(target, speed, running)
        self.sessions = tuple(sessions)
        self.selected = 0
        self.optimum = self.sessions[0].optimum
        closeness = self.sessions[0].closeness
        assert closeness is not None, "a race is of lines, which always have a least-squares optimum"
        self.closeness = closeness
        self.step_count = 0
        self.reached: list[int | None] = [None] * len(self.sessions)
        self.diverged_at: list[int | None] = [None] * len(self.sessions)

    # The runs, and the one the settings keys act on.

    @property
    def live(self) -> list[int]:
        """The runs still going (not diverged)."""
        return [i for i, at in enumerate(self.diverged_at) if at is None]

    def name(self, i: int) -> str:
        """Run i's name from its settings now: `momentum 0.05`, `gd 0.1 b32`."""
        hyper = self.sessions[i].hyper
        return run_name(hyper.optimizer, hyper.lr, 0 if is_full_batch(hyper.batch_size, self.sessions[i].points) else hyper.batch_size)

    @property
    def chosen(self) -> Session:
        return self.sessions[self.selected]

    def select_next(self) -> int:
        self.selected = (self.selected + 1) % len(self.sessions)
        return self.selected

    @property
    def lr(self) -> float:
        return self.chosen.lr

    def change(self, *, lr: float | None = None, optimizer: str | None = None, batch_size: int | None = None) -> None:
        self.chosen.change(lr=lr, optimizer=optimizer, batch_size=batch_size)

    def lr_notch(self, direction: int) -> bool:
        return self.chosen.lr_notch(direction)

    @property
    def hyper(self) -> Hyper:
        return self.chosen.hyper

    def auto_lr(self) -> float:
        """The selected run takes the best fixed lr for its rule."""
        return self.chosen.auto_lr()

    @property
    def best_lr_label(self) -> str:
        return self.chosen.best_lr_label

    @property
    def conditioning(self) -> Conditioning | None:
        return self.chosen.conditioning

    @property
    def standardized(self) -> bool:
        return self.chosen.standardized

    def standardize(self, on: bool) -> None:
        """Every run on the same coordinates, so the race stays one of update rules alone."""
        for session in self.sessions:
            session.standardize(on)

    def next_optimizer(self) -> str:
        return self.chosen.next_optimizer()

    def next_batch_size(self) -> int:
        return self.chosen.next_batch_size()

    # Moving through the race.

    @property
    def steps_taken(self) -> int:
        return self.step_count

    @property
    def diverged(self) -> bool:
        """Every run has diverged: the race as a whole stops."""
        return not self.live

    def step(self, count: int = 1) -> None:
        """Pause, then exactly `count` lockstep updates (fewer if every run diverges)."""
        self.pause()
        for _ in range(count):
            if not self.pull():
                break

    def pull(self) -> bool:
        """One update of every run still going; False when none is left to go on."""
        live = self.live
        if not live:
            return False
        self.step_count += 1
        for i in live:
            self._advance(i)
        return bool(self.live)

    def _advance(self, i: int) -> None:
        session = self.sessions[i]
        snap = session.advance(1)
        if snap.diverged:
            self.diverged_at[i] = session.diverged_at
        elif self.reached[i] is None and self.closeness.off(snap.w, snap.b) <= TOLERANCE:  # converged's definition
            self.reached[i] = snap.step

    def rewind(self) -> bool:
        """Pause, then every run one step back, exactly; a run that diverged on that step goes
        on again. False when there is nothing earlier kept."""
        self.pause()
        if self.step_count == 0 or not all(self.sessions[i].past for i in self.live):
            return False
        self.step_count -= 1
        for i, session in enumerate(self.sessions):
            at = self.diverged_at[i]
            if at is None or at > self.step_count:
                self.diverged_at[i] = None
                session.rewind()  # a diverged run stopped a step or two early: it catches up below
                while session.latest.step < self.step_count and self.diverged_at[i] is None:
                    self._advance(i)
            if (self.reached[i] or 0) > self.step_count:
                self.reached[i] = None
        return True

    def reset(self) -> None:
        """Every run back to step 0; the data and each run's current settings stay."""
        for session in self.sessions:
            session.reset()
        self.finished = False
        self.step_count = 0
        self.reached = [None] * len(self.sessions)
        self.diverged_at = [None] * len(self.sessions)

    def frame(self, now: float, explain: bool = False) -> RaceFrame:
        """Every run's frame, and the selected one's as the race's (no explain view in a race:
        it takes one run's step apart)."""
        runs = tuple(RunFrame(session.frame(now), self.reached[i], self.diverged_at[i]) for i, session in enumerate(self.sessions))
        chosen = runs[self.selected].frame
        shared = {field.name: getattr(chosen, field.name) for field in fields(Frame)}
        shared.update(phase=self.phase, target=self.target, speed=self.speed)
        return RaceFrame(**shared, step=self.step_count, selected=self.selected, runs=runs)


def start_race(
    configs: Sequence[RunConfig], data: Dataset | None = None, *, speed: float = DEFAULT_SPEED, running: bool = False
) -> Race:
    """A Race of `configs` (the same data and seed, other settings apart) over one Dataset from
    one start: the first run draws the data and w0 exactly as it would alone, and the others
    share both."""
    data, w0 = draw(configs[0], data)  # w0 in the coordinates trained, as each run's own set-up reads it
    trainers = [trainer_for(config, data, w0) for config in configs]
    return Race([Session(t) for t in trainers], target=configs[0].steps, speed=speed, running=running)
