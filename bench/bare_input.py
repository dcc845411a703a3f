"""A bare Textual app with one text field, as a baseline for bench/key_storm.py.

    python bench/bare_input.py

Textual's own driver and an `Input` with gdtui's lr field's length cap, focused from the start;
the top line reads `PAUSED  step 0` as gdtui's does, so the benchmark can see it is up. What it
costs to take in a typed key is what Textual itself costs. ctrl+c quits.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Input, Static


class BareInput(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("PAUSED  step 0")
        yield Input(max_length=64)  # gdtui's MAX_LR_LENGTH


if __name__ == "__main__":
    BareInput().run()
