"""What a watched script prints, from its log file, in a pane of the screen (never over it)."""

from __future__ import annotations

from textual.widgets import Log

MOST_LINES = 2000  # kept in the pane; the log file keeps everything
READ_AT_ONCE = 1 << 20  # bytes read per look, so a script that prints flat out cannot stall the app


class ScriptOutput(Log):
    """Follows a log file as the script writes it; pgup/pgdn scroll it."""

    def __init__(self, path: str, start: int = 0, *, id: str | None = None) -> None:
        super().__init__(max_lines=MOST_LINES, id=id)
        self.path = path
        self._offset = start  # where this run's output begins in the file (it may hold earlier runs')
        self._partial = ""

    def follow(self) -> None:
        """Show whatever the script has written since the last look."""
        try:
            with open(self.path, "rb") as log:
                log.seek(self._offset)
                chunk = log.read(READ_AT_ONCE)
        except OSError:
            return
        if not chunk:
            return
        self._offset += len(chunk)
        text = self._partial + chunk.decode("utf-8", errors="replace")
        *lines, self._partial = text.split("\n")
        if lines:
            self.write_lines(line.rstrip("\r") for line in lines)
