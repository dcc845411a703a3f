"""The runs of a race as the command line names them: `gd:0.01,momentum:0.05,adam:0.1:b32`.

Torch-free, so a bad SPEC is refused before anything heavy loads.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from gdtui.engine.config import RunConfig
from gdtui.engine.training.hyper import OPTIMIZERS

MIN_RUNS, MAX_RUNS = 2, 4  # fewer is not a race; more do not fit an 80x24 screen's rows
SYNTAX = "optimizer (" + ", ".join(OPTIMIZERS) + "), an lr like 0.1, or a batch size like b32"


@dataclass(frozen=True)
class RunSpec:
    """What one run changes from the command line's own settings; None keeps them."""

    optimizer: str | None = None
    lr: float | None = None
    batch_size: int | None = None

    def config(self, base: RunConfig) -> RunConfig:
        return replace(
            base,
            optimizer=base.optimizer if self.optimizer is None else self.optimizer,
            lr=base.lr if self.lr is None else self.lr,
            batch_size=base.batch_size if self.batch_size is None else self.batch_size,
        )


def parse_spec(text: str) -> RunSpec:
    """One SPEC: its parts, separated by ':', in any order, each kind at most once."""
    found: dict[str, object] = {}
    for part in text.strip().split(":"):
        kind, value = _part(part.strip().lower())
        if kind is None:
            raise ValueError(f"{text!r}: {part!r} is not an {SYNTAX}" if part.strip() else f"{text!r}: empty part")
        if kind in found:
            raise ValueError(f"{text!r}: two {kind.replace('_', ' ')}s")
        found[kind] = value
    return RunSpec(**found)  # type: ignore[arg-type]  # _part pairs each field's name with a value of its type


def _part(part: str) -> tuple[str | None, object]:
    if part in OPTIMIZERS:
        return "optimizer", part
    if part.startswith("b") and part[1:].isdigit():
        return "batch_size", int(part[1:])
    try:
        lr = float(part)
    except ValueError:
        return None, None
    return ("lr", lr) if math.isfinite(lr) and lr > 0 else (None, None)


def parse_compare(text: str) -> tuple[RunSpec, ...]:
    """SPEC[,SPEC...]: MIN_RUNS to MAX_RUNS of them; ValueError names the first bad one."""
    specs = tuple(parse_spec(spec) for spec in text.split(","))
    if not MIN_RUNS <= len(specs) <= MAX_RUNS:
        raise ValueError(f"{len(specs)} run{'s' if len(specs) != 1 else ''}; a race takes {MIN_RUNS} to {MAX_RUNS}")
    return specs


def run_name(optimizer: str, lr: float, batch_size: int) -> str:
    """How a run is named on screen and in tables, from its settings: `momentum 0.05 b32`."""
    batch = f" b{batch_size}" if batch_size else ""
    return f"{optimizer} {lr:g}{batch}"
