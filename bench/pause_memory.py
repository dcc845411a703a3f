"""Does gdtui's memory grow with every pause? Space pressed hundreds of times.

    python bench/pause_memory.py [--size 80x24] [--presses 300] [--every 0.1]

`gdtui --paused --steps 0 --speed 10` runs in a pseudo-terminal (bench/terminal.py) and gets
`space` --presses times, --every seconds apart (so it runs and pauses in turn, training about one
step each time); its resident memory (VmRSS) is read after 20 warm-up presses and at the end.
Baseline, in the same run: the same app sent `n` (one step, no change of state) as many times,
which shows what training and drawing cost without pausing and resuming.
Target: growth over the presses within 20 MB.
"""

from __future__ import annotations

from terminal import Terminal, bench_parser, gdtui

WARMUP = 20


def growth(key: bytes, size: tuple[int, int], presses: int, every: float) -> tuple[float, float]:
    """(MiB after warm-up, MiB grown over `presses` more presses of `key`)."""
    with Terminal(gdtui("--paused", "--steps", "0", "--speed", "10"), size) as term:
        term.wait_for(lambda: term.state_word() == "PAUSED", timeout=60)
        for _ in range(WARMUP):
            term.send(key)
            term.pump(every)
        term.settle()
        start = term.rss_kib()
        for _ in range(presses):
            term.send(key)
            term.pump(every)
        term.settle()
        return start / 1024, (term.rss_kib() - start) / 1024


def main() -> None:
    parser = bench_parser(__doc__)
    parser.add_argument("--presses", type=int, default=300, help="presses measured (default: 300)")
    parser.add_argument("--every", type=float, default=0.1, help="seconds between presses (default: 0.1)")
    args = parser.parse_args()
    size = args.size
    base_start, base = growth(b"n", size, args.presses, args.every)
    start, grown = growth(b" ", size, args.presses, args.every)
    print(f"n     x{args.presses}: {base_start:.1f} MiB after warm-up, then {base:+.1f} MiB (baseline)")
    print(f"space x{args.presses}: {start:.1f} MiB after warm-up, then {grown:+.1f} MiB")
    print(f"target: space within 20 MB: {'met' if grown <= 20 else 'MISSED'} ({grown:+.1f} MiB)")


if __name__ == "__main__":
    main()
