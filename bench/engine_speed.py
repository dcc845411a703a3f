"""Is gdtui's engine as fast as the seed's own loop? Whole processes, alternating, medians.

    python bench/engine_speed.py [--steps 20000] [--rounds 5] [--against OTHER_CHECKOUT ...]

(a) the seed's program (shared/seed), without its prints and its matplotlib picture, via `python -c`;
(b) `python -m gdtui --headless --steps N --log-every 0`, this checkout's code (and each
    `--against` checkout's, for a before and after in one run).
Both times include starting Python and importing torch; this checkout's source is compiled to
bytecode first, as installing compiles it (and torch's), so no run spends its start compiling. A ratio median(seed) / median(gdtui)
of 1.0 or more means gdtui is at least as fast. Wall seconds and CPU seconds (user + system)
are both given: on a shared machine the CPU time moves less with what else runs.
"""

from __future__ import annotations

import argparse
import compileall
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from terminal import ROOT, installed_path, source_path

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


def cpu_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def seconds(command: list[str], python_path: str) -> tuple[float, float]:
    """(wall, CPU) seconds of one whole process."""
    cpu, start = cpu_of_children(), time.perf_counter()
    env = {**os.environ, "PYTHONPATH": python_path}
    subprocess.run(command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start, cpu_of_children() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=20_000, help="updates per run (default: 20000)")
    parser.add_argument("--rounds", type=int, default=5, help="runs of each (default: 5)")
    parser.add_argument(
        "--against", type=Path, action="append", default=[], metavar="CHECKOUT",
        help="another checkout's root (a git worktree, say) whose gdtui is timed too",
    )
    args = parser.parse_args()

    for part in ("engine", "tui"):
        compileall.compile_dir(ROOT / part, quiet=1)
    headless = [sys.executable, "-m", "gdtui", "--headless", "--steps", str(args.steps), "--log-every", "0"]
    folder = tempfile.TemporaryDirectory(prefix="gdtui-build-")
    commands = {"seed": ([sys.executable, "-c", SEED.format(steps=args.steps)], ""), "gdtui": (headless, source_path())}
    for k, root in enumerate(args.against):
        commands[f"gdtui@{root.resolve().name}"] = (headless, installed_path(root, Path(folder.name) / str(k)))
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    print(f"{args.steps} steps, {args.rounds} rounds, seconds per whole process (wall/CPU)")
    for round_ in range(1, args.rounds + 1):
        order = list(commands) if round_ % 2 else list(reversed(commands))  # alternate who goes first
        for name in order:
            times[name].append(seconds(*commands[name]))
        print(f"round {round_}: " + "  ".join(f"{name} {t[-1][0]:.3f}/{t[-1][1]:.3f}" for name, t in times.items()))
    median = {name: tuple(statistics.median(column) for column in zip(*t)) for name, t in times.items()}
    print("median:  " + "  ".join(f"{name} {wall:.3f}/{cpu:.3f}" for name, (wall, cpu) in median.items()))
    for name in list(commands)[1:]:
        seed, ours = median["seed"], median[name]
        print(f"ratio median(seed) / median({name}) = {seed[0] / ours[0]:.2f} wall, {seed[1] / ours[1]:.2f} CPU")


if __name__ == "__main__":
    main()
