"""Is gdtui's engine as fast as the seed's own loop? Whole processes, alternating, medians.

    python bench/engine_speed.py [--steps 20000] [--rounds 5]

(a) the seed's program (shared/seed), without its prints and its matplotlib picture, via `python -c`;
(b) `python -m gdtui --headless --steps N --log-every 0`.
Both times include starting Python and importing torch. A ratio median(seed) / median(gdtui)
of 1.0 or more means gdtui is at least as fast.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SEED = """\
import torch
import numpy as np
rate=0.01
x=torch.rand([500,1])
y_true=3*x+0.8
w=torch.rand([1,1],requires_grad=True)
b=torch.tensor(0,requires_grad=True,dtype=torch.float32)
for i in range({steps}):
    y_predict=torch.matmul(x,w)+b
    loss=(y_true-y_predict).pow(2).mean()
    if w.grad is not None:
        w.grad.data.zero_()
    if b.grad is not None:
        b.grad.data.zero_()
    loss.backward()
    w.data=w.data-rate*w.grad
    b.data=b.data-rate*b.grad
"""


def seconds(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=20_000, help="updates per run (default: 20000)")
    parser.add_argument("--rounds", type=int, default=5, help="runs of each (default: 5)")
    args = parser.parse_args()

    commands = {
        "seed": [sys.executable, "-c", SEED.format(steps=args.steps)],
        "gdtui": [sys.executable, "-m", "gdtui", "--headless", "--steps", str(args.steps), "--log-every", "0"],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    print(f"{args.steps} steps, {args.rounds} rounds, seconds per whole process")
    for round_ in range(1, args.rounds + 1):
        order = list(commands) if round_ % 2 else list(reversed(commands))  # alternate who goes first
        for name in order:
            times[name].append(seconds(commands[name]))
        print(f"round {round_}: " + "  ".join(f"{name} {t[-1]:.3f}" for name, t in times.items()))
    median = {name: statistics.median(t) for name, t in times.items()}
    print("median:  " + "  ".join(f"{name} {m:.3f}" for name, m in median.items()))
    print(f"ratio median(seed) / median(gdtui) = {median['seed'] / median['gdtui']:.2f}")


if __name__ == "__main__":
    main()
