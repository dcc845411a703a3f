"""The gate a watched script waits at before each step: pause, single steps, the speed cap."""

from __future__ import annotations

import threading
import time

from gdtui.engine.script.gate import Gate


def passages(gate: Gate, count: int) -> list[float]:
    """Let a script thread try `count` steps; when each got through."""
    times: list[float] = []

    def script() -> None:
        for _ in range(count):
            gate.passage()
            times.append(time.monotonic())

    threading.Thread(target=script, daemon=True).start()
    return times


def test_a_paused_gate_lets_through_exactly_the_steps_asked_for() -> None:
    gate = Gate(paused=True)
    through = passages(gate, 10)
    time.sleep(0.3)
    assert through == [] and gate.waiting
    gate.step(3)
    time.sleep(0.3)
    assert len(through) == 3 and gate.waiting
    gate.run()
    time.sleep(0.3)
    assert len(through) == 10


def test_the_speed_cap_spaces_steps_at_least_a_period_apart() -> None:
    gate = Gate(speed=50)
    through = passages(gate, 11)
    time.sleep(0.6)
    assert len(through) == 11
    assert through[-1] - through[0] >= 10 / 50 * 0.99, "no faster than 50 steps a second"


def test_release_opens_the_gate_for_good_whatever_was_asked() -> None:
    gate = Gate(paused=True, speed=1)
    through = passages(gate, 5)
    time.sleep(0.2)
    gate.release()
    time.sleep(0.3)
    assert len(through) == 5
    gate.pause()
    assert gate.open, "nobody watches: a pause asked after the release holds nothing"


def test_lrs_asked_are_taken_once_and_every_group_overrides_one() -> None:
    gate = Gate()
    gate.set_lr(0.5, group=1)
    gate.set_lr(0.2)
    assert gate.lrs() == {None: 0.2}
    assert gate.lrs() == {}
    gate.set_lr(0.3, group=0)
    gate.set_lr(0.4, group=1)
    assert gate.lrs() == {0: 0.3, 1: 0.4}
