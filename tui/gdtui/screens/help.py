"""The `?` screen: every key of the app, from the app's own bindings."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

INTRO = (
    "gdtui fits y = w x + b by gradient descent, one update per step: "
    "w -= lr * ∂loss/∂w, b -= lr * ∂loss/∂b."
)


class HelpScreen(ModalScreen[None]):
    """Lists the main screen's bindings with their keys; any of ?, Esc, Enter or q closes it."""

    BINDINGS = [
        Binding("question_mark,escape,enter,q", "app.pop_screen", "Close", tooltip="Close this help")
    ]

    def __init__(self, bindings: list[Binding]) -> None:
        super().__init__()
        self.bindings = bindings

    def compose(self) -> ComposeResult:
        keys = Text()
        for binding in self.bindings:
            shown = ", ".join(self.app.get_key_display(Binding(key, "")) for key in binding.key.split(","))
            keys.append(f"{shown:<7}", "bold")
            keys.append(f" {binding.tooltip or binding.description}\n")
        with VerticalScroll(id="help-dialog"):
            yield Static(INTRO, id="help-intro")
            yield Static(keys)
            yield Static("? / Esc / Enter close this help", id="help-close")
