"""What the charts plot, read from the series they hand plotext (not their titles or legends):
the fit is the line at the run's (w, b), the slice's tangent has the gradient along the
parameter sliced, and the loss curve is the run's history."""

from __future__ import annotations

import math
from collections import defaultdict

import pytest

from gdtui.charts.chart import Chart
from gdtui.charts.fit import FitChart
from gdtui.charts.loss import FLOOR, LossChart
from gdtui.charts.slice import SliceChart
from gdtui.cli import make_app, parse_args

Series = tuple[list[float], list[float], dict[str, str]]  # xs, ys and the plotext style


def app_for(*argv: str):
    return make_app(parse_args(["--paused", *argv]))


def spy_on_lines(monkeypatch) -> dict[int, list[Series]]:
    """Every line() each chart (by id()) handed plotext in its latest picture, before clipping."""
    drawn: dict[int, list[Series]] = defaultdict(list)
    line, build = Chart.line, Chart._build

    def spied_line(self, xs, ys, **style) -> None:
        drawn[id(self)].append(([float(x) for x in xs], [float(y) for y in ys], dict(style)))
        line(self, xs, ys, **style)

    def spied_build(self, width, height):
        drawn[id(self)].clear()  # a new picture: only its lines count
        return build(self, width, height)

    monkeypatch.setattr(Chart, "line", spied_line)
    monkeypatch.setattr(Chart, "_build", spied_build)
    return drawn


def in_colour(series: list[Series], colour: str) -> list[Series]:
    return [s for s in series if s[2].get("color") == colour]


def slope_and_height(xs: list[float], ys: list[float], at: float) -> tuple[float, float]:
    """The slope of the straight line through the plotted ends, and its height at x = `at`."""
    slope = (ys[-1] - ys[0]) / (xs[-1] - xs[0])
    return slope, ys[0] + slope * (at - xs[0])


async def test_the_fitted_line_is_drawn_at_the_run_s_w_and_b(monkeypatch) -> None:
    drawn = spy_on_lines(monkeypatch)
    app = app_for()
    async with app.run_test(size=(100, 30)):
        session = app.session
        session.advance(40)
        app.main.draw()
        now, start, best = session.latest, session.trainer.initial, session.optimum
        # Three lines apart: a fit drawn at the start or at the optimum is not this one.
        assert min(abs(now.w - start.w), abs(now.w - best.w)) > 0.2
        fits = in_colour(drawn[id(app.main.query_one(FitChart))], "red")
        assert len(fits) == 1
        xs, ys, _ = fits[0]
        slope, height_at_0 = slope_and_height(xs, ys, 0.0)
        assert slope == pytest.approx(now.w, rel=1e-9)
        assert height_at_0 == pytest.approx(now.b, rel=1e-9, abs=1e-12)

        session.advance(200)  # and it moves with the run
        app.main.draw()
        xs, ys, _ = in_colour(drawn[id(app.main.query_one(FitChart))], "red")[0]
        assert slope_and_height(xs, ys, 0.0) == pytest.approx((session.latest.w, session.latest.b), rel=1e-9)


@pytest.mark.parametrize("along, k", [("w", 0), ("b", 1)])
async def test_the_slice_s_tangent_has_the_slope_of_the_gradient_along_it(monkeypatch, along, k) -> None:
    drawn = spy_on_lines(monkeypatch)
    app = app_for()
    async with app.run_test(size=(100, 30)) as pilot:
        app.session.advance(5)
        await pilot.press("a", *("a" if along == "b" else ()))  # a shows the slice along w; again, along b
        await pilot.pause()
        chart = app.main.query_one(SliceChart)
        assert chart.display and chart.along == along
        e = app.session.explained()
        # The two gradients differ enough that the other one's slope is not this one's.
        assert abs(e.grad[0] - e.grad[1]) > 0.1 * max(abs(e.grad[0]), abs(e.grad[1]))
        tangents = in_colour(drawn[id(chart)], "orange")
        assert len(tangents) == 1
        xs, ys, _ = tangents[0]
        now = (e.w, e.b)[k]
        slope, height = slope_and_height(xs, ys, now)
        assert slope == pytest.approx(e.grad[k], rel=1e-6)

        # The gradient is the loss's own slope along this parameter, at the point the run is at.
        def loss(p: float) -> float:
            return float(e.loss_at(p, e.b) if k == 0 else e.loss_at(e.w, p))

        h = 1e-3 * max(abs(now), 1.0)
        assert slope == pytest.approx((loss(now + h) - loss(now - h)) / (2 * h), rel=1e-3)
        assert height == pytest.approx(loss(now), rel=1e-6)


@pytest.mark.parametrize("log_scale", [True, False])
async def test_the_loss_curve_is_the_run_s_history(monkeypatch, log_scale) -> None:
    drawn = spy_on_lines(monkeypatch)
    app = app_for("--lr", "0.05")
    async with app.run_test(size=(100, 30)) as pilot:
        if not log_scale:
            await pilot.press("g")
        session = app.session
        session.advance(300)
        app.main.draw()
        chart = app.main.query_one(LossChart)
        assert chart.log_scale is log_scale
        curves = in_colour(drawn[id(chart)], "cyan")
        assert len(curves) == 1
        steps, ys, _ = curves[0]
        history = session.history.view()
        loss_at = dict(zip(history.steps, history.losses))
        # From the first step to the newest, and every point plotted is the loss at its step.
        assert steps[0] == history.steps[0] and steps[-1] == history.steps[-1] == 300
        assert steps == sorted(steps) and len(steps) > 20
        expected = [math.log10(max(loss_at[int(s)], FLOOR)) if log_scale else loss_at[int(s)] for s in steps]
        assert ys == pytest.approx(expected, rel=1e-12)
        assert ys[0] > ys[-1]  # this run's loss falls
