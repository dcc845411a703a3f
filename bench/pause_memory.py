"""Does gdtui's memory grow with every pause, or every dialog? Keys pressed hundreds of times.

    python bench/pause_memory.py [--size 80x24] [--presses 300] [--every 0.1]

`gdtui --paused --steps 0 --speed 10` runs in a pseudo-terminal (bench/terminal.py) and gets one
key (or a dialog's key and Esc) --presses times, --every seconds apart; its resident memory
(VmRSS) is read after 20 warm-up presses, after --presses more, and after --presses more again.
A leak grows in both rounds; caches filling up grow in the first only.
Baseline, in the same run: the same app sent `n` (one step, no change of state) as many times,
which shows what training and drawing cost without pausing, resuming or opening anything.
Target: space within 20 MB over the first round; every dialog under 2 MB over the second.
"""

from __future__ import annotations

from terminal import Terminal, bench_parser, gdtui

WARMUP = 20
KEYS = {"n": b"n", "space": b" ", "l Esc": b"l\x1b", "? Esc": b"?\x1b", "c Esc": b"c\x1b"}


def growth(key: bytes, size: tuple[int, int], presses: int, every: float) -> tuple[float, float, float]:
    """(MiB after warm-up, MiB grown over `presses` more presses of `key`, and over as many again)."""
    with Terminal(gdtui("--paused", "--steps", "0", "--speed", "10"), size) as term:
        term.wait_for(lambda: term.state_word() == "PAUSED", timeout=60)
        readings = []
        for count in (WARMUP, presses, presses):
            for _ in range(count):
                term.send(key)
                term.pump(every)
            term.settle()
            readings.append(term.rss_kib() / 1024)
        return readings[0], readings[1] - readings[0], readings[2] - readings[1]


def main() -> None:
    parser = bench_parser(__doc__)
    parser.add_argument("--presses", type=int, default=300, help="presses in each round (default: 300)")
    parser.add_argument("--every", type=float, default=0.1, help="seconds between presses (default: 0.1)")
    args = parser.parse_args()
    grown = {}
    for name, key in KEYS.items():
        start, first, second = growth(key, args.size, args.presses, args.every)
        grown[name] = (first, second)
        note = " (baseline)" if name == "n" else ""
        print(f"{name:<6} x{args.presses} twice: {start:.1f} MiB after warm-up, then {first:+.1f} MiB, {second:+.1f} MiB{note}")
    space = grown["space"][0]
    dialogs = max(second for name, (_, second) in grown.items() if "Esc" in name)
    print(f"target: space within 20 MB: {'met' if space <= 20 else 'MISSED'} ({space:+.1f} MiB)")
    print(f"target: each dialog under 2 MB in the second round: {'met' if dialogs < 2 else 'MISSED'} (most {dialogs:+.1f} MiB)")


if __name__ == "__main__":
    main()
