"""A plotext picture shown with gdtui's row widget: rebuilt only when it changed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.strip import Strip
from textual_plotext import Plot

from gdtui.rows import RowsWidget

if TYPE_CHECKING:
    from gdtui.engine.frame import Frame

# plotext cannot lay out axes, ticks and a legend in less room than this.
MIN_WIDTH, MIN_HEIGHT = 16, 6


class Chart(RowsWidget):
    """Base for gdtui's charts: subclasses say what the picture depends on, and plot it."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.plt = Plot()
        self.frame: Frame | None = None
        self._drawn: object = None
        self.builds = 0  # pictures built so far: plotext's cost, which a still frame must not pay

    def show(self, frame: Frame) -> None:
        """Show the run as of `frame`."""
        self.frame = frame
        self.redraw()

    def picture(self) -> object:
        """A value that changes whenever the picture would: equal values skip the rebuild."""
        raise NotImplementedError

    def draw(self, plt: Plot) -> None:
        raise NotImplementedError

    def redraw(self) -> None:
        """Rebuild the picture if it changed (plotext costs milliseconds), and show it."""
        if self.frame is None or not self.display:
            return
        width, height = self.size
        picture = (width, height, self.picture())
        if picture == self._drawn:
            return
        self._drawn = picture
        too_small = width < MIN_WIDTH or height < MIN_HEIGHT
        self.show_rows([] if too_small else self._build(width, height))

    def _build(self, width: int, height: int) -> list[Strip]:
        self.builds += 1
        plt = self.plt
        plt.clear_figure()
        plt.plotsize(width, height)
        # plotsize shrinks the plot to the terminal plotext finds on stdout: 24 lines where that
        # is a pipe, as under textual-serve or pytest. The widget is the plot's size, not that
        # (textual-plotext's own widget sets it the same way).
        plt._set_size(width, height)
        plt.theme("clear")  # the terminal's own colours: readable in 16 colours and NO_COLOR
        self.draw(plt)
        return self.text_rows(Text.from_ansi(plt.build()))

    def resized(self) -> None:
        self._drawn = None
        self.redraw()
