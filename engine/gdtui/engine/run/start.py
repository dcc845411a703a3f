"""From a run's settings to a ready Trainer or Session, the same way for headless and the app."""

from __future__ import annotations

import torch

from gdtui.engine.config import DEFAULT_SPEED, RunConfig
from gdtui.engine.data.dataset import Dataset, make_classes, make_line
from gdtui.engine.run.session import Session
from gdtui.engine.training.models import MODELS
from gdtui.engine.training.trainer import Hyper, Trainer


def draw(config: RunConfig, data: Dataset | None = None) -> tuple[Dataset, float]:
    """The seed's set-up: draw x (and noise, or labels) unless `data` is given, then
    w0 ~ U[0, 1), the first weight in the coordinates trained (b0 is 0)."""
    generator = torch.Generator().manual_seed(config.seed)
    if data is None and config.model == "logistic":
        data = make_classes(generator, config.n, config.true_w, config.true_b, config.separable)
    elif data is None:
        data = make_line(generator, config.n, config.true_w, config.true_b, config.noise)
    return data, torch.rand(1, generator=generator).item()


def build(config: RunConfig, data: Dataset | None = None) -> Trainer:
    """A Trainer of `config` from the seed's set-up (see draw)."""
    return trainer_for(config, *draw(config, data))


def trainer_for(config: RunConfig, data: Dataset, w0: float) -> Trainer:
    """A Trainer of `config`'s settings over `data`, starting from w0 and b = 0 (in the
    coordinates trained); an lr of None is chosen for the data and rule: the best fixed lr, or with
    `watchable`, one whose steps are seen."""
    hyper = Hyper(lr=config.lr or 0.0, optimizer=config.optimizer, batch_size=config.batch_size)
    trainer = Trainer(data, hyper, w0, seed=config.seed, model=MODELS[config.model], standardize=config.standardize)
    if config.lr is None:
        hyper.lr = trainer.watchable_lr() if config.watchable else trainer.auto_lr()
        trainer.initial = trainer.current = trainer.previous = trainer.initial._replace(lr=hyper.lr)
    return trainer


def start_session(
    config: RunConfig, data: Dataset | None = None, *, speed: float = DEFAULT_SPEED, running: bool = False
) -> Session:
    """A Session over the run `config` describes."""
    return Session(build(config, data), target=config.steps, speed=speed, running=running)
