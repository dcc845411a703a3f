"""gdtui started in a small terminal: the too-small notice (or a layout that fits), never an exit,
and the whole app once the terminal grows. Each size is a real start in a pty: a Resize that
comes before the screen is composed happens only at start."""

from __future__ import annotations

import pytest

from pty_app import PtyApp

START_SECONDS = 60  # torch's import on a loaded 2-core machine
MIN_SIZE = (60, 16)  # gdtui's own minimum (tui/gdtui/app.py)
STATES = ("LOADING", "RUNNING", "PAUSED", "DONE")
OPTIONS = {
    "single run": [],
    "logistic": ["--model", "logistic"],
    "race": ["--compare", "gd,momentum,adam"],
    "explain": ["--explain"],
}


def flat(screen: list[str]) -> str:
    """The screen's words in order, wrapped lines joined."""
    return " ".join(" ".join(screen).split())


def notice(columns: int, rows: int):
    return lambda screen: f"terminal too small (need {MIN_SIZE[0]}×{MIN_SIZE[1]}, have {columns}×{rows}); q quits" in flat(screen)


def whole_app(states: tuple[str, ...], keys: str):
    """A state word on the top row and the footer's keys on the bottom one."""
    return lambda screen: screen[0].split()[:1] in ([state] for state in states) and keys in screen[-1]


@pytest.mark.parametrize("size", [(20, 6), (40, 10), (60, 15), (70, 20)], ids="{0[0]}x{0[1]}".format)
@pytest.mark.parametrize("options", OPTIONS.values(), ids=OPTIONS.keys())
def test_gdtui_started_small_shows_the_notice_or_fits_then_grows_into_the_whole_app(options, size) -> None:
    columns, rows = size
    fits = columns >= MIN_SIZE[0] and rows >= MIN_SIZE[1]
    at_start = whole_app(STATES, "space Run/Pause") if fits else notice(columns, rows)
    app = PtyApp(*options, size=size)
    try:
        assert app.wait_until(at_start, START_SECONDS), f"exit status {app.status}\n{app.text()[-1500:]}"

        app.resize(100, 30)  # wide enough for every key in the footer
        assert app.wait_until(whole_app(STATES[1:], "q Quit"), START_SECONDS), f"exit status {app.status}\n{app.text()[-1500:]}"

        app.resize(columns, rows)  # and small again, now that the run is loaded
        assert app.wait_until(at_start, START_SECONDS), f"exit status {app.status}\n{app.text()[-1500:]}"
        assert "Traceback" not in app.text()
    finally:
        app.kill()
