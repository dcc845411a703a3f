"""A screen drawn at the pace the terminal shows it: the built-in runs' screens and a watched script's."""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Static

from gdtui.terminal.pacing import FramePacer


class PacedScreen(Screen[None]):
    """Draws a frame only once the terminal has shown the one before; a key's answer goes first.

    Subclasses say how a frame is shown (`show_frame`) and whether there is anything to show yet
    (`ready`); the app tells the screen when a frame was written and when the terminal answered.
    """

    def __init__(self, pacer: FramePacer | None = None) -> None:
        super().__init__()
        self.pacer = pacer or FramePacer()
        self._ask_terminal = pacer is None  # a given pacer (tests) is told of answers by hand
        self._drawn = False  # a frame was drawn that the next display writes
        self._key_waiting = False  # a key's answer waits for the link
        self._charts_due = False  # the readouts went out alone, ahead of the charts
        self.too_small_text = ""  # set by the app's first Resize, which can come before compose
        self.recording = False  # the screen is recorded, and someone is there to be told: the top line says so

    def ready(self) -> bool:
        """Whether there is a run to show yet."""
        raise NotImplementedError

    def show_frame(self, charts: bool) -> None:
        """The run's frame, taken now, to the readouts and (if `charts`) every chart."""
        raise NotImplementedError

    def show_too_small(self, width: int, height: int, minimum: tuple[int, int]) -> None:
        self.too_small_text = f"terminal too small (need {minimum[0]}×{minimum[1]}, have {width}×{height}); q quits"
        for notice in self.query("#too-small").results(Static):  # none yet before compose: it takes the text then
            notice.update(self.too_small_text)

    def start_pacing(self) -> None:
        """Once there is a run: no status requests where no terminal answers them."""
        if self._ask_terminal and self.app.is_headless:
            self.pacer.asking = False

    def draw(self, charts: bool = True) -> None:
        """One frame to every widget; `charts=False` for just the numbers, for keys that must
        answer at once whatever the charts cost."""
        self._drawn = True
        self.show_frame(charts)

    # Pacing: a frame is drawn only once the terminal has shown the one before (see pacing).

    def tick(self) -> None:
        """The drawing clock, and the next frame once the terminal has shown the last one."""
        if self._key_waiting and self.pacer.may_draw(urgent=True):
            self._key_waiting, self._charts_due = False, True
            self.draw(charts=False)
        elif self.pacer.may_draw():
            self._charts_due = False
            self.draw()

    def answer(self, charts: bool = True) -> None:
        """A key's frame (or DONE, DIVERGED): at once if the link is free; else its readouts
        ahead of the frame on its way, or first once the terminal answers; the charts after."""
        if self.pacer.may_draw():
            self.draw(charts)
        elif self.pacer.may_draw(urgent=True):
            self._charts_due = charts
            self.draw(charts=False)
        else:
            self._key_waiting = True

    def frame_written(self) -> bool:
        """The app has written what was drawn; True if the terminal should now be asked."""
        drawn, self._drawn = self._drawn, False
        return drawn and self.pacer.frame_written()

    def acknowledged(self) -> None:
        """The terminal has answered a status request: everything before it is on the screen."""
        if (self.pacer.acknowledged() or self._charts_due or self._key_waiting) and self.ready():
            self.tick()
