"""The charts of a race: one curve, line and path per run, each run in its own colour and
drawn with its own digit, so the runs stay apart in 16 colours and without colour."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gdtui.charts.fit import FitChart
from gdtui.charts.landscape import LandscapeChart
from gdtui.charts.loss import LossChart
from gdtui.engine.run.frame import Frame, RaceFrame, RunFrame

if TYPE_CHECKING:
    from gdtui.engine.run.history import HistoryView
    from gdtui.engine.training.trainer import Snapshot

RUN_MARKERS = "1234"  # each run's digit, on its curves and at the start of its readout row
RUN_COLORS = ("cyan", "magenta", "yellow", "red")  # of the 16 every terminal has
# plotext calls ANSI yellow "orange": a name it does not know, it draws in the text's own colour.
PLOTEXT_NAMES = {"yellow": "orange"}


def run_style(i: int) -> dict[str, str]:
    return {"marker": RUN_MARKERS[i], "color": PLOTEXT_NAMES.get(RUN_COLORS[i], RUN_COLORS[i])}


def race_of(frame: Frame | None) -> RaceFrame:
    """The race a race chart was shown: the screen gives race charts nothing else."""
    assert isinstance(frame, RaceFrame), "a race chart is shown a race's frame"
    return frame


def drawing_order(frame: Frame | None) -> list[tuple[int, RunFrame]]:
    """The runs, the selected one last: where curves cross, it stays on top."""
    frame = race_of(frame)
    runs = list(enumerate(frame.runs))
    return runs[: frame.selected] + runs[frame.selected + 1 :] + [runs[frame.selected]]


class RaceLossChart(LossChart):
    """Every run's loss on the same axes; the setting changes marked are the selected run's."""

    def curves(self) -> list[tuple[HistoryView, dict[str, str]]]:
        return [(run.frame.history, run_style(i)) for i, run in drawing_order(self.frame)]

    def ranged(self) -> list[bool]:
        """The runs still going: a diverged run's loss (1e35, say) would squash theirs into a
        line at the bottom; its curve leaves the chart at the top instead, its row says DIVERGED."""
        going = [run.diverged_at is None for _, run in drawing_order(self.frame)]
        return going if any(going) else [True] * len(going)

    def marks(self) -> tuple[tuple[int, str], ...]:
        race = race_of(self.frame)
        return race.runs[race.selected].frame.marks


class RaceFitChart(FitChart):
    """The data, the true line, and every run's fitted line."""

    def fits(self) -> list[tuple[tuple[float, float], dict[str, str]]]:
        return [((run.frame.snap.w, run.frame.snap.b), run_style(i)) for i, run in drawing_order(self.frame)]


class RaceLandscapeChart(LandscapeChart):
    """Every run's path over the loss landscape; where each is now, in reverse video."""

    def runs(self) -> list[tuple[HistoryView, Snapshot, dict[str, str], dict[str, str]]]:
        return [
            (run.frame.history, run.frame.snap, run_style(i), {**run_style(i), "style": "inverted"})
            for i, run in drawing_order(self.frame)
        ]
