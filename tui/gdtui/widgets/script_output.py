"""What a watched script prints, from its log file, in a pane of the screen (never over it)."""

from __future__ import annotations

import re

from textual.widgets import Log

MOST_LINES = 2000  # kept in the pane; the log file keeps everything
READ_AT_ONCE = 1 << 20  # bytes read per look, so a script that prints flat out cannot stall the app
LONGEST = 4096  # characters of a line with no end yet that wait for it; past that, shown as it is
# A terminal's control sequences (colours, cursor moves, clearing): the script's, not the pane's to obey.
CONTROL = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]|[\x00-\x08\x0b-\x1f\x7f]")


def shown(line: str) -> str:
    """A line as the pane shows it: what a progress bar's last `\r` left, without control sequences."""
    return CONTROL.sub("", line.rstrip("\r").rpartition("\r")[2])


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
        if len(self._partial) > LONGEST:
            lines.append(self._partial)
            self._partial = ""
        if lines:
            self.write_lines(shown(line) for line in lines)
