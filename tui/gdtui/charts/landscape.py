"""The loss over a (w, b) grid around the optimum, shaded, with the path taken and where it is now,
in the coordinates trained: the data's own, or standardized x and y (w' and b')."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from textual_plotext import Plot

from gdtui.charts.chart import Chart

if TYPE_CHECKING:
    from gdtui.engine.run.frame import Frame
    from gdtui.engine.run.history import HistoryView
    from gdtui.engine.training.scaling import Scaling
    from gdtui.engine.training.trainer import Snapshot

SHADES = " ·░▒▓"  # low to high loss; readable without colour
PATH_POINTS = 300  # the path is downsampled to this many dots


def run_box(frame: Frame) -> tuple[tuple[float, float], tuple[float, float]]:
    """The ranges of w and b a run is seen in: the optimum in the middle, room for the start
    (or at least ±0.5) and a margin, so the path from one to the other fits. Without a finite
    optimum, the point the loss falls past on its way out stands in for it."""
    return box_around((frame.optimum.w, frame.optimum.b), (frame.start.w, frame.start.b))


def box_around(optimum: tuple[float, float], start: tuple[float, float]) -> tuple[tuple[float, float], tuple[float, float]]:
    (w_star, b_star), (w0, b0) = optimum, start
    half_w = 1.3 * max(abs(w0 - w_star), 0.5)
    half_b = 1.3 * max(abs(b0 - b_star), 0.5)
    return (w_star - half_w, w_star + half_w), (b_star - half_b, b_star + half_b)


class LandscapeChart(Chart):
    """Shaded loss levels (log scale) over w and b; the path as dots; the current point as ●."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._box_for: object = None
        self._cells: tuple[tuple[int, int], list[tuple[str, list[float], list[float]]]] | None = None

    def show(self, frame: Frame) -> None:
        if (frame.data, frame.start, self._scaling(frame)) != self._box_for:
            self._frame_box(frame)
        super().show(frame)

    @staticmethod
    def _scaling(frame: Frame) -> Scaling | None:
        """Standardized coordinates when the run trains in them; None: the data's own."""
        scaling = frame.scaling  # a race's runs share theirs: z and --standardize apply to every run
        return scaling if scaling is not None and not scaling.identity else None

    def _frame_box(self, frame: Frame) -> None:
        scaling = self.scaling = self._scaling(frame)
        self._box_for = (frame.data, frame.start, scaling)
        if scaling is None:
            self.optimum = (frame.optimum.w, frame.optimum.b)
            self.w_box, self.b_box = run_box(frame)
            self.data = frame.data
        else:
            self.optimum = scaling.to_trained(frame.optimum.w, frame.optimum.b)
            self.w_box, self.b_box = box_around(self.optimum, scaling.to_trained(frame.start.w, frame.start.b))
            assert frame.trained_data is not None  # a session sets it with the scaling
            self.data = frame.trained_data
        self._cells = None

    def _trained(self, snap: Snapshot) -> tuple[float, float]:
        """Where a snapshot is in the coordinates shown."""
        if self.scaling is None:
            return snap.w, snap.b
        return snap.trained or self.scaling.to_trained(snap.w, snap.b)

    def _shaded_cells(self, columns: int, rows: int) -> list[tuple[str, list[float], list[float]]]:
        """Cell centres grouped by shade, computed once per chart size (the model's loss, loaded
        with the session already)."""
        if self._cells and self._cells[0] == (columns, rows):
            return self._cells[1]
        assert self.frame is not None
        ws = np.linspace(*self.w_box, columns)
        bs = np.linspace(*self.b_box, rows)
        levels = np.log10(np.maximum(self.frame.model.loss_grid(self.data, ws, bs), 1e-30))
        # Equal areas per shade: the valley and the walls both keep some detail.
        edges = np.quantile(levels, np.linspace(0, 1, len(SHADES) + 1)[1:-1])
        shade = np.searchsorted(edges, levels)
        w_grid, b_grid = np.meshgrid(ws, bs)
        cells = [
            (mark, w_grid[shade == k].tolist(), b_grid[shade == k].tolist())
            for k, mark in enumerate(SHADES)
            if mark != " " and (shade == k).any()
        ]
        self._cells = ((columns, rows), cells)
        return cells

    def runs(self) -> list[tuple[HistoryView, Snapshot, dict[str, str], dict[str, str]]]:
        """Each run's path and where it is now, with the plotext styles of the two."""
        assert self.frame is not None
        path = {"marker": "braille", "color": "cyan", "label": "path"}
        return [(self.frame.history, self.frame.snap, path, {"marker": "●", "color": "red", "label": "now"})]

    def _path(self, history: HistoryView) -> tuple[list[float], list[float]]:
        stride = max(1, len(history) // PATH_POINTS)
        to_trained = self.scaling.to_trained if self.scaling else None
        points = zip(history.ws[::stride], history.bs[::stride], strict=True)
        shown = [to_trained(w, b) if to_trained else (w, b) for w, b in points]
        return [w for w, _ in shown], [b for _, b in shown]

    def picture(self) -> object:
        # A current point moves on screen only when it crosses a cell.
        return self._box_for, tuple(
            (
                round((w - self.w_box[0]) / (self.w_box[1] - self.w_box[0]) * self.size.width),
                round((b - self.b_box[0]) / (self.b_box[1] - self.b_box[0]) * self.size.height),
                len(history),
                history.stride,
            )
            for history, snap, _, _ in self.runs()
            for w, b in [self._trained(snap)]
        )

    def draw(self, plt: Plot) -> None:
        plt.title("loss over w', b' (v: next view)" if self.scaling else "loss landscape (v: next view)")
        self.axes(self.w_box, self.b_box)
        # More cells than characters, so that no column of the canvas is left without one.
        columns, rows = (round(1.5 * max(n, 2)) for n in (self.size.width - 8, self.size.height - 5))
        for mark, ws, bs in self._shaded_cells(columns, rows):
            plt.scatter(ws, bs, marker=mark, color="gray")
        runs = self.runs()
        for history, _, path, _ in runs:
            ws, bs = self._path(history)
            self.points(ws, bs, **path)
        assert self.frame is not None  # redraw() draws only once a frame is shown
        if self.frame.optimum.finite:  # separable classes have none: the valley runs off the chart
            plt.scatter([self.optimum[0]], [self.optimum[1]], marker="+", color="green", label=self.frame.model.optimum_name)
        for _, snap, _, now in runs:
            w, b = self._trained(snap)
            self.points([w], [b], **now)
        plt.xlabel("w' (x, y standardized)" if self.scaling else "w")
        plt.ylabel("b'" if self.scaling else "b")
