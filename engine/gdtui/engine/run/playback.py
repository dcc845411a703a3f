"""The training clock a run or a race is driven by: steps owed at a speed, trained within a budget."""

from __future__ import annotations

import math
from collections.abc import Callable
from time import perf_counter

from gdtui.engine.run.frame import Phase
from gdtui.engine.training.ladder import next_on_ladder

MAX_LADDER_SPEED = 5000.0  # steps per second; one notch faster than this is as fast as it goes
MIN_SPEED = 0.1  # steps per second: one every ten seconds is as slow as it goes
MAX_DEBT = 0.5  # seconds of steps a slow machine may owe before they are dropped
RATE_WINDOW = 0.5  # seconds over which the measured speed is averaged


class Clock:
    """How many steps a speed owes since the last tick; fractions carry over to the next."""

    def __init__(self) -> None:
        self.restart()

    def restart(self) -> None:
        """Forget the last tick: time spent paused is not owed as steps."""
        self._owed = 0.0
        self._last: float | None = None

    def due(self, now: float, speed: float) -> float:
        """Steps owed at `now`; unlimited speed owes math.inf, the first tick after a restart 0."""
        if self._last is None or math.isinf(speed):
            due = math.inf if math.isinf(speed) else 0
            self._owed = 0.0
        else:
            self._owed += speed * (now - self._last)
            due = math.floor(self._owed)
            self._owed -= due
        self._last = now
        return due

    def owe(self, undone: float, speed: float) -> None:
        """What the budget left undone is owed to the next tick, not lost (up to MAX_DEBT)."""
        if math.isfinite(undone):
            self._owed = min(self._owed + undone, speed * MAX_DEBT)


def pull_for(due: float, budget: float, pull: Callable[[], bool]) -> float:
    """Call `pull` up to `due` times within `budget` seconds, until it returns False; return
    how many of the `due` were not pulled.

    One step at a time, so the budget holds even when one step over millions of points takes
    longer than the whole budget.
    """
    deadline = perf_counter() + budget
    while due > 0 and perf_counter() < deadline:
        due -= 1
        if not pull():
            break
    return due


def speed_notch(speed: float, direction: int) -> float:
    """Steps per second one notch up or down the ladder; past MAX_LADDER_SPEED is unlimited."""
    if direction > 0:
        faster = next_on_ladder(speed, 1)
        return math.inf if faster > MAX_LADDER_SPEED else faster
    if math.isinf(speed):
        return MAX_LADDER_SPEED
    return max(MIN_SPEED, next_on_ladder(speed, -1))


class Playback:
    """Running or paused at a speed toward a target, on a Clock: what a Session and a Race share.

    Subclasses say how far they are (`steps_taken`) and whether an overflow stopped them
    (`diverged`); the phase follows from those and from running and finished.
    """

    target: int
    speed: float
    running: bool
    finished: bool

    def __init__(self, target: int, speed: float, running: bool) -> None:
        self.target = target  # steps after which the run pauses as DONE; 0 = no limit
        # Above the ladder's top is as fast as it goes, so speed × seconds stays a float however
        # big the speed asked for (--speed 1e308 and a stop with ctrl+z would overflow it).
        self.speed = math.inf if speed > MAX_LADDER_SPEED else speed
        self.running = running
        self.finished = False  # paused by reaching the target
        self.clock = Clock()
        self._rate: tuple[float, int, float] | None = None  # (time, step, steps/s) measured

    @property
    def steps_taken(self) -> int:
        raise NotImplementedError

    @property
    def diverged(self) -> bool:
        raise NotImplementedError

    @property
    def phase(self) -> Phase:
        if self.diverged:
            return Phase.DIVERGED
        if self.running:
            return Phase.RUNNING
        return Phase.DONE if self.finished else Phase.PAUSED

    @property
    def done(self) -> bool:
        return 0 < self.target <= self.steps_taken

    def toggle(self) -> None:
        """Run or pause; running after DONE goes on past the target."""
        self.running = not self.running
        self.finished = False
        self.clock.restart()

    def pause(self) -> None:
        self.running = self.finished = False

    def speed_notch(self, direction: int) -> None:
        self.speed = speed_notch(self.speed, direction)

    def pull(self) -> bool:
        """One update; False when it overflowed and training must stop."""
        raise NotImplementedError

    def measured_rate(self, now: float) -> float:
        """Steps per second over about the last RATE_WINDOW seconds."""
        step = self.steps_taken
        if self._rate is None or now < self._rate[0]:  # the first frame, or another clock
            self._rate = (now, step, 0.0)
        then, then_step, rate = self._rate
        if now - then >= RATE_WINDOW:
            rate = max(step - then_step, 0) / (now - then)
            self._rate = (now, step, rate)
        return rate

    def steps_to_target(self) -> int | None:
        """How many updates remain before DONE, or None when there is no target ahead."""
        left = self.target - self.steps_taken
        return left if self.target and left > 0 else None

    def tick(self, now: float, budget: float) -> None:
        """Train what the clock owes at `now`, for at most `budget` seconds of `now`'s clock.

        At a finite speed the steps owed are speed × the time since the last tick; unlimited
        speed trains for the whole budget. Reaching the target pauses as DONE; an overflow, as
        DIVERGED.
        """
        if not self.running:
            return
        due = self.clock.due(now, self.speed)
        left = self.steps_to_target()
        self.clock.owe(pull_for(due if left is None else min(due, left), budget, self.pull), self.speed)
        if self.diverged:
            self.running = False
        elif left is not None and self.done:
            self.running, self.finished = False, True
