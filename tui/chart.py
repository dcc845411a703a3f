"""A plotext picture drawn with Textual's line API: only rows that changed cross the wire."""

from __future__ import annotations

from rich.text import Text
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget
from textual_plotext import Plot

# plotext cannot lay out axes, ticks and a legend in less room than this.
MIN_WIDTH, MIN_HEIGHT = 16, 6


class Chart(Widget):
    """Base for gdtui's charts: subclasses plot into `self.plt` in `draw`.

    A refreshed Textual widget resends its whole area; redrawing a chart 10 times a second that
    way costs over 100 KiB/s at 100x30. Here the picture is built into rows, compared with the
    rows on screen, and only the rows that differ are refreshed.
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.plt = Plot()
        self._rows: list[Strip] = []
        self._drawn: object = None

    def picture(self) -> object:
        """A value that changes whenever the picture would: equal values skip the redraw."""
        raise NotImplementedError

    def draw(self, plt: Plot) -> None:
        raise NotImplementedError

    def redraw(self) -> None:
        """Rebuild the picture, if it changed, and refresh the rows that differ."""
        width, height = self.size
        picture = (width, height, self.picture())
        if picture == self._drawn:
            return
        self._drawn = picture
        if width < MIN_WIDTH or height < MIN_HEIGHT:
            rows: list[Strip] = []
        else:
            rows = self._build(width, height)
        old = self._rows
        self._rows = rows
        for y in range(max(len(rows), len(old))):
            if y >= len(rows) or y >= len(old) or rows[y] != old[y]:
                self.refresh(Region(0, y, width, 1))

    def _build(self, width: int, height: int) -> list[Strip]:
        plt = self.plt
        plt.clear_figure()
        plt.plotsize(width, height)
        plt.theme("clear")  # the terminal's own colours: readable in 16 colours and NO_COLOR
        self.draw(plt)
        console, style = self.app.console, self.rich_style
        lines = Text.from_ansi(plt.build()).split("\n", allow_blank=True)[:height]
        return [
            Strip(line.render(console)).adjust_cell_length(width).apply_style(style) for line in lines
        ]

    def on_resize(self) -> None:
        self._rows = []
        self._drawn = None
        self.redraw()
        self.refresh()

    def render_line(self, y: int) -> Strip:
        if y < len(self._rows):
            return self._rows[y]
        return Strip.blank(self.size.width, self.rich_style)
