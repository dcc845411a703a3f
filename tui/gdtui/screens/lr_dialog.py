"""A small dialog to type an exact learning rate."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingsMap
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from gdtui import parsing

MAX_LR_LENGTH = 64  # characters: any float fits; a runaway paste or key storm stays cheap to edit
FIELD_KEYS = BindingsMap(Input.BINDINGS).key_to_bindings  # the field's editing keys: backspace, left, ...


class LrScreen(ModalScreen[float | None]):
    """Enter applies a valid lr and closes; an invalid one is explained and nothing changes."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", tooltip="Close without changing lr")]

    def __init__(self, lr: float) -> None:
        super().__init__()
        self.lr = lr

    def compose(self) -> ComposeResult:
        with Vertical(id="lr-dialog"):
            yield Label(f"Learning rate (now {self.lr:g})\nEnter applies, Esc cancels", markup=False)
            yield Input(value=repr(self.lr), id="lr-input", select_on_focus=True, max_length=MAX_LR_LENGTH)
            yield Label("", id="lr-error", markup=False)

    async def take_key(self, event: events.Key) -> bool:
        """Type `event` into the dialog now, in the order the keys came; False if it is not for it.

        Textual hands a key to the field, and an Enter back up to the dialog, through queues of
        their own: in one read (`l0.2⏎n`, a paste, an SSH packet) a key after Enter would reach
        the field before the Enter took effect, and keys before Esc would run as commands once
        the dialog had closed. The app gives every key to the dialog here first, one at a time.
        """
        if not self.is_active:
            return False
        field = self.query_one(Input)
        if event.key == "enter":
            self.submit(field.value)
        elif event.key == "escape":
            self.action_cancel()
        elif event.is_printable and event.character:
            if field.selection.is_empty:
                field.insert_text_at_cursor(event.character)
            else:
                field.replace(event.character, *field.selection)
        elif event.key in FIELD_KEYS:
            await self.app.run_action(FIELD_KEYS[event.key][0].action, field)
        else:
            return False
        return True

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.submit(event.value)

    def submit(self, text: str) -> None:
        """Apply a valid lr and close; explain an invalid one and stay."""
        try:
            lr = parsing.positive(text.strip())
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
