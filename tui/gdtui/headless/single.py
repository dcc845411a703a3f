"""`gdtui --headless`: the seed's log lines, then a summary; how scripts use gdtui.

It drives the same Session as the app, one update at a time, so there is one training loop.
"""

from __future__ import annotations

import contextlib
import sys
import time

from gdtui.engine.config import RunConfig
from gdtui.engine.data.dataset import Dataset
from gdtui.engine.data.export import ExportError, TrajectoryWriter, snapshot_row
from gdtui.engine.formats import errors_text, stable_text, steps_text
from gdtui.engine.run.session import Session
from gdtui.engine.run.start import start_session
from gdtui.engine.run.verdict import Crawling, Diverged, Fix, NotConverged, PastBound
from gdtui.engine.theory.closeness import TOLERANCE

EXIT_DIVERGED = 3
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it
EXIT_EXPORT = 2  # --export cannot be written, as when it cannot be opened


def run_headless(config: RunConfig, data: Dataset | None, *, log_every: int, export: str | None) -> int:
    session = start_session(config, data)
    if config.watchable:  # settings chosen for a user's file: which, why, and the flag for the raw values
        raw = "; w, b and loss in the data's units; --raw trains on the values as they are" if session.standardized else ""
        print(f"gdtui: chose {session.chosen()}{raw}", file=sys.stderr)
    try:
        with contextlib.ExitStack() as stack:
            writer = stack.enter_context(TrajectoryWriter(export)) if export else None
            return train(session, log_every, writer)
    except ExportError as error:  # unwritable, a full disk, a FIFO nobody reads
        print(f"gdtui: error: argument --export: {error}", file=sys.stderr)
        return EXIT_EXPORT


def train(session: Session, log_every: int, writer: TrajectoryWriter | None) -> int:
    start = time.perf_counter()
    try:
        while not session.done:
            snap = session.advance(1)
            if snap.diverged:  # advance stops at the state before the overflow, marked
                print(f"gdtui: diverged at step {session.diverged_at}: {divergence(session)}", file=sys.stderr)
                return EXIT_DIVERGED
            if writer:
                writer.write(snapshot_row(snap))
            if log_every and (snap.step - 1) % log_every == 0:
                print(f"w={snap.w},b={snap.b},loss={snap.loss}")  # the original tutorial's format
    except KeyboardInterrupt:  # ctrl+c ends an unlimited run: still say where it got to
        summarize(session, time.perf_counter() - start)
        return EXIT_INTERRUPTED
    if writer:
        writer.close()  # before the summary: a last buffer that does not fit is the run's outcome
    session.finished = True  # at the target: DONE, as the app's clock marks it, so the ending has its verdict
    summarize(session, time.perf_counter() - start)
    return 0


def divergence(session: Session) -> str:
    """What overflowed, the bound it broke, and the fixes, as flags."""
    diverged = session.verdict()
    assert isinstance(diverged, Diverged)
    bound, optimizer = session.stable_lr, session.hyper.optimizer
    stable = f"; {optimizer} on this data is {stable_text(bound, session.model.bound_word)}" if bound else ""
    fix = f"lower --lr, or --lr auto ({session.trainer.auto_lr():.3g})"
    if Fix.STANDARDIZE in diverged.fixes:
        assert session.conditioning is not None
        fix = f"{standardize_flag(session)} (κ {session.conditioning.kappa:.3g} → 1) with --lr auto, or {fix}"
    return f"the loss overflowed with lr {diverged.lr:g}{stable}; {fix}"


FLAGS = {Fix.STANDARDIZE: "--standardize", Fix.BEST_LR: "--lr auto", Fix.LOWER_LR: "a lower --lr"}


def standardize_flag(session: Session) -> str:
    """A file trains standardized unless told --raw: the way back is to drop it."""
    return "no --raw" if session.trainer.data.source else "--standardize"


def verdict(session: Session) -> str:
    """The honest ending: converged, or how far each coefficient is from the optimum and what
    would get it there; then, for the line, κ and the best lr."""
    progress, conditioning, lr = session.progress(), session.conditioning, session.lr
    assert progress is not None
    errors, remaining = progress
    ending = session.verdict(progress)
    if remaining == 0:
        said = f"converged: w and b each within {TOLERANCE:g} of w*, b* (relative; {errors_text(errors)})"
    else:
        if remaining is not None:
            ahead = f"~{steps_text(remaining)} more steps at lr {lr:.3g}"
        elif session.no_prediction:
            ahead = session.no_prediction
        else:
            fixes = ending.fixes if isinstance(ending, (NotConverged, PastBound)) else ()
            flags = [standardize_flag(session) if fix is Fix.STANDARDIZE else FLAGS[fix] for fix in fixes]
            past = f" is past the {ending.word} bound {ending.bound:.3g}" if isinstance(ending, PastBound) else ""
            ahead = f"at lr {lr:.3g}{past}" + ("; try " + " or ".join(flags) if flags else "")
        said = f"not converged: {errors_text(errors)} (relative; {TOLERANCE:g} is converged), {ahead}"
    standardized = " (standardized)" if session.standardized else ""
    if conditioning is None:
        return f"{said}{standardized}"
    return f"{said}; κ {conditioning.kappa:.3g}, {session.best_lr_label} {session.trainer.auto_lr():.3g}{standardized}"


def crawl_advice(session: Session, remaining: float) -> str:
    """Why the run is far from done, and what would finish it."""
    assert session.conditioning is not None
    lr, auto = session.lr, session.trainer.auto_lr()
    ending = session.verdict()
    standardize = isinstance(ending, (NotConverged, Crawling)) and Fix.STANDARDIZE in ending.fixes
    fixes = [f"{standardize_flag(session)} (κ → 1) with --lr auto trains it in a few"] if standardize else []
    if lr < 0.5 * auto:
        fixes.append(f"--lr auto ({auto:.3g}) is faster here")
    kappa = session.conditioning.kappa
    return f"κ {kappa:.3g}: at lr {lr:.3g} this needs ~{steps_text(remaining)} more steps; {'; '.join(fixes)}"


def summarize(session: Session, elapsed: float) -> None:
    last, best, current = session.latest, session.optimum, session.current()
    accuracy = session.accuracy()
    if accuracy is None:  # the line: its least-squares optimum, and whether the run got there
        where = f"least squares w*={best.w:.6g}, b*={best.b:.6g}; {verdict(session)}"
    elif best.finite:
        where = (
            f"accuracy={accuracy:.4f}; optimum w*={best.w:.6g}, b*={best.b:.6g}, loss*={best.loss:.6g},"
            f" accuracy*={best.accuracy:.4f}; {verdict(session)}"
        )
    else:
        where = f"accuracy={accuracy:.4f}; separable classes: no finite optimum, the loss only nears 0 as |w| grows"
    print(
        f"done: {last.step} steps, w={last.w:.6g}, b={last.b:.6g}, loss={current.loss:.6g};"
        f" {where}; {last.step / elapsed:,.0f} steps/s"
    )
    ending = session.verdict()
    # A crawl, or an ending that standardizing would finish however many steps remain: say what would.
    if (
        isinstance(ending, NotConverged)
        and ending.remaining is not None
        and session.conditioning
        and (ending.crawls or Fix.STANDARDIZE in ending.fixes)
    ):
        print(f"gdtui: {crawl_advice(session, ending.remaining)}", file=sys.stderr)
