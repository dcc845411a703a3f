"""The path of a run of any length, in bounded memory: what the charts draw."""

from __future__ import annotations


class History:
    """(step, loss, w, b) points, at most `capacity`, spread evenly over the whole run.

    Every `stride`-th step is kept; when the lists fill, every other point goes and the
    stride doubles, so a run of a million steps costs what one of a few thousand does.
    """

    def __init__(self, capacity: int = 2048) -> None:
        self.capacity = capacity
        self.clear()

    def clear(self) -> None:
        self.stride = 1
        self.steps: list[int] = []
        self.losses: list[float] = []
        self.ws: list[float] = []
        self.bs: list[float] = []

    def __len__(self) -> int:
        return len(self.steps)

    def add(self, step: int, loss: float, w: float, b: float) -> None:
        if step % self.stride:
            return
        self.steps.append(step)
        self.losses.append(loss)
        self.ws.append(w)
        self.bs.append(b)
        if len(self.steps) > self.capacity:
            self.stride *= 2
            keep = [i for i, s in enumerate(self.steps) if s % self.stride == 0]
            for name in ("steps", "losses", "ws", "bs"):
                column = getattr(self, name)
                setattr(self, name, [column[i] for i in keep])

    def truncate(self, step: int) -> None:
        """Forget every point after `step` (after a rewind or a reset)."""
        while self.steps and self.steps[-1] > step:
            for column in (self.steps, self.losses, self.ws, self.bs):
                column.pop()
