"""The API a training script may use under `gdtui run` (see gdtui.engine.script.api):

    from gdtui.watch import watch

    with watch(model, optimizer) as run:
        ...
        run.log(val_loss=val_loss, acc=acc)
"""

from gdtui.engine.script.api import Watched, watch

__all__ = ["Watched", "watch"]
