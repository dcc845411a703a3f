"""The path of a run of any length, in bounded memory: what the charts draw."""

from __future__ import annotations

from typing import NamedTuple


class HistoryView(NamedTuple):
    """The history at one moment, immutable: what a frame hands the charts."""

    steps: tuple[int, ...]
    losses: tuple[float, ...]
    ws: tuple[float, ...]
    bs: tuple[float, ...]
    stride: int

    def __len__(self) -> int:
        return len(self.steps)


class History:
    """(step, loss, w, b) points, at most `capacity`, spread evenly over the whole run.

    Every `stride`-th step is kept; when the lists fill, every other point goes and the
    stride doubles, so a run of a million steps costs what one of a few thousand does.
    The first point stays whatever the stride: a loss that falls in a step or two falls
    from there, and without it the chart of a long run would start at the bottom.
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
        self._view: HistoryView | None = None

    def __len__(self) -> int:
        return len(self.steps)

    def keeps(self, step: int) -> bool:
        """Whether add() would keep this step: what a costly value need only be computed for."""
        return not (step % self.stride and self.steps)

    def add(self, step: int, loss: float, w: float, b: float) -> None:
        if not self.keeps(step):
            return
        self._view = None
        self.steps.append(step)
        self.losses.append(loss)
        self.ws.append(w)
        self.bs.append(b)
        if len(self.steps) > self.capacity:
            self.stride *= 2
            keep = [i for i, s in enumerate(self.steps) if i == 0 or s % self.stride == 0]
            for name in ("steps", "losses", "ws", "bs"):
                column = getattr(self, name)
                setattr(self, name, [column[i] for i in keep])

    def truncate(self, step: int) -> None:
        """Forget every point after `step` (after a rewind or a reset)."""
        self._view = None
        while self.steps and self.steps[-1] > step:
            for column in (self.steps, self.losses, self.ws, self.bs):
                column.pop()

    def view(self) -> HistoryView:
        """An immutable copy, made again only after the history changed (not while paused)."""
        if self._view is None:
            self._view = HistoryView(
                tuple(self.steps), tuple(self.losses), tuple(self.ws), tuple(self.bs), self.stride
            )
        return self._view
