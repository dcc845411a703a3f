"""The settings a run reads at every step; torch-free, so the command line can name them."""

from __future__ import annotations

from dataclasses import dataclass

OPTIMIZERS = ("gd", "momentum", "adam")


@dataclass
class Hyper:
    """Settings the generator reads at every step, so a change applies to the next pull."""

    lr: float = 0.01
    optimizer: str = "gd"  # one of OPTIMIZERS
    batch_size: int = 0  # points per step; 0 (or n or more) is the full batch
