"""A widget drawn as rows of cells with Textual's line API, sending only the cells that changed.

A refreshed Textual widget resends its whole area: two charts redrawn 10 times a second that way
cost over 100 KiB/s at 100x30. Here each new picture is compared with the one on screen, and
only the span of cells that differs in each row is refreshed.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget


def cells(strip: Strip) -> tuple[str, list[Style | None]]:
    """The row's characters and the style of each (every character here is one cell wide)."""
    return strip.text, [segment.style for segment in strip for _ in segment.text]


def changed_span(old: Strip, new: Strip) -> tuple[int, int] | None:
    """[start, end) of the cells that differ between two rows, or None if none does."""
    if old == new:
        return None
    (old_text, old_styles), (new_text, new_styles) = cells(old), cells(new)
    if len(old_text) != len(new_text) or len(new_styles) != len(new_text) or len(old_styles) != len(old_text):
        return 0, max(len(old_text), len(new_text))  # wide characters or a resize: the whole row
    differs = [i for i, (a, b) in enumerate(zip(old_text, new_text)) if a != b]
    differs += [i for i, (a, b) in enumerate(zip(old_styles, new_styles)) if a != b]
    return (min(differs), max(differs) + 1) if differs else None


class RowsWidget(Widget):
    """Shows `self.rows`; `show_rows` swaps in new ones and refreshes just what changed."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[Strip] = []

    @property
    def plain(self) -> str:
        """What the widget shows, as plain text: one line per row."""
        return "\n".join(row.text for row in self.rows)

    def text_rows(self, text: Text) -> list[Strip]:
        """`text`, one row per line, cut or padded to the widget's width, in its colours."""
        console, style, width = self.app.console, self.rich_style, self.size.width
        lines = text.split("\n", allow_blank=True)[: self.size.height]
        return [Strip(line.render(console)).adjust_cell_length(width).apply_style(style) for line in lines]

    def show_rows(self, rows: list[Strip]) -> None:
        old, self.rows = self.rows, rows
        width = self.size.width
        for y in range(max(len(rows), len(old))):
            if y >= len(rows) or y >= len(old):
                self.refresh(Region(0, y, width, 1))
            elif span := changed_span(old[y], rows[y]):
                self.refresh(Region(span[0], y, span[1] - span[0], 1))

    def on_resize(self) -> None:
        self.rows = []  # everything is redrawn at the new size
        self.refresh()
        self.resized()

    def resized(self) -> None:
        """Draw again at the new size (Textual calls every class's on_resize: hook here)."""

    def render_line(self, y: int) -> Strip:
        if y < len(self.rows):
            return self.rows[y]
        return Strip.blank(self.size.width, self.rich_style)
