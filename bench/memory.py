"""Does gdtui's memory grow with the length of a run?

    python bench/memory.py [--size 100x30] [--start 10000] [--duration 30] [--every 5]

`gdtui --speed max --steps 0` runs in a pseudo-terminal (bench/terminal.py); its step counter is
read off the pyte screen and its resident memory (VmRSS in /proc/PID/status) is sampled. The
baseline is the RSS at the step counter's first reading of `--start` or more (default 10,000); then
the RSS and step are printed every `--every` s for `--duration` s. Growth per 100,000 steps is
the least-squares slope of RSS against step over those samples; the 1,000,000-step figure is
measured when reached and otherwise extrapolated from that slope (and says so).
Target: <= 10 MB growth between step 10,000 and step 1,000,000.
"""

from __future__ import annotations

import time

from terminal import Terminal, bench_parser, gdtui

MB = 1024  # KiB per MiB


def slope(points: list[tuple[int, int]]) -> float:
    """KiB per step, least squares."""
    n = len(points)
    mean_s = sum(s for s, _ in points) / n
    mean_r = sum(r for _, r in points) / n
    var = sum((s - mean_s) ** 2 for s, _ in points)
    return sum((s - mean_s) * (r - mean_r) for s, r in points) / var if var else 0.0


def main() -> None:
    parser = bench_parser(__doc__)
    parser.add_argument("--start", type=int, default=10_000, help="step of the baseline reading (default: 10000)")
    parser.add_argument("--far", type=int, default=1_000_000, help="step the target is about (default: 1000000)")
    parser.add_argument("--duration", type=float, default=30.0, help="seconds sampled after --start (default: 30)")
    parser.add_argument("--every", type=float, default=5.0, help="seconds between samples (default: 5)")
    parser.add_argument("--reach-timeout", type=float, default=120.0, help="most seconds to wait for --start (default: 120)")
    args = parser.parse_args()
    size = args.size

    with Terminal(gdtui("--speed", "max", "--steps", "0"), size) as term:
        term.wait_for(lambda: term.step() is not None, timeout=60)
        first = (term.step(), term.rss_kib())
        print(f"first frame: step {first[0]:>9,}  RSS {first[1] / MB:7.1f} MB")
        began = time.perf_counter()
        term.wait_for(lambda: (term.step() or 0) >= args.start, timeout=args.reach_timeout, poll=0.2)
        base = (term.step(), term.rss_kib())
        print(f"baseline:    step {base[0]:>9,}  RSS {base[1] / MB:7.1f} MB  ({time.perf_counter() - began:.1f} s after the first frame)")
        points = [base]
        since = time.perf_counter()
        at_far: tuple[int, int] | None = None
        end = time.perf_counter() + args.duration
        while (left := end - time.perf_counter()) > 0:
            term.pump(min(args.every, left))
            point = (term.step() or 0, term.rss_kib())
            points.append(point)
            if at_far is None and point[0] >= args.far:
                at_far = point
            print(f"  +{time.perf_counter() - since:5.1f} s  step {point[0]:>9,}  RSS {point[1] / MB:7.1f} MB"
                  f"  ({(point[1] - base[1]) / MB:+.1f} MB)")
            if at_far is not None:
                break

        elapsed = time.perf_counter() - since

    last = points[-1]
    per_step = slope(points)
    steps = last[0] - base[0]
    rate = steps / elapsed
    print(f"reached step {last[0]:,} ({steps:,} steps after the baseline, about {rate:,.0f} steps/s)")
    print(f"growth {base[0]:,} -> {last[0]:,}: {(last[1] - base[1]) / MB:+.1f} MB;"
          f" slope {per_step * 100_000 / MB:+.2f} MB per 100,000 steps")
    if at_far is not None:
        growth, how = (at_far[1] - base[1]) / MB, "measured"
    else:
        growth, how = per_step * (args.far - base[0]) / MB, f"EXTRAPOLATED from {steps:,} steps"
    print(f"growth {base[0]:,} -> {args.far:,}: {growth:+.1f} MB ({how})")
    print(f"target: <= 10 MB: {'met' if growth <= 10 else 'MISSED'} ({growth:+.1f} MB, {how})")


if __name__ == "__main__":
    main()
