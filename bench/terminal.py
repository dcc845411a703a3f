"""A pseudo-terminal for the benchmarks: run a program in it, read all it writes, see its screen.

    with Terminal(gdtui("--paused"), size=(100, 30)) as term:
        term.wait_for(lambda: "step" in term.top_line(), timeout=20)
        term.send(b" ")
        term.pump(0.5)
        print(term.top_line(), term.bytes_read)

The program gets the pty's slave side as stdin, stdout and stderr (Textual draws on stderr) and
as its controlling terminal, TERM=xterm-256color, COLUMNS/LINES and a window size set with
TIOCSWINSZ. Everything it writes is counted and fed to a `pyte.Screen` through a
`pyte.ByteStream`, so a benchmark reads the screen a person would see. The screen answers status
reports (where the cursor is) as every common terminal does; `answers=False` for a terminal
that answers nothing.
"""

from __future__ import annotations

import argparse
import errno
import fcntl
import os
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import pyte

ROOT = Path(__file__).resolve().parents[1]


def gdtui(*options: str) -> list[str]:
    """The real gdtui command line, run from the repo root with this Python."""
    return [sys.executable, "-m", "gdtui", *options]


def source_path(root: Path = ROOT) -> str:
    """PYTHONPATH for a checkout's own code, its source roots: the venv's installed gdtui may be another's."""
    return os.pathsep.join(str(root / part) for part in ("engine", "tui"))


def installed_path(checkout: Path, folder: Path) -> str:
    """PYTHONPATH for another checkout's gdtui, whatever its layout: a copy of it installed into `folder`."""
    pip = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation", "--target", str(folder)]
    subprocess.run([*pip, str(checkout)], check=True)
    return str(folder)


