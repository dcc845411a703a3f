"""The real `gdtui` in a pseudo-terminal, as a user's terminal (or an SSH session) runs it."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import sys
import termios
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pyte

ROOT = Path(__file__).resolve().parents[1]


class PtyApp:
    """Starts `gdtui ARGS` (or `program ARGS`) on a fresh pty; collects everything it writes to the terminal."""

    def __init__(
        self, *args: str, size: tuple[int, int] = (80, 24), env: dict[str, str] | None = None, cwd: Path = ROOT,
        program: tuple[str, ...] = (sys.executable, "-m", "gdtui"),
    ):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: the pty is its controlling terminal
            os.chdir(cwd)
            winsize(0, *size)  # before gdtui starts: its first look at the terminal sees `size`
            # An explicit environment without COLUMNS and LINES: they would pin the size and hide
            # every resize (shutil reads them first), and a test runner may have set them.
            child_env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
            child_env.update({"TERM": "xterm-256color", **(env or {})})
            os.execve(program[0], [*program, *args], child_env)
        self.output = bytearray()
        self.status: int | None = None
        self._resizes: list[tuple[int, tuple[int, int]]] = []  # (bytes written before it, size)
        self.resize(*size)
        self._terminal = pyte.Screen(*size)
        self._stream = pyte.ByteStream(self._terminal)
        self._fed = self._replayed = 0
        self._hung_up = False
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while not self._hung_up:
            # A read blocked on the master keeps it open after os.close(): wait with a timeout instead.
            if not select.select([self.fd], [], [], 0.1)[0]:
                continue
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.output += chunk

    def resize(self, columns: int, rows: int) -> None:
        self._resizes.append((len(self.output), (columns, rows)))
        winsize(self.fd, columns, rows)

    def screen(self) -> list[str]:
        """The terminal's rows as a person sees them now: all output so far, drawn at each size in turn."""
        output = bytes(self.output)
        for offset, (columns, rows) in self._resizes[self._replayed :]:
            self._stream.feed(output[self._fed : offset])
            self._fed = offset
            self._terminal.resize(rows, columns)
            self._replayed += 1
        self._stream.feed(output[self._fed :])
        self._fed = len(output)
        return list(self._terminal.display)

    def wait_until(self, shown: Callable[[list[str]], bool], timeout: float = 30) -> bool:
        """Whether the screen comes to show what `shown` looks for; False at once if gdtui exits."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if shown(self.screen()):
                return True
            if self.wait_exit(0) is not None:
                return False
            time.sleep(0.05)
        return False

    def text(self) -> str:
        return self.output.decode("utf-8", "replace")

    def wait_for(self, needle: str, timeout: float = 30) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if needle in self.text():
                return True
            time.sleep(0.05)
        return False

    def send(self, keys: str) -> None:
        os.write(self.fd, keys.encode())

    def hang_up(self) -> None:
        """What a dropped SSH connection does: the terminal's master side goes away."""
        self._hung_up = True
        self._reader.join()
        os.close(self.fd)

    def wait_exit(self, timeout: float) -> int | None:
        """The exit status (negative for a signal), or None if still running after `timeout`."""
        deadline = time.monotonic() + timeout
        while self.status is None:  # looks at least once: wait_exit(0) asks "has it exited?"
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = os.waitstatus_to_exitcode(status)
            elif time.monotonic() >= deadline:
                return None
            else:
                time.sleep(0.02)
        return self.status

    def kill(self) -> None:
        if self.status is None:
            try:
                os.kill(self.pid, 9)
                os.waitpid(self.pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass


def winsize(fd: int, columns: int, rows: int) -> None:
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
