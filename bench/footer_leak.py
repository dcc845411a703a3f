"""Does Textual's Footer keep its old keys alive? A bare app, next to the same app with gdtui's footer.

    python bench/footer_leak.py [--refreshes 300]

Textual (8.2.8) builds a Footer's keys again each time its screen's bindings are refreshed: a
dialog opened or closed, a reactive declared with bindings=True changed. Each FooterKey is
data-bound to the footer's `compact`, and the watcher that binding leaves on the footer goes only
when `compact` next changes, so every key ever built stays alive (and each new watcher is checked
against all the old ones). The app here has gdtui's footer keys, binds nothing that changes, and
calls `refresh_bindings()` --refreshes times, headless; then the FooterKeys alive are counted
(gc) and the Python memory they hold is read (tracemalloc). Baseline, in the same run: the same
app with gdtui's KeysFooter, which builds its keys again only when they change.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import tracemalloc

import textual
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from gdtui.widgets.keys_footer import KeysFooter

GROUP = Binding.Group("lr", compact=True)
NAMES = ["space", "plus", "minus", "n", "b", "r", "l", "question_mark", "q"]
KEYS = [Binding(key, f"press('{key}')", key, group=GROUP if key in ("plus", "minus") else None) for key in NAMES]  # a footer like gdtui's


class Bare(App):
    BINDINGS = KEYS

    def __init__(self, footer: type[Footer]) -> None:
        super().__init__()
        self.footer = footer

    def compose(self) -> ComposeResult:
        yield self.footer(compact=True)


async def measure(footer: type[Footer], refreshes: int) -> tuple[int, int, float]:
    """(FooterKeys shown, FooterKeys alive, KiB more Python memory) after `refreshes` refreshes."""
    app = Bare(footer)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        gc.collect()
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        for _ in range(refreshes):
            app.screen.refresh_bindings()
            await pilot.pause()
        gc.collect()
        grown = (tracemalloc.get_traced_memory()[0] - before) / 1024
        tracemalloc.stop()
        alive = sum(type(thing) is FooterKey for thing in gc.get_objects())
        return len(app.query(FooterKey)), alive, grown


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--refreshes", type=int, default=300, help="binding refreshes per app (default: 300)")
    args = parser.parse_args()
    print(f"Textual {textual.__version__}, {args.refreshes} binding refreshes, keys unchanged")
    for footer in (Footer, KeysFooter):
        shown, alive, grown = asyncio.run(measure(footer, args.refreshes))
        note = "  (baseline)" if footer is KeysFooter else ""
        print(f"  {footer.__name__:10}  {shown} keys shown, {alive:,} alive, {grown:+,.0f} KiB{note}")


if __name__ == "__main__":
    main()
