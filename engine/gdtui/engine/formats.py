"""How gdtui writes its numbers, the same on the screen, in headless lines and in hints: no
torch and no terminal library, so every layer can import it."""

from __future__ import annotations

import math
from collections.abc import Sequence


def fixed(value: float) -> str:
    """10 characters whatever the value, so the readouts do not jitter as they change, and at
    least 4 significant digits (5 from 0.1 up, 6 for a slope like 0.0347512)."""
    if value == 0 or 0.1 <= abs(value) < 1e5:
        return f"{value:>10.5f}"
    if 0.01 <= abs(value) < 0.1:
        return f"{value:>10.7f}"
    return f"{value:>10.3e}"


def rate(value: float) -> str:
    """A learning rate or speed as typed: 0.01, 0.5, 2e-05."""
    return f"{value:.6g}"


def value_text(value: float | None) -> str:
    """A reported value in 6 significant digits, "-" before there is one (a loss of -0.0 reads 0)."""
    return "-" if value is None else f"{value + 0.0:.6g}"


def speed_text(speed: float) -> str:
    return "max" if math.isinf(speed) else f"{rate(speed)}/s"


def steps_text(steps: float) -> str:
    """A predicted step count as read: 4,874; 2.3e+09; never."""
    if math.isinf(steps):
        return "never"
    return f"{steps:,.0f}" if steps < 1e7 else f"{steps:.1e}"


def errors_text(errors: tuple[float, float]) -> str:
    """How far w and b are from w*, b*, each relative to its own scale: `w 1.2e-02, b 3.4e-05 off`."""
    return f"w {errors[0]:.1e}, b {errors[1]:.1e} off"


def lr_chosen(lr: float, best: float) -> str:
    """The lr chosen for a file and why: `lr 0.0427, a tenth of the best 0.427`, or `..., the best`."""
    return f"lr {lr:.3g}, " + (f"a tenth of the best {best:.3g}" if lr < best else "the best")


def fit_progress(names: Sequence[str], errors: Sequence[float], l2: float, tolerance: float) -> tuple[bool, str]:
    """A fit of several coefficients, b first: (converged, what to say), the farthest coefficient
    named where it is not: `ACIDCONC 2.1e+00 off least squares`."""
    toward = f"ridge's optimum (λ {l2:g})" if l2 else "least squares"
    worst = max(range(len(errors)), key=errors.__getitem__)
    if errors[worst] <= tolerance:
        return True, f"converged: every coefficient within {tolerance:g} of {toward}"
    return False, f"{names[worst]} {errors[worst]:.1e} off {toward}"


def ahead_text(remaining: float | None, lr: float) -> str:
    """The steps this lr still needs: `~1,234 more steps at lr 0.0427`, `never at lr 0.5`; "" where
    nothing predicts them."""
    if remaining is None:
        return ""
    return f"never at lr {lr:.3g}" if math.isinf(remaining) else f"~{steps_text(remaining)} more steps at lr {lr:.3g}"


def stable_text(bound: float | None, word: str = "stable") -> str:
    """How every screen and message words the lr bound of the current rule: `stable` where it
    is exactly where divergence starts, `safe` where it only guarantees convergence."""
    return f"{word} < {bound:.3g}" if bound else "no fixed bound"
