"""`gdtui --headless` with several inputs (--x a,b,c) or a polynomial (--degree K): the seed's log
lines with one w per column, then the fit as a statistician reads it, as a table or as JSON."""

from __future__ import annotations

import contextlib
import json
import sys
import time

from gdtui.engine.config import RunConfig
from gdtui.engine.data.dataset import Dataset
from gdtui.engine.data.export import ExportError, TrajectoryWriter
from gdtui.engine.formats import ahead_text, fit_progress, lr_chosen
from gdtui.engine.regression.descent import Descent, Step, kappa_of
from gdtui.engine.regression.design import Design, DesignError
from gdtui.engine.regression.statistics import Summary
from gdtui.engine.run.fit import FitRun, start_fit, step_row
from gdtui.engine.theory.closeness import TOLERANCE
from gdtui.headless.single import EXIT_DIVERGED, EXIT_EXPORT, EXIT_INTERRUPTED

EXIT_DATA = 2  # a design that cannot be fitted, as a file that cannot be read


def run_many(
    config: RunConfig, data: Dataset | None, degree: int, *, log_every: int, summary: str,
    holdout: float | None = None, l2: float = 0.0, export: str | None = None,
) -> int:
    try:
        run = start_fit(config, data, degree, holdout, l2)
    except DesignError as error:
        print(design_failure(error, data), file=sys.stderr)
        return EXIT_DATA
    if config.watchable:
        units = "coefficients and loss in the data's units; --raw trains on the values as they are"
        print(f"gdtui: chose {chosen(run.descent)}; {units}", file=sys.stderr)
    try:
        with contextlib.ExitStack() as stack:
            writer = stack.enter_context(TrajectoryWriter(export, columns=run.columns())) if export else None
            return train(run, log_every, summary, writer)
    except ExportError as error:  # unwritable, a full disk, a FIFO nobody reads
        print(f"gdtui: error: argument --export: {error}", file=sys.stderr)
        return EXIT_EXPORT


def design_failure(error: DesignError, data: Dataset | None) -> str:
    """The one line for a design that cannot be fitted, naming the file where there is one."""
    source = f"--data {data.source}: " if data is not None and data.source else ""
    return f"gdtui: error: {source}{error}"


def train(run: FitRun, log_every: int, summary: str, writer: TrajectoryWriter | None) -> int:
    """The updates to the target (or ctrl+c), each logged every `log_every` and written out, then the summary."""
    start, last, code = time.perf_counter(), None, 0
    try:
        while not run.done:
            snap = run.advance(1)
            if snap.diverged:
                fix = f"lower --lr, or --lr auto ({run.descent.auto_lr():.3g})"
                print(f"gdtui: diverged at step {run.diverged_at}: the loss overflowed with lr {run.lr:g}; {fix}", file=sys.stderr)
                return EXIT_DIVERGED
            last = snap
            if writer:
                writer.write(step_row(snap))
            if log_every and (snap.step - 1) % log_every == 0:
                validation = f",val_loss={run.validation.loss(snap.coefficients)}" if run.validation else ""
                print(log_line(snap) + validation)
    except KeyboardInterrupt:
        code = EXIT_INTERRUPTED
    if writer:
        writer.close()  # before the summary: a last buffer that does not fit is the run's outcome
    elapsed = time.perf_counter() - start
    descent, statistics = run.descent, run.statistics
    held = Held(run.validation, last, statistics, descent) if run.validation else None
    print(json.dumps(as_json(descent, statistics, last, held)) if summary == "json" else table(descent, statistics, last, elapsed, held))
    return code


class Held:
    """The held-out rows' loss where training got to, at least squares and at ridge's optimum:
    what overfitting parts, and what the penalty mends."""

    def __init__(self, validation: Design, last: Step | None, statistics: Summary, run: Descent) -> None:
        self.rows, self.l2 = len(validation.y), run.l2
        self.loss = validation.loss(last.coefficients) if last else None
        self.least_squares = validation.loss(statistics.coefficients)
        self.optimum = validation.loss(tuple(run.optimum))

    def text(self) -> str:
        trained = f"{self.loss:.6g} trained, " if self.loss is not None else ""
        ridge = f", {self.optimum:.6g} at ridge's optimum" if self.l2 else ""
        return f"validation loss {trained}{self.least_squares:.6g} at least squares{ridge} ({self.rows:,} rows held out)"


