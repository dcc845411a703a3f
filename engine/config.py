"""What decides a run, as plain values: torch-free, so the command line can build it at once."""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_SPEED = 200.0  # steps per second in the app


@dataclass(frozen=True)
class RunConfig:
    """Everything that decides a run; the same config gives the same run."""

    n: int = 500
    true_w: float = 3.0
    true_b: float = 0.8
    noise: float = 0.0
    seed: int = 0
    lr: float = 0.01
    optimizer: str = "gd"
    batch_size: int = 0
    steps: int = 3000  # updates before the run is DONE; 0 = no limit
