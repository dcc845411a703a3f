"""Each layer of a watched model at its last measured step: how big its parameters and gradient
are, how far the step moved it for its size (about 1e-3 is the usual healthy figure), and how
many of its numbers are nan or inf."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from rich.text import Text

from gdtui.widgets.rows import RowsWidget

if TYPE_CHECKING:
    from gdtui.engine.run.script import Layer, ScriptFrame

NUMBERS = 30  # the four number columns and their gaps


def value_text(value: float, width: int = 8) -> str:
    return f"{'-':>{width}}" if math.isnan(value) else f"{value:>{width}.2e}"


def layer_style(layer: Layer) -> str:
    if layer.nonfinite:
        return "bold red"
    if not math.isnan(layer.ratio) and not 1e-5 <= layer.ratio <= 1e-1:
        return "yellow"  # an update far from its parameters' scale: the lr is off for this layer
    return ""


def table_lines(frame: ScriptFrame, width: int, height: int) -> list[Text]:
    if not frame.layers:
        said = "no modules seen: parameters are plain tensors" if frame.step else "no layers yet: measured from the first step"
        return [Text(said, "dim")]
    name_width = max(6, min(max(len(layer.name) for layer in frame.layers), width - NUMBERS - 1))
    lines = [
        Text(f"{'layer':<{name_width}} {'‖w‖':>8} {'‖∇‖':>8} {'Δ/‖w‖':>8} {'nan':>4}", "bold"),
    ]
    shown = frame.layers if len(frame.layers) <= height - 2 else frame.layers[: height - 3]
    for layer in shown:
        name = layer.name if len(layer.name) <= name_width else "…" + layer.name[-(name_width - 1) :]
        row = f"{name:<{name_width}} {value_text(layer.norm)} {value_text(layer.grad_norm)} {value_text(layer.ratio)} {layer.nonfinite:>4}"
        lines.append(Text(row, layer_style(layer)))
    if len(shown) < len(frame.layers):
        lines.append(Text(f"… {len(frame.layers) - len(shown)} more layers", "dim"))
    lines.append(Text(f"at step {frame.layers_step:,}", "dim"))
    return lines


class LayerTable(RowsWidget):
    def show(self, frame: ScriptFrame) -> None:
        self.show_rows(self.text_rows(Text("\n").join(table_lines(frame, self.size.width, self.size.height))))
