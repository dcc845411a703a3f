"""Every coefficient of a fit of several inputs, live: its value now, least squares' value, its
gradient, and the statistics R's summary(lm) prints beside it; then R², F and the held-out loss."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Static

from gdtui.engine.theory.closeness import TOLERANCE

if TYPE_CHECKING:
    from gdtui.engine.run.frame import FitFrame

WIDE = 100  # columns from which the 95% interval fits on each row
NAME = 10


def short(name: str) -> str:
    """A column's name in NAME cells: its start and its end, which tell x_10 from x_11."""
    return name if len(name) <= NAME else f"{name[: NAME - 5]}…{name[-4:]}"


def table_lines(frame: FitFrame, width: int, height: int) -> list[Text]:
    """The table as rows of text `width` wide at most (the columns that fit, in this order: value
    now, least squares, gradient, std err, t, p, the interval), cut to `height` rows with a line
    saying so."""
    statistics = frame.statistics
    assert statistics is not None
    columns = [
        (f"{'ridge' if frame.l2 else 'least sq.':>10}", lambda k: f"{frame.reference[k]:>10.5g}"),
        (f"{'∇ loss':>9}", lambda k: f"{frame.grads[k]:>9.2e}"),
        (f"{'std err':>9}", lambda k: f"{statistics.std_err[k]:>9.3g}"),
        (f"{'t':>7}", lambda k: f"{statistics.t[k]:>7.3g}"),
        (f"{'P>|t|':>7}", lambda k: f"{statistics.p[k]:>7.2g}"),
    ]
    room = width - NAME - 12  # the name and the value now always show
    shown = []
    for column in columns:
        room -= len(column[0]) + 1
        if room < 0:
            break
        shown.append(column)
    wide = width >= WIDE and len(shown) == len(columns)
    head = f"{'':<{NAME}} {'now':>10}" + "".join(f" {title}" for title, _ in shown)
    lines = [Text(head + ("  95% interval" if wide else ""), style="bold")]
    for k, name in enumerate(frame.names):
        done = frame.errors[k] <= TOLERANCE
        row = Text(f"{short('intercept' if k == 0 else name):<{NAME}} ")
        row.append(f"{frame.coefficients[k]:>10.5g}", "green" if done else "bold")
        row.append("".join(f" {cell(k)}" for _, cell in shown))
        if wide:
            low, high = statistics.interval[k]
            row.append(f"  [{low:.4g}, {high:.4g}]", "dim")
        lines.append(row)
    fit = f"R² {statistics.r2:.4f}  adjusted {statistics.adjusted_r2:.4f}  F {statistics.f:.4g} (p {statistics.f_p:.2g})"
    spread = f"RMSE {statistics.rmse:.4g}  {statistics.rows:,} rows"
    together = len(fit) + len(spread) + 2 <= width
    footer = [Text(f"{fit}  {spread}", style="dim")] if together else [Text(fit, style="dim"), Text(spread, style="dim")]
    if frame.l2:
        footer.append(Text(f"ridge λ {frame.l2:g} (k, K); std err, t, p and R² are least squares'", style="dim"))
    if frame.validation_loss is not None:
        footer.append(Text(f"held-out loss {frame.validation_loss:.6g} now", style="dim"))
    room = max(height - len(footer), 2)
    if len(lines) > room:
        hidden = len(lines) - room + 1
        lines = lines[: room - 1] + [Text(f"… {hidden} more rows: a taller terminal shows them", style="dim")]
    for line in (*lines, *footer):
        line.no_wrap, line.overflow = True, "ellipsis"
    return [*lines, *footer][: max(height, 1)]


class CoefficientTable(Static):
    """The table, shown a FitFrame at a time."""

    def show(self, frame: FitFrame) -> None:
        width, height = self.size
        self.update(Text("\n").join(table_lines(frame, width or 80, height or 20)))