def bench_parser(doc: str | None) -> argparse.ArgumentParser:
    """The options every pty benchmark takes: its docstring as --help, and the terminal size."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=terminal_size, default="100x30", help="terminal COLUMNSxLINES (default: 100x30)")
    return parser


def terminal_size(text: str) -> tuple[int, int]:
    columns, _, lines = text.lower().partition("x")
    return int(columns), int(lines)


def median(values: Sequence[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def kib(n: float) -> str:
    return f"{n / 1024:.1f} KiB"


def _controlling_tty() -> None:  # runs in the child, after setsid
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class AnsweringScreen(pyte.Screen):
    """A pyte screen that writes its answers (status reports) back, as a terminal does."""

    answer: Callable[[bytes], object] | None = None

    def write_process_input(self, data: str) -> None:
        if self.answer is not None:
            self.answer(data.encode())


class Terminal:
    """A program in a pty of `size` (columns, rows), its output read into a pyte screen."""

    def __init__(
        self, argv: Sequence[str], size: tuple[int, int] = (100, 30), env: dict | None = None, answers: bool = True
    ) -> None:
        self.argv = list(argv)
        self.columns, self.lines = size
        self.env = {**os.environ, **(env or {})}
        self.env.update(TERM="xterm-256color", COLUMNS=str(self.columns), LINES=str(self.lines))
        self.env.pop("NO_COLOR", None)
        self.screen = AnsweringScreen(self.columns, self.lines)
        if answers:
            self.screen.answer = self._answer
        self.stream = pyte.ByteStream(self.screen)
        self.bytes_read = 0
        self.started = 0.0
        self.closed = False  # the program closed its side (exited)
        self.proc: subprocess.Popen | None = None
        self.master = -1

    # Starting and stopping.

    def start(self) -> Terminal:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", self.lines, self.columns, 0, 0))
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            self.argv,
            cwd=ROOT,
            env=self.env,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            start_new_session=True,
            preexec_fn=_controlling_tty,
            close_fds=True,
        )
        os.close(slave)
        os.set_blocking(master, False)
        self.master = master
        return self

    def __enter__(self) -> Terminal:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self, timeout: float = 5.0) -> int | None:
        """Ask the program to quit (ctrl+c), then SIGTERM, then SIGKILL; return its status."""
        proc = self.proc
        if proc is None:
            return None
        if proc.poll() is None and not self.closed:
            try:
                self.send(b"\x03")
            except OSError:
                pass
        deadline = time.perf_counter() + timeout
        for sig in (None, signal.SIGTERM, signal.SIGKILL):
            if sig is not None and proc.poll() is None:
                proc.send_signal(sig)
                deadline = time.perf_counter() + timeout
            while proc.poll() is None and time.perf_counter() < deadline:
                self.pump(0.05)
            if proc.poll() is not None:
                break
        proc.wait()
        if self.master >= 0:
            os.close(self.master)
            self.master = -1
        return proc.returncode

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    # Talking to it.

    def _answer(self, data: bytes) -> None:
        if self.master >= 0 and not self.closed:
            os.write(self.master, data)

    def send(self, data: bytes) -> float:
        """Write keys to the program; return the time just before the write. While the pty's input
        is full (the program reads slower than this writes), read its output and write on."""
        now = time.perf_counter()
        while data:
            try:
                data = data[os.write(self.master, data) :]
            except BlockingIOError:
                self.read_once(0.01)
        return now

    def read_once(self, timeout: float) -> int:
        """Wait up to `timeout` s for output, read what is there, feed it to the screen."""
        if self.closed:
            time.sleep(max(timeout, 0))
            return 0
        ready, _, _ = select.select([self.master], [], [], max(timeout, 0))
        if not ready:
            return 0
        total = 0
        while True:
            try:
                data = os.read(self.master, 1 << 16)
            except BlockingIOError:
                break
            except OSError as error:  # EIO: the program has exited and closed the slave side
                if error.errno != errno.EIO:
                    raise
                self.closed = True
                break
            if not data:
                self.closed = True
                break
            total += len(data)
            self.stream.feed(data)
        self.bytes_read += total
        return total

    def pump(self, seconds: float, each: Callable[[float], object] | None = None) -> None:
        """Read for `seconds`; call `each(time)` after every read that brought bytes."""
        end = time.perf_counter() + seconds
        while (left := end - time.perf_counter()) > 0:
            if self.read_once(min(left, 0.05)) and each is not None:
                each(time.perf_counter())

    def wait_for(self, condition: Callable[[], bool], timeout: float = 30.0, poll: float = 0.05) -> float:
        """Read until `condition()` holds; return the time it first did. TimeoutError after `timeout`."""
        end = time.perf_counter() + timeout
        while True:
            if condition():
                return time.perf_counter()
            if time.perf_counter() > end:
                raise TimeoutError(f"{' '.join(self.argv)}: not seen in {timeout:.0f} s; screen:\n{self.text()}")
            if self.closed and self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError(f"{' '.join(self.argv)}: exited {self.proc.returncode}; screen:\n{self.text()}")
            self.read_once(poll)

    # Reading the screen.

    def line(self, y: int) -> str:
        row = self.screen.buffer[y]
        return "".join(row[x].data for x in range(self.columns))

    def top_line(self) -> str:
        return self.line(0)

    def text(self) -> str:
        return "\n".join(self.screen.display)

    def state_word(self) -> str:
        """The first word of the top line: RUNNING, PAUSED, DONE or DIVERGED for gdtui."""
        words = self.top_line().split()
        return words[0] if words else ""

    def step(self) -> int | None:
        """gdtui's step counter from its top line, `step   1234 / 3000`, or None."""
        words = self.top_line().split()
        try:
            return int(words[words.index("step") + 1])
        except (ValueError, IndexError):
            return None

    def rss_kib(self) -> int:
        """Resident memory of the program (VmRSS), in KiB."""
        with open(f"/proc/{self.pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        raise RuntimeError("no VmRSS")

    def settle(self, quiet: float = 1.0, timeout: float = 15.0) -> float:
        """Read until nothing has come for `quiet` s (or `timeout` s passed); return the wait."""
        start = time.perf_counter()
        last = start
        while time.perf_counter() - start < timeout:
            if self.read_once(0.05):
                last = time.perf_counter()
            elif time.perf_counter() - last >= quiet:
                break
        return time.perf_counter() - start

