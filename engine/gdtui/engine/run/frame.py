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
    import numpy as np

    from gdtui.engine.data.dataset import Dataset
    from gdtui.engine.regression.statistics import Summary
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


@dataclass(frozen=True)
class FitFrame(Frame):
    """What the screen of several inputs shows at one moment: a Frame whose line is b and the
    first column's w (what the loss chart and the shared readouts read), and every coefficient's
    state beside it, b first, as the coefficient table and the diagnostic charts show them."""

    names: tuple[str, ...] = ()  # "b", then each column's name
    coefficients: tuple[float, ...] = ()  # as trained now, in the data's units
    grads: tuple[float, ...] = ()  # ∂loss/∂ each, from the last update
    statistics: Summary | None = None  # least squares and its table (std err, t, p, interval, R², F)
    l2: float = 0.0  # ridge's λ: the loss trained is the MSE + λ ‖w‖²
    reference: tuple[float, ...] = ()  # where that loss is lowest: least squares' coefficients, or ridge's
    errors: tuple[float, ...] = ()  # each coefficient's distance from least squares on its own scale
    remaining: float | None = None  # predicted steps until converged: None unknown, inf never
    kappa: float = math.inf  # of the Hessian in the coordinates trained
    degree: int = 1  # a polynomial of one x (the first column) when above 1
    sample: tuple[int, ...] = ()  # the rows the scatter charts show (at most a few hundred)
    x: np.ndarray | None = None  # the design, [n, d], float64
    y: np.ndarray | None = None
    quadratic: tuple[np.ndarray, np.ndarray, float] | None = None  # the MSE as c·G c - 2 h·c + yy, c = (b, w...)
    pair: tuple[int, int] = (0, 1)  # the two coefficients the landscape is over
    trail: tuple[tuple[float, ...], ...] = ()  # recent coefficients, oldest first: the landscape's path
    validation: HistoryView | None = None  # the held-out rows' loss, where there are some
    validation_loss: float | None = None  # theirs at the coefficients now

    def predictions(self, rows: tuple[int, ...] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(actual y, fitted y at the coefficients now) of `rows` (the sample by default)."""
        assert self.x is not None and self.y is not None
        picked = list(self.sample if rows is None else rows)
        b, *w = self.coefficients
        return self.y[picked], self.x[picked] @ w + b
