"""The race screen: the main screen's clocks and keys, driving a Race; tab picks the run that
the settings keys (+, -, l, o, m) change."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Static

from gdtui.charts.chart import Chart
from gdtui.charts.race import RaceFitChart, RaceLandscapeChart, RaceLossChart
from gdtui.screens.main import BINDINGS, TICK_BUDGET, Loading, MainScreen
from gdtui.widgets.caption_bar import CaptionBar
from gdtui.widgets.keys_footer import KeysFooter
from gdtui.widgets.race_readouts import RaceReadouts, rule_name

if TYPE_CHECKING:
    from gdtui.engine.config import RunConfig
    from gdtui.engine.run.race import Race
    from gdtui.terminal.pacing import FramePacer

# About one run's state, or one run's step taken apart: run it alone for those; the key says so.
NOT_IN_A_RACE = {
    "gradient_check": "the gradient check", "export": "export", "toggle_explain": "explain one step",
    "slice_axis": "the slice chart",
}
# The footer has no room for tab and all of the main screen's keys at 80 columns: ? lists it.
OFF_THE_FOOTER = ("type_lr", "rewind")

RACE_BINDINGS = [
    Binding("tab", "select_run", "Next run", priority=True, tooltip="Select the next run: +, -, l, o and m change it"),
    *(
        dataclasses.replace(binding, show=False) if binding.action in OFF_THE_FOOTER else binding
        for binding in BINDINGS
        if binding.action not in NOT_IN_A_RACE
    ),
    *(
        dataclasses.replace(binding, action=f"not_in_race({binding.action!r})", show=False, tooltip="Of one run: not in a race")
        for binding in BINDINGS
        if binding.action in NOT_IN_A_RACE
    ),
]


class RaceScreen(MainScreen, inherit_bindings=False):
    """Several runs in lockstep: space, n, N, b and r move them all, tab selects one."""

    BINDINGS = RACE_BINDINGS

    def __init__(self, loading: Loading, configs: Sequence[RunConfig], pacer: FramePacer | None = None) -> None:
        super().__init__(loading, pacer=pacer)
        self.names = [rule_name(config.optimizer, config.batch_size) for config in configs]
        # Each run gets a single run's share of training time: three runs at 200 steps/s each
        # cost about 130 ms a second here, more than one run's share holds.
        self.tick_budget = TICK_BUDGET * len(configs)

    def compose(self) -> ComposeResult:
        yield RaceReadouts(self.names, id="readouts")
        yield CaptionBar(id="caption-bar")
        with Horizontal(id="charts"):
            yield RaceLossChart(id="loss-chart")
            yield RaceFitChart(id="fit-chart")
            yield RaceLandscapeChart(id="landscape-chart")
        yield KeysFooter(compact=True)
        yield Static(self.too_small_text, id="too-small")

    def show_frame(self, charts: bool) -> None:
        """The race's frame to the readouts and every chart (no explain view in a race)."""
        frame = self.session.frame(self.clock())
        link_fps = self.pacer.slow_fps() if self.session.running else None
        self.query_one(RaceReadouts).show(frame, link_fps=link_fps, recording=self.recording)
        if charts:
            for chart in self.query(Chart):
                chart.show(frame)

    def action_next_view(self) -> None:
        """Fit ⇄ landscape: the slice is of one run's loss."""
        self._show_view("" if self.query_one("#charts").has_class("-landscape") else "-landscape")

    def action_not_in_race(self, action: str) -> None:
        self.notify(f"{NOT_IN_A_RACE[action]} is of one run: run that one alone (without --compare)", timeout=3)

    def action_run_pause(self) -> None:
        if self.session.diverged:  # every run: space alone would only stop again at once
            self.notify("every run diverged: b steps back before it (tab and - lower a run's lr), r resets", timeout=4)
            return
        super().action_run_pause()

    @property
    def race(self) -> Race:
        from gdtui.engine.run.race import Race

        assert isinstance(self.session, Race), "a race screen drives a race"
        return self.session

    def action_select_run(self) -> None:
        self.race.select_next()
        self.draw()
