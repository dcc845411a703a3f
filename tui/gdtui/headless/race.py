"""`gdtui --headless --compare ...`: every run's log lines, then one table of how each finished."""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence

from gdtui.engine.config import RunConfig
from gdtui.engine.data.dataset import Dataset
from gdtui.engine.formats import fixed
from gdtui.engine.run.race import Race, start_race
from gdtui.engine.theory.closeness import TOLERANCE
from gdtui.headless.single import EXIT_DIVERGED, EXIT_INTERRUPTED


def run_race_headless(configs: Sequence[RunConfig], data: Dataset | None, *, log_every: int) -> int:
    """Race to the target (or until ctrl+c); exit 3 only when every run diverged."""
    race = start_race(configs, data)
    start = time.perf_counter()
    try:
        while not race.done and race.live:
            live = race.live
            race.pull()
            for i in live:
                if race.diverged_at[i] is not None:
                    print(f"gdtui: {label(race, i)} diverged at step {race.diverged_at[i]}; the others go on", file=sys.stderr)
            if log_every and (race.step_count - 1) % log_every == 0:
                for i in race.live:
                    snap = race.sessions[i].latest
                    print(f"{label(race, i)}: w={snap.w},b={snap.b},loss={snap.loss}")
    except KeyboardInterrupt:  # ctrl+c ends an unlimited race: still say where each run got to
        print(table(race, time.perf_counter() - start))
        return EXIT_INTERRUPTED
    print(table(race, time.perf_counter() - start))
    return EXIT_DIVERGED if not race.live else 0


def label(race: Race, i: int) -> str:
    return f"{i + 1} {race.name(i)}"


def table(race: Race, elapsed: float) -> str:
    """One row per run: final w, b, loss, and when its w and b each came within TOLERANCE of w*, b*."""
    width = max(len(label(race, i)) for i in range(len(race.sessions)))
    lines = [f"{'run':<{width}}  {'w':>10}  {'b':>10}  {'loss':>10}  w, b each within {TOLERANCE:g} of w*, b* (relative)"]
    for i, session in enumerate(race.sessions):
        snap, at, reached = session.latest, race.diverged_at[i], race.reached[i]
        loss = session.current().loss
        when = f"diverged at step {at}" if at is not None else "not reached" if reached is None else f"step {reached}"
        lines.append(f"{label(race, i):<{width}}  {fixed(snap.w)}  {fixed(snap.b)}  {loss:>10.4e}  {when}")
    w_star, b_star = race.optimum.w, race.optimum.b
    rate = race.step_count / elapsed if elapsed > 0 else 0.0
    lines.append(
        f"done: {race.step_count} steps; least squares w*={w_star:.6g}, b*={b_star:.6g}; {rate:,.0f} steps/s per run"
    )
    return "\n".join(lines)
