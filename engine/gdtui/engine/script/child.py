"""`python -m gdtui.engine.script.child SCRIPT ARGS...`: a user's script, run as `python SCRIPT
ARGS...` would run it, with the watch installed first. `gdtui run` starts it; nothing else should."""

from __future__ import annotations

import json
import math
import os
import runpy
import socket
import sys
import traceback
from dataclasses import dataclass

from gdtui.engine.script import api
from gdtui.engine.script.gate import Gate
from gdtui.engine.script.watcher import Watcher
from gdtui.engine.script.wire import FD_VARIABLE, SETTINGS_VARIABLE, Wire

WATCH_CODE = os.path.dirname(__file__)  # frames of the watch's own, left out of the script's traceback


@dataclass(frozen=True)
class Settings:
    """What `gdtui run`'s options ask of the watch."""

    paused: bool = False
    speed: float | None = None  # steps per second at most; None: as fast as the script goes
    pause_on_nan: bool = False

    def encode(self) -> str:
        return json.dumps(self.__dict__)


def main(argv: list[str]) -> int:
    settings = Settings(**json.loads(os.environ.pop(SETTINGS_VARIABLE, "{}")))
    fd = os.environ.pop(FD_VARIABLE, None)  # the script's own children (data loader workers) do not report
    speed = math.inf if settings.speed is None else settings.speed
    watcher = Watcher(Gate(paused=settings.paused and fd is not None, speed=speed), pause_on_nan=settings.pause_on_nan)
    watcher.install()
    api.watcher = watcher
    if fd is not None:
        watcher.connect(Wire(socket.socket(fileno=int(fd))))
    script, *args = argv
    path = os.path.abspath(script)
    sys.argv = [script, *args]
    sys.path[0] = os.path.dirname(path)  # as `python SCRIPT` puts the script's folder first
    try:
        runpy.run_path(path, run_name="__main__")
    except SystemExit:
        raise
    except BaseException as error:  # noqa: B036  # the script's own, shown as Python shows it, without gdtui's frames
        shown = traceback.TracebackException.from_exception(error)
        frames = [frame for frame in shown.stack if not (frame.filename.startswith(WATCH_CODE) or "runpy" in frame.filename)]
        shown.stack = traceback.StackSummary.from_list(frames or shown.stack)
        sys.stderr.write("".join(shown.format()))
        return 130 if isinstance(error, KeyboardInterrupt) else 1
    finally:
        sys.stdout.flush()
        watcher.finish()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
