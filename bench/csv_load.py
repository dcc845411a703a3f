"""Does a 1,000,000-row CSV load within 2 seconds more than a 3-row one? Medians, in-process.

    python bench/csv_load.py [--rows 1000000] [--rounds 3]

Big files, each timed against a 3-row file: clean (pandas' C reader, numbers throughout); an
empty field in every 10th row (those columns come back as text and are converted here); a short
row in every 1000th; a word on the last line (the error, which names that line); and every
number in quotes.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from gdtui.engine.data.csv_reader import DataError, load_csv  # noqa: E402

BUDGET_S = 2.0


def write(path: Path, rows: int, every: int = 0, odd: str = "", form: str = "{!r},{!r}") -> Path:
    """`rows` points on a noisy line; every `every`-th row (or the last, for -1) replaced by `odd`."""
    rng = np.random.default_rng(0)
    x = rng.random(rows)
    y = 3 * x + 0.8 + rng.normal(0, 0.1, rows)
    lines = [form.format(a, b) for a, b in zip(x.tolist(), y.tolist())]
    if every == -1:
        lines[-1] = odd
    elif every:
        lines[::every] = [odd] * len(lines[::every])
    path.write_text("x,y\n" + "\n".join(lines) + "\n")
    return path


def median_time(path: Path, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        try:
            load_csv(path)
        except DataError:
            pass
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        small = median_time(write(tmp / "small.csv", 3), args.rounds)
        print(f"{3:>9,} rows              {small:8.4f} s")
        worst = 0.0
        cases = [
            ("clean", {}),
            ("empty 1/10", {"every": 10, "odd": "0.5,"}),
            ("short 1/1000", {"every": 1000, "odd": "0.5"}),
            ("a word last", {"every": -1, "odd": "0.5,abc"}),
            ("quoted", {"form": '"{!r}","{!r}"'}),
        ]
        for label, kind in cases:
            took = median_time(write(tmp / "big.csv", args.rows, **kind), args.rounds)
            worst = max(worst, took - small)
            print(f"{args.rows:>9,} rows {label:<12} {took:8.4f} s   +{took - small:.4f} s")
    verdict = "within" if worst <= BUDGET_S else "OVER"
    print(f"worst difference {worst:.3f} s: {verdict} the {BUDGET_S:.0f} s budget")
    sys.exit(0 if worst <= BUDGET_S else 1)


if __name__ == "__main__":
    main()
