"""A plotext picture shown with gdtui's row widget: rebuilt only when it changed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
from rich.text import Text
from textual.strip import Strip
from textual_plotext import Plot

from gdtui.widgets.rows import RowsWidget

if TYPE_CHECKING:
    from gdtui.engine.run.frame import Frame

# plotext cannot lay out axes, ticks and a legend in less room than this.
MIN_WIDTH, MIN_HEIGHT = 16, 6

Box = tuple[tuple[float, float], tuple[float, float]]  # (x0, x1), (y0, y1)


def clip_polyline(xs: Sequence[float], ys: Sequence[float], box: Box) -> list[tuple[list[float], list[float]]]:
    """The parts of the line through the points (xs, ys) inside `box`, each as its own (xs, ys).

    plotext draws a line cell by cell over its whole span, on screen or not: a diverged run's
    1e30 would take it minutes. Each segment is cut to the box (Liang-Barsky); segments with a
    non-finite end are left out, as a chart must.
    """
    (x0, x1), (y0, y1) = box
    x, y = np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)
    if len(x) == 1:
        inside = x0 <= x[0] <= x1 and y0 <= y[0] <= y1
        return [([float(x[0])], [float(y[0])])] if inside else []
    px, py = x[:-1], y[:-1]
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        dx, dy = np.diff(x), np.diff(y)
        keep = np.isfinite(px) & np.isfinite(py) & np.isfinite(dx) & np.isfinite(dy)
        enter, leave = np.zeros(len(px)), np.ones(len(px))
        start_x, start_y, end_x, end_y = px, py, x[1:], y[1:]
        # Each edge as p t <= q, t running from 0 to 1 along the segment. Where a segment
        # crosses an edge, the edge gives one coordinate exactly and t the other: a line of
        # slope 1e30 still ends on the box's edges, not 1e14 (its rounding) off them.
        edges = ((-dx, px - x0, x0, True), (dx, x1 - px, x1, True), (-dy, py - y0, y0, False), (dy, y1 - py, y1, False))
        for p, q, edge, on_x in edges:
            t = q / p
            keep &= (p != 0) | (q >= 0)  # parallel to this edge and outside it
            cross_x = np.full_like(px, edge) if on_x else px + t * dx
            cross_y = py + t * dy if on_x else np.full_like(py, edge)
            enters, leaves = (p < 0) & (t > enter), (p > 0) & (t < leave)
            enter, leave = np.where(enters, t, enter), np.where(leaves, t, leave)
            start_x, start_y = np.where(enters, cross_x, start_x), np.where(enters, cross_y, start_y)
            end_x, end_y = np.where(leaves, cross_x, end_x), np.where(leaves, cross_y, end_y)
        keep &= enter <= leave
        # The coordinate from t may still round past a corner.
        start_x, end_x = np.clip(start_x, x0, x1), np.clip(end_x, x0, x1)
        start_y, end_y = np.clip(start_y, y0, y1), np.clip(end_y, y0, y1)
    kept = np.flatnonzero(keep)
    # A part goes on while the next segment is kept and this one was not cut at its end.
    goes_on = (np.diff(kept) == 1) & (leave[kept[:-1]] == 1)
    parts = np.split(kept, np.flatnonzero(~goes_on) + 1)
    return [
        ([float(start_x[part[0]]), *end_x[part].tolist()], [float(start_y[part[0]]), *end_y[part].tolist()])
        for part in parts
        if len(part)
    ]


class Chart(RowsWidget):
    """Base for gdtui's charts: subclasses say what the picture depends on, and plot it."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.plt = Plot()
        self.frame: Frame | None = None
        self._drawn: object = None
        self.box: Box | None = None  # the visible range, set by axes()
        self.builds = 0  # pictures built so far: plotext's cost, which a still frame must not pay

    def show(self, frame: Frame) -> None:
        """Show the run as of `frame`."""
        self.frame = frame
        self.redraw()

    def ready(self) -> bool:
        """Whether there is anything to draw yet."""
        return self.frame is not None

    def picture(self) -> object:
        """A value that changes whenever the picture would: equal values skip the rebuild."""
        raise NotImplementedError

    def draw(self, plt: Plot) -> None:
        """Plot the picture: axes() first, then lines through line()."""
        raise NotImplementedError

    def axes(self, xs: tuple[float, float], ys: tuple[float, float]) -> None:
        """The visible range: plotext's limits, and the box every line() is clipped to."""
        self.box = (xs, ys)
        self.plt.xlim(*xs)
        self.plt.ylim(*ys)

    def line(self, xs: Sequence[float], ys: Sequence[float], **style: str) -> None:
        """plt.plot of the parts of the line through (xs, ys) inside the axes: what a line
        costs plotext then stays within the chart's cells, whatever the values."""
        assert self.box is not None, "axes() first"
        for part in clip_polyline(xs, ys, self.box):
            self.plt.plot(*part, **style)
            style.pop("label", None)  # one legend entry, however many parts

    def points(self, xs: Sequence[float], ys: Sequence[float], **style: str) -> None:
        """plt.scatter of the points inside the axes (none off them, none non-finite)."""
        assert self.box is not None, "axes() first"
        (x0, x1), (y0, y1) = self.box
        x, y = np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)
        inside = (x0 <= x) & (x <= x1) & (y0 <= y) & (y <= y1)
        if inside.any():
            self.plt.scatter(x[inside].tolist(), y[inside].tolist(), **style)

    def replot(self, plt: object) -> None:
        """Draw the picture on screen once more, on `plt`: anything that speaks the plotext calls
        the charts make (a PNG's matplotlib axes)."""
        own, box = self.plt, self.box
        # A stand-in for plotext, not a Plot: it speaks only the calls the charts make.
        self.plt = plt  # type: ignore[assignment]  # line(), points() and axes() draw on self.plt
        try:
            self.draw(plt)  # type: ignore[arg-type]
        finally:
            self.plt, self.box = own, box

    def redraw(self) -> None:
        """Rebuild the picture if it changed (plotext costs milliseconds), and show it."""
        if not self.ready() or not self.display:
            return
        width, height = self.size
        picture = (width, height, self.picture())
        if picture == self._drawn:
            return
        self._drawn = picture
        too_small = width < MIN_WIDTH or height < MIN_HEIGHT
        self.show_rows([] if too_small else self._build(width, height))

    def _build(self, width: int, height: int) -> list[Strip]:
        self.builds += 1
        plt = self.plt
        plt.clear_figure()
        plt.plotsize(width, height)
        # plotsize shrinks the plot to the terminal plotext finds on stdout: 24 lines where that
        # is a pipe, as under textual-serve or pytest. The widget is the plot's size, not that
        # (textual-plotext's own widget sets it the same way).
        plt._set_size(width, height)
        plt.theme("clear")  # the terminal's own colours: readable in 16 colours and NO_COLOR
        self.box = None
        self.draw(plt)
        return self.text_rows(self.annotate(Text.from_ansi(plt.build())))

    def annotate(self, text: Text) -> Text:
        """The built picture, with whatever plotext cannot place written over it."""
        return text

    def resized(self) -> None:
        self._drawn = None
        self.redraw()
