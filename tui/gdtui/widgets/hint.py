"""The app's words for a verdict, with its keys: the readouts' last line."""

from __future__ import annotations

from gdtui.engine.formats import errors_text, steps_text
from gdtui.engine.run.verdict import (
    Converged,
    Crawling,
    Diverged,
    Fix,
    NotConverged,
    PastBound,
    TargetReached,
    Verdict,
)
from gdtui.engine.theory.closeness import TOLERANCE

KEYS = {Fix.STANDARDIZE: "z: standardize", Fix.BEST_LR: "L: best lr", Fix.LOWER_LR: "lower lr"}


def fixes_text(fixes: tuple[Fix, ...]) -> str:
    """z: standardize; L: best lr — or — L: best lr, or lower lr."""
    keys = [KEYS[fix] for fix in fixes]
    return ", or ".join(keys) if Fix.LOWER_LR in fixes else "; ".join(keys)


def hint(verdict: Verdict | None, no_prediction: str = "") -> str:
    """A sentence on what needs attention, with the keys that fix it, or ""."""
    match verdict:
        case Diverged(step, lr, lr_now, fixes):
            where = f"Diverged at step {step} (lr {lr:g})"
            if lr_now != lr:
                return f"{where}; lr now {lr_now:g}: space runs on from here."
            return f"{where}. {fixes_text(fixes)}; then space."
        case PastBound(lr, optimizer, bound, word, fixes):
            outcome = "it will diverge" if word == "stable" else "it may not converge"
            return f"lr {lr:g} is past {optimizer}'s {word} bound {bound:.3g}: {outcome}; {fixes_text(fixes)}."
        case Crawling(kappa, fixes):
            return f"Ill-conditioned (κ {kappa:.2g}): {fixes_text(fixes)}."
        case Converged(_errors, target):
            return f"Converged at {target} steps: w and b each within {TOLERANCE:g} of w*, b* (relative)."
        case NotConverged(errors, remaining, crawls, fixes):
            off = f"not converged: {errors_text(errors)}"  # relative, as README says: 80 columns hold no more
            if crawls or (remaining is None and not no_prediction):  # what would finish it, then
                return f"{off}. {fixes_text(fixes)}."
            ahead = f"~{steps_text(remaining)} more steps at this lr" if remaining is not None else no_prediction
            return f"{off}, {ahead}."
        case TargetReached(target):
            return f"Reached {target} steps: run on past them, or reset."
    return ""
