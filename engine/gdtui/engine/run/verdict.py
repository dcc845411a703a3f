"""What needs a person's attention in a run, as values: what happened and which fixes apply.

The engine decides; the app words a verdict with its keys (widgets/hint.py) and headless with its
flags, so neither layer knows the other's way of saying it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Fix(str, Enum):
    STANDARDIZE = "standardize"  # train on standardized x, y: κ → 1
    BEST_LR = "best lr"  # the best fixed lr for the data and rule
    LOWER_LR = "lower lr"


@dataclass(frozen=True)
class Diverged:
    """The update of `step` overflowed at `lr`; the run stands at its last finite state."""

    step: int
    lr: float
    lr_now: float
    fixes: tuple[Fix, ...]


@dataclass(frozen=True)
class PastBound:
    """The lr is at or past the bound for the rule: `stable` (divergence) or `safe` (no guarantee)."""

    lr: float
    optimizer: str
    bound: float
    word: str
    fixes: tuple[Fix, ...]


@dataclass(frozen=True)
class Crawling:
    """Ill-conditioned: at this lr the run needs far too many steps."""

    kappa: float
    fixes: tuple[Fix, ...]


@dataclass(frozen=True)
class Converged:
    """At the target, w and b each within TOLERANCE of the optimum (theory/closeness.py)."""

    errors: tuple[float, float]  # w's and b's, each on its own scale
    target: int


@dataclass(frozen=True)
class NotConverged:
    """At the target, still `errors` from the optimum, `remaining` steps on at this lr (None: no prediction)."""

    errors: tuple[float, float]
    remaining: float | None
    crawls: bool
    fixes: tuple[Fix, ...]


@dataclass(frozen=True)
class TargetReached:
    """The target step, for a model with no prediction to be honest about."""

    target: int


Verdict = Diverged | PastBound | Crawling | Converged | NotConverged | TargetReached
