"""The loss curve of a run of any length, in bounded memory."""

from __future__ import annotations


class LossHistory:
    """(step, loss) points, at most `capacity`, spread evenly over the whole run.

    Every `stride`-th step is kept; when the list fills, every other point goes and the
    stride doubles, so a run of a million steps costs what one of a few thousand does.
    """

    def __init__(self, capacity: int = 2048) -> None:
        self.capacity = capacity
        self.stride = 1
        self.steps: list[int] = []
        self.losses: list[float] = []

    def __len__(self) -> int:
        return len(self.steps)

    def add(self, step: int, loss: float) -> None:
        if step % self.stride:
            return
        self.steps.append(step)
        self.losses.append(loss)
        if len(self.steps) > self.capacity:
            self.stride *= 2
            keep = [i for i, s in enumerate(self.steps) if s % self.stride == 0]
            self.steps = [self.steps[i] for i in keep]
            self.losses = [self.losses[i] for i in keep]

    def truncate(self, step: int) -> None:
        """Forget every point after `step` (after a rewind or a reset)."""
        while self.steps and self.steps[-1] > step:
            self.steps.pop()
            self.losses.pop()

    def clear(self) -> None:
        self.__init__(self.capacity)
