"""The line above the charts while a lesson plays or the screen is recorded: the lesson's caption
on the left; on the right ● REC while recording, and what goes on from a wait for the presenter.
Hidden otherwise, so a run with neither looks as it always has."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

GO_ON = "⏎"  # shown while a lesson waits for the presenter's Enter (the help says so)


class CaptionBar(Horizontal):
    """One line: caption, and the marks that say what is going on."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.lesson, self.waiting, self.recording = False, False, False

    def compose(self) -> ComposeResult:
        yield Static(id="caption", markup=False)
        yield Static(id="caption-marks")

    def say(self, caption: str) -> None:
        """A lesson's caption: the bar stays from the first one on."""
        self.lesson = True
        self.query_one("#caption", Static).update(caption)
        self._update()

    def wait(self, waiting: bool) -> None:
        self.waiting = waiting
        self._update()

    def record(self, recording: bool) -> None:
        self.recording = recording
        self._update()

    def _update(self) -> None:
        marks = Text()
        if self.waiting:
            marks.append(f" {GO_ON}", "bold reverse")
        if self.recording:
            marks.append(" ● REC", "bold red")
        self.query_one("#caption-marks", Static).update(marks)
        self.display = self.lesson or self.recording
