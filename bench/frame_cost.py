"""What one frame of gdtui's two charts costs, early in a run and far into it.

    python bench/frame_cost.py [--near 1000] [--far 200000] [--frames 50]

In-process, no terminal: the app from `tui.app.make_app` (`--paused --steps 0`) runs inside
`app.run_test(size=(100, 30))`; its session is advanced to `--near` steps, then each chart is
forced to rebuild (`chart._drawn = None; chart.redraw()`, see tui/chart.py) `--frames` times and
the median milliseconds of one frame (both charts) is taken. Then the session is advanced to
`--far` steps (timed and reported) and the same is measured again. The baseline is the frame at
`--near`; the ratio far / near says whether a frame grows with the run.
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

from tui.app import make_app  # noqa: E402
from tui.cli import build_parser  # noqa: E402
from tui.fit_chart import FitChart  # noqa: E402
from tui.loss_chart import LossChart  # noqa: E402

CHUNK = 10_000  # steps advanced at a time; a progress line every 100,000


def frame_ms(charts: list, frames: int) -> tuple[float, dict[str, float]]:
    """Median ms of one forced rebuild of every chart, and of each chart alone."""
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
    return median(totals), {name: median(values) for name, values in each.items()}


def advance_to(session, step: int) -> float:
    """Advance the session to `step`; return the seconds it took."""
    start = time.perf_counter()
    while (left := step - session.latest.step) > 0:
        session.advance(min(left, CHUNK - session.latest.step % CHUNK))
        if session.latest.step % 100_000 == 0:
            print(f"  ... step {session.latest.step:,} after {time.perf_counter() - start:.0f} s", file=sys.stderr)
    return time.perf_counter() - start


async def measure(args: argparse.Namespace) -> None:
    app = make_app(build_parser().parse_args(["--paused", "--steps", "0"]))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        charts = [app.query_one(LossChart), app.query_one(FitChart)]
        print(f"charts {', '.join(f'{type(c).__name__} {c.size.width}x{c.size.height}' for c in charts)}")
        session = app.session

        took = advance_to(session, args.near)
        await pilot.pause()
        near, near_each = frame_ms(charts, args.frames)
        history = len(session.history)
        print(f"step {session.latest.step:>9,} (advanced in {took:.1f} s): frame {near:.2f} ms median of "
              f"{args.frames}  ({', '.join(f'{k} {v:.2f}' for k, v in near_each.items())}; history {history} points)")

        took = advance_to(session, args.far)
        await pilot.pause()
        far, far_each = frame_ms(charts, args.frames)
        history = len(session.history)
        rate = (args.far - args.near) / took if took else 0.0
        print(f"step {session.latest.step:>9,} (advanced in {took:.1f} s, {rate:,.0f} steps/s): frame {far:.2f} ms median of "
              f"{args.frames}  ({', '.join(f'{k} {v:.2f}' for k, v in far_each.items())}; history {history} points)")

    ratio = far / near
    print(f"ratio far / near = {ratio:.2f}")
    ok = max(near, far) <= 15 and abs(ratio - 1) <= 0.2
    print(f"target: <= 15 ms and within 20%: {'met' if ok else 'MISSED'} ({near:.2f} / {far:.2f} ms, ratio {ratio:.2f})"
          + ("" if args.far >= 1_000_000 else f"; measured at {args.far:,}, not 1,000,000"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--near", type=int, default=1_000, help="first step measured (default: 1000)")
    parser.add_argument("--far", type=int, default=200_000, help="second step measured (default: 200000; target: 1000000)")
    parser.add_argument("--frames", type=int, default=50, help="forced rebuilds measured at each (default: 50)")
    args = parser.parse_args()
    asyncio.run(measure(args))


if __name__ == "__main__":
    main()
