"""The charts of several inputs, drawn live as the coefficients train: the loss (and the held-out
rows' beside it), predicted against actual, residuals against fitted, a polynomial's curve over
its data, and the loss over any two coefficients with the others held where they are now."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from textual_plotext import Plot

from gdtui.charts.chart import Chart
from gdtui.charts.landscape import SHADES, box_around
from gdtui.charts.loss import LossChart
from gdtui.engine.run.frame import FitFrame, Frame

if TYPE_CHECKING:
    from gdtui.engine.run.history import HistoryView

CURVE_POINTS = 80  # x values the polynomial is drawn through
MOVES = 200  # a point moves on screen when it moves by about 1/MOVES of its box: finer is not seen


def fit_of(frame: Frame | None) -> FitFrame:
    """The fit a chart of several inputs was shown: the screen gives these charts nothing else."""
    assert isinstance(frame, FitFrame), "a chart of several inputs is shown a FitFrame"
    return frame


def title(chart: Chart, *choices: str) -> None:
    """The longest of `choices` (longest first) that fits the chart: plotext drops one that does not."""
    chart.plt.title(next((text for text in choices if len(text) <= chart.size.width - 4), choices[-1]))


def padded(values: np.ndarray, share: float = 0.1) -> tuple[float, float]:
    low, high = float(np.min(values)), float(np.max(values))
    pad = share * ((high - low) or abs(high) or 1.0)
    return low - pad, high + pad


def cells(values: np.ndarray, box: tuple[float, float]) -> tuple[int, ...]:
    """Where values fall on a grid of MOVES over `box`: what picture() compares."""
    with np.errstate(invalid="ignore", over="ignore"):
        return tuple(np.nan_to_num((values - box[0]) / (box[1] - box[0]) * MOVES, posinf=-1, neginf=-1).astype(int).tolist())


class FitLossChart(LossChart):
    """The training loss, and the held-out rows' loss beside it when there are some."""

    def curves(self) -> list[tuple[HistoryView, dict[str, str]]]:
        frame = fit_of(self.frame)
        if frame.validation is None:
            return [(frame.history, {"marker": "braille", "color": "cyan"})]
        return [
            (frame.history, {"marker": "braille", "color": "cyan", "label": "training"}),
            (frame.validation, {"marker": "braille", "color": "magenta", "label": "held out"}),
        ]


class FittedChart(Chart):
    """A scatter of the sample rows against the fit now, in a box fixed by the least-squares fit."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._for: object = None
        self.x_box = self.y_box = (0.0, 1.0)

    def show(self, frame: Frame) -> None:
        fit = fit_of(frame)
        if fit.x is not self._for:
            self._for = fit.x
            self.frame_box(fit)
        super().show(frame)

    def frame_box(self, frame: FitFrame) -> None:
        raise NotImplementedError

    def xy(self) -> tuple[np.ndarray, np.ndarray]:
        """The points drawn: what the picture depends on."""
        raise NotImplementedError

    def picture(self) -> object:
        xs, ys = self.xy()
        return self._for is not None and id(self._for), cells(xs, self.x_box), cells(ys, self.y_box)


class PredictedChart(FittedChart):
    """Each sample row's prediction against its y: on the diagonal when the fit is perfect."""

    def frame_box(self, frame: FitFrame) -> None:
        actual, _ = frame.predictions()
        self.x_box = self.y_box = padded(actual)

    def xy(self) -> tuple[np.ndarray, np.ndarray]:
        return fit_of(self.frame).predictions()

    def draw(self, plt: Plot) -> None:
        frame = fit_of(self.frame)
        title(self, f"predicted against actual {frame.data.y_name} (v: next view)", "predicted against actual", "predicted")
        self.axes(self.x_box, self.y_box)
        self.line(self.x_box, self.x_box, marker="braille", color="green", label="perfect")
        actual, fitted = self.xy()
        self.points(actual.tolist(), fitted.tolist(), marker="dot", color="red", label="rows")
        plt.xlabel(f"actual {frame.data.y_name}")
        plt.ylabel("predicted")


class ResidualChart(FittedChart):
    """Each sample row's residual (y - fitted) against its fitted value: a band around 0 when the
    model fits, a curve when it misses something."""

    def frame_box(self, frame: FitFrame) -> None:
        assert frame.statistics is not None and frame.x is not None and frame.y is not None
        b, *w = frame.statistics.coefficients
        fitted = frame.x[list(frame.sample)] @ w + b
        residuals = frame.y[list(frame.sample)] - fitted
        self.x_box = padded(fitted)
        half = 3 * float(np.max(np.abs(residuals)) or 1.0)  # room for the residuals of a fit on its way
        self.y_box = (-half, half)

    def xy(self) -> tuple[np.ndarray, np.ndarray]:
        actual, fitted = fit_of(self.frame).predictions()
        return fitted, actual - fitted

    def draw(self, plt: Plot) -> None:
        title(self, "residuals against fitted (v: next view)", "residuals against fitted", "residuals")
        self.axes(self.x_box, self.y_box)
        self.line(self.x_box, (0.0, 0.0), marker="braille", color="green")
        fitted, residuals = self.xy()
        self.points(fitted.tolist(), residuals.tolist(), marker="dot", color="red", label="rows")
        plt.xlabel("fitted")
        plt.ylabel("residual")


