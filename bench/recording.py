"""What recording costs: steps/s and the bytes sent to the terminal with `--record`, against the
same run without, in the same run.

    python bench/recording.py [--size 80x24] [--duration 5] [--rounds 7] [--speed max]

End to end: each round runs `gdtui --speed SPEED --steps 0` in a pseudo-terminal
(bench/terminal.py) twice, once with `--record` into a new file, alternating which goes first,
and measures each from step 200 for `--duration` s: steps/s off the top line, bytes/s read from
the terminal, screen updates/s. Ratios are taken per round; their medians are the figures. At
`--speed max` steps/s is the figure (a frame's bytes follow how many steps it shows); at a fixed
speed, such as the default 200, bytes an update are.
In process: what the recorder itself costs a frame (a JSON line written and flushed), for frames
of the size the terminal was sent, and so its share of a second at the updates/s measured: the
bound that holds however busy the machine is.
(That the recording holds exactly the bytes the terminal was sent is a test:
tests/test_recording.py.)
Target: steps/s with recording >= 0.95x without (--speed max); bytes an update within 5 %
(a fixed speed): the recording sends nothing, its ● REC only lengthens the top line.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

from bandwidth import running
from terminal import ROOT, bench_parser, gdtui, kib, median, source_path

FROM_STEP = 200


def recorder_cost(frame_bytes: int, frames: int = 2000) -> float:
    """Seconds the recorder takes for one frame of `frame_bytes` (written and flushed), in process."""
    sys.path[:0] = [str(ROOT / "engine"), str(ROOT / "tui")]
    from gdtui.terminal.recording import Recorder

    frame = ("\x1b[12;40H\x1b[38;5;80m⠑⠢⢄⡀" * (frame_bytes // 10 + 1))[:frame_bytes]
    with tempfile.TemporaryDirectory() as folder:
        recorder = Recorder()
        recorder.resized((80, 24))
        recorder.start(str(Path(folder) / "cost.cast"))
        start = time.perf_counter()
        for _ in range(frames):
            recorder.sent(frame)
        spent = time.perf_counter() - start
        recorder.stop()
    return spent / frames


def main() -> None:
    parser = bench_parser(__doc__)
    parser.add_argument("--duration", type=float, default=5.0, help="seconds measured (default: 5)")
    parser.add_argument("--rounds", type=int, default=7, help="runs of each (default: 7)")
    parser.add_argument("--speed", default="max", help="gdtui's --speed (default: max)")
    args = parser.parse_args()
    os.environ["PYTHONPATH"] = source_path()  # this checkout's gdtui, whichever the environment installed
    print(f"terminal {args.size[0]}x{args.size[1]}, --speed {args.speed}, {args.duration:g} s from step {FROM_STEP}, {args.rounds} rounds")
    steps_ratios, update_ratios, frame_sizes, rates = [], [], [], []
    with tempfile.TemporaryDirectory() as folder:
        for round_ in range(1, args.rounds + 1):
            argv = gdtui("--speed", args.speed, "--steps", "0")
            record = [*argv, "--record", str(Path(folder) / f"round-{round_}.cast")]
            order = (False, True) if round_ % 2 else (True, False)
            got = {on: running(record if on else argv, args.size, FROM_STEP, args.duration) for on in order}
            (b0, u0, s0), (b1, u1, s1) = got[False], got[True]
            steps_ratios.append(s1 / s0)
            update_ratios.append((b1 / u1) / (b0 / u0))
            frame_sizes.append(b1 / u1)
            rates.append(u1)
            print(
                f"round {round_}: plain {s0:,.0f} steps/s {kib(b0)}/s {u0:.1f} updates/s {b0 / u0:,.0f} B an update | "
                f"recording {s1:,.0f} {kib(b1)}/s {u1:.1f} {b1 / u1:,.0f} B | ratios {s1 / s0:.3f} {(b1 / u1) / (b0 / u0):.3f}"
            )
    cost, frame = recorder_cost(round(median(frame_sizes))), f"{median(frame_sizes):,.0f} B"
    steps, per_update = median(steps_ratios), median(update_ratios)
    print(f"median ratio, recording / plain: steps/s {steps:.3f}, bytes an update {per_update:.3f}")
    share = f"{cost * median(rates):.3%} of a second at {median(rates):.1f} frames/s"
    print(f"recorder, in process: {cost * 1e6:.1f} µs a frame of {frame} = {share}")
    met = steps >= 0.95 if args.speed == "max" else abs(per_update - 1) <= 0.05
    figure = f"steps/s {steps:.3f}x, target >= 0.95x" if args.speed == "max" else f"bytes an update {per_update:.3f}x, target within 5 %"
    print(f"target: {figure}: {'met' if met else 'MISSED'}")


if __name__ == "__main__":
    main()
