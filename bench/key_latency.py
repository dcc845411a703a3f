"""How long gdtui takes to show that space was pressed, while training flat out.

    python bench/key_latency.py [--size 100x30] [--presses 20] [--gap 0.3] [--options="--data f.csv --x a,b"]

gdtui runs in a pseudo-terminal (bench/terminal.py). A space byte is written to it, and the
time is taken until the state word on the pyte screen's top line changes (RUNNING <-> PAUSED).
Presses alternate, `--gap` s apart (reading all the while), so half are pauses sent to an app
busy training and half are resumes. Busy: `--speed max --steps 0`, started running. Baseline,
measured the same way: `--paused` at the default speed (the first press lands on an idle app).
`--options` are gdtui's own, given to both (a file with 50 inputs, say). Target: median (busy) <= 50 ms.
"""

from __future__ import annotations

import shlex

from terminal import Terminal, bench_parser, gdtui, median

STATES = ("RUNNING", "PAUSED")


def latencies(argv: list[str], size: tuple[int, int], presses: int, gap: float) -> dict[str, list[float]]:
    """Milliseconds from writing space to the new state word on screen, by the state it left."""
    found: dict[str, list[float]] = {state: [] for state in STATES}
    with Terminal(argv, size) as term:
        term.wait_for(lambda: term.state_word() in STATES and term.step() is not None, timeout=60)
        term.pump(1.0)
        for _ in range(presses):
            before = term.state_word()
            sent = term.send(b" ")
            seen = term.wait_for(lambda: term.state_word() != before, timeout=10, poll=0.5)  # noqa: B023 (called here, at once)
            found[before].append(1000 * (seen - sent))
            term.pump(gap)
    return found


def report(name: str, found: dict[str, list[float]]) -> float:
    every = [ms for values in found.values() for ms in values]
    parts = "  ".join(f"from {state} {median(values):.1f} ms (n={len(values)})" for state, values in found.items() if values)
    print(f"{name:<24} median {median(every):6.1f} ms  max {max(every):6.1f} ms   {parts}")
    return median(every)


def main() -> None:
    parser = bench_parser(__doc__)
    parser.add_argument("--presses", type=int, default=20, help="space presses per app (default: 20)")
    parser.add_argument("--gap", type=float, default=0.3, help="seconds between presses (default: 0.3)")
    parser.add_argument("--options", default="", help="gdtui's options for both apps, as one string after = (default: none)")
    args = parser.parse_args()
    size, options = args.size, shlex.split(args.options)

    print(f"terminal {size[0]}x{size[1]}, {args.presses} presses each, {args.gap:g} s apart")
    busy = report("busy (--speed max)", latencies(gdtui(*options, "--speed", "max", "--steps", "0"), size, args.presses, args.gap))
    idle = report("baseline (--paused)", latencies(gdtui(*options, "--paused"), size, args.presses, args.gap))
    print(f"ratio busy / baseline = {busy / idle:.2f}")
    print(f"target: busy median <= 50 ms: {'met' if busy <= 50 else 'MISSED'} ({busy:.1f} ms)")


if __name__ == "__main__":
    main()
