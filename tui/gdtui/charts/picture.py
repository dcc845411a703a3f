"""A picture of the charts on screen as a PNG, for slides and reports: each chart draws itself once
more, with its own series, on matplotlib in place of plotext.

The charts speak a small part of plotext's API (title, limits, ticks, labels, plot, scatter,
vline); MatplotlibPlot speaks the same on a matplotlib Axes. matplotlib is optional (the `png`
extra): without it, saving is one PictureError that says how to install it.
"""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from gdtui.charts.landscape import SHADES
from gdtui.engine.data.export import ExportError, create

if TYPE_CHECKING:
    from gdtui.charts.chart import Chart

# plotext's colour names (it calls ANSI yellow "orange") as matplotlib draws them.
COLORS = {
    "cyan": "tab:cyan", "red": "tab:red", "green": "tab:green", "blue": "tab:blue", "magenta": "tab:purple",
    "orange": "tab:orange", "gray": "0.55",
}
POINTS = {"dot": ("o", 9), "●": ("o", 60), "○": ("o", 60), "+": ("P", 90)}  # plotext's marker: matplotlib's, and its size
CHART_SIZE = (6.0, 4.2)  # inches, each chart
DPI = 150


class PictureError(Exception):
    """No picture could be saved; the message says why."""


class MatplotlibPlot:
    """What gdtui's charts call of plotext, drawn on a matplotlib Axes instead."""

    def __init__(self, axes: Any) -> None:
        self.axes = axes
        self.shades: dict[str, list[tuple[float, float]]] = defaultdict(list)  # a landscape's cells, by shade
        self.labels: set[str] = set()  # in the legend already: a line cut in parts is one entry

    def title(self, text: str) -> None:
        self.axes.set_title(text, fontsize=10)

    def xlim(self, low: float, high: float) -> None:
        self.axes.set_xlim(low, high)

    def ylim(self, low: float, high: float) -> None:
        self.axes.set_ylim(low, high)

    def xticks(self, ticks: Sequence[float], labels: Sequence[str] | None = None) -> None:
        self.axes.set_xticks(ticks, labels)

    def yticks(self, ticks: Sequence[float], labels: Sequence[str] | None = None) -> None:
        self.axes.set_yticks(ticks, labels)

    def xlabel(self, text: str) -> None:
        self.axes.set_xlabel(text)

    def ylabel(self, text: str) -> None:
        self.axes.set_ylabel(text)

    def _label(self, label: str | None, marker: str) -> str | None:
        """The legend's entry, once: a race's runs are named by their digit, as on screen."""
        label = label or (f"run {marker}" if marker.isdigit() else None)
        if label in self.labels:
            return None
        if label:
            self.labels.add(label)
        return label

    def plot(
        self, xs: Sequence[float], ys: Sequence[float], marker: str = "braille", color: str = "cyan", label: str | None = None, **_: str
    ) -> None:
        self.axes.plot(xs, ys, color=COLORS.get(color, color), label=self._label(label, marker), linewidth=1.5)

    def vline(self, x: float, color: str = "orange") -> None:
        self.axes.axvline(x, color=COLORS.get(color, color), linewidth=1)

    def scatter(
        self, xs: Sequence[float], ys: Sequence[float], marker: str = "dot", color: str = "gray", label: str | None = None,
        style: str = "", **_: str,
    ) -> None:
        if marker in SHADES:  # a landscape's loss level: shaded as one picture in finish()
            self.shades[marker] += zip(xs, ys)
            return
        # A braille path's points and a race's digits are small dots; where a run is now (drawn
        # inverted on screen) is a large one.
        shape, size = ("o", 70) if style == "inverted" else POINTS.get(marker, ("o", 9))
        filled = COLORS.get(color, color)
        face = "none" if marker == "○" else filled
        edge = "black" if style == "inverted" else filled
        self.axes.scatter(xs, ys, marker=shape, s=size, facecolors=face, edgecolors=edge, label=self._label(label, marker), zorder=3)

    def finish(self) -> None:
        """The landscape's shading under everything, and the legend."""
        if self.shades:
            self._shade()
        if self.axes.get_legend_handles_labels()[0]:
            self.axes.legend(fontsize=8, loc="upper right")

    def _shade(self) -> None:
        import numpy as np

        cells = [(x, y, SHADES.index(mark)) for mark, points in self.shades.items() for x, y in points]
        xs, ys = sorted({x for x, _, _ in cells}), sorted({y for _, y, _ in cells})
        column, row = {x: i for i, x in enumerate(xs)}, {y: i for i, y in enumerate(ys)}
        levels = np.zeros((len(ys), len(xs)))  # cells not shaded are the lowest level, as on screen
        for x, y, level in cells:
            levels[row[y], column[x]] = level
        self.axes.pcolormesh(xs, ys, levels, cmap="Greys", vmin=0, vmax=len(SHADES), shading="nearest", zorder=0)


def save_png(path: str, charts: Sequence[Chart], title: str = "") -> str:
    """The charts, side by side, as a PNG in a new file at `path` (numbered if taken, as `e`
    saves); the name it took. Raises PictureError."""
    try:
        from matplotlib.figure import Figure
    except ImportError:
        raise PictureError("a PNG needs matplotlib: pip install 'gdtui[png]' (or matplotlib)") from None
    if not charts:
        raise PictureError("no chart is on screen to picture")
    figure = Figure(figsize=(CHART_SIZE[0] * len(charts), CHART_SIZE[1]), layout="constrained")
    for chart, axes in zip(charts, figure.subplots(1, len(charts), squeeze=False)[0]):
        plot = MatplotlibPlot(axes)
        chart.replot(plot)
        plot.finish()
    if title:
        figure.suptitle(title, fontsize=11, family="monospace")
    png = io.BytesIO()
    figure.savefig(png, format="png", dpi=DPI)
    try:
        file, name = create(path, new=True)
    except ExportError as error:
        raise PictureError(str(error)) from None
    try:
        with file:
            file.buffer.write(png.getvalue())
    except OSError as error:  # a full disk
        raise PictureError(f"cannot write {name!r}: {error.strerror}") from None
    return name
