"""Only changed cells are sent, and the terminal shows exactly what Textual drew."""

from __future__ import annotations

import pyte
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from gdtui.terminal.screen_copy import ScreenCopy

CONSOLE = Console(color_system="256", force_terminal=True)
LABEL, CURVE, BOLD = Style(color="grey70", bgcolor="grey11"), Style(color="cyan", bgcolor="grey11"), Style(bold=True)


def row(y: int, *runs: tuple[str, Style]) -> str:
    """One row as Textual's compositor writes it: a cursor move, then each run in full style."""
    return f"\x1b[{y + 1};1H" + Strip([Segment(text, style) for text, style in runs]).render(CONSOLE)


def frame(curve: str, value: str) -> str:
    return "\n".join(
        [
            row(0, (" w ", LABEL), (value, BOLD), ("   loss ", LABEL), ("2.5e-01", BOLD)),
            row(1, ("1e-1┤  ", LABEL), (curve, CURVE), ("      ", LABEL)),
            row(2, ("5e-2┤", LABEL), ("⠀" * 12, CURVE)),
        ]
    ) + "\x1b[1;1H"


def shown(*writes: str) -> list[list[pyte.screens.Char]]:
    screen = pyte.Screen(30, 4)
    stream = pyte.Stream(screen)
    for data in writes:
        stream.feed(data)
    return [[screen.buffer[y][x] for x in range(30)] for y in range(4)]


def test_the_terminal_shows_what_textual_drew_with_fewer_bytes() -> None:
    copy = ScreenCopy()
    first, second = frame("⠁⠂⠄⡀⢀", "0.50000"), frame("⠁⠂⠄⡀⣀", "0.50100")
    sent = [copy.rewrite(first), copy.rewrite(second)]
    assert shown(*sent) == shown(first, second)
    assert len(sent[1]) < len(second) / 4  # two cells changed, not three rows
    assert "5e-2" not in sent[1] and "loss" not in sent[1]


def test_an_unchanged_frame_sends_nothing() -> None:
    copy = ScreenCopy()
    copy.rewrite(frame("⠁⠂⠄⡀⢀", "0.50000"))
    assert copy.rewrite(frame("⠁⠂⠄⡀⢀", "0.50000")) == ""


def test_what_it_cannot_follow_goes_out_as_it_is_and_the_next_frame_in_full() -> None:
    copy = ScreenCopy()
    first = frame("⠁⠂⠄⡀⢀", "0.50000")
    copy.rewrite(first)
    clear = "\x1b[2J"  # the terminal no longer shows what the copy says
    assert copy.rewrite(clear) == clear
    again = copy.rewrite(first)
    assert shown(first, clear, again) == shown(first)
    wide = row(3, ("表", LABEL))
    assert copy.rewrite(wide) == wide


def test_requests_and_modes_pass_untouched_and_keep_the_copy() -> None:
    copy = ScreenCopy()
    copy.rewrite(frame("⠁⠂⠄⡀⢀", "0.50000"))
    for request in ("\x1b[6n", "\x1b[?2026h", "\x1b[?25l", "\x1b[?2026$p", "\x1b]22;default\x07"):
        assert copy.rewrite(request) == request
    assert copy.rewrite(frame("⠁⠂⠄⡀⢀", "0.50000")) == ""


def test_text_that_ends_in_a_capital_h_is_text_not_a_cursor_move() -> None:
    # Typed into the lr field, or a column name: "xyzH" once read as the cursor move ESC[...H.
    copy = ScreenCopy()
    first = frame("⠁⠂⠄⡀⢀", "0.50000") + row(3, ("got 'xyzH'", LABEL), ("H", BOLD))
    second = frame("⠁⠂⠄⡀⢀", "0.50000") + row(3, ("got 'abcH'", LABEL), ("H", BOLD))
    assert shown(copy.rewrite(first), copy.rewrite(second)) == shown(first, second)
