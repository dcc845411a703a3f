"""The screen of several inputs: the main screen's clocks and keys driving a FitRun, the loss on the
left and, on the right, what v cycles through: the coefficient table, predicted against actual,
residuals against fitted, a polynomial's curve, and the loss over two coefficients (p picks them)."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Static

from gdtui.charts.chart import Chart
from gdtui.charts.many import CurveChart, FitLossChart, PairLandscapeChart, PredictedChart, ResidualChart, fit_of
from gdtui.screens.main import BINDINGS, Loading, MainScreen
from gdtui.widgets.caption_bar import CaptionBar
from gdtui.widgets.coefficient_table import CoefficientTable
from gdtui.widgets.fit_readouts import FitReadouts
from gdtui.widgets.keys_footer import KeysFooter

if TYPE_CHECKING:
    from gdtui.engine.run.fit import FitRun
    from gdtui.terminal.pacing import FramePacer

# About one line's own picture or one step taken apart: the key says so, with what to do instead.
NOT_WITH_MANY = {
    "gradient_check": "the gradient check", "toggle_explain": "explain one step", "slice_axis": "the slice chart",
    "toggle_optimum": "the least-squares line (the curve view and the table show least squares)",
}
WIDE = 120  # columns from which the table leaves room for the loss chart beside it

FIT_BINDINGS = [
    *(
        dataclasses.replace(binding, tooltip="Next view: table → predicted → residuals → (curve) → landscape")
        if binding.action == "next_view" else binding
        for binding in BINDINGS
        if binding.action not in NOT_WITH_MANY
    ),
    Binding("p", "next_pair", "Pair", show=False, priority=True, tooltip="Landscape: the next two coefficients"),
    Binding("k", "l2(1)", "λ up", show=False, priority=True, tooltip="Ridge: λ one notch up (from 0 to 0.001), from the next step"),
    Binding("K", "l2(-1)", "λ down", show=False, priority=True, tooltip="Ridge: λ one notch down (to 0: least squares)"),
    *(
        dataclasses.replace(binding, action=f"not_with_many({binding.action!r})", show=False, tooltip="Of one input: not here")
        for binding in BINDINGS
        if binding.action in NOT_WITH_MANY
    ),
]


class FitScreen(MainScreen, inherit_bindings=False):
    """Drives a FitRun; its readouts, table and charts are shown FitFrames."""

    BINDINGS = FIT_BINDINGS

    def __init__(
        self, loading: Loading, degree: int = 1, export_path: str | None = None, pacer: FramePacer | None = None
    ) -> None:
        super().__init__(loading, export_path, pacer=pacer)
        self.views = ("-table", "-predicted", "-residuals", *(("-curve",) if degree > 1 else ()), "-landscape")

    def compose(self) -> ComposeResult:
        yield FitReadouts(id="readouts", classes="-fit")
        yield CaptionBar(id="caption-bar")
        with Horizontal(id="charts", classes="-table"):
            yield FitLossChart(id="loss-chart")
            yield CoefficientTable(id="table")
            yield PredictedChart(id="predicted-chart")
            yield ResidualChart(id="residual-chart")
            yield CurveChart(id="curve-chart")
            yield PairLandscapeChart(id="pair-chart")
        yield KeysFooter(compact=True)
        yield Static(self.too_small_text, id="too-small")

    def show_loading(self) -> None:
        first = self.first
        self.query_one(FitReadouts).show_loading(target=first.target, lr=first.lr, speed=first.speed)

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < WIDE, "-narrow")

    @property
    def fit(self) -> FitRun:
        from gdtui.engine.run.fit import FitRun

        assert isinstance(self.session, FitRun), "the screen of several inputs drives a FitRun"
        return self.session

    def recorded(self) -> FitRun:
        return self.fit

    def show_frame(self, charts: bool) -> None:
        frame = fit_of(self.session.frame(self.clock()))
        link_fps = self.pacer.slow_fps() if self.session.running else None
        self.query_one(FitReadouts).show(frame, link_fps=link_fps, recording=self.recording)
        if charts:
            table = self.query_one(CoefficientTable)
            if table.display:
                table.show(frame)
            for chart in self.query(Chart):
                chart.show(frame)  # a hidden chart keeps the frame and builds nothing

    def action_next_view(self) -> None:
        charts = self.query_one("#charts")
        now = next((view for view in self.views if charts.has_class(view)), self.views[0])
        self._show(self.views[(self.views.index(now) + 1) % len(self.views)])

    def action_next_pair(self) -> None:
        names = fit_of(self.session.frame(self.clock())).names
        i, j = self.fit.select_pair()
        self.notify(f"landscape over {names[i]} and {names[j]}", timeout=2, markup=False)
        self._show("-landscape")

    def _show(self, view: str) -> None:
        charts = self.query_one("#charts")
        charts.remove_class(*self.views)
        charts.add_class(view)
        self.call_after_refresh(self.answer)  # once the view shown has its size

    def action_l2(self, direction: int) -> None:
        l2 = self.fit.l2_notch(direction)
        self.notify(f"ridge λ {l2:g}: loss + λ‖w‖², from the next step" if l2 else "λ 0: least squares", timeout=3, markup=False)
        self.answer()

    def action_standardize(self) -> None:
        on = not self.session.standardized
        self.session.standardize(on)
        state = "every column and y standardized" if on else "the data as it is"
        self.notify(f"training on {state} from the next step", timeout=3, markup=False)
        self.draw()

    def action_not_with_many(self, action: str) -> None:
        self.notify(f"{NOT_WITH_MANY[action]} is of one input: not with several", timeout=3, markup=False)
