"""Frame pacing by acknowledgment, on a clock the tests move by hand."""

from __future__ import annotations

import pytest

from gdtui.pacing import LOST, TIMEOUT, FramePacer


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def pacer(clock: Clock) -> FramePacer:
    return FramePacer(clock)


def test_the_next_frame_waits_for_the_answer(pacer: FramePacer) -> None:
    assert pacer.may_draw()
    assert pacer.frame_written()  # ask the terminal
    assert not pacer.may_draw()
    assert not pacer.may_draw()
    assert pacer.acknowledged()  # a frame was held for it: draw now
    assert pacer.may_draw()


def test_an_answer_with_nothing_held_does_not_ask_for_a_frame(pacer: FramePacer) -> None:
    pacer.frame_written()
    assert not pacer.acknowledged()
    assert pacer.may_draw()


def test_a_key_may_follow_one_frame_on_its_way_but_not_two(pacer: FramePacer) -> None:
    pacer.frame_written()
    assert pacer.may_draw(urgent=True)
    pacer.frame_written()
    assert not pacer.may_draw(urgent=True)
    assert not pacer.acknowledged()  # one still on its way
    assert pacer.may_draw(urgent=True) and not pacer.may_draw()
    assert pacer.acknowledged()
    assert pacer.may_draw()


def test_a_terminal_that_never_answers_gets_frames_on_the_clock_after_the_timeout(
    pacer: FramePacer, clock: Clock
) -> None:
    assert pacer.frame_written()
    clock.now += TIMEOUT / 2
    assert not pacer.may_draw()
    clock.now += TIMEOUT
    assert pacer.may_draw()
    assert not pacer.frame_written()  # not asked again
    assert pacer.may_draw() and not pacer.frame_written() and pacer.may_draw()


def test_an_answer_after_the_timeout_brings_pacing_back(pacer: FramePacer, clock: Clock) -> None:
    pacer.frame_written()
    clock.now += 2 * TIMEOUT
    assert pacer.may_draw()
    pacer.acknowledged()
    assert pacer.frame_written()
    assert not pacer.may_draw()


def test_a_terminal_that_answered_is_waited_for_longer_then_the_frame_counts_as_lost(
    pacer: FramePacer, clock: Clock
) -> None:
    pacer.frame_written()
    pacer.acknowledged()
    pacer.frame_written()
    clock.now += 2 * TIMEOUT
    assert not pacer.may_draw()  # a slow link, not a silent terminal
    clock.now += LOST
    assert pacer.may_draw()
    assert pacer.frame_written()  # still asking


def test_the_link_is_called_slow_while_few_frames_get_through_and_not_after(pacer: FramePacer, clock: Clock) -> None:
    assert pacer.slow_fps() is None
    for _ in range(10):  # 2 frames a second shown, the draw clock held back in between
        pacer.frame_written()
        for _ in range(4):
            clock.now += 0.1
            pacer.may_draw()
        clock.now += 0.1
        pacer.acknowledged()
    assert pacer.slow_fps() == 2
    for _ in range(30):  # the link recovers: every tick's frame is acknowledged at once
        clock.now += 0.1
        assert pacer.may_draw()
        pacer.frame_written()
        pacer.acknowledged()
    assert pacer.slow_fps() is None


def test_a_paused_screen_is_not_a_slow_link(pacer: FramePacer, clock: Clock) -> None:
    pacer.frame_written()
    pacer.acknowledged()
    clock.now += 5
    assert pacer.slow_fps() is None  # nothing held back: nothing to say
