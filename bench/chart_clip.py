"""What a chart costs to build when a line runs through huge coordinates, against a normal one.

    python bench/chart_clip.py [--builds 20] [--rounds 5]

In process, no terminal: the app from `gdtui.cli.make_app` (`--paused --compare
gd:0.1,gd:0.05,gd:0.9`) runs inside `app.run_test(size=(94, 24))`, 94 columns as where a race
once froze; four `N` presses take it to step 200, where the third run has diverged (loss ~1e35,
w ~3e17). Each race chart is built from two frames of that race:
- normal: the third run replaced by a copy of the second, so the same number of points;
- huge: the race as it is, and for the fit chart also the third run's line made y = 1e30 (x - 0.5).
The loss chart is built on its linear scale, where a diverged run's loss is furthest off it.
A build is `chart._drawn = None; chart.redraw()` (see tui/chart.py). `--rounds` times, normal and
huge in turn (order alternating, so load from elsewhere hits both), `--builds` builds are timed.
Medians; huge / normal says whether the cost grows with the values.
Then plotext alone, without gdtui's clipping: one line from the middle of a 94x24 plot to 10,
100 and 1,000 plot heights above its top: what a line costs plotext grows with its span, so a
diverged run's 1e30 would take it for ever.
Target: huge within 1.5x of normal for every chart.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import sys
import time

from terminal import ROOT, median

sys.path.insert(0, str(ROOT))

from textual_plotext import Plot  # noqa: E402

from gdtui.charts.race import RaceFitChart, RaceLandscapeChart, RaceLossChart  # noqa: E402
from gdtui.cli import build_parser, make_app  # noqa: E402

SIZE = (94, 24)


def build_ms(chart, frame, builds: int) -> list[float]:
    """Ms of `builds` forced rebuilds of `chart` showing `frame`."""
    chart.show(frame)
    times = []
    for _ in range(builds):
        start = time.perf_counter()
        chart._drawn = None
        chart.redraw()
        times.append(1000 * (time.perf_counter() - start))
    return times


def plotext_line_ms(heights: float, repeats: int = 3) -> float:
    """Median ms of plotext building one line from mid-plot to `heights` plot heights above it."""
    times = []
    for _ in range(repeats):
        plt = Plot()
        plt.plotsize(*SIZE)
        plt._set_size(*SIZE)
        plt.plot([0.0, 1.0], [0.5, 1.0 + heights], marker="braille")
        plt.xlim(0.0, 1.0)
        plt.ylim(0.0, 1.0)
        start = time.perf_counter()
        plt.build()
        times.append(1000 * (time.perf_counter() - start))
    return median(times)


async def measure(args: argparse.Namespace) -> None:
    app = make_app(build_parser().parse_args(["--paused", "--compare", "gd:0.1,gd:0.05,gd:0.9"]))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"NNNN")
        race = app.session.frame(time.perf_counter())
        first, second, third = race.runs
        assert third.diverged_at is not None, "the third run was meant to diverge"
        print(f"step {race.step}: the third run diverged at step {third.diverged_at}, "
              f"loss {third.frame.history.losses[-1]:.3g}, w {third.frame.snap.w:.3g}")
        normal = dataclasses.replace(race, runs=(first, second, second))
        vertical = dataclasses.replace(third.frame, snap=third.frame.snap._replace(w=1e30, b=-0.5e30))
        huge_fit = dataclasses.replace(race, runs=(first, second, dataclasses.replace(third, frame=vertical)))
        loss = app.main.query_one(RaceLossChart)
        loss.log_scale = False
        charts = [(loss, race), (app.main.query_one(RaceFitChart), huge_fit), (app.main.query_one(RaceLandscapeChart), race)]
        ok = True
        for chart, huge in charts:
            chart.display = True  # the landscape is shown on v; built here all the same
            await pilot.pause()
            times: dict[str, list[float]] = {"normal": [], "huge": []}
            for round_ in range(args.rounds):
                for name, frame in (("normal", normal), ("huge", huge))[:: 1 if round_ % 2 == 0 else -1]:
                    times[name] += build_ms(chart, frame, args.builds)
            n, h = median(times["normal"]), median(times["huge"])
            ok &= h <= 1.5 * n
            print(f"{type(chart).__name__:>18} {chart.size.width}x{chart.size.height}: normal {n:.2f} ms, huge {h:.2f} ms, "
                  f"ratio {h / n:.2f} (medians of {len(times['normal'])})")
    print("plotext alone, unclipped, one line from mid-plot up to:")
    for heights in (10, 100, 1000):
        print(f"  {heights:>5} plot heights above: {plotext_line_ms(heights):.1f} ms")
    print(f"target: huge within 1.5x of normal for every chart: {'met' if ok else 'MISSED'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--builds", type=int, default=20, help="timed builds per frame, per round (default: 20)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds, normal and huge in turn (default: 5)")
    args = parser.parse_args()
    asyncio.run(measure(args))


if __name__ == "__main__":
    main()
