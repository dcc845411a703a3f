"""`gdtui --compare ...`: the app with a race of several runs in place of one."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from gdtui.app import RunApp
from gdtui.screens.main import Loading
from gdtui.screens.race import RaceScreen

if TYPE_CHECKING:
    from gdtui.engine.config import RunConfig
    from gdtui.engine.data.dataset import Dataset
    from gdtui.engine.run.race import Race
    from gdtui.terminal.pacing import FramePacer


class RaceApp(RunApp["Race"]):
    """A race of `configs` (one run each) on `data`, shown on a RaceScreen."""

    def __init__(
        self, configs: Sequence[RunConfig], data: Dataset | None = None, *, speed: float, paused: bool,
        background: bool = True, pacer: FramePacer | None = None,
    ) -> None:
        self.configs = tuple(configs)
        super().__init__(self.configs[0], data, speed=speed, paused=paused, background=background, pacer=pacer)

    def first_screen(
        self, loading: Loading, export_path: str | None, explain: bool, pacer: FramePacer | None
    ) -> RaceScreen:
        return RaceScreen(loading, self.configs, pacer)  # no export or explain view: they are of one run

    def _load(self) -> Race:
        from gdtui.engine.run.race import start_race

        return start_race(self.configs, self.data, speed=self.speed, running=not self.paused)
