"""Notifications (toasts) on a machine that stalls: the app must go on answering."""

from __future__ import annotations

import subprocess

from textual.widgets._toast import Toast, ToastHolder

from gdtui.app import MOST_NOTICES
from gdtui.cli import make_app, parse_args

# A run of the real app, in its own process: a hang must fail the test, not stall the suite.
# The machine "stalls" for 5 s just as a toast is built (the clock Textual's notifications read
# jumps), so the 3 s notification behind the toast has run out by the time the toast reads it.
STALLED_TOAST = """
import asyncio, time
import textual.notifications
from textual.widgets._toast import Toast, ToastHolder
from gdtui.app import MOST_NOTICES
from gdtui.cli import make_app, parse_args

stall = 0.0
textual.notifications.time = lambda: time.time() + stall
build = Toast.__init__

def stalled_build(toast, notification):
    global stall
    stall += 5.0
    build(toast, notification)

Toast.__init__ = stalled_build

async def main():
    app = make_app(parse_args(["--paused"]))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("o")  # "optimizer: ...", a 3 s notification
        await pilot.pause(0.2)
        await pilot.press("question_mark", "escape", "n")  # toasts built again on each screen
        await pilot.pause(0.2)
        print("step", app.session.latest.step)

asyncio.run(main())
"""


def test_a_toast_whose_notification_ran_out_while_it_was_built_does_not_hang_the_app(run_python) -> None:
    try:
        result = run_python("-c", STALLED_TOAST, timeout=60)
    except subprocess.TimeoutExpired:
        raise AssertionError("the app hung: no answer in 60 s after a toast outlived its notification") from None
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["step", "1"]


async def test_each_notification_goes_away_when_its_time_is_up() -> None:
    app = make_app(parse_args(["--paused"]))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        app.notify("short", timeout=0.4)
        app.notify("shorter", timeout=0.1)
        await pilot.pause(0.25)
        assert [str(toast.render()) for toast in app.screen.query(Toast)] == ["short"]
        await pilot.pause(0.5)
        assert not app.screen.query(Toast)


async def test_a_key_pressed_again_and_again_shows_only_its_latest_notices() -> None:
    app = make_app(parse_args(["--paused"]))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        for _ in range(10):
            await pilot.press("o")
        await pilot.pause(0.2)
        shown = [str(toast.render()) for toast in app.screen.query(Toast)]
        assert len(shown) == MOST_NOTICES
        assert len(app.screen.query(ToastHolder)) == MOST_NOTICES  # none left empty in the rack
        assert shown[-1] == f"optimizer: {app.session.hyper.optimizer}, from the next step"
