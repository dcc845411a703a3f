"""What decides a run, as plain values: torch-free, so the command line can build it at once."""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_SPEED = 200.0  # steps per second in the app

MODELS = ("linear", "logistic")
MAX_DEGREE = 20  # --degree: x^20 of a value of 10 is 1e20, past which float64 columns stop meaning much


@dataclass(frozen=True)
class ModelDefaults:
    """What a run of a model starts from unless told otherwise."""

    lr: float
    true_w: float
    true_b: float


MODEL_DEFAULTS = {
    "linear": ModelDefaults(lr=0.01, true_w=3.0, true_b=0.8),  # the seed's run
    # Labels ~ Bernoulli(sigmoid(8x - 4)): the classes overlap around x = 0.5, so a finite optimum
    # exists; lr 1 is well inside cross entropy's safe bound (about 6.3 on this data).
    "logistic": ModelDefaults(lr=1.0, true_w=8.0, true_b=-4.0),
}


@dataclass(frozen=True)
class RunConfig:
    """Everything that decides a run; the same config gives the same run."""

    n: int = 500
    true_w: float = 3.0
    true_b: float = 0.8
    noise: float = 0.0
    seed: int = 0
    lr: float | None = 0.01  # None: chosen for the data and rule (Trainer.auto_lr, or watchable_lr)
    watchable: bool = False  # with lr None: an lr whose steps are seen (a file's default), not the best
    optimizer: str = "gd"
    batch_size: int = 0
    standardize: bool = False  # train on standardized x and y (gdtui.engine.training.scaling)
    steps: int = 3000  # updates before the run is DONE; 0 = no limit
    model: str = "linear"  # one of MODELS
    separable: bool = False  # logistic: labels by the true boundary alone, no overlap
