"""From a run's settings to a ready Trainer, the same way for the headless runner and the app."""

from __future__ import annotations

from dataclasses import dataclass

import torch

from gdtui.engine.data import Dataset, make_line
from gdtui.engine.train import Hyper, Trainer


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


def build(config: RunConfig, data: Dataset | None = None) -> Trainer:
    """The seed's set-up: draw x (and noise) unless `data` is given, then w ~ U[0, 1); b = 0."""
    generator = torch.Generator().manual_seed(config.seed)
    if data is None:
        data = make_line(generator, config.n, config.true_w, config.true_b, config.noise)
    w0 = torch.rand(1, generator=generator).item()
    hyper = Hyper(lr=config.lr, optimizer=config.optimizer, batch_size=config.batch_size)
    return Trainer(data, hyper, w0, seed=config.seed)
