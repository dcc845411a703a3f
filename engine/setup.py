"""From a run's settings to a ready Trainer, the same way for the headless runner and the app."""

from __future__ import annotations

from dataclasses import dataclass

import torch

from engine.data import make_line
from engine.train import Hyper, Trainer


@dataclass(frozen=True)
class RunConfig:
    """Everything that decides a run; the same config gives the same run."""

    n: int = 500
    true_w: float = 3.0
    true_b: float = 0.8
    noise: float = 0.0
    seed: int = 0
    lr: float = 0.01


def build(config: RunConfig) -> Trainer:
    """The seed's set-up: draw x (and noise), then w ~ U[0, 1); b starts at 0."""
    torch.set_num_threads(1)  # tiny tensors: a second thread only adds hand-over cost
    generator = torch.Generator().manual_seed(config.seed)
    data = make_line(generator, config.n, config.true_w, config.true_b, config.noise)
    w0 = torch.rand(1, generator=generator).item()
    return Trainer(data, Hyper(lr=config.lr), w0)
