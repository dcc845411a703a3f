"""Where a watched script waits before each step: the app's pause, single steps, speed cap and lr.

The script's thread calls `passage()` before every step; the app's commands arrive on another
thread and change what it finds. Running flat out with nothing pending, `passage()` reads one
attribute and returns: the cost a watched step pays for being steerable.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable


class Gate:
    """Lets the script through one step at a time: all of them while running, `allowed` more
    while paused, none once `hold()` is asked (until run or stepped), and all for good once
    released (the app detached or went away)."""

    def __init__(self, *, paused: bool = False, speed: float = math.inf, clock: Callable[[], float] = time.monotonic) -> None:
        self._changed = threading.Condition()
        self.clock = clock
        self.running = not paused
        self.allowed = 0  # steps still to let through while paused
        self.speed = speed  # steps per second at most
        self.released = False  # never wait again
        self.waiting = False  # the script is held here now
        self._last = -math.inf  # when the last step went through
        self._lrs: dict[int | None, float] = {}  # group (None: every group) -> lr asked for
        self.open = not paused and math.isinf(speed)  # the fast path: nothing to wait for

    # The app's side.

    def run(self) -> None:
        with self._changed:
            self.running, self.allowed = True, 0
            self._update()

    def pause(self) -> None:
        with self._changed:
            self.running, self.allowed = False, 0
            self._update()

    def step(self, count: int = 1) -> None:
        """Let exactly `count` more steps through, and hold the one after."""
        with self._changed:
            self.running = False
            self.allowed += count
            self._update()

    def set_speed(self, speed: float) -> None:
        with self._changed:
            self.speed = speed
            self._update()

    def set_lr(self, lr: float, group: int | None = None) -> None:
        """The lr of `group` (every group when None) from the next step on."""
        with self._changed:
            if group is None:
                self._lrs.clear()
            self._lrs[group] = lr

    def release(self) -> None:
        """Let every step through from now on, whatever was asked: nobody is watching."""
        with self._changed:
            self.released = True
            self._update()

    def _update(self) -> None:
        self.open = self.released or (self.running and math.isinf(self.speed))
        self._changed.notify_all()

    # The script's side.

    def passage(self) -> None:
        """Return once the next step may go: at once while open."""
        if self.open:
            return
        with self._changed:
            while True:
                while not (self.released or self.running or self.allowed):
                    self.waiting = True
                    self._changed.wait()
                self.waiting = False
                wait = self._last + 1 / self.speed - self.clock()
                if self.released or wait <= 0:
                    break
                # The speed cap's wait, cut short by any change (a pause, a step, a new speed):
                # then everything is asked again, so a step let through by n is exactly one.
                self._changed.wait(wait)
            if not (self.released or self.running):
                self.allowed -= 1
        self._last = self.clock()

    def lrs(self) -> dict[int | None, float]:
        """The lrs asked for since the last call (group None: every group), taken."""
        if not self._lrs:
            return {}
        with self._changed:
            asked, self._lrs = self._lrs, {}
        return asked
