"""A recording of what an app sends to its terminal, as an asciicast v2 file (asciinema's format):
the output with its timing, each resize as an "r" event, and each key pressed as a marker ("m")
named after it, so that a replay shows what was pressed.

The sparing driver (terminal/driver.py) hands its Recorder every string it writes and every size
it draws at; the app hands it the keys. Each event is one JSON line, flushed as it is written: a
run that is killed or loses its SSH connection leaves a file that plays up to that moment. The
file is made new, never replacing one (as `e` saves: taken names are numbered).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from typing import TextIO

from gdtui.engine.data.export import create

Size = tuple[int, int]  # columns, rows


class Recorder:
    """The recording an app may have going; idle (recording nothing) until start()."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.size: Size | None = None  # the size drawn at, known once the driver has written
        self.file: TextIO | None = None
        self.path: str | None = None  # the file being written
        self.started = 0.0  # the clock when the header went out: events are timed from it
        self.headed = False  # the header is written (it needs the size)
        self.fresh = False  # started on a running screen: the driver resends it in full first
        self.failed: Callable[[str], object] = lambda why: None  # told why, if writing fails

    @property
    def recording(self) -> bool:
        return self.file is not None

    def start(self, path: str, *, fresh: bool = False) -> str:
        """Record into a new file at `path` (or `path` numbered, if taken); the name taken.
        `fresh`: the screen is up already, so the driver must send it whole once more (the
        recording would otherwise begin with only what changes next). Raises ExportError."""
        self.file, self.path = create(path, new=True)
        self.headed, self.fresh = False, fresh
        if self.size is not None:
            self._header()
        return self.path

    def stop(self) -> str | None:
        """Close the recording; the file's name (None when there was none)."""
        file, path, self.file, self.headed = self.file, self.path, None, False
        if file is not None:
            try:
                file.close()
            except OSError:
                pass  # every event was flushed as written: a failure would have said so then
        return path

    def resized(self, size: Size) -> None:
        """The driver draws at `size` from now on."""
        if size == self.size:
            return
        self.size = size
        if self.file is not None:
            if self.headed:
                self._event("r", f"{size[0]}x{size[1]}")
            else:
                self._header()

    def sent(self, data: str) -> None:
        """What the driver has just written to the terminal."""
        if data and self.headed:
            self._event("o", data)

    def pressed(self, key: str) -> None:
        """A key the app has read (or a lesson pressed), by its name."""
        if self.headed:
            self._event("m", key)

    def _header(self) -> None:
        assert self.size is not None
        width, height = self.size
        self.started = self.clock()
        self.headed = True
        env = {"TERM": os.environ.get("TERM", "")}
        self._line({"version": 2, "width": width, "height": height, "timestamp": int(time.time()), "env": env})

    def _event(self, code: str, data: str) -> None:
        self._line([round(self.clock() - self.started, 6), code, data])

    def _line(self, value: object) -> None:
        assert self.file is not None
        try:
            self.file.write(json.dumps(value, ensure_ascii=False) + "\n")
            self.file.flush()
        except OSError as error:  # a full disk, a FIFO whose reader went away: stop, and say why
            self.stop()
            self.failed(f"recording stopped: cannot write {self.path!r}: {error.strerror}")
