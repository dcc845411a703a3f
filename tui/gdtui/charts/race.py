"""The charts of a race: one curve, line and path per run, each run in its own colour and
drawn with its own digit, so the runs stay apart in 16 colours and without colour."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gdtui.charts.fit import FitChart
from gdtui.charts.landscape import LandscapeChart
from gdtui.charts.loss import LossChart

if TYPE_CHECKING:
    from gdtui.engine.run.history import HistoryView
    from gdtui.engine.run.race import RaceFrame, RunFrame
    from gdtui.engine.training.trainer import Snapshot

RUN_MARKERS = "1234"  # each run's digit, on its curves and at the start of its readout row
RUN_COLORS = ("cyan", "magenta", "yellow", "red")  # of the 16 every terminal has
# plotext calls ANSI yellow "orange": a name it does not know, it draws in the text's own colour.
PLOTEXT_NAMES = {"yellow": "orange"}


def run_style(i: int) -> dict[str, str]:
    return {"marker": RUN_MARKERS[i], "color": PLOTEXT_NAMES.get(RUN_COLORS[i], RUN_COLORS[i])}


def drawing_order(frame: RaceFrame) -> list[tuple[int, RunFrame]]:
    """The runs, the selected one last: where curves cross, it stays on top."""
    runs = list(enumerate(frame.runs))
    return runs[: frame.selected] + runs[frame.selected + 1 :] + [runs[frame.selected]]


class RaceLossChart(LossChart):
    """Every run's loss on the same axes; the setting changes marked are the selected run's."""

    frame: RaceFrame | None  # type: ignore[assignment]

    def curves(self) -> list[tuple[HistoryView, dict[str, str]]]:
        assert self.frame is not None
        return [(run.frame.history, run_style(i)) for i, run in drawing_order(self.frame)]

    def ranged(self) -> list[bool]:
        """The runs still going: a diverged run's loss (1e35, say) would squash theirs into a
        line at the bottom; its curve leaves the chart at the top instead, its row says DIVERGED."""
        assert self.frame is not None
        going = [run.diverged_at is None for _, run in drawing_order(self.frame)]
        return going if any(going) else [True] * len(going)

    def marks(self) -> tuple[tuple[int, str], ...]:
        assert self.frame is not None
        return self.frame.runs[self.frame.selected].frame.marks


class RaceFitChart(FitChart):
    """The data, the true line, and every run's fitted line."""

    frame: RaceFrame | None  # type: ignore[assignment]

    def fits(self) -> list[tuple[tuple[float, float], dict[str, str]]]:
        assert self.frame is not None
        return [((run.frame.snap.w, run.frame.snap.b), run_style(i)) for i, run in drawing_order(self.frame)]


class RaceLandscapeChart(LandscapeChart):
    """Every run's path over the loss landscape; where each is now, in reverse video."""

    frame: RaceFrame | None  # type: ignore[assignment]

    def runs(self) -> list[tuple[HistoryView, Snapshot, dict[str, str], dict[str, str]]]:
        assert self.frame is not None
        return [
            (run.frame.history, run.frame.snap, run_style(i), {**run_style(i), "style": "inverted"})
            for i, run in drawing_order(self.frame)
        ]
