"""`gdtui.watch`: what a script can tell gdtui, and read back, when it wants more than the hooks.

Under `gdtui run` it reaches the app; run any other way it costs nothing and changes nothing
(`log` does nothing, `lr` stays what the script gave), so the script needs no second version.
"""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import torch

    from gdtui.engine.script.watcher import Watcher

watcher: Watcher | None = None  # set by `gdtui run` in the script's process


class Watched:
    """What `watch()` returns: `log` values for the app's chart and readouts, `lr` for a loop that
    updates by hand (the app's +, - and l change it)."""

    def __init__(self, lr: float | None) -> None:
        self._lr = lr

    def __enter__(self) -> Watched:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        return None

    def log(self, **values: float) -> None:
        """Scalars at this step (`val_loss=`, `acc=`): drawn on the loss chart and shown beside the
        loss; `epoch=` says which epoch the script is in."""
        if watcher is not None:
            watcher.log(values)

    @property
    def lr(self) -> float:
        """The lr to update with by hand: the one given to `watch`, as the app has changed it since."""
        if watcher is not None and watcher.manual_lr is not None:
            return watcher.manual_lr
        if self._lr is None:
            raise ValueError("gdtui.watch(lr=...) gives a loop without an optimizer its lr")
        return self._lr


def watch(model: torch.nn.Module | None = None, optimizer: torch.optim.Optimizer | None = None, *, lr: float | None = None) -> Watched:
    """Tell gdtui about the model (its layers are named from it) and, for a loop with no
    optimizer, the lr it updates with (read it back from `.lr` at each step)."""
    if watcher is not None:
        if model is not None:
            watcher.name_from(model)
        if optimizer is not None and watcher.optimizer is None:
            watcher.optimizer = optimizer  # the one watched, when a script steps several
        if lr is not None and optimizer is None and watcher.manual_lr is None:
            watcher.manual_lr = lr
            watcher.changes.append((watcher.steps + 1, [lr], "start"))  # what the app's keys start from
    return Watched(lr)
