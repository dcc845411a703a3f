"""The training clock a run or a race is driven by: steps owed at a speed, trained within a budget."""

from __future__ import annotations

import math
from collections.abc import Callable
from time import perf_counter

from gdtui.engine.ladder import next_on_ladder

MAX_LADDER_SPEED = 5000.0  # steps per second; one notch faster than this is as fast as it goes
MIN_SPEED = 0.1  # steps per second: one every ten seconds is as slow as it goes
MAX_DEBT = 0.5  # seconds of steps a slow machine may owe before they are dropped


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
