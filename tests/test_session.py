"""The Session: the run's phase, its clock on a controlled time, settings, and the frame it hands out."""

from __future__ import annotations

import math

import pytest

from gdtui.engine.run.frame import Phase
from gdtui.engine.run.start import RunConfig, start_session
from gdtui.widgets.hint import hint

BUDGET = 10.0  # seconds per tick: larger than any tick here takes, so only the clock decides


def test_the_clock_trains_speed_times_elapsed_steps_and_measures_that_speed() -> None:
    session = start_session(RunConfig(steps=0), speed=200.0, running=True)
    session.tick(100.0, BUDGET)  # the first tick only starts the clock
    assert session.latest.step == 0 and session.frame(100.0).measured == 0
    for k in range(1, 11):  # ten ticks 0.1 s apart on a made-up clock
        session.tick(100.0 + 0.1 * k, BUDGET)
    assert session.latest.step == pytest.approx(200, abs=1)
    assert session.frame(101.0).measured == pytest.approx(200, rel=0.01)


def test_pausing_stops_the_clock_and_paused_time_is_not_owed() -> None:
    session = start_session(RunConfig(steps=0), speed=100.0, running=True)
    session.tick(0.0, BUDGET)
    session.tick(1.0, BUDGET)
    assert session.latest.step == 100
    session.toggle()
    assert session.phase is Phase.PAUSED
    session.tick(50.0, BUDGET)
    assert session.latest.step == 100
    session.toggle()
    session.tick(60.0, BUDGET)  # restarts the clock: 10 s of pause is not 1000 steps owed
    session.tick(60.5, BUDGET)
    assert session.phase is Phase.RUNNING and session.latest.step == 150


def test_reaching_the_target_is_done_and_running_on_goes_past_it() -> None:
    session = start_session(RunConfig(steps=30), speed=math.inf, running=True)
    session.tick(0.0, BUDGET)
    assert session.latest.step == 30 and session.phase is Phase.DONE
    assert hint(session.verdict()).startswith("not converged: w 7.9e-01, b 1.9e-01 off")  # 30 steps at lr 0.01 end far away
    session.toggle()
    session.tick(1.0, BUDGET)
    assert session.phase is Phase.RUNNING and session.latest.step > 30


def test_an_overflow_is_diverged_and_stepping_back_is_not() -> None:
    session = start_session(RunConfig(lr=5.0), running=True, speed=math.inf)
    session.tick(0.0, BUDGET)
    assert session.phase is Phase.DIVERGED and not session.running
    assert hint(session.verdict()) == f"Diverged at step {session.diverged_at} (lr 5). L: best lr, or lower lr; then space."
    session.change(lr=0.01)
    session.rewind()
    assert session.phase is Phase.PAUSED


def test_after_a_divergence_the_fix_the_hint_names_runs_on() -> None:
    session = start_session(RunConfig(lr=0.9), running=True, speed=math.inf)
    session.tick(0.0, BUDGET)
    stopped = session.latest.step
    assert session.phase is Phase.DIVERGED
    session.lr_notch(-1)  # -, as the hint says
    assert hint(session.verdict()) == f"Diverged at step {session.diverged_at} (lr 0.9); lr now 0.5: space runs on from here."
    session.toggle()  # space
    session.tick(1.0, BUDGET)
    session.tick(2.0, BUDGET)
    assert session.phase is Phase.DONE and session.latest.step == 3000 > stopped
    assert session.latest.w == pytest.approx(3.0, abs=0.1)


def test_the_step_of_a_divergence_is_the_same_on_screen_and_headless(capsys) -> None:
    from gdtui.headless.single import train

    session = start_session(RunConfig(lr=0.9), running=True, speed=math.inf)
    session.tick(0.0, BUDGET)
    assert train(start_session(RunConfig(lr=0.9)), 0, None) == 3
    assert f"diverged at step {session.diverged_at}:" in capsys.readouterr().err
    assert hint(session.verdict()).startswith(f"Diverged at step {session.diverged_at} ")


def test_steps_and_rewinds_pause_first() -> None:
    session = start_session(RunConfig(), running=True)
    session.step(3)
    assert session.phase is Phase.PAUSED and session.latest.step == 3
    session.toggle()
    session.rewind()
    assert session.phase is Phase.PAUSED and session.latest.step == 2


def test_one_route_for_settings_marks_lr_changes_and_resets_nothing() -> None:
    session = start_session(RunConfig())
    session.step(5)
    w = session.latest.w
    session.change(lr=0.05, optimizer="momentum", batch_size=8)
    assert (session.lr, session.hyper.optimizer, session.hyper.batch_size) == (0.05, "momentum", 8)
    assert session.marks == [(5, "lr 0.05")] and session.latest.w == w
    session.change(batch_size=10_000)  # more than there are points: the full batch
    assert session.hyper.batch_size == 0
    with pytest.raises(ValueError):
        session.change(optimizer="sgd")


def test_batch_sizes_cycle_through_what_the_data_can_fill() -> None:
    session = start_session(RunConfig(n=20))
    assert [session.next_batch_size() for _ in range(4)] == [1, 8, 0, 1]


def test_speed_notches_reach_max_and_come_back() -> None:
    session = start_session(RunConfig(), speed=2000.0)
    session.speed_notch(1)
    assert session.speed == 5000
    session.speed_notch(1)
    assert math.isinf(session.speed)
    session.speed_notch(1)  # faster than unlimited: stays unlimited
    assert math.isinf(session.speed)
    session.speed_notch(-1)
    assert session.speed == 5000


def test_a_frame_is_a_still_picture_of_the_moment_it_was_taken() -> None:
    session = start_session(RunConfig())
    session.step(10)
    frame = session.frame(0.0)
    session.step(10)
    session.change(lr=0.5)
    assert frame.snap.step == 10 and len(frame.history) == 10 and frame.lr == 0.01
    assert frame.marks == ()
    assert session.frame(0.0).history.steps[-1] == 20
    with pytest.raises(AttributeError):
        frame.lr = 1.0  # type: ignore[misc]  # the assignment a frozen Frame refuses, on purpose


def test_a_paused_session_hands_out_the_same_history_without_copying() -> None:
    session = start_session(RunConfig())
    session.step(50)
    assert session.frame(0.0).history is session.frame(1.0).history
