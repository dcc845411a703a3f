"""The numbers of a fit of several inputs: state, step, lr and speed as one input's readouts give
them; the loss (and the held-out rows'), κ, and how far the farthest coefficient still is."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Static

from gdtui.engine.formats import ahead_text, fit_progress
from gdtui.engine.run.frame import Phase
from gdtui.engine.theory.closeness import TOLERANCE
from gdtui.widgets.readouts import header

if TYPE_CHECKING:
    from gdtui.engine.run.frame import FitFrame


def progress_text(frame: FitFrame) -> str:
    """Converged, or the coefficient farthest from the optimum and the steps this lr still needs."""
    if frame.phase is Phase.DIVERGED:
        best = frame.best_lr[1] if frame.best_lr else math.nan
        return f"diverged: the loss overflowed; - lowers the lr, L takes the best ({best:.3g}), space goes on"
    converged, said = fit_progress(frame.names, frame.errors, frame.l2, TOLERANCE)
    ahead = "" if converged else ahead_text(frame.remaining, frame.lr)
    return f"{said}, {ahead}" if ahead else said


class FitReadouts(Static):
    """Three lines above the charts."""

    @property
    def plain(self) -> str:
        """What the widget shows, as plain text: one line per row (as the other readouts')."""
        return str(self.content)

    def show_loading(self, *, target: int, lr: float | None, speed: float) -> None:
        self.update(header("LOADING", 0, target, lr, speed, width=self.size.width or 80))

    def show(self, frame: FitFrame, link_fps: int | None = None, recording: bool = False) -> None:
        width = self.size.width or 80
        label, best = frame.best_lr or ("best lr", math.nan)
        top = header(
            frame.phase.value, frame.snap.step, frame.target, frame.lr, frame.speed, f" ({label} {best:.3g})",
            measured=frame.measured if frame.phase is Phase.RUNNING else None, link_fps=link_fps, width=width,
            recording=recording,
        )
        loss = Text(f" loss {frame.current.loss:.6g}", "bold")
        if frame.validation_loss is not None:
            loss.append(f"  held out {frame.validation_loss:.6g}", "magenta")
        batch = f"{frame.batch_size} rows a step" if frame.batch_size else "every row"
        loss.append(f"   κ {frame.kappa:.3g}   {frame.optimizer}, {batch}, {len(frame.names) - 1} inputs", "dim")
        style = "bold red" if frame.phase is Phase.DIVERGED else "green" if frame.remaining == 0 else "yellow"
        status = Text(f" {progress_text(frame)}", style)
        self.update(Text("\n").join([top, loss, status]))
