"""What the screen shows at one moment: the run's phase and one immutable Frame of its state.

Torch-free, so the app can name phases and lay out readouts before PyTorch has loaded.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, NamedTuple

from gdtui.engine.run.walk import LoopPhase

if TYPE_CHECKING:
    from gdtui.engine.data.dataset import Dataset
    from gdtui.engine.run.history import HistoryView
    from gdtui.engine.run.verdict import Verdict
    from gdtui.engine.theory.conditioning import Conditioning
    from gdtui.engine.training.explain import Explanation
    from gdtui.engine.training.models import Model
    from gdtui.engine.training.scaling import Scaling
    from gdtui.engine.training.trainer import Snapshot




class Phase(str, Enum):
    RUNNING = "RUNNING"
    PAUSED = "PAUSED"
    DONE = "DONE"  # paused by reaching the target
    DIVERGED = "DIVERGED"  # paused by an update that overflowed


class LossAt(NamedTuple):
    """The loss and its gradient over every point at one (w, b), in the data's units."""

    loss: float
    grad_w: float
    grad_b: float


@dataclass(frozen=True)
class Optimum:
    """Where the loss is lowest, or, when `finite` is False (separable classes), no such place
    exists and (w, b) is only a point the loss keeps falling past, on the way out."""

    w: float
    b: float
    loss: float
    accuracy: float | None = None  # classification only
    finite: bool = True


@dataclass(frozen=True)
class Frame:
    """What the screen shows at one moment, taken from the session in one piece."""

    phase: Phase
    snap: Snapshot
    target: int
    lr: float
    optimizer: str
    batch_size: int  # 0: the full batch
    stable_lr: float | None  # the bound for the current rule, None where none is known
    speed: float
    measured: float  # steps per second actually trained lately
    verdict: Verdict | None  # what needs attention, with the fixes that apply
    history: HistoryView
    marks: tuple[tuple[int, str], ...]  # (step, what changed): lr, or the coordinates trained
    data: Dataset
    optimum: Optimum
    start: Snapshot  # step 0, where the landscape's box is centred from
    model: Model
    accuracy: float | None  # classification only: the share of points on their side at (w, b)
    current: LossAt  # at (w, b) as shown: what the gradient check, explain view and slice measure
    walk: LoopPhase = LoopPhase.FORWARD  # the phase of the loop the explain view shows
    explained: Explanation | None = None  # the next update taken apart, when asked for
    # The linear model's conditioning (None for the logistic model), in the coordinates trained:
    conditioning: Conditioning | None = None
    raw_kappa: float | None = None  # standardized: κ of the data as it is
    scaling: Scaling | None = None  # from the coordinates trained to the data's units
    trained_data: Dataset | None = None  # the points in the coordinates trained
    best_lr: tuple[str, float] | None = None  # ("best lr" or "auto lr", what `auto` picks)
    progress: tuple[tuple[float, float], float | None] | None = None  # (w's and b's errors, steps to w* or None)
    no_prediction: str = ""  # why there are no steps to predict

    @property
    def distance(self) -> float:
        """How far (w, b) is from the optimum."""
        return math.hypot(self.snap.w - self.optimum.w, self.snap.b - self.optimum.b)

    @property
    def boundary(self) -> float | None:
        """Classification: where σ(w x + b) = 0.5, x = -b/w; None while w is 0."""
        w, b = self.snap.w, self.snap.b
        x = (0.0 - b) / w if w else math.inf  # 0.0 - b: a boundary at 0 shows as 0, not -0
        return x if math.isfinite(x) else None


@dataclass(frozen=True)
class RunFrame:
    """One run of the race at one moment."""

    frame: Frame
    reached: int | None  # the step at which it first came near the optimum (see race.near)
    diverged_at: int | None  # the step whose update overflowed; the run stopped before it


@dataclass(frozen=True)
class RaceFrame(Frame):
    """What the race screen shows at one moment: the selected run's Frame (the settings keys act
    on it; the data, model, optimum, start and coordinates are every run's), with the race's
    phase, step and speed, and every run's own."""

    step: int = 0
    selected: int = 0
    runs: tuple[RunFrame, ...] = ()
