"""`gdtui --headless`: the seed's log lines, then a summary; how scripts use gdtui."""

from __future__ import annotations

import argparse
import itertools
import sys
import time

from engine.analysis import stable_lr
from engine.data import least_squares
from engine.setup import build
from tui.cli import run_config

EXIT_DIVERGED = 3


def run_headless(args: argparse.Namespace) -> int:
    trainer = build(run_config(args))
    steps = itertools.islice(trainer.run(), args.steps or None)
    every = args.log_every
    snap = trainer.initial
    start = time.perf_counter()
    for snap in steps:
        if snap.diverged:
            print(
                f"gdtui: diverged at step {snap.step + 1}: the loss overflowed with lr {snap.lr:g};"
                f" full-batch gradient descent on this data is stable only for lr < "
                f"{stable_lr(trainer.data):.3g}, lower --lr",
                file=sys.stderr,
            )
            return EXIT_DIVERGED
        if every and (snap.step - 1) % every == 0:
            print(f"w={snap.w},b={snap.b},loss={snap.loss}")  # the seed's own format
    elapsed = time.perf_counter() - start
    w_star, b_star = least_squares(trainer.data)
    print(
        f"done: {snap.step} steps, w={snap.w:.6g}, b={snap.b:.6g}, loss={snap.loss:.6g};"
        f" least squares w*={w_star:.6g}, b*={b_star:.6g}; {snap.step / elapsed:,.0f} steps/s"
    )
    return 0
