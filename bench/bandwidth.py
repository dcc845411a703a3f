"""How many bytes gdtui writes to its terminal, and how often its screen changes.

    python bench/bandwidth.py [--size 100x30] [--duration 5] [--from-step 200] [--compare SPECS]

Each app runs in a pseudo-terminal (bench/terminal.py); every byte it writes is counted and fed
to a pyte screen. Running: gdtui at its default speed (200 steps/s, `--steps 0` so it does not
stop), bytes/s over `--duration` s from the frame that first shows step `--from-step` on (so
every app measured draws the same part of the run: how far the loss falls and where the axes
rescale in the window decide much of the bytes); screen updates/s
are the changes of the step counter on the top line, sampled after every read. Paused:
`--paused`, bytes/s over `--duration` s once nothing has come for a second after the first
frame (or after `--settle` s, if it never goes quiet).
Baseline, measured the same way at the same size: bench/naive_app.py, two PlotextPlot widgets
(loss line, scatter of 500 points) each refreshed 10 times a second with new data.
Target: gdtui running <= 30 KiB/s with >= 8 updates/s; 0 B/s paused.
With --compare (e.g. gd,momentum,adam): also a race of those runs, running, measured the same
way; target: within 1.5x of the single run's bytes/s.
"""

from __future__ import annotations

import sys

from terminal import ROOT, Terminal, bench_parser, gdtui, kib

NAIVE = [sys.executable, str(ROOT / "bench" / "naive_app.py")]


def running(argv: list[str], size: tuple[int, int], from_step: int, duration: float) -> tuple[float, float, float]:
    """(bytes/s, step-counter changes/s, steps/s) while it runs."""
    with Terminal(argv, size) as term:
        term.wait_for(lambda: term.state_word() == "RUNNING" and (term.step() or 0) >= from_step, timeout=60)
        changes = 0
        last = term.step()

        def sample(_: float) -> None:
            nonlocal changes, last
            step = term.step()
            if step is not None and step != last:
                changes += 1
                last = step

        start, first = term.bytes_read, last
        term.pump(duration, sample)
        return (term.bytes_read - start) / duration, changes / duration, ((term.step() or 0) - (first or 0)) / duration


def paused(argv: list[str], size: tuple[int, int], duration: float, settle: float) -> tuple[float, float]:
    """(bytes/s once settled, seconds it waited to settle: `settle` means it never did)."""
    with Terminal(argv, size) as term:
        # PAUSED, not the first frame: the engine's loading on a busy machine is no quiet spell.
        term.wait_for(lambda: term.state_word() == "PAUSED" and term.step() is not None, timeout=60)
        settled = term.settle(quiet=1.0, timeout=settle)
        start = term.bytes_read
        term.pump(duration)
        return (term.bytes_read - start) / duration, settled


def main() -> None:
    parser = bench_parser(__doc__)
    parser.add_argument("--duration", type=float, default=5.0, help="seconds measured (default: 5)")
    parser.add_argument("--settle", type=float, default=5.0, help="paused: most seconds to wait for quiet (default: 5)")
    parser.add_argument("--from-step", type=int, default=200, help="running: measured from this step on (default: 200)")
    parser.add_argument("--compare", metavar="SPECS", help="also measure a race of these runs (gdtui --compare)")
    args = parser.parse_args()
    size = args.size

    print(f"terminal {size[0]}x{size[1]}, {args.duration:g} s measured")
    g_rate, g_updates, g_steps = running(gdtui("--steps", "0"), size, args.from_step, args.duration)
    n_rate, n_updates, _ = running(NAIVE, size, args.from_step, args.duration)
    print(f"running  gdtui  {kib(g_rate)}/s  {g_updates:.1f} updates/s  {g_steps:.0f} steps/s")
    print(f"running  naive  {kib(n_rate)}/s  {n_updates:.1f} updates/s")
    print(f"running  ratio gdtui / naive bytes = {g_rate / n_rate:.2f}")
    if args.compare:
        r_rate, r_updates, r_steps = running(gdtui("--steps", "0", "--compare", args.compare), size, args.from_step, args.duration)
        verdict = "met" if r_rate <= 1.5 * g_rate else "MISSED"
        # The same steps/s as the single run, or the race is drawing less of the run than it.
        print(f"running  race {args.compare}  {kib(r_rate)}/s  {r_updates:.1f} updates/s  {r_steps:.0f} steps/s")
        print(f"running  ratio race / single run bytes = {r_rate / g_rate:.2f} (target <= 1.5: {verdict})")
        # On a busy machine the two may not draw as often: bytes per update compares the frames.
        per_update = (r_rate / max(r_updates, 1e-9)) / (g_rate / max(g_updates, 1e-9))
        print(f"running  ratio race / single run bytes per screen update = {per_update:.2f}")
    g_paused, g_settle = paused(gdtui("--paused", "--steps", "0"), size, args.duration, args.settle)
    n_paused, n_settle = paused(NAIVE + ["--paused"], size, args.duration, args.settle)
    for name, rate, wait in (("gdtui", g_paused, g_settle), ("naive", n_paused, n_settle)):
        quiet = "never quiet for 1 s" if wait >= args.settle else f"quiet {wait:.1f} s after the first frame"
        print(f"paused   {name}  {rate:.0f} B/s = {kib(rate)}/s  ({quiet})")
    ok = g_rate <= 30 * 1024 and g_updates >= 8 and g_paused == 0
    print(
        f"target: running <= 30 KiB/s with >= 8 updates/s, paused 0 B/s: "
        f"{'met' if ok else 'MISSED'} ({kib(g_rate)}/s, {g_updates:.1f}/s, {g_paused:.0f} B/s)"
    )


if __name__ == "__main__":
    main()
