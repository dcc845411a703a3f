"""The numbers of the current step: state, step, lr, speed, w, b, loss and gradients."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Static

if TYPE_CHECKING:
    from engine.train import Snapshot

STATE_STYLES = {
    "RUNNING": "bold green",
    "PAUSED": "bold yellow",
    "DONE": "bold cyan",
    "DIVERGED": "bold reverse red",
}


def fixed(value: float) -> str:
    """10 characters whatever the value, so the readouts do not jitter as they change."""
    if value == 0 or 1e-3 <= abs(value) < 1e5:
        return f"{value:>10.5f}"
    return f"{value:>10.3e}"


def rate(value: float) -> str:
    """A learning rate or speed as typed: 0.01, 0.5, 2e-05."""
    return f"{value:.6g}"


class Readouts(Static):
    """Two lines of labelled values and a line for hints."""

    def show(
        self,
        snap: Snapshot,
        *,
        state: str,
        target: int,
        lr: float,
        stable_lr: float,
        speed: float,
        measured: float,
        optimum: tuple[float, float],
        hint: str,
    ) -> None:
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(f"{state:<8}", STATE_STYLES[state])
        text.append("  step ", "dim")
        text.append(f"{snap.step:>7} / {target or '∞'}")
        text.append("   lr ", "dim")
        text.append(f"{rate(lr):<7}", "bold red" if lr >= stable_lr else "bold")
        text.append(f" (stable < {stable_lr:.3g})", "dim")
        text.append("   speed ", "dim")
        text.append("max" if math.isinf(speed) else f"{rate(speed)}/s")
        if state == "RUNNING":
            text.append(f" ≈{measured:,.0f}", "dim")
        text.append("\n")
        for label, value in (("w", fixed(snap.w)), ("b", fixed(snap.b))):
            text.append(f"{label} ", "dim")
            text.append(value + "   ", "bold")
        text.append("loss ", "dim")
        text.append(f"{snap.loss:.4e}   ", "bold")
        text.append("∇w ", "dim")
        text.append(f"{snap.grad_w:+.3e}   ")
        text.append("∇b ", "dim")
        text.append(f"{snap.grad_b:+.3e}")
        text.append("\n")
        if hint:
            text.append(hint, "italic yellow")
        else:
            w_star, b_star = optimum
            text.append("least squares  w* ", "dim")
            text.append(fixed(w_star).strip())
            text.append("  b* ", "dim")
            text.append(fixed(b_star).strip())
            text.append("  distance ", "dim")
            text.append(f"{math.hypot(snap.w - w_star, snap.b - b_star):.3e}")
        self.update(text)
