"""Frame pacing by acknowledgment: no more frames on their way to the terminal than it can show.

A terminal answers a status report (`ESC [ 6 n`) only after it has processed everything written
before it, so its answer says "every frame up to here is on the screen". After each frame gdtui
asks, and draws the next only once the answer is in: on a slow link frames are skipped instead
of piling up in SSH's and TCP's buffers, where a key's answer would wait behind all of them. A
fast terminal answers within milliseconds, so nothing changes there.

The pacer only decides; the app asks it before drawing and tells it what happened. An answer
that does not come within TIMEOUT seconds is missed (a terminal that never answers, one that
stops, one that drops or delays its answers): frames then go out on the draw clock alone, and
only after a frame with nothing still unanswered is the terminal asked again (a probe). Pacing
comes back once TRUST probes in a row are answered in time. A terminal that has never answered
is not probed at all (unless an answer turns up after all).

A late answer need not be the terminal's fault on a slow link (a big frame, a resize): the
frames sent on the clock since the miss may have held it up. So the first late answer since the
last one in time puts pacing back on trial: the frame on its way may take up to LOST seconds
(the link carries what was sent on the clock first), the next must be answered in time; if not,
the terminal is late whatever gdtui sends, and the draw clock stays.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

ASK = "\x1b[6n"  # Device Status Report: "where is the cursor?", answered in order
# Seconds an answer may take before it counts as missed. A 32 kbit/s link with a 600 ms round
# trip (simulated) answers within 0.9-1.4 s; a frame that misses on such a link only puts
# pacing on trial (see above).
TIMEOUT = 2.0
LOST = 3 * TIMEOUT  # seconds after which a request is written off: its answer is lost, not late
TRUST = 2  # probes answered in time, one after another, that bring pacing back
WINDOW = 2.0  # seconds over which frames shown per second are counted
SLOW_FPS = 4  # fewer frames a second than this, while some are held back: the link is slow


class FramePacer:
    """Decides when the next frame may be written; counts the frames that go out."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.asking = True  # frames are followed by a status request (False: no terminal to ask)
        self.answered = False  # the terminal has answered at least once
        self.paced = True  # each frame waits for the answer about the one before; else the draw clock
        self.tried = False  # pacing was tried again after a late answer, and no answer since was in time
        self.draining = False  # on trial: the frame on its way waits behind those sent on the clock
        self.asked: deque[float] = deque()  # when each unanswered request went out, oldest first
        self.in_time = 0  # probes answered in time in a row, on the draw clock
        self.held = False  # a frame was held back since the last one went out
        self.shown: deque[float] = deque()  # when recent frames went out
        self.last_held = -WINDOW  # when a frame was last held back

    @property
    def on_the_way(self) -> int:
        """Frames (or probes) written and not yet answered."""
        return len(self.asked)

    def may_draw(self, urgent: bool = False) -> bool:
        """May a frame be written now? An urgent one (a key's answer) may follow one on its way."""
        now = self.clock()
        self._missed(now)
        if not self.paced or self.on_the_way < (2 if urgent else 1):
            return True
        self.held, self.last_held = True, now
        return False

    def _missed(self, now: float) -> None:
        """Requests not answered in time: the draw clock from now on; lost ones written off."""
        if not self.asked or now - self.asked[0] <= (LOST if self.draining else TIMEOUT):
            return
        self.paced, self.in_time, self.draining = False, 0, False
        if not self.answered:  # it never answers: the draw clock alone, no more requests
            self.asking = False
            self.asked.clear()
        while self.asked and now - self.asked[0] > LOST:
            self.asked.popleft()

    def frame_written(self) -> bool:
        """A frame went out; True if the terminal should now be asked for a status report."""
        now = self.clock()
        self.held = False
        self._count(now)
        # On the clock, one probe at a time: an answer then says which request it answers.
        if not self.asking or (not self.paced and self.asked):
            return False
        self.asked.append(now)
        return True

    def acknowledged(self) -> bool:
        """The terminal answered a status report; True if a frame was held back for it."""
        now = self.clock()
        self._missed(now)
        self.answered = self.asking = True
        # Answers come in order; one with nothing asked answers a request given up on.
        late = not self.asked or now - self.asked.popleft() > TIMEOUT
        if self.paced:
            self.tried = self.tried and late
            self.draining = False
            return self.held and not self.asked
        self.in_time = 0 if late else self.in_time + 1
        if self.in_time >= TRUST:
            self.paced, self.tried = True, False
        elif late and not self.tried:  # the frames sent on the clock may have held it up
            self.paced = self.tried = self.draining = True
        return False

    def _count(self, now: float) -> None:
        self.shown.append(now)
        while self.shown and self.shown[0] < now - WINDOW:
            self.shown.popleft()

    def slow_fps(self) -> int | None:
        """Frames a second going out, while frames are held back for fewer than SLOW_FPS."""
        now = self.clock()
        if now - self.last_held > WINDOW:
            return None
        fps = sum(1 for t in self.shown if t >= now - WINDOW) / WINDOW
        return round(fps) if fps < SLOW_FPS else None
