"""Does racing slow runs down more than their own cost? Steps per second at --speed max, in process.

    python bench/race_speed.py [--compare gd,momentum,adam] [--seconds 2] [--rounds 3]

Each run of --compare trains alone, then all of them race; both driven by their tick() at
unlimited speed, as the app's training clock does. Without overhead a race steps at
1 / Σ(1/rate of each run alone) (for n equal runs: a single run's rate / n). Target: the race's
steps per second per run >= 0.8x that. Medians over --rounds, alone and racing alternating.
"""

from __future__ import annotations

import argparse
import math
import statistics
import time

from gdtui.engine.config import RunConfig
from gdtui.engine.run.race import start_race
from gdtui.engine.run.race_specs import parse_compare
from gdtui.engine.run.start import start_session

TICK_BUDGET = 0.003  # seconds per tick, as the app's training clock gives


def rate(runner, steps_of, seconds: float) -> float:
    """Steps per second of `runner` ticking at unlimited speed for `seconds`."""
    start, first = time.perf_counter(), steps_of()
    while (now := time.perf_counter()) - start < seconds:
        runner.tick(now, TICK_BUDGET)
    return (steps_of() - first) / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--compare", default="gd,momentum,adam", help="the runs (default: gd,momentum,adam)")
    parser.add_argument("--seconds", type=float, default=2.0, help="seconds each is measured (default: 2)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds (default: 3)")
    args = parser.parse_args()
    configs = [spec.config(RunConfig(steps=0)) for spec in parse_compare(args.compare)]

    alone: list[list[float]] = [[] for _ in configs]
    raced: list[float] = []
    for _ in range(args.rounds):
        for config, rates in zip(configs, alone):
            session = start_session(config, speed=math.inf, running=True)
            rates.append(rate(session, lambda: session.latest.step, args.seconds))  # noqa: B023 (called at once)
        race = start_race(configs, speed=math.inf, running=True)
        raced.append(rate(race, lambda: race.step_count, args.seconds))  # noqa: B023 (called at once)
    singles = [statistics.median(r) for r in alone]
    race_rate = statistics.median(raced)
    expected = 1 / sum(1 / r for r in singles)
    for config, single in zip(configs, singles):
        print(f"alone   {config.optimizer:<9} lr {config.lr:<6g} {single:>9,.0f} steps/s")
    print(f"race    {len(configs)} runs             {race_rate:>9,.0f} steps/s per run")
    print(f"no-overhead race: 1 / Σ(1/alone) = {expected:,.0f} steps/s per run")
    ratio = race_rate / expected
    print(f"ratio race / no-overhead = {ratio:.2f} (target >= 0.8: {'met' if ratio >= 0.8 else 'MISSED'})")


if __name__ == "__main__":
    main()
