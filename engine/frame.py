"""What the screen shows at one moment: the run's phase and one immutable Frame of its state.

Torch-free, so the app can name phases and lay out readouts before PyTorch has loaded.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

from gdtui.engine.walk import LoopPhase

if TYPE_CHECKING:
    from gdtui.engine.data import Dataset
    from gdtui.engine.explain import Explanation
    from gdtui.engine.history import HistoryView
    from gdtui.engine.train import Snapshot


class Phase(str, Enum):
    RUNNING = "RUNNING"
    PAUSED = "PAUSED"
    DONE = "DONE"  # paused by reaching the target
    DIVERGED = "DIVERGED"  # paused by an update that overflowed


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
    hint: str
    history: HistoryView
    lr_marks: tuple[tuple[int, float], ...]
    data: Dataset
    optimum: tuple[float, float]
    start: Snapshot  # step 0, where the landscape's box is centred from
    walk: LoopPhase = LoopPhase.FORWARD  # the phase of the loop the explain view shows
    explained: Explanation | None = None  # the next update taken apart, when asked for

    @property
    def distance(self) -> float:
        """How far (w, b) is from the least-squares optimum."""
        return math.hypot(self.snap.w - self.optimum[0], self.snap.b - self.optimum[1])
