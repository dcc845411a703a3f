"""Starting a user's script under the watch, as its own process: `python SCRIPT ARGS` with the
watch's hooks installed first (see child), its output to a log file or straight through."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from dataclasses import dataclass
from typing import IO

from gdtui.engine.script.wire import FD_VARIABLE, SETTINGS_VARIABLE, Wire


@dataclass
class Launched:
    process: subprocess.Popen[bytes]
    wire: Wire  # the app's end of the socket pair: the script's reports in, commands out


def launch(script: str, args: list[str], settings: str, *, log: IO[bytes] | None, detachable: bool = False) -> Launched:
    """Start SCRIPT with ARGS, a socket pair between it and this process. Its output goes to
    `log` (None: this process's own stdout and stderr). A `detachable` one runs in a session of
    its own, its stdin not the terminal's: the terminal's keys are the app's, and its ctrl+c and
    hang-up reach the script only through the app (q), so it can be left to run on."""
    ours, theirs = socket.socketpair()
    env = {**os.environ, "PYTHONUNBUFFERED": "1", SETTINGS_VARIABLE: settings, FD_VARIABLE: str(theirs.fileno())}
    process = subprocess.Popen(
        [sys.executable, "-m", "gdtui.engine.script.child", script, *args],
        stdin=subprocess.DEVNULL if detachable else None,
        stdout=log,
        stderr=subprocess.STDOUT if log is not None else None,
        env=env,
        pass_fds=(theirs.fileno(),),
        start_new_session=detachable,
    )
    theirs.close()
    return Launched(process, Wire(ours))


def exit_status(returncode: int) -> int:
    """A process's status as a shell reports it: 128 + the signal that ended it."""
    return 128 + -returncode if returncode < 0 else returncode


def interrupt(process: subprocess.Popen[bytes]) -> None:
    """What ctrl+c does to the script: KeyboardInterrupt in its main thread."""
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
