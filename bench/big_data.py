"""Training speed with 10^7 points: the loss from the data's sums against the original form.

    python bench/big_data.py [--n 10000000] [--steps 300] [--size 100x30] [--duration 5]

Engine (in process): full-batch gd steps per second on n points, as gdtui trains them (the MSE
written in n, Σx, Σy, Σx², Σxy, Σy²) and, as the baseline in the same run, in the original
tutorial's form over every point (what gdtui did before; a few steps suffice to time it).
App: `gdtui --n N --speed max --steps 0` in a pseudo-terminal: steps/s read off the screen, and
the median time from space to the new state word (bench/key_latency.py's measure), with the
default 500 points measured the same way as the baseline.
Target: app >= 50 steps/s with N points, key latency within 1.5x of the 500-point app's.
"""

from __future__ import annotations

import time

from key_latency import latencies
from terminal import bench_parser, gdtui, median
from throughput import tui_rate

from gdtui.engine.run.start import RunConfig, build


def engine_rate(n: int, steps: int, sums: bool) -> float:
    trainer = build(RunConfig(n=n))
    if not sums:
        trainer._moments = None  # every step over all n points, as the original tutorial does
    run = trainer.run()
    next(run)  # the first step pays one-off costs
    start = time.perf_counter()
    for _ in range(steps):
        next(run)
    return steps / (time.perf_counter() - start)


def main() -> None:
    parser = bench_parser(__doc__)
    parser.add_argument("--n", type=int, default=10_000_000, help="points (default: 10000000)")
    parser.add_argument("--steps", type=int, default=300, help="engine: steps timed with the sums (default: 300)")
    parser.add_argument("--duration", type=float, default=5.0, help="app: seconds measured (default: 5)")
    args = parser.parse_args()

    sums = engine_rate(args.n, args.steps, sums=True)
    original = engine_rate(args.n, 10, sums=False)
    print(f"engine, {args.n:,} points: sums {sums:,.0f} steps/s; original form {original:,.1f} steps/s"
          f" (ratio {sums / original:,.0f})")
    rates, keys = {}, {}
    for n in (args.n, 500):  # the default run's 500 points: the same measure's baseline
        rates[n] = tui_rate(args.size, args.duration, "--n", str(n))
        found = latencies(gdtui("--speed", "max", "--steps", "0", "--n", str(n)), args.size, 10, 0.3)
        keys[n] = median([ms for values in found.values() for ms in values])
        print(f"app {args.size[0]}x{args.size[1]}, {n:,} points: {rates[n]:,.0f} steps/s;"
              f" space → new state word median {keys[n]:.1f} ms")
    ratio = keys[args.n] / keys[500]
    print(f"key latency {args.n:,} / 500 points = {ratio:.2f}")
    met = rates[args.n] >= 50 and ratio <= 1.5
    print(f"target: app >= 50 steps/s with {args.n:,} points, key latency within 1.5x of 500 points:"
          f" {'met' if met else 'MISSED'}")

if __name__ == "__main__":
    main()
