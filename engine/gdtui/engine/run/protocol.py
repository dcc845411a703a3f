"""What the app and the headless runners drive: a single run (Session) and a race (Race) alike.

Keys that are about one run's own state (the gradient check, export, the explain view) need a
Session; everything else a screen does goes through this protocol, so a race answers every key a
single run does, and a type check finds a key a race would not answer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from gdtui.engine.run.frame import Frame, Phase
    from gdtui.engine.theory.conditioning import Conditioning
    from gdtui.engine.training.hyper import Hyper


class Run(Protocol):
    """Running or paused toward a target, stepped, rewound and reset, with settings that apply
    from the next step (a race's settings are its selected run's), and a Frame to show."""

    target: int
    speed: float
    running: bool

    @property
    def phase(self) -> Phase: ...

    @property
    def diverged(self) -> bool: ...

    @property
    def steps_taken(self) -> int: ...

    # Moving through the run.

    def tick(self, now: float, budget: float) -> None: ...

    def toggle(self) -> None: ...

    def pause(self) -> None: ...

    def step(self, count: int = 1) -> object: ...

    def rewind(self) -> bool: ...

    def reset(self) -> None: ...

    def speed_notch(self, direction: int) -> None: ...

    # Settings.

    @property
    def lr(self) -> float: ...

    @property
    def hyper(self) -> Hyper: ...

    def change(self, *, lr: float | None = None, optimizer: str | None = None, batch_size: int | None = None) -> None: ...

    def lr_notch(self, direction: int) -> bool: ...

    def auto_lr(self) -> float: ...

    @property
    def best_lr_label(self) -> str: ...

    @property
    def conditioning(self) -> Conditioning | None: ...

    @property
    def standardized(self) -> bool: ...

    def standardize(self, on: bool) -> None: ...

    def next_optimizer(self) -> str: ...

    def next_batch_size(self) -> int: ...

    # What to show.

    def frame(self, now: float, explain: bool = False) -> Frame: ...
