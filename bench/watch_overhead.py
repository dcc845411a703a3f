"""What does `gdtui run` cost a script's steps? The same loop alone and watched, alternating.

    python bench/watch_overhead.py [--steps 3000] [--rounds 5] [--blocks 15]

First, in one process: a tiny loop (Linear(1,1), SGD) in blocks of STEPS, with the watch's hooks
installed and reporting over a socket (read by a thread, as the app would) for every other block,
and taken out for the rest: the watch's fixed cost a step, free of process-to-process scatter.
Then whole processes:
The script times its own loop (perf_counter around it, so neither Python's start nor torch's
import is in it) and prints seconds per step. Two loops: a tiny one (Linear(1,1), SGD, ~100 µs a
step), where the watch's fixed cost per step shows plainly, and one of about 5 ms a step (a
352-wide MLP on a batch of 704, on one thread). Watched means `gdtui run --plain`: every hook, the sender thread
and the app's process reading its reports, without a screen (the screen's own cost is in
throughput.py). Medians of the rounds; the cost a step is watched - alone.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from terminal import ROOT

SCRIPT = """\
import sys, time, torch
torch.set_num_threads(1)  # one thread: steps that take the same time on a machine of two cores
torch.manual_seed(0)
steps, width, batch = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
model = torch.nn.Sequential(torch.nn.Linear(width, width), torch.nn.ReLU(), torch.nn.Linear(width, 1))
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3)
x, y = torch.rand(batch, width), torch.rand(batch, 1)
for _ in range(20):  # warm up: the first steps allocate
    optimizer.zero_grad(); ((model(x) - y) ** 2).mean().backward(); optimizer.step()
start = time.perf_counter()
for _ in range(steps):
    optimizer.zero_grad()
    loss = ((model(x) - y) ** 2).mean()
    loss.backward()
    optimizer.step()
print(f"SECONDS_PER_STEP {(time.perf_counter() - start) / steps}")
"""


def seconds_per_step(command: list[str]) -> float:
    done = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT)
    line = next(line for line in done.stdout.splitlines() if line.startswith("SECONDS_PER_STEP"))
    return float(line.split()[1])


def in_process(steps: int, blocks: int) -> tuple[list[float], list[float]]:
    """Seconds a step of the tiny loop, alone and watched, block by block."""
    import socket
    import threading
    import time

    import torch

    from gdtui.engine.script.gate import Gate
    from gdtui.engine.script.watcher import Watcher
    from gdtui.engine.script.wire import Wire

    model = torch.nn.Linear(1, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-3)
    x, y = torch.rand(64, 1), torch.rand(64, 1)
    app_end, script_end = socket.socketpair()
    app = Wire(app_end)
    threading.Thread(target=lambda: [app.receive(block=True) for _ in iter(int, 1)], daemon=True).start()

    def block() -> float:
        start = time.perf_counter()
        for _ in range(steps):
            optimizer.zero_grad()
            loss = ((model(x) - y) ** 2).mean()
            loss.backward()
            optimizer.step()
        return (time.perf_counter() - start) / steps

    block()  # warm up
    alone, watched = [], []
    for _ in range(blocks):
        alone.append(block())
        watcher = Watcher(Gate())
        watcher.install()
        watcher.connect(Wire(script_end))
        watched.append(block())
        watcher.detach()
        watcher.uninstall()
    return alone, watched


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--blocks", type=int, default=15)
    args = parser.parse_args()
    alone, watched = in_process(args.steps, args.blocks)
    costs = sorted(w - a for a, w in zip(alone, watched))
    print(
        f"in one process, tiny step: alone {statistics.median(alone) * 1e6:.1f} µs, watched {statistics.median(watched) * 1e6:.1f} µs; "
        f"the watch's cost a step, median of {args.blocks} block pairs: {statistics.median(costs) * 1e6:.1f} µs "
        f"(quartiles {costs[len(costs) // 4] * 1e6:.1f} to {costs[3 * len(costs) // 4] * 1e6:.1f})"
    )
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "loop.py"
        script.write_text(SCRIPT)
        for label, width, batch, steps in (("tiny step", 1, 64, args.steps), ("~5 ms step", 352, 704, max(args.steps // 20, 50))):
            shape = [str(steps), str(width), str(batch)]
            alone, watched = [], []
            for _ in range(args.rounds):
                alone.append(seconds_per_step([sys.executable, str(script), *shape]))
                watched.append(seconds_per_step([sys.executable, "-m", "gdtui", "run", "--plain", str(script), *shape]))
            a, w = statistics.median(alone), statistics.median(watched)
            print(
                f"{label}: alone {a * 1e6:.1f} µs a step, watched {w * 1e6:.1f} µs "
                f"(+{(w - a) * 1e6:.1f} µs = {100 * (w - a) / a:+.1f} %), rounds alone {[round(t * 1e6, 1) for t in alone]} "
                f"watched {[round(t * 1e6, 1) for t in watched]}"
            )


if __name__ == "__main__":
    main()
