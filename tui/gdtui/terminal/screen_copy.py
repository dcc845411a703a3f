"""Send only the cells that changed: Textual's output checked against what the terminal shows.

Textual sends a refreshed region of a row from the widget's left edge to the region's end, each
run of cells with its style in full and a reset after it: a chart frame whose curve moved by a
few cells resends whole rows of axes, labels and blanks. Like curses, this keeps a copy of what
the terminal shows (character and style per cell) and rewrites each write to send only the cells
that differ, with short cursor moves and only the style changes between them. A write it cannot
follow (a wide character, a control byte, an escape other than a style or a cursor move) goes
out as it is and the copy is forgotten, so the next frame is sent in full: never a wrong screen,
at worst the bytes Textual would have sent.
"""

from __future__ import annotations

import re

from rich.cells import cell_len

from gdtui.terminal.sgr import PLAIN, RESET, Style, change, parse

TOKEN = re.compile(r"(\x1b\[[0-9;]*m|\x1b\[\d*;?\d*H|\n)")
# Mode switches, queries and OSC settings (pointer shape, title) draw nothing; switching to
# the alternate screen does, so it is not among them.
DRAWS_NOTHING = re.compile(
    r"(?:\x1b\[\?(?!47[hl]|1047|1049)[\d;]*(?:[hl]|\$p)|\x1b\[[56]n|\x1b\[[<>=]\d*u"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\))+"
)
GAP = 5  # unchanged cells between two changed ones that are cheaper resent than skipped

Cell = tuple[str, Style]


class ScreenCopy:
    """What the terminal shows, cell by cell, as far as this has seen it written."""

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], Cell] = {}  # (row, column) -> (character, style)
        self.cursor: tuple[int, int] | None = None

    def forget(self) -> None:
        """The terminal may show anything now (resized, cleared, another program ran)."""
        self.cells.clear()
        self.cursor = None

    def rewrite(self, data: str) -> str:
        """`data`, or what makes the terminal show the same with fewer bytes."""
        if not data or DRAWS_NOTHING.fullmatch(data):
            return data
        drawn = self._cells(data)
        if drawn is None:
            self.forget()
            return data
        cells, cursor = drawn
        changed = sorted(pos for pos, cell in cells.items() if self.cells.get(pos) != cell)
        self.cells.update(cells)
        out: list[str] = []
        shown = PLAIN
        at: tuple[int, int] | None = None  # where the cursor is after what `out` writes
        for row, column in self._with_short_gaps(changed):
            if at != (row, column):
                out.append(move(at, row, column))
            char, style = self.cells[row, column]
            if style != shown:
                out.append(change(shown, style))
                shown = style
            out.append(char)
            at = (row, column + 1)
        if shown != PLAIN:
            out.append(RESET)
        if cursor is not None and (out or cursor != self.cursor):
            out.append(move(None, *cursor))
            self.cursor = cursor
        return "".join(out)

    def _with_short_gaps(self, changed: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """The changed cells, and the unchanged ones in short gaps between them on a row."""
        cells: list[tuple[int, int]] = []
        for row, column in changed:
            if cells and cells[-1][0] == row and column - cells[-1][1] <= GAP:
                gap = [(row, c) for c in range(cells[-1][1] + 1, column)]
                if all(pos in self.cells for pos in gap):
                    cells += gap
            cells.append((row, column))
        return cells

    @staticmethod
    def _cells(data: str) -> tuple[dict[tuple[int, int], Cell], tuple[int, int] | None] | None:
        """The cells `data` draws and where it leaves the cursor, or None if it cannot tell."""
        cells: dict[tuple[int, int], Cell] = {}
        style = PLAIN
        row = column = None
        cursor = None
        for part in TOKEN.split(data):
            if not part:
                continue
            if part.startswith("\x1b[") and part.endswith("m"):
                parsed = parse(part[2:-1], style)
                if parsed is None:
                    return None
                style = parsed
            elif part.startswith("\x1b[") and part.endswith("H"):
                numbers = [int(n) if n else 1 for n in part[2:-1].split(";")]
                row, column = numbers[0] - 1, (numbers[1] if len(numbers) > 1 else 1) - 1
                cursor = (row, column)
            elif part == "\n":
                row = column = cursor = None  # Textual moves the cursor before the next row
            else:
                if row is None or column is None or not part.isprintable() or cell_len(part) != len(part):
                    return None
                for char in part:
                    cells[row, column] = (char, style)
                    column += 1
                cursor = None
        return cells, cursor


def move(at: tuple[int, int] | None, row: int, column: int) -> str:
    """The shortest cursor move from `at` (None: anywhere) to (row, column)."""
    if at is not None and at[0] == row and column > at[1]:
        steps = column - at[1]
        return "\x1b[C" if steps == 1 else f"\x1b[{steps}C"
    return f"\x1b[{row + 1}H" if column == 0 else f"\x1b[{row + 1};{column + 1}H"
