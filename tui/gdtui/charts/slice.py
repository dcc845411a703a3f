"""The seed's first picture: the loss along one parameter, the tangent whose slope is the
gradient, where the run is on the curve and where the next update takes it."""

from __future__ import annotations

import math

import numpy as np
from textual_plotext import Plot

from gdtui.charts.chart import Chart
from gdtui.charts.landscape import run_box

CURVE_POINTS = 200
TANGENT_SPAN = 0.15  # the tangent is drawn this fraction of the box to either side of the point


class SliceChart(Chart):
    """loss(w) at the current b (or loss(b) at the current w) for the points the next step uses."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.along = "w"  # or "b"

    def redraw(self) -> None:
        if self.frame is not None and self.frame.explained is None:
            return  # a frame from before this chart was shown: the next one explains the step
        super().redraw()

    def picture(self) -> object:
        assert self.frame is not None
        return self.along, self.frame.explained

    def draw(self, plt: Plot) -> None:
        frame = self.frame
        assert frame is not None and frame.explained is not None
        e = frame.explained
        k = 0 if self.along == "w" else 1
        other = ("b", e.b) if k == 0 else ("w", e.w)
        now, after, slope = (e.w, e.new_w, e.grad[0]) if k == 0 else (e.b, e.new_b, e.grad[1])

        def loss(p):  # the loss along this parameter, the other one held where it is
            return e.loss_at(p, e.b) if k == 0 else e.loss_at(e.w, p)

        shown = [p for p in (now, after) if math.isfinite(loss(p))]  # an overflowing update: not drawn
        low, high = run_box(frame)[k]
        span = (min(low, *shown), max(high, *shown))  # a run far out stays in view
        ps = np.linspace(*span, CURVE_POINTS)
        curve = loss(ps)
        bottom, top = float(curve.min()), float(curve.max())
        room = top - bottom or 1.0
        ys = (max(bottom - 0.05 * room, 0.0), top + 0.4 * room)  # headroom: the legend sits up there

        plt.title(f"loss({self.along}) at {other[0]} {other[1]:.4g} (a: along {other[0]})")
        self.axes(span, ys)
        self.line(ps.tolist(), curve.tolist(), marker="braille", color="cyan")
        reach = TANGENT_SPAN * (span[1] - span[0])
        height = float(loss(now))
        ends = (now - reach, now + reach)
        tangent = [height + slope * (p - now) for p in ends]
        self.line(ends, tangent, marker="braille", color="orange", label=f"slope ∇{self.along} {slope:+.4g}")
        if after in shown:
            plt.scatter([after], [float(loss(after))], marker="○", color="green", label="after the update")
        plt.scatter([now], [height], marker="●", color="red", label="now")  # on top, where they meet
        plt.xlabel(self.along)
