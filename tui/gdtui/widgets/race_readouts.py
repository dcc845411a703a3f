"""The numbers of a race: its state, step and speed, then one row per run."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.text import Text

from gdtui.charts.race import RUN_COLORS, RUN_MARKERS
from gdtui.engine.formats import fixed, rate, speed_text
from gdtui.engine.run.frame import Frame, Phase, RaceFrame, RunFrame
from gdtui.widgets.readouts import REC, STATE_STYLES, Readouts, measured_text

if TYPE_CHECKING:
    from textual.geometry import Size

HINT = Text("tab selects a run", "dim")


def rule_name(optimizer: str, batch_size: int) -> str:
    """A run's update rule, and its batch when it is not every point: `adam`, `gd b32`."""
    return optimizer + (f" b{batch_size}" if batch_size else "")


def race_header(
    state: str, step: int, target: int, speed: float, note: Text, measured: float | None = None, link_fps: int | None = None,
    recording: bool = False,
) -> Text:
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(f" {state:<8}", STATE_STYLES[state])
    text.append("  step ", "dim")
    text.append(f"{step:>7} / {target or '∞'}")
    text.append("   speed ", "dim")
    text.append(speed_text(speed))
    if measured is not None:
        text.append_text(measured_text(measured))
    text.append("   ")
    text.append_text(note)
    if link_fps is not None:  # frames are held back for a slow link: say why it looks slow
        text.append(f"   link: {link_fps} fps", "bold magenta")
    if recording:
        text.append(f"   {REC}", "bold red")
    return text


def run_row(i: int, name: str, width: int, run: RunFrame | None, selected: bool, tight: bool = False) -> Text:
    """Run i: its digit, name and lr; w, b and loss; when it reached w*, or that it diverged.
    `tight`: lr, w, b and loss shorter and unpadded, where the aligned columns would not fit."""
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(" ▸" if selected else "  ", "bold")
    text.append(RUN_MARKERS[i], f"bold {RUN_COLORS[i]}")
    text.append(f" {name:<{width}}")
    if run is None:
        return text
    frame = run.frame
    text.append(" lr ", "dim")
    text.append(f"{rate(frame.lr):<{0 if tight else 7}}", "bold")
    for label, value in (("w", frame.snap.w), ("b", frame.snap.b)):
        text.append(f" {label} ", "dim")
        text.append(f"{value:.4g}" if tight else fixed(value), "bold")
    text.append(" loss ", "dim")
    text.append(f"{frame.current.loss:.{2 if tight else 3}e} ", "bold")
    if run.diverged_at is not None:
        text.append("DIVERGED", STATE_STYLES["DIVERGED"])
        text.append(f" at {run.diverged_at}")
    elif run.reached is not None:
        text.append(f"w* at {run.reached}", "green")
    if selected:
        text.stylize("reverse", 1)  # reverse video: seen in any colours, and in none
    return text


class RaceReadouts(Readouts):
    """A header line, then one row per run; the selected run's row highlighted."""

    def __init__(self, names: Sequence[str], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.names = tuple(names)  # as the runs start: shown while PyTorch loads

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return 1 + len(self.names)

    def show_loading(self, *, target: int, lr: float | None, speed: float) -> None:
        text = race_header("LOADING", 0, target, speed, Text("loading PyTorch…", "italic"))
        width = max(map(len, self.names))
        for i, name in enumerate(self.names):
            text.append("\n")
            text.append_text(run_row(i, name, width, None, selected=False))
        self._update(text)

    def show(self, frame: Frame, link_fps: int | None = None, recording: bool = False) -> None:
        assert isinstance(frame, RaceFrame), "race readouts are shown a race's frame"
        # The runs step in lockstep: the fastest of them is the race's speed (a diverged one stopped).
        measured = max(run.frame.measured for run in frame.runs) if frame.phase is Phase.RUNNING else None
        text = race_header(frame.phase.value, frame.step, frame.target, frame.speed, HINT, measured, link_fps, recording)
        if text.cell_len > (self.size.width or 80):  # the hint on tab goes first: ? lists it too
            text = race_header(frame.phase.value, frame.step, frame.target, frame.speed, Text(), measured, link_fps, recording)
        names = [rule_name(run.frame.optimizer, run.frame.batch_size) for run in frame.runs]
        width = max(map(len, names))

        def rows(tight: bool) -> list[Text]:
            return [run_row(i, name, width, run, i == frame.selected, tight) for i, (name, run) in enumerate(zip(names, frame.runs))]

        shown = rows(tight=False)
        if max(row.cell_len for row in shown) > (self.size.width or 80):
            shown = rows(tight=True)
        for row in shown:
            text.append("\n")
            text.append_text(row)
        self._update(text)
