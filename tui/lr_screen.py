"""A small dialog to type an exact learning rate."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from gdtui import values


class LrScreen(ModalScreen[float | None]):
    """Enter applies a valid lr and closes; an invalid one is explained and nothing changes."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", tooltip="Close without changing lr")]

    def __init__(self, lr: float) -> None:
        super().__init__()
        self.lr = lr

    def compose(self) -> ComposeResult:
        with Vertical(id="lr-dialog"):
            yield Label(f"Learning rate (now {self.lr:g}); Enter applies, Esc cancels")
            yield Input(value=repr(self.lr), id="lr-input", select_on_focus=True)
            yield Label("", id="lr-error")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        try:
            lr = values.positive(event.value.strip())
        except ValueError as error:
            self.query_one("#lr-error", Label).update(f"lr {error}")
            return
        self.dismiss(lr)

    def on_input_changed(self) -> None:
        self.query_one("#lr-error", Label).update("")

    def action_cancel(self) -> None:
        self.dismiss(None)