def log_line(snap: Step) -> str:
    """The seed's line, `w=3.0,b=0.8,loss=...`; with several inputs w is a list, one per column."""
    b, *w = snap.coefficients
    ws = f"{w[0]}" if len(w) == 1 else f"[{', '.join(map(str, w))}]"
    return f"w={ws},b={b},loss={snap.loss}"


def chosen(run: Descent) -> str:
    lr = lr_chosen(run.hyper.lr, run.auto_lr())
    if not run.standardized:
        return lr
    return f"every column and y standardized (κ {kappa_of(run.design.x):.3g} → {run.kappa:.3g}), {lr}"


def ending(run: Descent, last: Step | None) -> tuple[bool, str, str]:
    """Converged, or how far the farthest coefficient is; and what would get it there, with κ."""
    kappa = f"κ {run.kappa:.3g}, best lr {run.auto_lr():.3g}"
    if last is None:
        return False, "not converged: no step taken", kappa
    converged, said = fit_progress(("b", *run.design.names), run.errors(last.coefficients).tolist(), run.l2, TOLERANCE)
    if converged:
        return True, f"{said} (relative)", kappa
    ahead = ahead_text(run.steps_needed(last.coefficients), run.hyper.lr)
    return False, f"not converged: {said} (relative; {TOLERANCE:g} converges)", f"{ahead}; {kappa}" if ahead else kappa


def as_json(run: Descent, statistics: Summary, last: Step | None, held: Held | None) -> dict[str, object]:
    converged, said, ahead = ending(run, last)
    remaining = run.steps_needed(last.coefficients) if last else None
    return {
        "columns": list(statistics.names),
        "least_squares": list(statistics.coefficients),
        "l2": run.l2,
        "optimum": list(map(float, run.optimum)),
        "trained": list(last.coefficients) if last else None,
        "std_err": list(statistics.std_err),
        "t": list(statistics.t),
        "p": list(statistics.p),
        "interval": [list(pair) for pair in statistics.interval],
        "r2": statistics.r2,
        "adjusted_r2": statistics.adjusted_r2,
        "f": statistics.f,
        "f_p": statistics.f_p,
        "rmse": statistics.rmse,
        "residual_sd": statistics.residual_sd,
        "condition_number": statistics.condition_number,
        "rows": statistics.rows,
        "converged": converged,
        "verdict": f"{said}; {ahead}",
        "steps": last.step if last else 0,
        "remaining_steps": None if remaining is None or remaining == float("inf") else remaining,
        "loss": last.loss if last else None,
        "lr": run.hyper.lr,
        "kappa": run.kappa,
        "standardized": run.standardized,
        "validation_loss": held.loss if held else None,
        "validation_loss_least_squares": held.least_squares if held else None,
        "validation_loss_optimum": held.optimum if held else None,
        "validation_rows": held.rows if held else 0,
    }


def table(run: Descent, statistics: Summary, last: Step | None, elapsed: float, held: Held | None) -> str:
    """The coefficient table, as R's summary(lm) lays it out, with the trained value beside each."""
    lines = []
    if last:
        lines.append(f"done: {last.step:,} steps, loss={last.loss:.6g}, lr {run.hyper.lr:.3g}; {last.step / elapsed:,.0f} steps/s")
    lines.extend(ending(run, last)[1:])
    lines.append(f"{'':<10} {'trained':>11} {'ridge' if run.l2 else 'least sq.':>11} {'std err':>10} {'t':>7} {'P>|t|':>7}  95% interval")
    trained = last.coefficients if last else (float("nan"),) * len(statistics.names)
    for k, name in enumerate(statistics.names):
        low, high = statistics.interval[k]
        lines.append(
            f"{name[:10]:<10} {trained[k]:>11.5g} {run.optimum[k]:>11.5g} {statistics.std_err[k]:>10.4g}"
            f" {statistics.t[k]:>7.4g} {statistics.p[k]:>7.3g}  [{low:.4g}, {high:.4g}]"
        )
    lines.append(f"R² {statistics.r2:.4f}, adjusted {statistics.adjusted_r2:.4f}; F {statistics.f:.4g} (p {statistics.f_p:.3g})")
    lines.append(f"RMSE {statistics.rmse:.4g}; {statistics.rows:,} rows; condition number {statistics.condition_number:.3g}")
    if run.l2:
        lines.append(f"ridge λ {run.l2:g}: trained on the MSE + λ‖w‖²; std err, t, p, interval and R² are least squares'")
    if held:
        lines.append(held.text())
    return "\n".join(lines)
