"""How soon gdtui shows something, against the time Python takes just to import torch.

    python bench/startup.py [--size 100x30] [--rounds 5]

gdtui --paused runs in a pseudo-terminal (bench/terminal.py) and the pyte screen is watched from
the moment the process is started: "first paint" is the first time anything but blanks is on
it, "first frame" the first time the screen contains "step" (the readouts' step counter, so the
engine is loaded). `gdtui --help` is timed as a whole process. Baseline: `python -c "import
torch"` as a whole process. Each round runs the three in turn, the order alternating; medians.
Targets: first frame <= 0.8x import torch; --help <= 0.3x import torch.
"""

from __future__ import annotations

import subprocess
import sys
import time

from terminal import ROOT, Terminal, bench_parser, gdtui, median


def wall(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def first_screens(size: tuple[int, int]) -> tuple[float, float]:
    """(seconds to the first paint, seconds to the first frame with "step") after starting gdtui."""
    with Terminal(gdtui("--paused"), size) as term:
        paint = term.wait_for(lambda: term.text().strip() != "", timeout=60, poll=0.01)
        frame = term.wait_for(lambda: "step" in term.text(), timeout=60, poll=0.01)
        return paint - term.started, frame - term.started


def main() -> None:
    parser = bench_parser(__doc__)
    parser.add_argument("--rounds", type=int, default=5, help="rounds (default: 5)")
    args = parser.parse_args()
    size = args.size

    times: dict[str, list[float]] = {"torch": [], "paint": [], "frame": [], "help": []}
    runs = {
        "torch": lambda: times["torch"].append(wall([sys.executable, "-c", "import torch"])),
        "gdtui": lambda: [times[k].append(v) for k, v in zip(("paint", "frame"), first_screens(size))],
        "help": lambda: times["help"].append(wall(gdtui("--help"))),
    }
    print(f"terminal {size[0]}x{size[1]}, {args.rounds} rounds, seconds")
    for round_ in range(1, args.rounds + 1):
        order = list(runs) if round_ % 2 else list(reversed(runs))
        for name in order:
            runs[name]()
        print(f"round {round_}: " + "  ".join(f"{name} {values[-1]:.3f}" for name, values in times.items()))
    m = {name: median(values) for name, values in times.items()}
    print("median:  " + "  ".join(f"{name} {value:.3f}" for name, value in m.items()))
    frame, paint, help_ = m["frame"] / m["torch"], m["paint"] / m["torch"], m["help"] / m["torch"]
    print(f"ratios to import torch: first paint {paint:.2f}  first frame {frame:.2f}  --help {help_:.2f}")
    print(f"target: first frame <= 0.8x: {'met' if frame <= 0.8 else 'MISSED'} ({frame:.2f}x);"
          f" --help <= 0.3x: {'met' if help_ <= 0.3 else 'MISSED'} ({help_:.2f}x)")


if __name__ == "__main__":
    main()
