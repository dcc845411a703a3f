"""The terminal driver Textual would pick, sending only the cells that changed (see screen_copy)."""

from __future__ import annotations

from functools import cache

from textual.driver import Driver
from textual.geometry import Size

from gdtui.screen_copy import ScreenCopy


@cache
def sparing(base: type[Driver]) -> type[Driver]:
    """`base` (the Linux, Windows or web driver) with every write checked against a ScreenCopy."""

    class GdtuiDriver(base):  # type: ignore[valid-type, misc]
        copy: ScreenCopy | None = None
        size: Size | None = None

        def write(self, data: str) -> None:
            if self.copy is None:
                self.copy = ScreenCopy()
            if self._app.size != self.size:  # a resized terminal may have moved or cleared cells
                self.size = self._app.size
                self.copy.forget()
            super().write(self.copy.rewrite(data))

    GdtuiDriver.__name__ = GdtuiDriver.__qualname__ = f"Gdtui{base.__name__}"
    return GdtuiDriver
