"""`gdtui run SCRIPT [ARGS...]`: watch and steer a user's own PyTorch training script, unchanged."""

from __future__ import annotations

import argparse
import math
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import IO

from gdtui import parsing
from gdtui.arguments import ArgumentParser, checked

DESCRIPTION = """\
Run a PyTorch training script, unchanged, and watch and steer it live.

gdtui starts `python SCRIPT ARGS...` with PyTorch's global optimizer step hooks installed: it
shows each step's loss, the lr of each param group, each layer's parameter and gradient norms and
update size, and the script's own output in a pane. space holds the script before its next
optimizer step, n lets one step through, + - l change the lr from the next step. A loop with no
optimizer (w -= lr * w.grad by hand) is held at backward(), and + - scale its gradients there.
Under torchrun, rank 0 shows the screen and every rank pauses and takes the lr at the same step.
"""

EPILOG = """\
examples:
  gdtui run train.py --epochs 3       watch train.py (its own options after its name)
  gdtui run --paused train.py         hold it before its first step
  gdtui run --pause-on-nan train.py   hold it before an update whose loss or gradient is nan/inf
  gdtui run train.py | tee run.txt    not a terminal: plain progress lines between its output
  torchrun --nproc-per-node 2 --no-python gdtui run train.py
                                      every rank watched; rank 0 shows the screen

in the script, optionally:
  from gdtui.watch import watch
  with watch(model, optimizer) as run:   (names the layers; run.log(val_loss=...) adds a curve)

exit status: the script's own (128+N when signal N ended it; 130 after a stop, as ctrl+c);
             0 after detaching; 2 bad option or script
"""


def build_parser() -> ArgumentParser:
    parser = ArgumentParser(
        prog="gdtui run", description=DESCRIPTION, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--paused", action="store_true", help="hold the script before its first step")
    parser.add_argument(
        "--speed", type=checked(parsing.speed), default=math.inf, metavar="S",
        help="steps per second at most, or 'max' (default: max, as fast as the script goes)",
    )
    parser.add_argument("--pause-on-nan", action="store_true", help="hold the script before an update whose loss or gradient is not finite")
    parser.add_argument(
        "--output", metavar="FILE",
        help="append the script's output to FILE (default: with the app, a new file in the temporary folder; "
        "without, straight through; torchrun's other ranks add .rankN)",
    )
    parser.add_argument(
        "--record", metavar="FILE",
        help="record the app's screen and each key pressed to FILE, an asciicast v2 recording (asciinema's .cast); "
        "R stops and starts it. An existing file is never replaced: a taken name is numbered",
    )
    parser.add_argument("--plain", action="store_true", help="no app: plain progress lines, even on a terminal")
    parser.add_argument("script", help="the Python script to run")
    parser.add_argument("args", nargs=argparse.REMAINDER, help="the script's own arguments")
    return parser


def rank() -> int:
    """This process's rank under torchrun (0 alone)."""
    try:
        return int(os.environ.get("RANK", "0"))
    except ValueError:
        return 0


def log_path(given: str | None, script: str, rank: int) -> str:
    suffix = f".rank{rank}" if rank else ""
    if given:
        return given + suffix
    return os.path.join(tempfile.gettempdir(), f"gdtui-{Path(script).stem}-{os.getpid()}{suffix}.log")


def open_log(parser: ArgumentParser, path: str) -> IO[bytes]:
    try:
        return open(path, "ab")
    except OSError as error:
        parser.error(f"--output {path}: {error.strerror}")


def error_tail(path: str, start: int) -> str:
    """The script's last traceback in its log from `start` (this run's output), as Python printed
    it (empty if none)."""
    try:
        with open(path, "rb") as log:
            log.seek(start)
            text = log.read().decode(errors="replace")
    except OSError:
        return ""
    start = text.rfind("Traceback (most recent call last):")
    return text[start:] if start >= 0 else ""


def main(argv: Sequence[str]) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not os.path.isfile(args.script):
        parser.error(f"{args.script}: no such file")
    from gdtui.engine.run.script import ScriptRun
    from gdtui.engine.script.child import Settings
    from gdtui.engine.script.launch import launch

    me = rank()
    world = int(os.environ.get("WORLD_SIZE", "1") or 1)
    screen = me == 0 and not args.plain and sys.stdout.isatty() and sys.stdin.isatty()
    if (args.paused or args.pause_on_nan) and not screen and me == 0:
        parser.error(f"{'--paused' if args.paused else '--pause-on-nan'} needs the app on a terminal, to run on from a pause")
    if args.record and not screen and me == 0:
        parser.error("--record records the app's screen: it needs a terminal")
    if args.record and not os.path.isdir(os.path.dirname(args.record) or "."):
        parser.error(f"--record: no folder {os.path.dirname(args.record)!r} to save {os.path.basename(args.record)!r} in")
    settings = Settings(paused=args.paused, speed=None if math.isinf(args.speed) else args.speed, pause_on_nan=args.pause_on_nan)
    script = os.path.basename(args.script)
    if me != 0:  # another rank: its output and its progress lines to its own log, nothing on the terminal
        path = log_path(args.output, args.script, me)
        log = open_log(parser, path)
        # Held, paced and given an lr by rank 0 alone: the others follow it at each step (see ranks).
        launched = launch(args.script, args.args, Settings().encode(), log=log)
        from gdtui.headless.script import follow

        with open(path, "a", encoding="utf-8") as out:
            return follow(ScriptRun(launched, script, running=True, speed=args.speed, world=world), out)
    if not screen:  # the script's output straight through, or to --output
        output = open_log(parser, log_path(args.output, args.script, me)) if args.output else None
        launched = launch(args.script, args.args, settings.encode(), log=output)
        from gdtui.headless.script import follow

        return follow(ScriptRun(launched, script, running=True, speed=args.speed, world=world), sys.stdout)
    from gdtui.engine.data.export import ExportError
    from gdtui.script_app import ScriptApp
    from gdtui.sharing import Sharing

    app = ScriptApp()
    if args.record:
        app.sharing = Sharing(record=args.record)
        try:  # before the script starts: a recording that cannot be made is one line, and nothing ran
            app.recorder.start(args.record)
        except ExportError as error:
            parser.error(f"--record {error}")
    path = log_path(args.output, args.script, me)
    log = open_log(parser, path)
    start = log.seek(0, os.SEEK_END)  # the file may hold earlier runs: the pane shows this one's
    launched = launch(args.script, args.args, settings.encode(), log=log, detachable=True)
    run = ScriptRun(launched, script, running=not args.paused, speed=args.speed, world=world)
    app.attach(run, path, start)
    app.run(mouse=False)
    if run.detached:
        print(f"gdtui: detached: {script} runs on as pid {launched.process.pid}, printing to {path}")
        return 0
    if run.status is None:  # gdtui itself was ended (a signal): the script runs on unwatched
        return app.return_code or 0
    tail = error_tail(path, start) if run.status else ""
    if tail:
        sys.stderr.write(tail if tail.endswith("\n") else tail + "\n")
    print(f"gdtui: {script} exited with status {run.status} after {run.step} steps; its output is in {path}", file=sys.stderr)
    return run.status
