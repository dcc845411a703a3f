"""Does a Textual Footer whose keys change leak memory? A bare app, no gdtui.

    python bench/footer_leak.py [--toggles 300] [--rounds 3]

Two apps, each run in a pseudo-terminal of 80x24 (bench/terminal.py) and sent `space` --toggles
times, 20 ms apart:
(a) `changing`: space flips a reactive; check_action shows `Pause` or `Resume` (two bindings on
    one key), so the Footer's keys change on every press, as the Textual docs suggest;
(b) `fixed`: space flips the same reactive, but one binding stays, so the Footer never changes.
Each measurement is a fresh process; its resident memory (VmRSS) is read after 20 warm-up
presses and after the rest. The
growth per press is printed for each, the fixed app being the baseline measured in the same run.
"""

from __future__ import annotations

import argparse
import sys

import textual
from terminal import Terminal
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.reactive import reactive
from textual.widgets import Footer

GROUP = Binding.Group("lr", compact=True)
MORE = [Binding(key, "bell", key, group=GROUP if key in "+-" else None) for key in "+-nbrl"]  # a footer like gdtui's


class Changing(App):
    BINDINGS = [Binding("space", "pause", "Pause"), Binding("space", "resume", "Resume"), *MORE]
    running: reactive[bool] = reactive(True, bindings=True)  # refresh_bindings() on each change

    def compose(self) -> ComposeResult:
        yield Footer(compact=True)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "pause":
            return self.running
        if action == "resume":
            return not self.running
        return True

    def action_pause(self) -> None:
        self.running = False

    def action_resume(self) -> None:
        self.running = True


class Fixed(App):
    BINDINGS = [Binding("space", "toggle", "Run/Pause"), *MORE]
    running: reactive[bool] = reactive(True, bindings=True)

    def compose(self) -> ComposeResult:
        yield Footer(compact=True)

    def action_toggle(self) -> None:
        self.running = not self.running


def growth_per_press(name: str, toggles: int) -> float:
    """KiB of the app's resident memory per space press, in a pty, after 20 warm-up presses."""
    with Terminal([sys.executable, __file__, "--one", name], size=(80, 24)) as term:
        term.wait_for(lambda: "Pause" in term.screen.display[-1] or "Run" in term.screen.display[-1], timeout=30)
        press = lambda count: [term.send(b" ") or term.pump(0.02) for _ in range(count)]  # noqa: E731
        press(20)
        term.pump(1.0)
        before = term.rss_kib()
        press(toggles)
        term.pump(1.0)
        return (term.rss_kib() - before) / toggles


APPS: dict[str, type[App]] = {"changing": Changing, "fixed": Fixed}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--toggles", type=int, default=300, help="space presses per measurement (default: 300)")
    parser.add_argument("--rounds", type=int, default=3, help="measurements of each app, alternating (default: 3)")
    parser.add_argument("--one", choices=APPS, help=argparse.SUPPRESS)  # run that app (in the pty)
    args = parser.parse_args()
    if args.one:
        APPS[args.one]().run(mouse=False)
        return
    print(f"Textual {textual.__version__}, {args.toggles} presses per round")
    results: dict[str, list[float]] = {name: [] for name in APPS}
    for _ in range(args.rounds):
        for name in APPS:
            per_press = growth_per_press(name, args.toggles)
            results[name].append(per_press)
            print(f"  {name:8}  {per_press:+7.1f} KiB per press  ({per_press * args.toggles / 1024:+.1f} MB)")
    for name, values in results.items():
        ordered = sorted(values)
        print(f"{name:8} median {ordered[len(ordered) // 2]:+.1f} KiB per press")


if __name__ == "__main__":
    main()
