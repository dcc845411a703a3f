"""The history stays small however long the run, and still spans all of it."""

from __future__ import annotations

from gdtui.engine.run.history import History


def test_a_million_steps_keep_at_most_capacity_points_spread_over_the_run() -> None:
    history = History(capacity=1000)
    for step in range(1, 1_000_001):
        history.add(step, 1.0 / step, 0.0, 0.0)
    assert len(history) <= 1000
    assert history.steps[0] == 1 and history.steps[-1] > 999_000
    after_the_first = history.steps[1:]
    gaps = {b - a for a, b in zip(after_the_first, after_the_first[1:])}
    assert gaps == {history.stride}  # evenly spread


def test_a_long_run_keeps_its_first_step_whatever_the_stride() -> None:
    # A loss that falls to the floor in one step: the first point is all that shows the fall.
    history = History()
    for step in range(1, 10_001):
        history.add(step, 5.0 if step == 1 else 1e-14, 0.0, 0.0)
    assert history.stride > 1
    assert (history.steps[0], history.losses[0]) == (1, 5.0)
    assert history.view().losses[0] == 5.0


def test_truncate_forgets_the_points_after_a_step() -> None:
    history = History()
    for step in range(1, 101):
        history.add(step, float(step), 1.0, 2.0)
    history.truncate(40)
    assert history.steps[-1] == 40 and history.losses[-1] == 40.0
    history.add(41, 0.5, 1.0, 2.0)
    assert history.steps[-1] == 41
