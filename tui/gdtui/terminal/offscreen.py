"""A terminal that is not there: Textual draws for it exactly as for a real one of the same size
(the sparing driver's writes, and so a recording of them, are the same), but the bytes go
nowhere and no key is read. What `--headless --lesson` plays on: no one is at the keyboard.

Like a terminal, it answers the status request each frame ends with (see pacing), so frames are
paced as on a fast local terminal.
"""

from __future__ import annotations

from textual import events
from textual.driver import Driver
from textual.geometry import Size

from gdtui.terminal.pacing import ASK

SIZE = (80, 24)  # columns, rows: the size gdtui is designed for


class OffscreenDriver(Driver):
    """Draws into nothing at the size it was given (`App.run(size=...)`), or SIZE."""

    def write(self, data: str) -> None:
        if ASK in data:  # the terminal's answer: "shown, and the cursor is here"
            self._app.post_message(events.CursorPosition(0, 0))

    def flush(self) -> None:
        pass

    def start_application_mode(self) -> None:
        size = Size(*(self._size or SIZE))
        self._app.post_message(events.Resize(size, size))  # as a terminal's driver says its size first

    def disable_input(self) -> None:
        pass

    def stop_application_mode(self) -> None:
        pass
