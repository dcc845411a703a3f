"""A watched script with no app: plain progress lines (stdout not a terminal), or none at all
(a torchrun rank other than 0, whose lines go to its log file)."""

from __future__ import annotations

import time
from typing import TextIO

from gdtui.engine.formats import value_text
from gdtui.engine.run.script import ScriptRun, lr_text

EVERY = 2.0  # seconds between progress lines
POLL = 0.05


def progress_line(run: ScriptRun, now: float) -> str:
    frame = run.frame(now)
    epoch = f"  epoch {frame.epoch}" if frame.epoch is not None else ""
    logged = "".join(f"  {name} {value:.4g}" for name, value in frame.latest.items() if name != "epoch")
    lr = f"  lr {lr_text(frame.lrs)}" if frame.kind != "backward" else ""
    return f"gdtui: step {frame.step}{epoch}  loss {value_text(frame.loss)}{logged}{lr}  {frame.rate:.0f} steps/s"


def follow(run: ScriptRun, out: TextIO, every: float = EVERY) -> int:
    """Report on `run` every `every` seconds until the script exits; its exit status."""
    said_at, said_step = time.monotonic(), 0
    said_nonfinite = False
    while True:
        try:
            now = time.monotonic()
            run.tick(now)
            if run.nonfinite is not None and not said_nonfinite:
                said_nonfinite = True
                step, what = run.nonfinite
                print(f"gdtui: non-finite {what} at step {step}", file=out, flush=True)
            if run.status is not None:
                if run.step != said_step:
                    print(progress_line(run, now), file=out)
                print(f"gdtui: {run.script} exited with status {run.status} after {run.step} steps", file=out, flush=True)
                return run.status
            if now - said_at >= every and run.step != said_step:
                said_at, said_step = now, run.step
                print(progress_line(run, now), file=out, flush=True)
            time.sleep(POLL)
        except KeyboardInterrupt:  # ctrl+c reached the script too: report how it ends
            continue
