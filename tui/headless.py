"""`gdtui --headless`: the seed's log lines, then a summary; how scripts use gdtui."""

from __future__ import annotations

import argparse
import contextlib
import itertools
import sys
import time

from gdtui.engine.analysis import stable_bound
from gdtui.engine.data import least_squares
from gdtui.engine.export import TrajectoryWriter
from gdtui.engine.setup import build
from gdtui.engine.train import Snapshot, Trainer
from gdtui.cli import load_data, run_config

EXIT_DIVERGED = 3
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it


def run_headless(args: argparse.Namespace) -> int:
    trainer = build(run_config(args), load_data(args))
    with contextlib.ExitStack() as stack:
        writer = stack.enter_context(open_export(args.export)) if args.export else None
        return train(trainer, args, writer)


def open_export(path: str) -> TrajectoryWriter:
    try:
        return TrajectoryWriter(path)
    except OSError as error:
        print(f"gdtui: error: argument --export: cannot write {path!r}: {error.strerror}", file=sys.stderr)
        sys.exit(2)


def train(trainer: Trainer, args: argparse.Namespace, writer: TrajectoryWriter | None) -> int:
    start = time.perf_counter()
    last = good = trainer.initial
    try:
        for last in itertools.islice(trainer.run(), args.steps or None):
            if last.diverged:
                hyper = trainer.hyper
                bound = stable_bound(trainer.data, hyper.optimizer, hyper.batch_size)
                stable = f"; {hyper.optimizer} on this data is stable only for lr < {bound:.3g}" if bound else ""
                print(
                    f"gdtui: diverged at step {good.step + 1}: the loss overflowed with lr {hyper.lr:g}"
                    f"{stable}; lower --lr",
                    file=sys.stderr,
                )
                return EXIT_DIVERGED
            good = last
            if writer:
                writer.write(last)
            if args.log_every and (last.step - 1) % args.log_every == 0:
                print(f"w={last.w},b={last.b},loss={last.loss}")  # the seed's own format
    except KeyboardInterrupt:  # ctrl+c ends an unlimited run: still say where it got to
        summarize(trainer, last, time.perf_counter() - start)
        return EXIT_INTERRUPTED
    summarize(trainer, last, time.perf_counter() - start)
    return 0


def summarize(trainer: Trainer, last: Snapshot, elapsed: float) -> None:
    w_star, b_star = least_squares(trainer.data)
    print(
        f"done: {last.step} steps, w={last.w:.6g}, b={last.b:.6g}, loss={last.loss:.6g};"
        f" least squares w*={w_star:.6g}, b*={b_star:.6g}; {last.step / elapsed:,.0f} steps/s"
    )
