"""What a storm of typed keys costs gdtui: CPU per key, and how long until it has taken them all in.

    python bench/key_storm.py [--keys 20000] [--rounds 3] [--size 100x30]

A paste without bracketed paste, a key held down, a script writing to the wrong pane: thousands
of keys at once, which gdtui must take in while it goes on answering. `gdtui --paused` runs in a
pseudo-terminal (bench/terminal.py); once it is up, --keys keys are written in 4 KiB writes:
(a) `l`, then that many digits into the lr dialog (its field takes 64 and drops the rest), then
Esc; (b) as many printable characters that no key of gdtui's binds, to the main screen. Measured
from the first write until gdtui's CPU time stops growing (under 20 ms in 0.5 s): its CPU seconds
(user + system, from /proc) and the wall seconds. Baseline, same run: a bare Textual app with one
text field (bench/bare_input.py) fed the digits, which is what Textual itself costs per key.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from terminal import ROOT, Terminal, bench_parser, gdtui, median

BARE = [sys.executable, str(ROOT / "bench" / "bare_input.py")]
UNBOUND = "dfhjkptuwyADEFGHIJKMOPQRSTUVWXY0123456789.,;:'\"!@#$%^&()_{}|<>/~`"  # binds nothing in gdtui


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


def storm(argv: list[str], keys: bytes, size: tuple[int, int]) -> tuple[float, float]:
    """(CPU seconds, wall seconds) the program takes to take in `keys`, from a settled start."""
    with Terminal(argv, size) as term:
        term.wait_for(lambda: "step" in term.top_line(), timeout=60)
        term.pump(2.0)  # the engine's loading and the first frames done
        cpu, start = cpu_seconds(term.pid), time.perf_counter()
        for offset in range(0, len(keys), 4096):
            term.send(keys[offset : offset + 4096])
        last = cpu_seconds(term.pid)
        while True:
            term.pump(0.5)
            now = cpu_seconds(term.pid)
            if now - last < 0.02:
                return now - cpu, time.perf_counter() - start - 0.5
            last = now


def main() -> None:
    parser = bench_parser(__doc__)
    parser.add_argument("--keys", type=int, default=20_000, help="keys per storm (default: 20000)")
    parser.add_argument("--rounds", type=int, default=3, help="storms of each kind (default: 3)")
    args = parser.parse_args()
    digits = b"9" * args.keys
    text = (UNBOUND * (args.keys // len(UNBOUND) + 1))[: args.keys].encode()
    storms = {
        "gdtui, lr dialog": (gdtui("--paused"), b"l" + digits + b"\x1b"),
        "gdtui, main screen": (gdtui("--paused"), text),
        "bare Textual field": (BARE, digits),
    }
    print(f"{args.keys:,} keys a storm, {args.rounds} rounds, terminal {args.size[0]}x{args.size[1]}")
    results: dict[str, list[tuple[float, float]]] = {name: [] for name in storms}
    for round_ in range(args.rounds):
        for name, (argv, keys) in storms.items():
            results[name].append(storm(argv, keys, args.size))
            cpu, wall = results[name][-1]
            print(f"round {round_ + 1}: {name:<20} {cpu:6.2f} s CPU  {wall:6.2f} s wall", flush=True)
    bare = median([cpu for cpu, _ in results["bare Textual field"]])
    for name, runs in results.items():
        cpu, wall = median([c for c, _ in runs]), median([w for _, w in runs])
        print(
            f"median: {name:<20} {cpu / args.keys * 1e6:6.0f} µs CPU a key ({cpu / bare:.2f}x bare Textual), "
            f"all taken in after {wall:.2f} s"
        )


if __name__ == "__main__":
    main()
