"""A run pulled from a generator of states, one update each: what a run of one input (Session) and
of several (FitRun) share. Stepped, paused and run on, rewound exactly, and after a divergence
(the generator hands back the last finite state, marked) run on from there."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from typing import TYPE_CHECKING, Generic, Protocol, Self, TypeVar

from gdtui.engine.run.playback import Playback

if TYPE_CHECKING:
    from gdtui.engine.training.hyper import Hyper

REWIND_DEPTH = 10_000  # states kept for stepping back; each is a few hundred bytes


class State(Protocol):
    """A Snapshot or a Step: its update count, and whether it is one rolled back to."""

    @property
    def step(self) -> int: ...

    @property
    def diverged(self) -> bool: ...

    def _replace(self, *, diverged: bool) -> Self: ...


StateT = TypeVar("StateT", bound=State)


class Stepped(Playback, Generic[StateT]):
    """The latest state, the ones before it for stepping back, and where a divergence came.
    Subclasses say how a state is recorded for the charts, restored, and gone back to."""

    latest: StateT
    _steps: Iterator[StateT]

    def __init__(self, target: int, speed: float, running: bool) -> None:
        super().__init__(target, speed, running)
        self.past: deque[StateT] = deque(maxlen=REWIND_DEPTH)
        self.diverged_lr: float | None = None  # the lr of the update that overflowed
        self.diverged_at: int | None = None  # the step whose update (or whose loss) overflowed

    if TYPE_CHECKING:  # each run's own property; declared here for the type check alone, so none shadows it

        @property
        def hyper(self) -> Hyper: ...

    @property
    def steps_taken(self) -> int:
        return self.latest.step

    @property
    def diverged(self) -> bool:
        return self.latest.diverged

    def pull(self) -> bool:
        return not self.advance(1).diverged

    def toggle(self) -> None:
        """Run or pause; after a divergence, run again from the last finite state with the
        settings as they are now (lower the lr first, or it overflows again)."""
        if self.latest.diverged:
            self.latest = self.latest._replace(diverged=False)
        super().toggle()

    def step(self, count: int = 1) -> StateT:
        """Pause, then exactly `count` updates (fewer if one diverges)."""
        self.pause()
        return self.advance(count)

    def advance(self, count: int = 1) -> StateT:
        """Pull up to `count` updates; stop early at a divergence."""
        keep, steps, record = self.past.append, self._steps, self._record
        latest = self.latest
        if latest.diverged:  # stepping back to it is not diverging; the states pulled here never are
            latest = latest._replace(diverged=False)
        for _ in range(count):
            snap = next(steps)
            if snap.diverged:
                self.diverged_lr, self.diverged_at = self.hyper.lr, latest.step + 1
                self._go_to(snap)
                return snap
            keep(latest)
            self.latest = latest = snap
            record(snap)
        return self.latest

    def rewind(self) -> bool:
        """Pause, then step back one update, exactly; False when there is nothing earlier kept."""
        self.pause()
        if not self.past:
            return False
        snap = self.past.pop()
        self._restore(snap)
        self._go_to(snap)
        return True

    def _record(self, snap: StateT) -> None:
        """What the charts keep of a new state."""
        raise NotImplementedError

    def _restore(self, snap: StateT) -> None:
        """Train on from `snap`, bit for bit."""
        raise NotImplementedError

    def _go_to(self, snap: StateT) -> None:
        """Show `snap` as the latest state: drop what came after it."""
        raise NotImplementedError
