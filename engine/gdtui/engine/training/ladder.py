"""The 1-2-5 ladder (…, 0.005, 0.01, 0.02, 0.05, 0.1, …) that lr and speed move along."""

from __future__ import annotations

import math


def next_on_ladder(value: float, direction: int) -> float:
    """The nearest ladder value strictly above (direction > 0) or below (direction < 0) `value`.

    From a value off the ladder this is the next ladder value in that direction. Past the ends
    of what a float holds (below 5e-324, above 1e308, or infinite) there is none: `value` itself
    comes back.
    """
    if not 0 < value < math.inf:  # unlimited speed, say: nothing lies beyond it
        return value
    exponent = math.floor(math.log10(value))
    # float() of a rung past either end is 0.0 or inf: those are not on the ladder.
    rungs = [r for e in range(exponent - 1, exponent + 2) for m in (1, 2, 5) if 0 < (r := float(f"{m}e{e}")) < math.inf]
    # A tolerance, so 0.1 * 3 style float noise does not count as off the ladder.
    if direction > 0:
        return min((r for r in rungs if r > value * (1 + 1e-9)), default=value)
    return max((r for r in rungs if r < value * (1 - 1e-9)), default=value)
