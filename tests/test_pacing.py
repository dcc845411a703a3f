"""Frame pacing by acknowledgment, on a clock the tests move by hand."""

from __future__ import annotations

import os
import time
from collections.abc import Callable

import pytest
from textual import events
from textual.drivers.headless_driver import HeadlessDriver

from gdtui.app import GdtuiApp
from gdtui.charts.fit import FitChart
from gdtui.cli import parse_args, run_config
from gdtui.screens.main import DRAW_HZ
from gdtui.terminal.pacing import ASK, LOST, TIMEOUT, FramePacer
from gdtui.widgets.readouts import Readouts
from pty_app import PtyApp
from test_app import wait_until


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


class Terminal:
    """A made-up terminal behind a link, on the test's clock. Frame n takes `carry(n)` seconds of
    the link, after the frames before it; the terminal answers the n-th status request `delay(n)`
    seconds after the link has carried the frame it follows, or never (None). The app draws on its
    10 Hz clock and as answers come."""

    def __init__(
        self,
        pacer: FramePacer,
        clock: Clock,
        delay: Callable[[int], float | None],
        carry: Callable[[int], float] = lambda n: 0.0,
    ) -> None:
        self.pacer, self.clock, self.delay, self.carry = pacer, clock, delay, carry
        self.written = self.asked = 0
        self.carried = 0.0  # when the link has carried every frame written so far
        self.due: list[float] = []  # when the answers on their way arrive

    def draw(self) -> None:
        if not self.pacer.may_draw():
            return
        self.written += 1
        self.carried = max(self.carried, self.clock.now) + self.carry(self.written)
        if self.pacer.frame_written():
            self.asked += 1
            if (delay := self.delay(self.asked)) is not None:
                self.due.append(self.carried + delay)

    def frames(self, seconds: float) -> int:
        """The frames written in `seconds` of ticks."""
        before = self.written
        for _ in range(round(seconds * DRAW_HZ)):
            self.clock.now += 1 / DRAW_HZ
            while self.due and self.due[0] <= self.clock.now:
                self.due.pop(0)
                if self.pacer.acknowledged():
                    self.draw()
            self.draw()
        return self.written - before

    def paced(self) -> bool:
        """Does the next frame wait for the terminal's answer?"""
        self.draw()
        return not self.pacer.may_draw()


def test_a_terminal_that_stops_answering_gets_frames_on_the_clock_after_one_miss(
    pacer: FramePacer, clock: Clock
) -> None:
    terminal = Terminal(pacer, clock, lambda n: 0.05 if n == 1 else None)
    terminal.frames(TIMEOUT + 1)
    assert terminal.frames(10) >= 10 * DRAW_HZ * 0.9
    assert terminal.asked < 5  # a probe now and then, not a request per frame


def test_a_terminal_that_answers_every_other_request_gets_frames_on_the_clock(pacer: FramePacer, clock: Clock) -> None:
    terminal = Terminal(pacer, clock, lambda n: 0.05 if n % 2 else None)
    terminal.frames(TIMEOUT + 1)
    assert terminal.frames(20) >= 20 * DRAW_HZ * 0.9


@pytest.mark.parametrize("late", [1.5 * TIMEOUT, 2.5 * TIMEOUT])
def test_a_terminal_whose_answers_come_late_gets_frames_on_the_clock(
    pacer: FramePacer, clock: Clock, late: float
) -> None:
    terminal = Terminal(pacer, clock, lambda n: late)
    terminal.frames(2 * late + TIMEOUT + 1)  # the first late answer puts pacing on trial, once
    assert terminal.frames(20) >= 20 * DRAW_HZ * 0.9


def test_pacing_comes_back_once_answers_come_in_time_again(pacer: FramePacer, clock: Clock) -> None:
    terminal = Terminal(pacer, clock, lambda n: 0.05 if n == 1 else None)
    terminal.frames(TIMEOUT + 1)
    assert not terminal.paced()
    terminal.delay = lambda n: 0.05
    terminal.frames(LOST + 1)  # the last request without an answer is written off; probes go out
    assert terminal.paced()


def test_a_frame_that_a_slow_link_shows_late_puts_pacing_on_trial_and_it_is_kept(
    pacer: FramePacer, clock: Clock
) -> None:
    # 32 kbit/s, 600 ms round trip: 0.3 s for a frame, 2.5 s for the fifth (a resize), and the
    # frames sent on the clock meanwhile wait behind it.
    terminal = Terminal(pacer, clock, lambda n: 0.6, carry=lambda n: 2.5 if n == 5 else 0.3)
    terminal.frames(20)
    assert terminal.paced()
    assert pacer.slow_fps() == 1  # one frame a second on that link, and no backlog


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


# The app with a fake terminal: its status requests are recorded, and answered only when a
# test says so (Textual turns a terminal's answer into events.CursorPosition).


@pytest.fixture
def paced_app(clock: Clock, monkeypatch: pytest.MonkeyPatch) -> tuple[GdtuiApp, list[str]]:
    """A running app whose terminal records the status requests it is sent and answers
    only when told to (the headless driver draws nowhere: the readouts show the frame)."""
    asks: list[str] = []
    monkeypatch.setattr(HeadlessDriver, "write", lambda self, data: asks.append(data) if data == ASK else None)
    args = parse_args(["--steps", "0"])
    app = GdtuiApp(run_config(args), speed=args.speed, paused=False, background=False, pacer=FramePacer(clock))
    return app, asks


async def start(pilot, app: GdtuiApp, asks: list[str]) -> None:
    """Once training has begun and a frame is on its way."""
    await wait_until(pilot, lambda: app.main._session is not None and app.session.latest.step > 0 and asks)


