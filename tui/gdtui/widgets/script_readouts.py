"""The numbers of a watched script: its state, step, epoch, pace, loss, logged values and lr."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from gdtui.charts.script_loss import LOGGED_COLORS
from gdtui.engine.formats import speed_text, value_text
from gdtui.engine.run.script import State, lr_text
from gdtui.widgets.readouts import REC
from gdtui.widgets.rows import RowsWidget

if TYPE_CHECKING:
    from gdtui.engine.run.script import ScriptFrame

STATE_STYLES = {
    State.STARTING: "bold",
    State.RUNNING: "bold green",
    State.PAUSING: "bold yellow",
    State.PAUSED: "bold yellow",
    State.ENDED: "bold cyan",
    State.STOPPING: "bold red",
    State.DETACHED: "bold",
}


def seconds_text(seconds: float) -> str:
    """A step's time as read: 840 µs, 4.2 ms, 1.3 s."""
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} µs"
    return f"{seconds * 1e3:.3g} ms" if seconds < 1 else f"{seconds:.3g} s"


def lr_line(frame: ScriptFrame) -> Text:
    """How the script's lr is set, and what +, - and l change."""
    coming = Text("")
    if frame.asked is not None:
        group, lr = frame.asked
        coming = Text(f" → {lr:g}{'' if group is None else f' (group {group})'} from the next step", "bold yellow")
    if frame.kind == "backward":
        factor = frame.lrs[0] if frame.lrs else 1.0
        said = Text(f" lr: the script's own, gradients ×{factor:g} at backward()", "yellow" if factor != 1 else "")
        return said + coming
    if frame.kind == "run.lr":
        return Text(f" lr {lr_text(frame.lrs)} (run.lr, read by the script)") + coming
    line = Text(f" lr {lr_text(frame.lrs)}", "bold") + coming
    groups = len(frame.lrs)
    if groups > 1:
        chosen = "every group" if frame.group is None else f"group {frame.group}"
        line.append(f"  ({groups} param groups; +/-/l change {chosen}, G picks)")
    line.append(f"   {frame.optimizer or 'optimizer'}", "dim")
    return line


def state_line(frame: ScriptFrame, link_fps: int | None, recording: bool) -> Text:
    line = Text(f" {frame.state.value:<8}", STATE_STYLES[frame.state])
    line.append(f" step {frame.step:>7}")  # as the built-in runs write it
    if frame.epoch is not None:
        line.append(f"  epoch {frame.epoch}")
    if frame.state is State.RUNNING:
        line.append(f"  {frame.rate:,.0f} steps/s", "dim")
    if frame.step_seconds is not None:
        line.append(f"  {seconds_text(frame.step_seconds)}/step", "dim")
    line.append(f"  speed {speed_text(frame.speed)}")
    if frame.world > 1:
        line.append(f"  {frame.world} ranks", "dim")
    if link_fps is not None:
        line.append(f"  link: {link_fps} fps", "bold magenta")
    if recording:
        line.append(f"  {REC}", "bold red")
    return line


def loss_line(frame: ScriptFrame) -> Text:
    line = Text(" loss ")
    line.append(value_text(frame.loss), "bold")
    line.append(f"  smoothed {value_text(frame.smoothed)}", "cyan")
    charted = iter(LOGGED_COLORS)  # the loss chart's colours, in the order it draws what was logged
    for name, value in frame.latest.items():
        if name != "epoch":
            line.append(f"  {name} {value:.4g}", next(charted, ""))
    return line


def news_line(frame: ScriptFrame) -> Text:
    """What needs attention: a non-finite value, the script's end, or what the keys do."""
    if frame.status is not None:
        how = "stopped" if frame.status == 130 else "failed" if frame.status else "finished"
        return Text(f" {frame.script} {how} (exit status {frame.status}); q quits" + (" and shows its error" if frame.status else ""),
                    "bold red" if frame.status else "bold cyan")
    if frame.nonfinite is not None:
        step, what = frame.nonfinite
        held = " (held before its update: n lets it through)" if frame.state is State.PAUSED else ""
        return Text(f" non-finite {what} at step {step:,}{held}", "bold reverse red")
    if frame.state is State.STARTING:
        return Text(f" starting {frame.script} (pid {frame.pid}): Python and PyTorch load in its process", "dim")
    if frame.state is State.PAUSING:
        return Text(" pausing: the script stops before its next optimizer step", "yellow")
    if frame.state is State.PAUSED:
        return Text(f" held before step {frame.step + 1:,}: space runs on, n lets one step through", "yellow")
    return Text(f" {frame.script}, pid {frame.pid}", "dim")


class ScriptReadouts(RowsWidget):
    """Four lines: state and pace, loss and logged values, lr, and the news."""

    def show(self, frame: ScriptFrame, link_fps: int | None = None, recording: bool = False) -> None:
        lines = [state_line(frame, link_fps, recording), loss_line(frame), lr_line(frame), news_line(frame)]
        self.show_rows(self.text_rows(Text("\n").join(lines)))
