"""Classification's picture: the two classes as rows of points, the sigmoid of the current w, b
over them, and the decision boundary where it crosses 0.5."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from textual_plotext import Plot

from gdtui.charts.fit import FitChart

if TYPE_CHECKING:
    from gdtui.engine.data.dataset import Dataset

JITTER = 0.12  # each class spreads over a band this high around its label, so overlaps show
CURVE_POINTS = 80


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * z))  # no overflow for any z


class SigmoidChart(FitChart):
    """Points at y = 0 and y = 1 (jittered), σ(w x + b), the boundary x = -b/w, and on `*` the
    optimum's curve."""

    ys: list[float]  # set by FitChart._sample, jittered here

    def _sample(self, data: Dataset) -> None:
        super()._sample(data)
        # The same jitter every frame: a point keeps its place while the curve moves over it.
        offsets = np.random.default_rng(1).uniform(-JITTER, JITTER, len(self.ys))
        self.ys = (np.array(self.ys) + offsets).tolist()
        self.y_box = (-0.25, 1.25)
        self.curve_xs = np.linspace(self.x_box[0], self.x_box[1], CURVE_POINTS)

    def _curve(self, w: float, b: float) -> list[float]:
        return sigmoid(w * self.curve_xs + b).tolist()

    def picture(self) -> object:
        assert self.frame is not None
        # The curve moves on screen only when a point of it moves by a braille dot.
        rows = 4 * self.size.height / (self.y_box[1] - self.y_box[0])
        ends = tuple(round(p * rows) for p in self._curve(self.frame.snap.w, self.frame.snap.b)[::8])
        boundary = self.frame.boundary
        column = None if boundary is None else round(boundary * 2 * self.size.width / (self.x_box[1] - self.x_box[0]))
        return self.show_optimum, ends, column

    def draw(self, plt: Plot) -> None:
        assert self.frame is not None
        frame = self.frame
        titles = self.titles if self.data and self.data.source else ("classes and the sigmoid",)
        plt.title(next((t for t in titles if len(t) <= self.size.width - 4), titles[-1]))
        self.axes(self.x_box, self.y_box)
        plt.scatter(self.xs, self.ys, marker="dot", color="gray", label="data (y 0/1)")
        xs = self.curve_xs.tolist()
        if self.true_line:
            self.line(xs, self._curve(*self.true_line), marker="braille", color="green", label="true σ")
        if self.show_optimum and frame.optimum.finite:
            self.line(xs, self._curve(frame.optimum.w, frame.optimum.b), marker="braille", color="blue", label="optimum")
        self.line(xs, self._curve(frame.snap.w, frame.snap.b), marker="braille", color="red", label="σ(w x + b)")
        boundary = frame.boundary
        if boundary is not None and self.x_box[0] <= boundary <= self.x_box[1]:
            plt.vline(boundary, "red")
        plt.yticks([0, 0.5, 1], ["0", "0.5", "1"])
        plt.xlabel(self.names[0])
        plt.ylabel("p")