class CurveChart(FittedChart):
    """A polynomial of one x: the data, the curve now and the least-squares curve."""

    def frame_box(self, frame: FitFrame) -> None:
        assert frame.x is not None and frame.y is not None
        rows = list(frame.sample)
        self.xs, self.ys = frame.x[rows, 0], frame.y[rows]
        self.x_box, self.y_box = padded(self.xs, 0.02), padded(self.ys)
        self.grid = np.linspace(*self.x_box, CURVE_POINTS)
        self.powers = self.grid[:, None] ** np.arange(frame.degree + 1)

    def curve(self, coefficients: tuple[float, ...]) -> np.ndarray:
        return self.powers @ np.array(coefficients)

    def xy(self) -> tuple[np.ndarray, np.ndarray]:
        return self.grid, self.curve(fit_of(self.frame).coefficients)

    def draw(self, plt: Plot) -> None:
        frame = fit_of(self.frame)
        title(self, f"degree {frame.degree} in {frame.names[1]} (v: next view)", f"degree {frame.degree} in {frame.names[1]}", "the curve")
        self.axes(self.x_box, self.y_box)
        plt.scatter(self.xs.tolist(), self.ys.tolist(), marker="dot", color="gray", label="data")
        best = self.curve(frame.reference).tolist()
        self.line(self.grid.tolist(), best, marker="braille", color="blue", label="ridge" if frame.l2 else "least squares")
        self.line(self.grid.tolist(), self.xy()[1].tolist(), marker="braille", color="red", label="fit now")
        plt.xlabel(frame.names[1])
        plt.ylabel(frame.data.y_name)


def pair_losses(frame: FitFrame, us: np.ndarray, vs: np.ndarray) -> np.ndarray:
    """The loss over every row with the pair's coefficients at (us, vs), the others as now: from
    the loss's quadratic form, so a grid costs the same for a million rows as for ten."""
    assert frame.quadratic is not None
    gram, moment, yy = frame.quadratic
    i, j = frame.pair
    c = np.tile(np.array(frame.coefficients), (len(us), 1))
    c[:, i], c[:, j] = us, vs
    return np.einsum("ki,ij,kj->k", c, gram, c) - 2 * c @ moment + yy + frame.l2 * np.sum(c[:, 1:] ** 2, axis=1)


class PairLandscapeChart(Chart):
    """The loss over two coefficients (p picks which), the others held where they are now: shaded
    levels, the path there, where the run is, and least squares' values of the two."""

    def picture(self) -> object:
        frame = fit_of(self.frame)
        i, j = frame.pair
        self.box = None
        self.boxes = self._boxes(frame)
        others = np.delete(np.array(frame.coefficients), [i, j])
        here = np.array([frame.coefficients[i], frame.coefficients[j]])
        # The shading moves with the other coefficients: drawn again when they move by 1%.
        return frame.pair, self.boxes, tuple(float(f"{value:.2g}") for value in others), (
            cells(here[:1], self.boxes[0]), cells(here[1:], self.boxes[1]), len(frame.trail),
        )

    @staticmethod
    def _boxes(frame: FitFrame) -> tuple[tuple[float, float], tuple[float, float]]:
        i, j = frame.pair
        best, start = frame.reference, frame.trail[0] if frame.trail else frame.coefficients
        return box_around((best[i], best[j]), (start[i], start[j]))

    def draw(self, plt: Plot) -> None:
        frame = fit_of(self.frame)
        i, j = frame.pair
        names = frame.names
        (u0, u1), (v0, v1) = self.boxes
        pair = f"{names[i]}, {names[j]}"
        title(self, f"loss over {pair}; the others as now (p: next pair)", f"loss over {pair} (p)", "loss (p)")
        self.axes((u0, u1), (v0, v1))
        columns, rows = (round(1.5 * max(n, 2)) for n in (self.size.width - 8, self.size.height - 5))
        grid_u, grid_v = np.meshgrid(np.linspace(u0, u1, columns), np.linspace(v0, v1, rows))
        levels = np.log10(np.maximum(pair_losses(frame, grid_u.ravel(), grid_v.ravel()), 1e-30))
        edges = np.quantile(levels, np.linspace(0, 1, len(SHADES) + 1)[1:-1])
        shade = np.searchsorted(edges, levels)
        for k, mark in enumerate(SHADES):
            if mark != " " and (shade == k).any():
                plt.scatter(grid_u.ravel()[shade == k].tolist(), grid_v.ravel()[shade == k].tolist(), marker=mark, color="gray")
        path = np.array(frame.trail)
        if len(path):
            self.points(path[:, i].tolist(), path[:, j].tolist(), marker="braille", color="cyan", label="path")
        best = frame.reference
        plt.scatter([best[i]], [best[j]], marker="+", color="green", label="ridge" if frame.l2 else "least squares")
        self.points([frame.coefficients[i]], [frame.coefficients[j]], marker="●", color="red", label="now")
        plt.xlabel(names[i])
        plt.ylabel(names[j])
