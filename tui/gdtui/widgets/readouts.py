"""The numbers of the current step: state, step, lr, speed, w, b, loss and gradients, and how
far the run is from least squares."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from rich.text import Text

from gdtui.engine.formats import fixed, rate, speed_text, stable_text, steps_text
from gdtui.engine.run.frame import Phase
from gdtui.engine.training.hyper import OPTIMIZER_LABELS
from gdtui.widgets.hint import hint
from gdtui.widgets.rows import RowsWidget

if TYPE_CHECKING:
    from gdtui.engine.run.frame import Frame

REC = "● REC"  # on the first line while the screen is recorded (R, --record)
STATE_STYLES = {
    "LOADING": "bold",
    "RUNNING": "bold green",
    "PAUSED": "bold yellow",
    "DONE": "bold cyan",
    "DIVERGED": "bold reverse red",
}








def measured_text(measured: float) -> Text:
    """The speed trained lately, after the speed set: a busy machine falls behind it."""
    return Text(f" ≈{measured:,.0f}", "dim")


def header(
    state: str,
    step: int,
    target: int,
    lr: float | None,
    speed: float,
    lr_note: str = "",
    lr_warning: bool = False,
    measured: float | None = None,
    link_fps: int | None = None,
    width: int = 80,
    recording: bool = False,
) -> Text:
    """The first line: state word, step of target, lr (and what bounds it), speed (and the speed
    reached, and a slow link's frame rate), and ● REC while the screen is recorded. Where that
    is wider than `width`, the spacing tightens, then the lr's bound goes, then the speed
    reached: a number is never cut."""
    for tight, keep in ((False, 3), (True, 3), (True, 2), (True, 1), (True, 0)):
        text = _header(
            state, step, target, lr, speed, tight, lr_note if keep > 2 else "", lr_warning,
            measured if keep > 1 else None, link_fps if keep > 0 else None, recording,
        )
        if text.cell_len <= width:
            break
    return text


def _header(
    state: str, step: int, target: int, lr: float | None, speed: float, tight: bool,
    lr_note: str, lr_warning: bool, measured: float | None, link_fps: int | None, recording: bool,
) -> Text:
    gap = "  " if tight else "   "
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(f" {state:<8}", STATE_STYLES[state])
    text.append(f"{gap[:2]}step ", "dim")
    text.append(f"{step:>{len(str(step)) if tight else 7}} / {target or '∞'}")
    text.append(f"{gap}lr ", "dim")
    text.append(f"{'auto' if lr is None else rate(lr):<{0 if tight else 7}}", "bold red" if lr_warning else "bold")
    text.append(lr_note, "dim")
    text.append(f"{gap}speed ", "dim")
    text.append(speed_text(speed))
    if measured is not None:
        text.append(measured_text(measured))
    if link_fps is not None:  # frames are held back for a slow link: say why it looks slow
        text.append(f"{gap}link: {link_fps} fps", "bold magenta")
    if recording:
        text.append(f"{gap}{REC}", "bold red")
    return text


def conditioning_line(frame: Frame, width: int) -> Text:
    """κ, the best lr, and what the current lr predicts: "κ 18.7   best lr 0.752   at lr 0.01:
    ~4,874 steps to w*"; spaced tighter where that does not fit `width`."""
    for gap in ("   ", "  ", " "):
        text = _conditioning_line(frame, gap)
        if text.cell_len <= width:
            break
    return text


def _conditioning_line(frame: Frame, gap: str) -> Text:
    assert frame.conditioning is not None and frame.best_lr is not None and frame.progress is not None
    label, best = frame.best_lr
    text = Text(" ")
    text.append("κ ", "dim")
    if frame.raw_kappa is not None:  # what standardizing did, before → after
        text.append(f"{frame.raw_kappa:.3g} → ", "dim")
    text.append(f"{frame.conditioning.kappa:.3g}")
    text.append(f"{gap}{label} ", "dim")
    text.append(f"{best:.3g}")
    text.append(f"{gap}at lr {frame.lr:.3g}: ", "dim")
    left = frame.progress[1]
    if left == 0:
        text.append("at w*", "bold green")
    elif left is None:
        text.append(frame.no_prediction)
    elif math.isinf(left):
        text.append("never (lr past the bound)", "bold red")
    else:
        text.append(f"~{steps_text(left)} steps to w*", "bold" if left < 1e5 else "bold yellow")
    if not frame.conditioning.scaling.identity:
        text.append(f"{gap}standardized (z)", "cyan")
    return text


class Readouts(RowsWidget):
    """Five lines: progress and lr; the parameters and gradients; the update rule; conditioning
    and the steps it predicts; a hint, or the least-squares line and the distance to it.

    Drawn as rows like the charts, so 10 redraws a second send only the digits that changed.
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.text = Text()

    def _update(self, text: Text) -> None:
        self.text = text
        self.show_rows(self.text_rows(text))

    def resized(self) -> None:
        self._update(self.text)

    def show_loading(self, *, target: int, lr: float | None, speed: float) -> None:
        """What is known before PyTorch has loaded: the run's settings."""
        text = header("LOADING", 0, target, lr, speed)
        text.append("\n\n\n loading PyTorch…", "italic")
        self._update(text)

    def show(self, frame: Frame, link_fps: int | None = None, recording: bool = False) -> None:
        snap, bound = frame.snap, frame.stable_lr
        text = header(
            frame.phase.value, snap.step, frame.target, frame.lr, frame.speed,
            lr_note=f" ({stable_text(bound, frame.model.bound_word)})",
            lr_warning=bool(bound and frame.lr >= bound),
            measured=frame.measured if frame.phase is Phase.RUNNING else None,
            link_fps=link_fps,
            width=self.size.width or 80,
            recording=recording,
        )
        text.append("\n ")
        for label, value in (("w", fixed(snap.w)), ("b", fixed(snap.b))):
            text.append(f"{label} ", "dim")
            text.append(value + "   ", "bold")
        current = frame.current  # at this w, b (a Snapshot's are from before its update)
        text.append("loss ", "dim")
        text.append(f"{current.loss:.4e}   ", "bold")
        text.append("∇w ", "dim")
        text.append(f"{current.grad_w:+.3e}   ")
        text.append("∇b ", "dim")
        text.append(f"{current.grad_b:+.3e}")
        text.append("\n ")
        if frame.accuracy is not None:
            classification(text, frame)
            text.append("\n ")
        points = len(frame.data)
        text.append("optimizer ", "dim")
        text.append(OPTIMIZER_LABELS[frame.optimizer])
        text.append("   batch ", "dim")
        text.append(f"{frame.batch_size} of {points:,} points" if frame.batch_size else f"all {points:,} points")
        names = f"   x {frame.data.x_name}, y {frame.data.y_name}"
        if frame.data.source and len(text.plain) - text.plain.rfind("\n") + len(names) <= self.size.width:
            text.append(names, "dim")
        text.append("\n")
        if frame.conditioning is not None:  # the line's; the classifier has its accuracy instead
            text.append_text(conditioning_line(frame, self.size.width or 80))
            text.append("\n")
        text.append(" ")
        said = hint(frame.verdict, frame.no_prediction)
        if said:
            text.append(said, "italic yellow")
        elif not frame.optimum.finite:
            text.append("separable classes: no finite optimum; the loss only nears 0 as |w| grows", "dim")
        else:
            optimum = frame.optimum
            text.append(f"{frame.model.optimum_name}  w* ", "dim")
            text.append(fixed(optimum.w).strip())
            text.append("  b* ", "dim")
            text.append(fixed(optimum.b).strip())
            if optimum.accuracy is not None:
                text.append("  loss* ", "dim")
                text.append(f"{optimum.loss:.5g}")
                text.append("  accuracy* ", "dim")
                text.append(f"{optimum.accuracy:.1%}")
            else:
                text.append("  distance ", "dim")
                text.append(f"{frame.distance:.3e}")
        self._update(text)


def classification(text: Text, frame: Frame) -> None:
    """The classifier's line: accuracy at threshold 0.5, and where the boundary is."""
    text.append("accuracy ", "dim")
    text.append(f"{frame.accuracy:>6.1%}", "bold")
    text.append(" (σ > 0.5 is class 1)   boundary ", "dim")
    boundary = frame.boundary
    text.append("x = -b/w = ", "dim")
    text.append("none (w = 0)" if boundary is None else fixed(boundary).strip(), "bold")
