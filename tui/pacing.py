"""Frame pacing by acknowledgment: no more frames on their way to the terminal than it can show.

A terminal answers a status report (`ESC [ 6 n`) only after it has processed everything written
before it, so its answer says "every frame up to here is on the screen". After each frame gdtui
asks, and draws the next only once the answer is in: on a slow link frames are skipped instead
of piling up in SSH's and TCP's buffers, where a key's answer would wait behind all of them. A
fast terminal answers within milliseconds, so nothing changes there.

The pacer only decides; the app asks it before drawing and tells it what happened. A terminal
that never answers (a pipe, an odd emulator) is given TIMEOUT seconds, then frames go out on the
draw clock alone and it is not asked again (unless an answer turns up after all).
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

ASK = "\x1b[6n"  # Device Status Report: "where is the cursor?", answered in order
TIMEOUT = 3.0  # seconds without a first answer before the terminal counts as never answering
# Seconds without an answer (from a terminal that has answered) before a frame counts as lost: an
# answer can be lost (an Esc typed just before it arrives swallows it), and the screen must not
# freeze for long; the slowest link measured carries a frame in well under this.
LOST = 4.0
WINDOW = 2.0  # seconds over which frames shown per second are counted
SLOW_FPS = 4  # fewer frames a second than this, while some are held back: the link is slow


class FramePacer:
    """Decides when the next frame may be written; counts the frames that get through."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.asking = True  # each frame is followed by a status request
        self.answered = False  # the terminal has answered at least once
        self.on_the_way = 0  # frames written and not yet acknowledged
        self.since = 0.0  # when the oldest of those was written
        self.held = False  # a frame was held back since the last one went out
        self.shown: deque[float] = deque()  # when recent frames reached the screen
        self.last_held = -WINDOW  # when a frame was last held back

    def may_draw(self, urgent: bool = False) -> bool:
        """May a frame be written now? An urgent one (a key's answer) may follow one on its way."""
        if self.on_the_way:
            waited = self.clock() - self.since
            if not self.answered and waited > TIMEOUT:
                self.asking, self.on_the_way = False, 0  # it never answers: the draw clock alone
            elif self.answered and waited > LOST:
                self.on_the_way = 0
        if not self.asking or self.on_the_way < (2 if urgent else 1):
            return True
        self.held, self.last_held = True, self.clock()
        return False

    def frame_written(self) -> bool:
        """A frame went out; True if the terminal should now be asked for a status report."""
        self.held = False
        if not self.asking:
            self._count(self.clock())
            return False
        if not self.on_the_way:
            self.since = self.clock()
        self.on_the_way += 1
        return True

    def acknowledged(self) -> bool:
        """The terminal answered a status report; True if a frame was held back for it."""
        now = self.clock()
        self.answered = self.asking = True
        if self.on_the_way:
            self.on_the_way -= 1
            self.since = now
            self._count(now)
        return self.held and not self.on_the_way

    def _count(self, now: float) -> None:
        self.shown.append(now)
        while self.shown and self.shown[0] < now - WINDOW:
            self.shown.popleft()

    def slow_fps(self) -> int | None:
        """Frames a second getting through, while frames are held back for fewer than SLOW_FPS."""
        now = self.clock()
        if now - self.last_held > WINDOW:
            return None
        fps = sum(1 for t in self.shown if t >= now - WINDOW) / WINDOW
        return round(fps) if fps < SLOW_FPS else None
