"""Loss against step, on a log scale by default, at a cost that does not grow with the run."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from rich.text import Text
from textual_plotext import Plot

from gdtui.charts.chart import Chart
from gdtui.engine.training.ladder import next_on_ladder

if TYPE_CHECKING:
    from gdtui.engine.run.history import HistoryView

FLOOR = 1e-40  # an exact fit has loss 0; log10 needs something above it


def log_ticks(low: float, high: float) -> tuple[list[float], list[str]]:
    """Tick positions in log10 units and their labels as real losses: 1e-3, 2e-3, 5e-3, …"""
    ticks = [
        math.log10(m) + e
        for e in range(math.floor(low), math.ceil(high) + 1)
        for m in ((1, 2, 5) if high - low < 2 else (1,))
    ]
    ticks = [t for t in ticks if low <= t <= high] or [low]
    stride = max(1, math.ceil(len(ticks) / 6))
    ticks = ticks[::stride]
    return ticks, [f"{10 ** t:.0e}".replace("e-0", "e-").replace("e+0", "e").replace("e+", "e") for t in ticks]


def step_ticks(first: int, last: int) -> tuple[list[int], list[str]]:
    """Whole-step ticks on a 1-2-5 spacing, labelled short: 500, 2k, 1.5M."""
    span = max(last - first, 1)
    spacing = next_on_ladder(span / 5, 1) if span >= 5 else 1
    start = math.ceil(first / spacing) * spacing
    ticks = [int(start + i * spacing) for i in range(int((last - start) // spacing) + 1)]
    return ticks, [short_count(t) for t in ticks]


def short_count(n: int) -> str:
    for size, suffix in ((1_000_000, "M"), (1_000, "k")):
        if n >= 10 * size:
            return f"{n / size:g}{suffix}"
    return str(n)


def log_bottom(low: float, top: float) -> float:
    """Where a log y axis up to `top` starts, below `low` (both in decades): on a half decade
    while the chart spans a few, then on 1, 2, 5, 10 as it spans more. Every move of the axis
    moves every cell of every curve; a loss falling fast (momentum down to float32's floor)
    would otherwise move it every half decade, every frame."""
    unit = 0.5
    while (top - low) / unit > 6:
        unit = next_on_ladder(unit, 1)
    return math.floor(low / unit) * unit


NICE = (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10)


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 (times a power of ten) >= value."""
    if value <= 0:
        return 1.0
    scale = 10 ** math.floor(math.log10(value))
    return next(m * scale for m in NICE if m * scale >= value * (1 - 1e-12))


def mark_column(step: int, x_range: tuple[int, float], width: int) -> int:
    """The column of a canvas `width` wide that plotext draws a vertical line at `step` in."""
    return math.floor(round(0.5 + (width - 1) * (step - x_range[0]) / (x_range[1] - x_range[0]), 8))


def label_start(column: int, label: str, width: int) -> int:
    """Where a mark's label begins: on its line, or, near the right edge (where the newest
    change often is), as far left as it must be to fit whole, still over its line."""
    return min(column, width - len(label))


def mark_labels(
    marks: tuple[tuple[int, str], ...], x_range: tuple[int, float], width: int
) -> list[tuple[int, str]]:
    """Each change (lr, coordinates) inside the x range, with its label, or "" where the label
    would not fit whole on a canvas `width` columns wide, or would touch a newer one's: close
    changes keep their lines, and the newest its label."""
    taken: list[tuple[int, int]] = []  # [start, end) of the labels placed so far, newest first
    shown: list[tuple[int, str]] = []
    for step, label in reversed([m for m in marks if x_range[0] <= m[0] <= x_range[1]]):
        start = label_start(mark_column(step, x_range, width), label, width)
        end = start + len(label)
        fits = start >= 0 and end <= width and all(end < a or b < start for a, b in taken)  # a blank between
        if fits:
            taken.append((start, end))
        shown.append((step, label if fits else ""))
    return shown[::-1]


class LossChart(Chart):
    """The loss history, about two points per column, and every change of lr or coordinates marked.

    The axes move in steps (the x range to a nice round number ahead of the run, the log y
    range by half decades), and the points are picked per column of the final x range, so
    between frames only the newest part of the curve changes on screen, not the whole chart.
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.log_scale = True

    def curves(self) -> list[tuple[HistoryView, dict[str, str]]]:
        """The histories to plot, each with its plotext style."""
        assert self.frame is not None
        return [(self.frame.history, {"marker": "braille", "color": "cyan"})]

    def marks(self) -> tuple[tuple[int, str], ...]:
        """The setting changes to mark: lr, and the coordinates trained."""
        assert self.frame is not None
        return self.frame.marks

    def ranged(self) -> list[bool]:
        """Which of the curves the y axis is fitted to: all of them."""
        return [True] * len(self.curves())

    def _layout(
        self, histories: list[HistoryView], ranged: list[bool]
    ) -> tuple[tuple[int, float], tuple[float, float], list[tuple[list[int], list[float]]]]:
        """The x range, the y range (fitted to the `ranged` histories) and the points to plot of each."""
        last = max((h.steps[-1] for h in histories if h.steps), default=None)
        if last is None:
            return (0, 1.0), (0.0, 1.0), [([], []) for _ in histories]
        x_range = (0, max(1, nice_ceiling(last)))  # from 0, where an lr set at the start is marked
        buckets = 2 * max(self.size.width, 1) / (x_range[1] - x_range[0])
        curves = [self._pick(h, x_range[0], buckets) for h in histories]
        ys = [y for (_, curve), fitted in zip(curves, ranged) if fitted for y in curve] or [y for _, curve in curves for y in curve]
        if self.log_scale:
            top = math.ceil(2 * max(ys)) / 2
            y_range = (log_bottom(min(ys), top), top)
            if y_range[1] - y_range[0] < 0.5:
                y_range = (y_range[0], y_range[0] + 0.5)
        else:
            y_range = (0.0, nice_ceiling(max(ys)))
        return x_range, y_range, curves

    def _pick(self, history: HistoryView, first: int, buckets: float) -> tuple[list[int], list[float]]:
        """The first point in each bucket of steps, and the last point, as (steps, y values)."""
        steps, losses = history.steps, history.losses
        if not steps:
            return [], []
        picked: dict[int, int] = {}
        for i, step in enumerate(steps):
            picked.setdefault(int((step - first) * buckets), i)
        picks = [*picked.values(), len(steps) - 1] if picked[max(picked)] != len(steps) - 1 else list(picked.values())
        if self.log_scale:
            return [steps[i] for i in picks], [math.log10(max(losses[i], FLOOR)) for i in picks]
        return [steps[i] for i in picks], [losses[i] for i in picks]

    def picture(self) -> object:
        self.plan = self._layout([history for history, _ in self.curves()], self.ranged())  # draw() plots this plan
        return self.log_scale, self.plan, self.marks()

    def draw(self, plt: Plot) -> None:
        x_range, (low, high), curves = self.plan
        scale = "log" if self.log_scale else "linear"
        plt.title(f"loss ({scale} scale, g toggles)")
        if not any(steps for steps, _ in curves):
            return
        self.axes(x_range, (low, high))
        for (steps, losses), (_, style) in zip(curves, self.curves()):
            if steps:
                self.line(steps, losses, **style)
        if self.log_scale:
            plt.yticks(*log_ticks(low, high))
        for step, _ in self.marks():
            if x_range[0] <= step <= x_range[1]:
                plt.vline(step, "orange")  # plotext's name for ANSI yellow; labels go on in annotate()
        ticks, labels = step_ticks(x_range[0], int(x_range[1]))
        plt.xticks([float(t) for t in ticks], labels)
        plt.xlabel("step")

    def annotate(self, text: Text) -> Text:
        """The marks' labels, along the top row of the canvas: only those that fit whole,
        never one over another (plotext's own text would be cut at the canvas' edge)."""
        lines = text.split("\n", allow_blank=True)
        top = next((i for i, line in enumerate(lines) if "┌" in line.plain), None)
        if top is None or top + 1 >= len(lines) or "┐" not in lines[top].plain:
            return text
        left, right = lines[top].plain.index("┌") + 1, lines[top].plain.index("┐")
        x_range, width, row = self.plan[0], right - left, lines[top + 1]
        for step, label in mark_labels(self.marks(), x_range, width):
            if label:
                start = left + label_start(mark_column(step, x_range, width), label, width)
                row = row[:start] + Text(label, style="yellow") + row[start + len(label) :]
        lines[top + 1] = row
        return Text("\n").join(lines)