def shown_w(chart: FitChart) -> float:
    assert chart.frame is not None  # drawn at least once
    return chart.frame.snap.w


def shown_step(app: GdtuiApp) -> int:
    return int(app.query_one(Readouts).plain.split("step")[1].split("/")[0])


async def test_no_new_frame_until_the_terminal_answers_then_the_newest_snapshot(paced_app, clock: Clock) -> None:
    app, asks = paced_app
    async with app.run_test(size=(100, 30)) as pilot:
        await start(pilot, app, asks)
        drawn = shown_step(app)
        await wait_until(pilot, lambda: app.session.latest.step > drawn + 20)  # it keeps training
        await pilot.pause(0.3)  # three ticks of the drawing clock
        assert shown_step(app) == drawn and asks == [ASK]
        answered_at = app.session.latest.step
        app.post_message(events.CursorPosition(0, 0))
        await wait_until(pilot, lambda: shown_step(app) != drawn)
        assert shown_step(app) >= answered_at  # the newest, not the ones in between
        assert asks == [ASK, ASK]


async def test_the_app_draws_on_the_clock_for_a_terminal_that_never_answers(paced_app, clock: Clock) -> None:
    app, asks = paced_app
    async with app.run_test(size=(100, 30)) as pilot:
        await start(pilot, app, asks)
        drawn = shown_step(app)
        await pilot.pause(0.3)
        assert shown_step(app) == drawn
        clock.now += TIMEOUT + 0.1
        await wait_until(pilot, lambda: shown_step(app) != drawn)
        again = shown_step(app)
        await wait_until(pilot, lambda: shown_step(app) != again)  # and on, without asking again
        assert asks == [ASK]


async def test_a_terminal_that_stops_answering_gets_frames_on_the_clock_and_every_key_answered(
    paced_app, clock: Clock
) -> None:
    app, asks = paced_app
    async with app.run_test(size=(100, 30)) as pilot:
        await start(pilot, app, asks)
        app.post_message(events.CursorPosition(0, 0))  # its first answer, and its last
        await wait_until(pilot, lambda: len(asks) == 2)
        clock.now += TIMEOUT + 0.1
        shown = [shown_step(app)]
        for _ in range(3):  # frame after frame, with the clock of the answers standing still
            await wait_until(pilot, lambda: shown_step(app) != shown[-1])
            shown.append(shown_step(app))
        for state in ("PAUSED", "RUNNING", "PAUSED"):
            await pilot.press("space")
            assert state in app.query_one(Readouts).plain


async def test_a_keys_frame_goes_out_before_the_charts(paced_app, clock: Clock) -> None:
    app, asks = paced_app
    async with app.run_test(size=(100, 30)) as pilot:
        await start(pilot, app, asks)
        fit = app.query_one(FitChart)
        await wait_until(pilot, lambda: app.session.latest.w != shown_w(fit))  # the charts have news
        await pilot.press("space")
        assert "PAUSED" in app.query_one(Readouts).plain  # ahead of the frame on its way
        assert shown_w(fit) != app.session.latest.w  # the charts' news waits
        await pilot.press("n")
        assert shown_step(app) != app.session.latest.step  # two on the way: the next key waits
        app.post_message(events.CursorPosition(0, 0))
        await wait_until(pilot, lambda: shown_step(app) == app.session.latest.step)
        assert shown_w(fit) != app.session.latest.w  # the key's readouts first
        answered = 1
        for _ in range(1000):  # then the charts, as the terminal answers the rest
            if shown_w(fit) == app.session.latest.w:
                break
            for _ in asks[answered:]:
                app.post_message(events.CursorPosition(0, 0))
            answered = len(asks)
            await pilot.pause(0.05)
        assert shown_w(fit) == app.session.latest.w


async def test_the_top_line_says_when_the_link_holds_frames_back_and_not_once_it_recovers(
    paced_app, clock: Clock
) -> None:
    app, asks = paced_app
    async with app.run_test(size=(100, 30)) as pilot:
        await start(pilot, app, asks)

        async def answer_after(seconds: float) -> None:
            await wait_until(pilot, lambda: app.main.pacer.held or seconds < 0.5)  # a tick waited
            clock.now += seconds
            sent = len(asks)
            app.post_message(events.CursorPosition(0, 0))
            await wait_until(pilot, lambda: len(asks) > sent)  # the next frame is out

        for _ in range(8):  # two frames a second get through
            await answer_after(0.5)
        assert "link: 2 fps" in app.query_one(Readouts).plain.splitlines()[0]
        for _ in range(30):  # ten a second
            await answer_after(0.1)
        assert "link:" not in app.query_one(Readouts).plain


def test_stray_bytes_from_the_terminal_do_not_stop_keys() -> None:
    """Line noise (or a mangled status answer) that is not UTF-8, alone and in one read with a
    key: the keys still take effect."""

    def shown_after(mark: int, word: str) -> bool:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if word.encode() in app.output[mark:]:
                return True
            time.sleep(0.05)
        return False

    app = PtyApp("--steps", "0")
    try:
        assert app.wait_for("RUNNING"), app.text()[-400:]
        mark = len(app.output)
        os.write(app.fd, b"\xff\xfe\xfd\xfc")
        app.send(" ")
        assert shown_after(mark, "PAUSED"), app.text()[-400:]
        mark = len(app.output)
        os.write(app.fd, b"\xfc\xfd\xfe\xff ")
        assert shown_after(mark, "RUNNING"), app.text()[-400:]
        assert "Traceback" not in app.text()
    finally:
        app.kill()
