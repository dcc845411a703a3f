"""Each layer of a watched model at its last measured step: how big its parameters and gradient
are, how far the step moved it for its size (about 1e-3 is the usual healthy figure), and how
many of its numbers are nan or inf."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.text import Text

from gdtui.widgets.rows import RowsWidget

if TYPE_CHECKING:
    from gdtui.engine.run.script import Layer, ScriptFrame

NAME = 5  # cells a layer's name keeps however narrow the pane


def cell(value: float) -> str:
    return f"{'-':>7}" if math.isnan(value) else f"{value:>7.1e}"


# The columns, in the order shown, with what each cell holds; the first to go where the pane is
# narrow is ‖w‖, then the non-finite count: the gradient and the update's size stay longest.
COLUMNS: list[tuple[str, int, Callable[[Layer], str]]] = [
    ("‖w‖", 8, lambda layer: " " + cell(layer.norm)),
    ("‖∇‖", 8, lambda layer: " " + cell(layer.grad_norm)),
    ("Δ/‖w‖", 8, lambda layer: " " + cell(layer.ratio)),
    ("nan", 4, lambda layer: f" {layer.nonfinite:>3}"),
]
DROPPED_FIRST = ("‖w‖", "nan")


def columns_for(width: int) -> list[tuple[str, int, Callable[[Layer], str]]]:
    """The columns that fit `width` beside a name of NAME cells."""
    kept = list(COLUMNS)
    for name in DROPPED_FIRST:
        if NAME + sum(size for _, size, _ in kept) <= width:
            break
        kept = [column for column in kept if column[0] != name]
    return kept


def label(name: str, width: int) -> str:
    """A layer's name in `width` cells: its path and kind, else its path alone, else its end."""
    if len(name) <= width:
        return name
    path = name.partition(" ")[0]
    return path if len(path) <= width else "…" + path[-(width - 1) :]


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
    columns = columns_for(width)
    name_width = max(NAME, min(max(len(layer.name) for layer in frame.layers), width - sum(size for _, size, _ in columns)))
    lines = [Text(f"{'layer':<{name_width}}" + "".join(f"{title:>{size}}" for title, size, _ in columns), "bold")]
    shown = frame.layers if len(frame.layers) <= height - 2 else frame.layers[: height - 3]
    for layer in shown:
        row = f"{label(layer.name, name_width):<{name_width}}" + "".join(show(layer) for _, _, show in columns)
        lines.append(Text(row, layer_style(layer)))
    if len(shown) < len(frame.layers):
        lines.append(Text(f"… {len(frame.layers) - len(shown)} more layers", "dim"))
    lines.append(Text(f"at step {frame.layers_step:,}", "dim"))
    return lines


class LayerTable(RowsWidget):
    def show(self, frame: ScriptFrame) -> None:
        self.show_rows(self.text_rows(Text("\n").join(table_lines(frame, self.size.width, self.size.height))))
