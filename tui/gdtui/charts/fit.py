"""The data as a scatter, the true line it came from, and the fitted line moving over it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from textual_plotext import Plot

from gdtui.charts.chart import Chart
from gdtui.engine.data import dates

if TYPE_CHECKING:
    from gdtui.engine.data.dataset import Dataset
    from gdtui.engine.run.frame import Frame

SCATTER_POINTS = 250  # enough to see the cloud; plotext pays for every point on every build


class FitChart(Chart):
    """Scatter of (a sample of) the data, the true line and the current fit y = w x + b."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.show_optimum = False
        self.data: Dataset | None = None

    def show(self, frame: Frame) -> None:
        if frame.data is not self.data:
            self._sample(frame.data)
        super().show(frame)

    def _sample(self, data: Dataset) -> None:
        """The points drawn, and the box around them: once per data set."""
        self.data = data
        x, y = data.numpy()
        if len(x) > SCATTER_POINTS:
            keep = np.random.default_rng(0).choice(len(x), SCATTER_POINTS, replace=False)
            x, y = x[keep], y[keep]
        self.xs, self.ys = x.tolist(), y.tolist()
        self.x_box = (float(x.min()), float(x.max()) + (0.0 if x.max() > x.min() else 1.0))
        pad = 0.1 * (float(y.max() - y.min()) or 1.0)
        self.y_box = (float(y.min()) - pad, float(y.max()) + pad)
        self.true_line = (data.true_w, data.true_b) if data.true_w is not None and data.true_b is not None else None
        self.titles = (f"{data.source}: {data.y_name} against {data.x_name}", data.source) if data.source else ("data and the fitted line",)
        self.names = data.x_name, data.y_name
        self.x_start = data.x_start

    def fits(self) -> list[tuple[tuple[float, float], dict[str, str]]]:
        """The fitted lines (w, b) to draw, each with its plotext style."""
        assert self.frame is not None
        return [((self.frame.snap.w, self.frame.snap.b), {"marker": "braille", "color": "red", "label": "fit w x + b"})]

    def picture(self) -> object:
        # A fit moves on screen only when an end moves by a braille dot (a quarter row).
        rows = 4 * self.size.height / (self.y_box[1] - self.y_box[0])
        return self.show_optimum, tuple(round((w * x + b) * rows) for (w, b), _ in self.fits() for x in self.x_box)

    def fit_line(self, w: float, b: float, **style: str) -> None:
        """y = w x + b across the chart (a diverging fit, w ~1e30, is clipped like any line)."""
        self.line(self.x_box, [w * x + b for x in self.x_box], **style)

    def draw(self, plt: Plot) -> None:
        assert self.frame is not None
        plt.title(next((t for t in self.titles if len(t) <= self.size.width - 4), self.titles[-1]))
        self.axes(self.x_box, self.y_box)
        plt.scatter(self.xs, self.ys, marker="dot", color="gray", label="data")
        if self.true_line:
            w, b = self.true_line
            self.fit_line(w, b, marker="braille", color="green", label=f"true {w:g}x{b:+g}")
        if self.show_optimum:
            self.fit_line(self.frame.optimum.w, self.frame.optimum.b, marker="braille", color="blue", label="least squares")
        for (w, b), style in self.fits():
            self.fit_line(w, b, **style)
        plt.xlabel(self.names[0])
        plt.ylabel(self.names[1])
        if self.x_start is not None:  # x is years since x_start: label the ticks with dates
            x0, x1 = self.x_box
            ticks = np.linspace(x0, x1, 4 if self.size.width < 60 else 6)
            plt.xticks(ticks.tolist(), [dates.label(self.x_start, t, x1 - x0) for t in ticks])
