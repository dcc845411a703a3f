"""What one frame of gdtui's two charts costs, early in a run and far into it.

    python bench/frame_cost.py [--near 1000] [--far 200000] [--frames 20] [--rounds 5]

In-process, no terminal: the app from `gdtui.cli.make_app` (`--paused --steps 0`) runs inside
`app.run_test(size=(100, 30))`; its session is advanced to `--near` steps and what the charts
draw there (the session's frame: its history, w and b) is kept; then it is advanced to `--far` steps
(timed and reported) and that is kept too. A frame is both charts forced to rebuild
(`chart._drawn = None; chart.redraw()`, see tui/chart.py). `--rounds` times, near and far in
turn (order alternating, so load from elsewhere on the machine hits both), the loss chart is
given that point's frame, and `--frames` frames are timed.
Medians. The baseline is the frame at `--near`; far / near says whether a frame grows with
the run.
The default `--far` is 200,000 so a run stays under a minute; the target is stated for
1,000,000 (`--far 1000000`, a few minutes at the engine's speed here).
Target: <= 15 ms a frame, and far within 20% of near.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time

from terminal import ROOT, median

sys.path.insert(0, str(ROOT))

from gdtui.charts.fit import FitChart  # noqa: E402
from gdtui.charts.loss import LossChart  # noqa: E402
from gdtui.cli import build_parser, make_app  # noqa: E402

CHUNK = 10_000  # steps advanced at a time; a progress line every 100,000


def frame_ms(charts: list, frames: int) -> tuple[list[float], dict[str, list[float]]]:
    """Ms of `frames` forced rebuilds of every chart, and of each chart alone."""
    totals: list[float] = []
    each: dict[str, list[float]] = {type(chart).__name__: [] for chart in charts}
    for _ in range(frames):
        start = time.perf_counter()
        for chart in charts:
            began = time.perf_counter()
            chart._drawn = None
            chart.redraw()
            each[type(chart).__name__].append(1000 * (time.perf_counter() - began))
        totals.append(1000 * (time.perf_counter() - start))
    return totals, each


def advance_to(session, step: int) -> float:
    """Advance the session to `step`; return the seconds it took."""
    start = time.perf_counter()
    while (left := step - session.latest.step) > 0:
        session.advance(min(left, CHUNK - session.latest.step % CHUNK))
        if session.latest.step % 100_000 == 0:
            print(f"  ... step {session.latest.step:,} after {time.perf_counter() - start:.0f} s", file=sys.stderr)
    return time.perf_counter() - start


class Picture:
    """What the charts draw at one point of the run: the session's frame there."""

    def __init__(self, session) -> None:
        self.step = session.latest.step
        self.frame = session.frame(time.perf_counter())  # immutable: no copy needed
        self.totals: list[float] = []
        self.each: dict[str, list[float]] = {}

    def measure(self, loss: LossChart, fit: FitChart, frames: int) -> None:
        loss.frame = fit.frame = self.frame
        totals, each = frame_ms([loss, fit], frames)
        self.totals += totals
        for name, values in each.items():
            self.each.setdefault(name, []).extend(values)

    def line(self) -> str:
        parts = ", ".join(f"{name} {median(values):.2f}" for name, values in self.each.items())
        return (f"step {self.step:>9,}: frame {median(self.totals):.2f} ms median of {len(self.totals)}"
                f"  ({parts}; history {len(self.frame.history)} points)")


async def measure(args: argparse.Namespace) -> None:
    app = make_app(build_parser().parse_args(["--paused", "--steps", "0"]))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        loss, fit = app.query_one(LossChart), app.query_one(FitChart)
        print(f"charts: LossChart {loss.size.width}x{loss.size.height}, FitChart {fit.size.width}x{fit.size.height}")
        session = app.session
        took = advance_to(session, args.near)
        near = Picture(session)
        print(f"advanced to {args.near:,} in {took:.1f} s")
        took = advance_to(session, args.far)
        far = Picture(session)
        print(f"advanced to {args.far:,} in {took:.1f} s ({(args.far - args.near) / took:,.0f} steps/s)")
        # Near and far in turn, the order alternating, so a burst of load elsewhere hits both.
        for round_ in range(args.rounds):
            for picture in (near, far) if round_ % 2 == 0 else (far, near):
                picture.measure(loss, fit, args.frames)
        await pilot.pause()

    print(near.line())
    print(far.line())
    n, f = median(near.totals), median(far.totals)
    ratio = f / n
    print(f"ratio far / near = {ratio:.2f}")
    ok = max(n, f) <= 15 and abs(ratio - 1) <= 0.2
    print(f"target: <= 15 ms and within 20%: {'met' if ok else 'MISSED'} ({n:.2f} / {f:.2f} ms, ratio {ratio:.2f})"
          + ("" if args.far >= 1_000_000 else f"; far is {args.far:,}, not 1,000,000"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--near", type=int, default=1_000, help="first step measured (default: 1000)")
    parser.add_argument("--far", type=int, default=200_000, help="second step measured (default: 200000; target: 1000000)")
    parser.add_argument("--frames", type=int, default=20, help="forced rebuilds at each, per round (default: 20)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds, near and far in turn (default: 5)")
    args = parser.parse_args()
    asyncio.run(measure(args))


if __name__ == "__main__":
    main()
