"""A watched script's loss: every step's, its smoothed line, and each value it logged (validation
loss, accuracy) beside them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gdtui.charts.loss import LossChart

if TYPE_CHECKING:
    from gdtui.engine.run.history import HistoryView
    from gdtui.engine.run.script import ScriptFrame

LOGGED_COLORS = ("magenta", "green", "blue", "red")


class ScriptLossChart(LossChart):
    """The loss chart, drawn from a ScriptFrame: lr changes marked as in the built-in runs."""

    script: ScriptFrame | None = None

    def show_script(self, frame: ScriptFrame) -> None:
        self.script = frame
        self.redraw()

    def ready(self) -> bool:
        return self.script is not None

    def curves(self) -> list[tuple[HistoryView, dict[str, str]]]:
        assert self.script is not None
        logged = [view for name, view in self.script.logged.items() if name != "epoch"]
        # No legend (it would sit under the lr marks' labels): each curve has the colour of its
        # number in the readouts, each step's loss gray, the smoothed cyan, what was logged after.
        curves = [
            (self.script.history, {"marker": "braille", "color": "gray"}),
            (self.script.smoothed_history, {"marker": "braille", "color": "cyan"}),
        ]
        curves += [(view, {"marker": "braille", "color": color}) for view, color in zip(logged, LOGGED_COLORS)]
        return curves

    def marks(self) -> tuple[tuple[int, str], ...]:
        assert self.script is not None
        return self.script.marks
