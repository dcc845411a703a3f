"""The line between a watched script and the app: one JSON object per line over a socket pair.

The script's process sends what happened (its steps, layers, logged values); the app sends what
to do (pause, run, step, lr, speed, detach). Either end closing is the other's cue: a script
whose app went away runs on unwatched, an app whose script ended says so.
"""

from __future__ import annotations

import json
import socket
import threading
from typing import Any

Message = dict[str, Any]

FD_VARIABLE = "GDTUI_WATCH_FD"  # the script's end of the socket pair, inherited by its process
SETTINGS_VARIABLE = "GDTUI_WATCH"  # the watch's settings, as JSON (see child.Settings)


class Wire:
    """One end of the socket pair: whole messages in and out."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self._pending = b""
        self.closed = False
        self._sending = threading.Lock()  # whole lines: the sender thread and the script's last words

    def send(self, message: Message) -> bool:
        """Send one message; False once the other end is gone."""
        try:
            with self._sending:
                self.sock.sendall(json.dumps(message, separators=(",", ":")).encode() + b"\n")
        except OSError:
            self.closed = True
            return False
        return True

    def receive(self, block: bool) -> list[Message]:
        """The whole messages that have arrived: waiting for one if `block`, else at once."""
        self.sock.setblocking(block)
        try:
            chunk = self.sock.recv(1 << 20)
        except (BlockingIOError, InterruptedError):
            return []
        except OSError:
            chunk = b""
        if not chunk:
            self.closed = True
            return []
        return self._parse(chunk)

    def _parse(self, chunk: bytes) -> list[Message]:
        """The whole lines in hand as messages; a line that is not one is skipped."""
        *lines, self._pending = (self._pending + chunk).split(b"\n")
        messages = []
        for line in lines:
            try:
                messages.append(json.loads(line))
            except ValueError:
                continue
        return messages

    def drain(self, timeout: float) -> list[Message]:
        """Every message still on its way from an end that has closed, waiting at most `timeout`
        seconds (a child of the script's may hold the socket open)."""
        messages: list[Message] = []
        self.sock.settimeout(timeout)
        while not self.closed:
            try:
                chunk = self.sock.recv(1 << 20)
            except OSError:  # the timeout, or the socket gone
                break
            if not chunk:
                self.closed = True
            messages += self._parse(chunk)
        return messages

    def close(self) -> None:
        self.closed = True
        try:
            self.sock.close()
        except OSError:
            pass
