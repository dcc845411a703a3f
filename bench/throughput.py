"""How fast gdtui trains with its screen up, against the same engine headless.

    python bench/throughput.py [--size 100x30] [--duration 5] [--steps 20000] [--rounds 3]

TUI: `gdtui --speed max --steps 0` in a pseudo-terminal (bench/terminal.py); the step counter
is read off the pyte screen's top line, and steps/s is taken between the first and the last
change of the counter seen in `--duration` s, starting 1 s after the first frame.
Baseline: `gdtui --headless --steps N --log-every 0`, its summary's steps/s (training only), and
its whole-process wall time. Rounds alternate which goes first; medians.
Target: TUI / headless >= 0.7.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time

from terminal import ROOT, Terminal, bench_parser, gdtui, median


def tui_rate(size: tuple[int, int], duration: float, *options: str) -> float:
    with Terminal(gdtui("--speed", "max", "--steps", "0", *options), size) as term:
        term.wait_for(lambda: term.step() is not None, timeout=60)
        term.pump(1.0)
        seen: list[tuple[float, int]] = []

        def sample(now: float) -> None:
            step = term.step()
            if step is not None and (not seen or step != seen[-1][1]):
                seen.append((now, step))

        term.pump(duration, sample)
        (t0, s0), (t1, s1) = seen[0], seen[-1]
        return (s1 - s0) / (t1 - t0)


def headless_rate(steps: int) -> tuple[float, float]:
    """(steps/s from the summary, whole-process seconds)."""
    start = time.perf_counter()
    done = subprocess.run(
        gdtui("--headless", "--steps", str(steps), "--log-every", "0"),
        cwd=ROOT, check=True, capture_output=True, text=True,
    )
    wall = time.perf_counter() - start
    match = re.search(r"([\d,]+) steps/s", done.stdout)
    if not match:
        sys.exit(f"no steps/s in: {done.stdout!r}")
    return float(match.group(1).replace(",", "")), wall


def main() -> None:
    parser = bench_parser(__doc__)
    parser.add_argument("--duration", type=float, default=5.0, help="TUI: seconds measured (default: 5)")
    parser.add_argument("--steps", type=int, default=20_000, help="headless: updates per run (default: 20000)")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each (default: 3)")
    args = parser.parse_args()
    size = args.size

    tui: list[float] = []
    headless: list[float] = []
    walls: list[float] = []
    print(f"terminal {size[0]}x{size[1]}, TUI {args.duration:g} s, headless {args.steps} steps, {args.rounds} rounds")
    for round_ in range(1, args.rounds + 1):
        if round_ % 2:
            tui.append(tui_rate(size, args.duration))
            rate, wall = headless_rate(args.steps)
        else:
            rate, wall = headless_rate(args.steps)
            tui.append(tui_rate(size, args.duration))
        headless.append(rate)
        walls.append(wall)
        print(f"round {round_}: TUI {tui[-1]:,.0f} steps/s  headless {rate:,.0f} steps/s ({wall:.2f} s whole process)")
    ratio = median(tui) / median(headless)
    whole = args.steps / median(walls)
    print(f"median: TUI {median(tui):,.0f} steps/s  headless {median(headless):,.0f} steps/s "
          f"(whole process incl. start-up {whole:,.0f} steps/s)")
    print(f"ratio TUI / headless = {ratio:.2f}")
    print(f"target: ratio >= 0.7: {'met' if ratio >= 0.7 else 'MISSED'} ({ratio:.2f})")


if __name__ == "__main__":
    main()
