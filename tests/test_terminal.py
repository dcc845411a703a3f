"""The real gdtui in a pseudo-terminal: signals, a dropped connection, resizes, colours."""

from __future__ import annotations

import os
import random
import re
import signal
import time

import pytest

from pty_app import PtyApp

LEAVE_ALT_SCREEN = "\x1b[?1049l"  # what a clean exit writes: the user's screen comes back


@pytest.fixture
def running_app():
    app = PtyApp("--speed", "max", "--steps", "0")
    assert app.wait_for("RUNNING"), app.text()[-400:]
    yield app
    app.kill()


@pytest.mark.parametrize("sig", [signal.SIGHUP, signal.SIGTERM])
def test_signal_ends_gdtui_cleanly_within_two_seconds(running_app, sig) -> None:
    os.kill(running_app.pid, sig)
    assert running_app.wait_exit(2) == 128 + sig
    assert LEAVE_ALT_SCREEN in running_app.text()
    assert "Traceback" not in running_app.text()


def test_dropped_terminal_ends_gdtui_within_two_seconds(running_app) -> None:
    running_app.hang_up()  # the kernel sends SIGHUP, as when an SSH connection drops
    assert running_app.wait_exit(2) is not None


def test_q_quits_and_restores_the_terminal(running_app) -> None:
    running_app.send("q")
    assert running_app.wait_exit(5) == 0
    assert LEAVE_ALT_SCREEN in running_app.text()


def test_keys_read_with_q_end_cleanly(running_app) -> None:
    running_app.send("q" + "nl0.2\r" * 50)  # q, and keys after it in the same read
    assert running_app.wait_exit(10) == 0
    assert "Traceback" not in running_app.text()


def test_resize_storm_down_to_one_cell_is_survived(running_app) -> None:
    rng = random.Random(0)
    sizes = [(1, 1), (2, 1), (20, 5), (59, 15)] + [(rng.randint(1, 200), rng.randint(1, 60)) for _ in range(100)]
    for columns, rows in sizes:
        running_app.resize(columns, rows)
        os.kill(running_app.pid, signal.SIGWINCH)
        time.sleep(0.005)
    running_app.resize(30, 10)
    os.kill(running_app.pid, signal.SIGWINCH)
    assert running_app.wait_for("too small"), running_app.text()[-600:]
    assert running_app.wait_exit(0.5) is None  # still running
    running_app.send("q")
    assert running_app.wait_exit(5) == 0
    assert "Traceback" not in running_app.text()


def test_no_color_paints_without_colour() -> None:
    app = PtyApp("--paused", env={"NO_COLOR": "1"})
    try:
        assert app.wait_for("least squares")
        time.sleep(0.5)
        # Textual's NO_COLOR filter turns every colour grey: no red, green or blue left.
        colours = re.findall(r"\x1b\[[0-9;]*38;5;([0-9]+)", app.text())
        assert colours and all(int(c) >= 232 or int(c) in (0, 7, 8, 15, 16) for c in colours)
    finally:
        app.kill()


def test_sixteen_colour_terminal_gets_only_sixteen_colour_codes() -> None:
    app = PtyApp("--paused", env={"TERM": "xterm"})
    try:
        assert app.wait_for("least squares")
        time.sleep(0.5)
        assert "38;5;" not in app.text() and "38;2;" not in app.text()
    finally:
        app.kill()
