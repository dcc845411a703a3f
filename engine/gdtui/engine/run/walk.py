"""Where a walk through one step of the loop stands: which of its five phases is being shown.

Torch-free, so frames can name the phase before PyTorch has loaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class LoopPhase(IntEnum):
    """The seed's loop, in order: one pass through all five is one update."""

    FORWARD = 0
    LOSS = 1
    ZERO = 2
    BACKWARD = 3
    UPDATE = 4


@dataclass
class Walk:
    """The phase shown; moving past UPDATE (or back before FORWARD) is a step (or a step back),
    which the caller makes."""

    phase: LoopPhase = LoopPhase.FORWARD

    def next(self) -> bool:
        """One phase on; True when that means applying the update (and starting the next step)."""
        if self.phase is LoopPhase.UPDATE:
            self.phase = LoopPhase.FORWARD
            return True
        self.phase = LoopPhase(self.phase + 1)
        return False

    def back(self) -> bool:
        """One phase back; True when that means undoing the last update (to show it again)."""
        if self.phase is LoopPhase.FORWARD:
            self.phase = LoopPhase.UPDATE
            return True
        self.phase = LoopPhase(self.phase - 1)
        return False
