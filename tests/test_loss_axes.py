"""The loss chart's log axis: where it starts as the loss falls."""

from __future__ import annotations

import numpy as np

from gdtui.charts.loss import log_bottom

TOP = 1.0  # the axis' top, in decades: a loss starting near 10


def bottoms(lows: np.ndarray) -> list[float]:
    return [log_bottom(float(low), TOP) for low in lows]


def test_a_loss_falling_fast_moves_the_axis_every_few_decades_not_every_half() -> None:
    # Momentum on the default data: 14 decades down to float32's floor, a fiftieth of one a step.
    lows = np.arange(TOP, -13, -0.02)
    axis = bottoms(lows)
    moves = sum(a != b for a, b in zip(axis, axis[1:]))
    assert moves <= 14  # half decades all the way would be 28: every move redraws every curve
    for low, bottom in zip(lows, axis):
        assert bottom <= low  # the lowest loss is on the chart
        if TOP - low >= 2:  # and, once it spans a few decades, not lost in empty space under it
            assert low - bottom <= (TOP - bottom) / 3


def test_a_loss_spanning_a_few_decades_keeps_half_decade_steps() -> None:
    assert bottoms(np.array([0.3, -0.2, -1.7, -1.2])) == [0.0, -0.5, -2.0, -1.5]
