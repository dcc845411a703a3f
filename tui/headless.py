"""`gdtui --headless`: the seed's log lines, then a summary; how scripts use gdtui.

It drives the same Session as the app, one update at a time, so there is one training loop.
"""

from __future__ import annotations

import contextlib
import sys
import time

from gdtui.engine.config import RunConfig
from gdtui.engine.data import Dataset
from gdtui.engine.export import ExportError, TrajectoryWriter
from gdtui.engine.frame import Phase
from gdtui.engine.hyper import stable_text
from gdtui.engine.session import Session
from gdtui.engine.setup import start_session

EXIT_DIVERGED = 3
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it
EXIT_EXPORT = 2  # --export cannot be written, as when it cannot be opened


def run_headless(config: RunConfig, data: Dataset | None, *, log_every: int, export: str | None) -> int:
    session = start_session(config, data)
    try:
        with contextlib.ExitStack() as stack:
            writer = stack.enter_context(TrajectoryWriter(export)) if export else None
            return train(session, log_every, writer)
    except ExportError as error:  # unwritable, a full disk, a FIFO nobody reads
        print(f"gdtui: error: argument --export: {error}", file=sys.stderr)
        return EXIT_EXPORT


def train(session: Session, log_every: int, writer: TrajectoryWriter | None) -> int:
    start = time.perf_counter()
    try:
        while not session.done:
            before = session.latest
            snap = session.advance(1)
            if session.phase is Phase.DIVERGED:
                bound, optimizer = session.stable_lr, session.hyper.optimizer
                stable = f"; {optimizer} on this data is {stable_text(bound, session.model.bound_word)}" if bound else ""
                print(
                    f"gdtui: diverged at step {before.step + 1}: the loss overflowed with lr {session.lr:g}"
                    f"{stable}; lower --lr",
                    file=sys.stderr,
                )
                return EXIT_DIVERGED
            if writer:
                writer.write(snap)
            if log_every and (snap.step - 1) % log_every == 0:
                print(f"w={snap.w},b={snap.b},loss={snap.loss}")  # the original tutorial's format
    except KeyboardInterrupt:  # ctrl+c ends an unlimited run: still say where it got to
        summarize(session, time.perf_counter() - start)
        return EXIT_INTERRUPTED
    if writer:
        writer.close()  # before the summary: a last buffer that does not fit is the run's outcome
    summarize(session, time.perf_counter() - start)
    return 0


def summarize(session: Session, elapsed: float) -> None:
    last, best = session.latest, session.optimum
    accuracy = session.accuracy()
    if accuracy is None:  # the line: its least-squares optimum
        where = f"least squares w*={best.w:.6g}, b*={best.b:.6g}"
    elif best.finite:
        where = (
            f"accuracy={accuracy:.4f}; optimum w*={best.w:.6g}, b*={best.b:.6g}, loss*={best.loss:.6g},"
            f" accuracy*={best.accuracy:.4f}"
        )
    else:
        where = f"accuracy={accuracy:.4f}; separable classes: no finite optimum, the loss only nears 0 as |w| grows"
    print(
        f"done: {last.step} steps, w={last.w:.6g}, b={last.b:.6g}, loss={last.loss:.6g};"
        f" {where}; {last.step / elapsed:,.0f} steps/s"
    )
