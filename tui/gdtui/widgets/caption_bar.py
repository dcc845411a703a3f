"""The line above the charts while a lesson plays: its caption, and ⏎ while it waits for the
presenter's Enter. Hidden otherwise, so a run without a lesson looks as it always has."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

GO_ON = " ⏎ "  # shown while a lesson waits for the presenter's Enter (the help says so)


class CaptionBar(Horizontal):
    """One line: the caption, and the mark of a wait."""

    def compose(self) -> ComposeResult:
        yield Static(id="caption", markup=False)
        yield Static(GO_ON, id="caption-wait")

    def say(self, caption: str) -> None:
        """A lesson's caption: the bar stays from the first one on."""
        self.query_one("#caption", Static).update(caption)
        self.display = True

    def wait(self, waiting: bool) -> None:
        self.query_one("#caption-wait").display = waiting
