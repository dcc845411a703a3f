"""--record and R: the real gdtui in a pseudo-terminal records what it sends, and asciinema plays
it back to the screen the session showed."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import casts
from pty_app import PtyApp

# What a person does in the session, and how long each takes to be seen: keys, runs, the lr dialog.
SESSION = [
    ("n", 1.0), ("N", 1.5), (" ", 5.0), (" ", 1.5), ("v", 2.0), ("l", 1.0), ("0.05", 1.0), ("\r", 1.5),
    ("+", 1.0), (" ", 4.0), (" ", 1.5), ("g", 1.5),
]
SESSION_KEYS = ["n", "N", "space", "space", "v", "l", "0", "full_stop", "0", "5", "enter", "plus", "space", "space", "g", "q"]


def settled(app: PtyApp, quiet: float = 1.5, timeout: float = 20) -> list[str]:
    """The screen once nothing has been written for `quiet` seconds."""
    deadline = time.monotonic() + timeout
    seen, since = len(app.output), time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.1)
        if len(app.output) != seen:
            seen, since = len(app.output), time.monotonic()
        elif time.monotonic() - since >= quiet:
            break
    return app.screen()


def test_a_thirty_second_session_plays_in_asciinema_to_the_screen_it_ended_on(tmp_path: Path) -> None:
    cast = tmp_path / "session.cast"
    app = PtyApp("--paused", "--speed", "50", "--record", str(cast))
    try:
        assert app.wait_for("least squares"), app.text()[-400:]
        for keys, pause in SESSION[:6]:
            app.send(keys)
            time.sleep(pause)
        app.resize(100, 30)  # in the middle of typing an lr: the dialog is redrawn at the new size
        os.kill(app.pid, signal.SIGWINCH)
        for keys, pause in SESSION[6:]:
            app.send(keys)
            time.sleep(pause)
        live = settled(app)
        assert "● REC" in live[0] and "lr 0.1" in live[0], live
        app.send("q")
        assert app.wait_exit(10) == 0
    finally:
        app.kill()

    header, events = casts.read(cast)
    assert (header["version"], header["width"], header["height"]) == (2, 80, 24)
    assert events[-1][0] >= 25  # seconds: the session's own timing
    assert [data for _, code, data in events if code == "r"] == ["100x30"]
    assert casts.markers(cast) == SESSION_KEYS
    assert casts.played(cast) == live
    # Byte for byte what the terminal was sent: after the recording, only the terminal restored.
    link, recorded = bytes(app.output), casts.output(cast)
    assert link.startswith(recorded)
    assert f"gdtui: recorded to {cast}".encode() in link[len(recorded) :]


def test_a_killed_run_leaves_a_recording_that_plays_up_to_the_kill(tmp_path: Path) -> None:
    cast = tmp_path / "killed.cast"
    app = PtyApp("--speed", "max", "--steps", "0", "--record", str(cast))
    try:
        assert app.wait_for("RUNNING"), app.text()[-400:]
        time.sleep(3)
    finally:
        app.kill()  # SIGKILL: nothing of gdtui's runs after it
    *_, last = casts.frames(cast)  # every line read by asciinema's parser
    state, step = last[0].split()[0], int(last[0].split()[2])
    assert state == "RUNNING" and step > 0
    link, recorded = bytes(app.output), casts.output(cast)
    assert link.startswith(recorded) or recorded.startswith(link)  # both cut at the kill


def test_r_records_from_inside_the_app_starting_with_the_whole_screen(tmp_path: Path) -> None:
    app = PtyApp("--paused", cwd=tmp_path)
    try:
        assert app.wait_for("least squares"), app.text()[-400:]
        app.send("nN")
        assert app.wait_until(lambda screen: " 51 / " in screen[0])
        assert "REC" not in settled(app)[0]
        app.send("R")
        assert app.wait_until(lambda screen: "● REC" in screen[0])
        app.send("v")
        live = settled(app)
        app.send("R")
        assert app.wait_until(lambda screen: "REC" not in screen[0] and "recorded to" in "".join(screen))
        app.send("q")
        assert app.wait_exit(10) == 0
    finally:
        app.kill()
    [cast] = tmp_path.glob("gdtui-*.cast")
    assert casts.played(cast) == live  # begun on a running screen, the recording still shows all of it
    assert casts.markers(cast) == ["v", "R"]


def test_a_taken_name_is_numbered_and_the_file_left_as_it_was(tmp_path: Path) -> None:
    taken = tmp_path / "run.cast"
    taken.write_text("mine\n")
    app = PtyApp("--paused", "--record", str(taken))
    try:
        assert app.wait_for("least squares"), app.text()[-400:]
        app.send("q")
        assert app.wait_exit(10) == 0
    finally:
        app.kill()
    assert taken.read_text() == "mine\n"
    assert casts.read(tmp_path / "run-1.cast")[0]["version"] == 2
    assert f"recorded to {tmp_path / 'run-1.cast'}" in app.text()


def test_a_recording_that_cannot_be_made_is_one_line_and_exit_2_before_the_screen(tmp_path: Path) -> None:
    for path, why in [(tmp_path / "missing" / "run.cast", "no folder"), (Path("/sys/run.cast"), "Permission denied")]:
        app = PtyApp("--record", str(path))
        try:
            assert app.wait_exit(30) == 2
        finally:
            app.kill()
        said = app.text().strip().splitlines()
        assert len(said) == 1 and "--record" in said[0] and why in said[0], said
        assert "\x1b[?1049h" not in app.text()  # the screen never changed


def test_headless_has_no_screen_to_record_without_a_lesson(run_gdtui, tmp_path: Path) -> None:
    result = run_gdtui("--headless", "--record", str(tmp_path / "run.cast"))
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1
    assert "--record" in result.stderr and "--lesson" in result.stderr
    assert not (tmp_path / "run.cast").exists()
