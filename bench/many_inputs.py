"""Training speed with several inputs on big data: Descent's full-batch steps from the design's sums.

    python bench/many_inputs.py [--n 1000000] [--inputs 20] [--seconds 3]

In process, headless, one thread (as the engine trains): full-batch gd steps per second of
Descent (gdtui.engine.regression.descent) on n rows × d inputs of synthetic data (correlated
columns in different units, a seeded numpy generator), at its auto lr; the loss comes from the
design's sums (regression/sums.py). As the baseline in the same run, the one-input Trainer on n
points (RunConfig(n=n, steps=0), session.advance(1), its loss from moments.py), and for reference
Descent's per-row form over every row (what it did before; a few steps suffice to time it).
Each rate is timed for --seconds after one untimed step that pays one-off costs.
Target: >= 200 steps/s for 10^6 rows × 20 inputs.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import numpy as np

from gdtui.engine.config import RunConfig
from gdtui.engine.regression.descent import Descent
from gdtui.engine.regression.design import Design
from gdtui.engine.run.start import start_session
from gdtui.engine.training.hyper import Hyper


def rate(pull: Callable[[], object], seconds: float, at_most: int | None = None) -> float:
    """Calls of `pull` per second, over `seconds` (or `at_most` calls), after one untimed call."""
    pull()
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds and (at_most is None or count < at_most):
        pull()
        count += 1
    return count / (time.perf_counter() - start)


def design(n: int, d: int, seed: int = 0) -> Design:
    """n rows of d correlated columns, each in its own units, and y from a plane plus noise."""
    rng = np.random.default_rng(seed)
    mixing = np.eye(d) + 0.3 * rng.standard_normal((d, d))
    x = (rng.standard_normal((n, d)) @ mixing) * rng.uniform(0.1, 100.0, d) + rng.uniform(-1e3, 1e3, d)
    y = x @ rng.standard_normal(d) + 5.0 + rng.standard_normal(n)
    return Design(tuple(f"x{k}" for k in range(d)), x, y)


def descent(data: Design, sums: bool) -> Callable[[], object]:
    hyper = Hyper(optimizer="gd")
    run = Descent(data, hyper)
    hyper.lr = run.auto_lr()
    if not sums:
        run.sums = None  # every step over all n rows
    steps = run.run()
    return lambda: next(steps)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=1_000_000, help="rows (default: 1000000)")
    parser.add_argument("--inputs", type=int, default=20, help="x columns (default: 20)")
    parser.add_argument("--seconds", type=float, default=3.0, help="time per rate measured (default: 3)")
    args = parser.parse_args()
    n, d = args.n, args.inputs

    data = design(n, d)
    start = time.perf_counter()
    pull = descent(data, sums=True)
    print(f"Descent set-up on {n:,} rows × {d} inputs (standardizing, sums, Hessian, least squares): {time.perf_counter() - start:.2f} s")
    many = rate(pull, args.seconds)
    rows = rate(descent(data, sums=False), args.seconds, at_most=20)
    session = start_session(RunConfig(n=n, steps=0))
    one = rate(lambda: session.advance(1), args.seconds)
    print(f"{n:,} rows × {d} inputs, full-batch gd: {many:,.0f} steps/s from the sums;"
          f" over every row {rows:,.1f} steps/s (ratio {many / rows:,.0f})")
    print(f"one input, {n:,} points (Trainer, moments): {one:,.0f} steps/s;"
          f" {d} inputs / one input = {many / one:.2f}")
    print(f"target: >= 200 steps/s with {n:,} rows × {d} inputs: {'met' if many >= 200 else 'MISSED'}")


if __name__ == "__main__":
    main()
