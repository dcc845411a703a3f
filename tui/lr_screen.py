"""A small dialog to type an exact learning rate."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from gdtui import values

MAX_LR_LENGTH = 64  # characters: any float fits; a runaway paste or key storm stays cheap to edit


class LrScreen(ModalScreen[float | None]):
    """Enter applies a valid lr and closes; an invalid one is explained and nothing changes."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", tooltip="Close without changing lr")]

    def __init__(self, lr: float) -> None:
        super().__init__()
        self.lr = lr

    def compose(self) -> ComposeResult:
        with Vertical(id="lr-dialog"):
            yield Label(f"Learning rate (now {self.lr:g}); Enter applies, Esc cancels", markup=False)
            yield Input(value=repr(self.lr), id="lr-input", select_on_focus=True, max_length=MAX_LR_LENGTH)
            yield Label("", id="lr-error", markup=False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        try:
            lr = values.positive(event.value.strip())
        except ValueError as error:
            self.query_one("#lr-error", Label).update(Text(f"lr {error}"))
            return
        self._close(lr)

    def on_input_changed(self) -> None:
        self.query_one("#lr-error", Label).update("")

    def action_cancel(self) -> None:
        self._close(None)

    def _close(self, lr: float | None) -> None:
        # Two Enters (or Enter and Esc) in one read ask twice: only the first closes this dialog,
        # and dismiss() would otherwise pop whichever screen is on top by then.
        if self.is_active:
            self.dismiss(lr)
