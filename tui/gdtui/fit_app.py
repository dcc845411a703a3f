"""`gdtui --data F --x a,b,c` (or --degree K): the app with a fit of several coefficients."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gdtui.app import NOTE_SECONDS, RunApp
from gdtui.screens.fit import FitScreen
from gdtui.screens.main import Loading

if TYPE_CHECKING:
    from gdtui.engine.config import RunConfig
    from gdtui.engine.data.dataset import Dataset
    from gdtui.engine.run.fit import FitRun
    from gdtui.terminal.pacing import FramePacer


class FitApp(RunApp["FitRun"]):
    """y = X w + b over `data`'s columns, or a polynomial of degree `degree` in its one x."""

    def __init__(
        self, config: RunConfig, data: Dataset | None = None, *, degree: int = 1, holdout: float | None = None, l2: float = 0.0,
        speed: float, paused: bool, export_path: str | None = None, background: bool = True, pacer: FramePacer | None = None,
    ) -> None:
        self.degree, self.holdout, self.l2 = degree, holdout, l2
        super().__init__(config, data, speed=speed, paused=paused, export_path=export_path, background=background, pacer=pacer)

    def first_screen(self, loading: Loading, export_path: str | None, explain: bool, pacer: FramePacer | None) -> FitScreen:
        return FitScreen(loading, self.degree, export_path, pacer)

    def _load(self) -> FitRun:
        from gdtui.engine.run.fit import start_fit
        from gdtui.headless.many import chosen

        run = start_fit(self.config, self.data, self.degree, self.holdout, self.l2, speed=self.speed, running=not self.paused)
        if self.config.watchable:
            said = f"Chose {chosen(run.descent)}: numbers in the data's units; z trains on the raw values."
            self.notify(said, timeout=NOTE_SECONDS, markup=False)
        return run
