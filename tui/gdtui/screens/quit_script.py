"""q while a watched script runs: stop it, or leave it running unwatched."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label


class QuitScriptScreen(ModalScreen[str | None]):
    """Answers "stop", "detach", or None to go on watching."""

    BINDINGS = [
        Binding("s", "choose('stop')", "Stop", tooltip="Stop the script: KeyboardInterrupt in it, as ctrl+c"),
        Binding("d", "choose('detach')", "Detach", tooltip="Quit gdtui and let the script run on, unwatched"),
        Binding("escape,q", "choose(None)", "Back", tooltip="Go on watching"),
    ]

    def __init__(self, script: str, pid: int, log: str) -> None:
        super().__init__()
        self.script, self.pid, self.log_path = script, pid, log

    def compose(self) -> ComposeResult:
        with Vertical(id="quit-dialog"):
            yield Label(f"Quit gdtui while {self.script} (pid {self.pid}) runs?", id="quit-title", markup=False)
            yield Label("s  stop it: KeyboardInterrupt in the script, as ctrl+c would", markup=False)
            yield Label(f"d  detach: it runs on unwatched, printing to {self.log_path}", markup=False)
            yield Label("Esc  go on watching", markup=False)

    def action_choose(self, choice: str | None) -> None:
        if self.is_active:
            self.dismiss(choice)
