"""Loss against step, on a log scale by default, at a cost that does not grow with the run."""

from __future__ import annotations

import math

from typing import TYPE_CHECKING

from textual_plotext import Plot

from tui.chart import Chart
from tui.ladder import next_on_ladder

if TYPE_CHECKING:
    from engine.session import Session

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


class LossChart(Chart):
    """The loss history, downsampled to about two points per column, and lr changes marked."""

    def __init__(self, session: Session, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.session = session
        self.log_scale = True

    def _points(self) -> tuple[list[int], list[float]]:
        steps, losses = self.session.history.steps, self.session.history.losses
        budget = 2 * max(self.size.width, 1)
        if len(steps) > budget:
            last = len(steps) - 1
            picks = [round(i * last / (budget - 1)) for i in range(budget)]
            steps, losses = [steps[i] for i in picks], [losses[i] for i in picks]
        if self.log_scale:
            losses = [math.log10(max(loss, FLOOR)) for loss in losses]
        return steps, losses

    def picture(self) -> object:
        return self.log_scale, self._points(), tuple(self.session.lr_marks)

    def draw(self, plt: Plot) -> None:
        steps, losses = self._points()
        scale = "log" if self.log_scale else "linear"
        plt.title(f"loss ({scale} scale, g toggles)")
        if not steps:
            return
        plt.plot(steps, losses, marker="braille", color="cyan")
        low, high = min(losses), max(losses)
        if high - low < 1e-12:
            low, high = low - 0.5, high + 0.5
        plt.ylim(low, high)
        if self.log_scale:
            plt.yticks(*log_ticks(low, high))
        for step, lr in self.session.lr_marks:
            if steps[0] <= step <= steps[-1]:
                plt.vline(step, "yellow")
                plt.text(f"lr {lr:g}", x=step, y=high, color="yellow")
        plt.xticks(*step_ticks(steps[0], steps[-1]))
        plt.xlabel("step")
