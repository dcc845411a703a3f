"""Benchmarks of this checkout next to another build's, in one run: before and after at the same machine load.

    python bench/builds.py --against OTHER_CHECKOUT [--rounds 2] bench/startup.py "bench/bandwidth.py --size 80x24" ...

Each round runs every benchmark once per build, the builds' order alternating from round to
round, and prints each run's output under the build's name. The benchmarks (and their pty
harness) are this checkout's; only the gdtui they start differs: this checkout's source roots,
or the other checkout installed into a temporary folder (`pip install --target`), whatever its
layout. Compare each benchmark's figures line by line.
"""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

from terminal import installed_path, source_path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--against", type=Path, required=True, metavar="CHECKOUT", help="the other build's checkout (a git worktree, say)")
    parser.add_argument("--rounds", type=int, default=1, help="runs of each benchmark per build (default: 1)")
    parser.add_argument("benchmarks", nargs="+", help="benchmark scripts, each with its options as one argument")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gdtui-build-") as folder:
        builds = {"this build": source_path(), f"{args.against.resolve().name}": installed_path(args.against, Path(folder))}
        for round_ in range(1, args.rounds + 1):
            order = list(builds) if round_ % 2 else list(reversed(builds))
            for benchmark in args.benchmarks:
                for name in order:
                    print(f"== round {round_}: {benchmark} on {name}", flush=True)
                    env = {**os.environ, "PYTHONPATH": builds[name]}
                    subprocess.run([sys.executable, *shlex.split(benchmark)], env=env, check=True)


if __name__ == "__main__":
    main()
