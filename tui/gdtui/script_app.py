"""`gdtui run SCRIPT`: the app that watches and steers a user's own training script."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gdtui.app import PacedApp
from gdtui.screens.script import ScriptScreen

if TYPE_CHECKING:
    from gdtui.engine.run.script import ScriptRun
    from gdtui.terminal.pacing import FramePacer


class ScriptApp(PacedApp):
    """Shows a watched script on a ScriptScreen; exits with the script's status (0 when detached
    from it). Made first (its recorder may be started before the script is), then given the run."""

    def attach(self, run: ScriptRun, log: str, log_start: int = 0, pacer: FramePacer | None = None) -> None:
        self.watched = run
        self.main = ScriptScreen(run, log, log_start, pacer)
