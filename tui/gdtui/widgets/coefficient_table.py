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


def table_lines(frame: FitFrame, width: int, height: int) -> list[Text]:
    """The table as rows of text `width` wide at most, cut to `height` rows with a line saying so."""
    statistics = frame.statistics
    assert statistics is not None
    wide = width >= WIDE
    head = f"{'':<{NAME}} {'now':>10} {'ridge' if frame.l2 else 'least sq.':>10} {'∇ loss':>9} {'std err':>9} {'t':>7} {'P>|t|':>7}"
    lines = [Text(head + ("  95% interval" if wide else ""), style="bold")]
    for k, name in enumerate(frame.names):
        done = frame.errors[k] <= TOLERANCE
        row = Text(f"{('intercept' if k == 0 else name)[:NAME]:<{NAME}} ")
        row.append(f"{frame.coefficients[k]:>10.5g}", "green" if done else "bold")
        row.append(
            f" {frame.reference[k]:>10.5g} {frame.grads[k]:>9.2e} {statistics.std_err[k]:>9.3g}"
            f" {statistics.t[k]:>7.3g} {statistics.p[k]:>7.2g}"
        )
        if wide:
            low, high = statistics.interval[k]
            row.append(f"  [{low:.4g}, {high:.4g}]", "dim")
        lines.append(row)
    footer = [
        Text(
            f"R² {statistics.r2:.4f}  adjusted {statistics.adjusted_r2:.4f}  F {statistics.f:.4g} (p {statistics.f_p:.2g})"
            f"  RMSE {statistics.rmse:.4g}  {statistics.rows:,} rows",
            style="dim",
        )
    ]
    if frame.l2:
        footer.append(Text(f"ridge λ {frame.l2:g} (k, K); std err, t, p and R² are least squares'", style="dim"))
    if frame.validation_loss is not None:
        footer.append(Text(f"held-out loss {frame.validation_loss:.6g} now", style="dim"))
    room = max(height - len(footer), 2)
    if len(lines) > room:
        hidden = len(lines) - room + 1
        lines = lines[: room - 1] + [Text(f"… {hidden} more rows: a taller terminal shows them", style="dim")]
    return [line.copy() for line in (*lines, *footer)][: max(height, 1)]


class CoefficientTable(Static):
    """The table, shown a FitFrame at a time."""

    def show(self, frame: FitFrame) -> None:
        width, height = self.size
        self.update(Text("\n").join(table_lines(frame, width or 80, height or 20)))
