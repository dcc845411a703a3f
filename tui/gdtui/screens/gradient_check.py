"""The `c` panel: autograd's gradient next to the central difference, at the current w, b."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

if TYPE_CHECKING:
    from gdtui.engine.theory.linear import GradientCheck


# Below this, the central difference's own rounding (about eps/h) decides the digits, which then
# differ from machine to machine: say "agrees" rather than print noise.
NOISE_FLOOR = 1e-8


def error_text(error: float) -> str:
    return f"{error:.1e}" if error >= NOISE_FLOOR else f"< {NOISE_FLOOR:.0e}"


def check_table(check: GradientCheck) -> Text:
    text = Text()
    of = f", of the {check.loss_name}" if check.loss_name else ""
    text.append(f"at w = {check.w:.6g}, b = {check.b:.6g}, in float64{of}\n\n", "dim")
    text.append(f"{'':9}{'autograd':>17}{'central difference':>21}{'rel. error':>12}\n", "bold")
    errors = check.relative_error
    for k, name in enumerate(("∂loss/∂w", "∂loss/∂b")):
        text.append(f"{name:<9}{check.autograd[k]:>+17.8e}{check.central[k]:>+21.8e}{error_text(errors[k]):>12}\n")
    text.append("\nautograd: loss.backward(), as training does\n", "dim")
    text.append(f"central difference: (f(w+h) - f(w-h)) / 2h, h = {check.h:g}", "dim")
    return text


class GradientScreen(ModalScreen[None]):
    """Shows one GradientCheck; c, Esc or Enter closes it."""

    BINDINGS = [Binding("c,escape,enter,q", "app.pop_screen", "Close", tooltip="Close the gradient check")]

    def __init__(self, check: GradientCheck) -> None:
        super().__init__()
        self.check = check

    def compose(self) -> ComposeResult:
        with Vertical(id="gradient-dialog"):
            yield Static("gradient check", id="gradient-title")
            yield Static(check_table(self.check), id="gradient-table")
            yield Static("c / Esc / Enter close", id="gradient-close")
