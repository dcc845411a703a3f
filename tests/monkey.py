"""A monkey at the keyboard: the real gdtui in a pseudo-terminal, fed random keys, text, pastes
and resizes until it crashes, hangs or the time is up.

    python tests/monkey.py [--seed N] [--duration S] [--options="--speed max --steps 0"] [--start-size 20x6]

Every action, and the terminal's size at start (20x6 to 200x60), comes from one seeded random
generator, so a failure replays with the same seed and options (--start-size overrides the seed's
size, the actions staying the seed's). A crash is an exit nobody asked for, a traceback on the
terminal, or no answer to a resize for HANG_SECONDS (then every thread's Python stack is printed,
read by py-spy where it is installed: a hang shows where it spins, and the run waits up to
LATE_SECONDS more to tell a slow answer from none). A failing run is shrunk (delta
debugging: replay it with chunks of actions removed, keeping each removal after which it still
fails) and the shortest failing sequence is printed, with its start size, as Python literals of
what was written to the terminal.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import NamedTuple

from pty_app import PtyApp

HANG_SECONDS = 15.0  # a redraw after a resize takes well under a second, even on a busy machine
LATE_SECONDS = 120.0  # how long a failed run waits on for the answer: slow, or stuck for good?
START_SECONDS = 60.0  # torch's import on a loaded 2-core machine
LIVENESS_EVERY = 5.0  # seconds between checks that gdtui still answers

# Every key gdtui binds (tui/gdtui/screens/main.py, race.py, fit.py), as the terminal sends it; q and
# ctrl+c are left out: they quit, as asked.
BOUND = [" ", "n", "\x1b[C", "b", "\x1b[D", "N", "+", "=", "-", "l", "L", "z", "r", "[", "]", "c", "x", "v",
         "a", "*", "g", "o", "m", "e", "s", "?", "\t", "p", "k", "K"]
KEYS = BOUND + ["\x1b", "\r", "\x1b[A", "\x1b[B", "\x7f", "\x01", "\x0b", "\x1b[H", "\x1b[F"]
LR_TEXT = ["0.05", "1e39", "1e-320", "5e-324", "1.7e308", "2e308", "nan", "inf", "-1", "0", "", " 0.1 ",
           "[/]", "1[/b]", "[a=*]", "[bold]", "1e", "0x10", "１", "1_000", "\\", "'", "%s", "{}", "\x00"]
PRINTABLE = "".join(chr(c) for c in range(32, 127) if chr(c) != "q") + "é∇ü日"
SMALLEST, LARGEST = (20, 6), (200, 60)  # start sizes: from well below gdtui's minimum (60x16) up


@dataclass(frozen=True)
class Action:
    """Bytes to write at once, or a new terminal size."""

    text: str = ""
    size: tuple[int, int] | None = None

    def __repr__(self) -> str:
        """resize(COLUMNS, ROWS), or the text as a Python expression, long runs as 'x' * N."""
        if self.size:
            return f"resize{self.size}"
        runs = [(char, len(list(group))) for char, group in itertools.groupby(self.text)]
        parts, plain = [], ""
        for char, count in runs:
            if count > 8:
                parts += [repr(plain)] if plain else []
                parts.append(f"{char!r} * {count}")
                plain = ""
            else:
                plain += char * count
        return " + ".join(parts + ([repr(plain)] if plain or not parts else []))


def start_size(rng: random.Random) -> tuple[int, int]:
    return rng.randint(SMALLEST[0], LARGEST[0]), rng.randint(SMALLEST[1], LARGEST[1])


def random_action(rng: random.Random) -> Action:
    kind = rng.random()
    if kind < 0.08:
        return Action(size=(rng.randint(1, 200), rng.randint(1, 60)))
    if kind < 0.45:
        return Action(rng.choice(KEYS))
    if kind < 0.60:  # an lr typed into the dialog, sometimes with an extra Enter or Esc
        tail = rng.choice(["\r", "\r", "\r\r", "\x1b", "\r\x1b", ""])
        return Action("l" + "\x7f" * rng.randint(0, 30) + rng.choice(LR_TEXT) + tail)
    if kind < 0.70:  # several keys in one write
        return Action("".join(rng.choice(KEYS) for _ in range(rng.randint(2, 12))))
    if kind < 0.80:
        return Action("".join(rng.choice(PRINTABLE) for _ in range(rng.randint(1, 40))))
    if kind < 0.88:  # a bracketed paste, into whatever has focus
        body = rng.choice(LR_TEXT + ["".join(rng.choice(PRINTABLE) for _ in range(rng.randint(1, 300)))])
        return Action("\x1b[200~" + body + "\x1b[201~")
    if kind < 0.93:  # a long lr, typed without bracketed paste
        return Action("l" + rng.choice("19.e") * rng.randint(100, 5000) + rng.choice(["\r", "\x1b"]))
    return Action(rng.choice(["?", "c"]) + rng.choice(["\r\r", "\x1b\x1b", "\r\x1b", "??", "cc", "\r"]))


class Failure(Exception):
    pass


class NoAnswer(Failure):
    pass


class Monkey:
    """One gdtui process, written to by actions, watched for a crash or a hang."""

    def __init__(self, options: list[str], size: tuple[int, int]) -> None:
        self.folder = tempfile.TemporaryDirectory(prefix="gdtui-monkey-")  # for e's and s's files
        self.app = PtyApp(*options, size=size, cwd=Path(self.folder.name))
        self.scanned = 0
        self.last_check = time.monotonic()
        self.size = size
        self.asked = (0, 0.0)  # output length and time at the last check_answers' resize
        self.cpu_at_ask = 0.0  # gdtui's CPU seconds then: a slow answer, its own work or a busy machine?
        self.slowest = 0.0  # seconds: the slowest answer to a resize so far
        self.since_check: list[Action] = []  # what was done since the last answer: what a slow answer waited behind
        self.slowest_after: list[Action] = []
        # The first frame: the readouts' step, or the too-small notice.
        if not self.app.wait_until(lambda screen: any("step" in row or "too small" in row for row in screen), START_SECONDS):
            self.close()
            if self.app.status is not None:
                raise Failure(f"exited at start with status {self.app.status}: " + self.app.text()[-1500:])
            raise Failure(f"no first frame in {START_SECONDS:.0f} s")

    def do(self, action: Action) -> None:
        self.since_check.append(action)
        if action.size:
            self.size = action.size
            self.app.resize(*action.size)
        else:
            try:
                self.app.send(action.text)
            except OSError as error:
                raise Failure(f"the terminal is gone: {error}") from None
        self.check()
        if time.monotonic() - self.last_check > LIVENESS_EVERY:
            self.check_answers()

    def check(self) -> None:
        output = self.app.output
        if b"Traceback" in output[max(0, self.scanned - 16):]:
            raise Failure("a traceback: " + self.app.text()[-1500:])
        self.scanned = len(output)
        if self.app.wait_exit(0) is not None:
            raise Failure(f"exited with status {self.app.status}: " + self.app.text()[-800:])

    def check_answers(self) -> None:
        """A resize makes Textual redraw: no new output for HANG_SECONDS is a hang."""
        before = len(self.app.output)
        columns, rows = self.size
        self.app.resize(columns + 1 if columns < 200 else columns - 1, rows)
        self.asked = (before, time.monotonic())
        self.cpu_at_ask = self.cpu_seconds()
        while len(self.app.output) == before:
            if time.monotonic() > self.asked[1] + HANG_SECONDS:
                load = os.getloadavg()[0]  # a busy machine answers slowly too: say how busy
                raise NoAnswer(f"no answer to a resize in {HANG_SECONDS:.0f} s (load {load:.1f})\n{where_it_hangs(self.app.pid)}")
            self.check()
            time.sleep(0.05)
        if time.monotonic() - self.asked[1] > self.slowest:
            self.slowest, self.slowest_after = time.monotonic() - self.asked[1], self.since_check
        self.since_check = []
        self.app.resize(*self.size)
        self.last_check = time.monotonic()

    def answers_late(self) -> str:
        """After a resize went unanswered: does gdtui answer it within LATE_SECONDS (slow, not stuck)?"""
        before, asked = self.asked
        while len(self.app.output) == before and time.monotonic() < asked + LATE_SECONDS and self.app.wait_exit(0) is None:
            time.sleep(0.1)
        cpu = f"gdtui used {self.cpu_seconds() - self.cpu_at_ask:.1f} s of CPU meanwhile"
        if len(self.app.output) > before:
            return f"it answered {time.monotonic() - asked:.0f} s after the resize ({cpu})"
        return f"no answer {LATE_SECONDS:.0f} s after the resize either ({cpu})"

    def cpu_seconds(self) -> float:
        """User and system time of gdtui's process so far (0 once it is gone)."""
        try:
            fields = Path(f"/proc/{self.app.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime

    def rss_mb(self) -> float:
        for line in Path(f"/proc/{self.app.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def close(self) -> None:
        self.app.kill()
        self.folder.cleanup()


def where_it_hangs(pid: int) -> str:
    """Every thread's Python stack in the hung process, as py-spy reads it (if installed)."""
    spy = shutil.which("py-spy")
    if spy is None:
        return "(pip install py-spy to see where it hangs)"
    return subprocess.run([spy, "dump", "--pid", str(pid)], capture_output=True, text=True, timeout=30).stdout


class Failing(NamedTuple):
    """A failed run: the terminal's size at start, and the actions done, the failing one last."""

    size: tuple[int, int]
    actions: list[Action]


def run(options: list[str], seed: int, duration: float, *, size: tuple[int, int] | None = None, log=print) -> Failing | None:
    """Random actions for `duration` seconds, from a start at `size` (None: the seed's)."""
    rng = random.Random(seed)
    seeded = start_size(rng)  # drawn even when `size` is given: the actions stay the seed's
    size = size or seeded
    done: list[Action] = []
    try:
        monkey = Monkey(options, size)
    except Failure as failure:
        log(f"seed {seed}: FAILED at start in {size[0]}x{size[1]}: {failure}")
        return Failing(size, done)
    end = time.monotonic() + duration
    try:
        while time.monotonic() < end:
            action = random_action(rng)
            done.append(action)
            monkey.do(action)
            time.sleep(rng.choice([0, 0, 0.01, 0.05, 0.2]))
        monkey.check_answers()
        log(
            f"seed {seed}: clean for {duration:.0f} s from {size[0]}x{size[1]}, {len(done):,} actions, RSS {monkey.rss_mb():.0f} MB, "
            f"slowest answer to a resize {monkey.slowest:.1f} s, after {monkey.slowest_after}"
        )
        return None
    except Failure as failure:
        log(f"seed {seed}: FAILED after {len(done):,} actions from {size[0]}x{size[1]}: {failure}")
        if isinstance(failure, NoAnswer):
            log(f"  then {monkey.answers_late()}")
        return Failing(size, done)
    finally:
        monkey.close()


def fails(options: list[str], size: tuple[int, int], actions: list[Action], pause: float = 0.05) -> bool:
    """Replay `actions` in a fresh gdtui started at `size`; does it fail again?"""
    try:
        monkey = Monkey(options, size)
    except Failure:
        return True
    try:
        for action in actions:
            monkey.do(action)
            time.sleep(pause)
        time.sleep(1.0)
        monkey.check_answers()
        return False
    except Failure:
        return True
    finally:
        monkey.close()


def shrink(options: list[str], size: tuple[int, int], actions: list[Action], budget: float, log=print) -> list[Action]:
    """Delta debugging: drop chunks of actions while the rest still fails, halving the chunk size."""
    end = time.monotonic() + budget
    chunk = max(1, len(actions) // 2)
    while chunk >= 1 and time.monotonic() < end:
        start = 0
        while start < len(actions) and time.monotonic() < end:
            candidate = actions[:start] + actions[start + chunk:]
            if candidate and fails(options, size, candidate):
                actions = candidate
                log(f"  shrunk to {len(actions)} actions")
            else:
                start += chunk
        chunk //= 2
    return actions


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, help="first seed (default: a random one, printed)")
    parser.add_argument("--runs", type=int, default=1, help="runs, with seeds seed, seed+1, ... (default: 1)")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds per run (default: 60)")
    parser.add_argument("--options", default="", help="gdtui's options as one string, after =: --options=--explain (default: none)")
    parser.add_argument("--shrink", type=float, default=600.0, help="most seconds to spend shrinking a failure (default: 600)")
    parser.add_argument(
        "--start-size", type=terminal_size, help="the terminal's size at start, COLUMNSxROWS (default: the seed's, 20x6 to 200x60)"
    )
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(10**6)
    options = shlex.split(args.options)
    log = partial(print, flush=True)
    for k in range(args.runs):
        log(f"monkey --seed {seed + k} --duration {args.duration:g} --options={shlex.quote(args.options)}")
        failing = run(options, seed + k, args.duration, size=args.start_size, log=log)
        if failing is not None:
            actions = failing.actions
            if args.shrink > 0 and actions:
                actions = shrink(options, failing.size, actions, args.shrink, log=log)
            columns, rows = failing.size
            log(f"failing sequence (--start-size {columns}x{rows}, {len(actions)} actions): {actions}")
            return 1
    return 0


def terminal_size(text: str) -> tuple[int, int]:
    """COLUMNSxROWS, as --start-size takes it."""
    try:
        columns, rows = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not COLUMNSxROWS: {text!r}") from None
    if columns < 1 or rows < 1:
        raise argparse.ArgumentTypeError(f"not a terminal size: {text!r}")
    return columns, rows


if __name__ == "__main__":
    sys.exit(main())
