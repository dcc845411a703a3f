"""The naive way to draw gdtui's charts, as a baseline for bench/bandwidth.py.

    python bench/naive_app.py [--paused] [--speed 200]

Two textual_plotext.PlotextPlot widgets side by side: the loss of a gradient-descent run as a
line over its whole history, and a scatter of the 500 data points with the fitted line. Each
widget gets its new data and calls `.refresh()` 10 times a second, so each redraws its whole area
every time. The top line reads `RUNNING  step N / 0` as gdtui's does, so the same benchmark code
can count screen updates. The training is plain numpy gradient descent on y = 3x + 0.8 at
`--speed` steps per second; `--paused` keeps the data still but goes on refreshing, as a naive
app does. q or ctrl+c quits.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Static
from textual_plotext import PlotextPlot

DRAW_HZ = 10
N_POINTS = 500


class NaiveApp(App[None]):
    CSS = """
    #top { height: 1; }
    Horizontal { height: 1fr; }
    PlotextPlot { width: 1fr; height: 1fr; }
    """
    BINDINGS = [("q", "quit", "Quit"), Binding("ctrl+c", "quit", "Quit", priority=True)]

    def __init__(self, *, speed: float, paused: bool) -> None:
        super().__init__()
        self.speed, self.paused = speed, paused
        rng = np.random.default_rng(0)
        self.x = rng.random(N_POINTS)
        self.y = 3 * self.x + 0.8
        self.w, self.b, self.lr = float(rng.random()), 0.0, 0.01
        self.step = 0
        self.steps: list[int] = []
        self.losses: list[float] = []
        self.clock = time.perf_counter()
        self.owed = 0.0

    def compose(self) -> ComposeResult:
        yield Static(id="top")
        with Horizontal():
            yield PlotextPlot(id="loss")
            yield PlotextPlot(id="fit")

    def on_mount(self) -> None:
        self.set_interval(1 / DRAW_HZ, self.tick)
        self.tick()

    def train(self) -> None:
        now = time.perf_counter()
        self.owed += self.speed * (now - self.clock)
        self.clock = now
        for _ in range(int(self.owed)):
            error = self.w * self.x + self.b - self.y
            self.losses.append(float(np.mean(error**2)))
            self.w -= self.lr * float(np.mean(2 * error * self.x))
            self.b -= self.lr * float(np.mean(2 * error))
            self.step += 1
            self.steps.append(self.step)
        self.owed -= int(self.owed)

    def tick(self) -> None:
        if not self.paused:
            self.train()
        state = "PAUSED" if self.paused else "RUNNING"
        self.query_one("#top", Static).update(f"{state:<8}  step {self.step:>7} / 0")

        loss = self.query_one("#loss", PlotextPlot)
        plt = loss.plt
        plt.clear_data()
        plt.title("loss")
        if self.steps:
            plt.plot(self.steps, self.losses, marker="braille")
        loss.refresh()

        fit = self.query_one("#fit", PlotextPlot)
        plt = fit.plt
        plt.clear_data()
        plt.title("data and the fitted line")
        plt.scatter(self.x.tolist(), self.y.tolist(), marker="dot")
        plt.plot([0.0, 1.0], [self.b, self.w + self.b], marker="braille")
        fit.refresh()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--speed", type=float, default=200.0, help="steps per second (default: 200)")
    parser.add_argument("--paused", action="store_true", help="keep the data still (still refreshing)")
    args = parser.parse_args()
    NaiveApp(speed=args.speed, paused=args.paused).run(mouse=False)


if __name__ == "__main__":
    main()
