"""A run as a person drives it: its phase, its clock, its settings, rewind and reset, and one
immutable Frame of everything there is to show, for the app and the headless runner alike."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gdtui.engine.config import DEFAULT_SPEED
from gdtui.engine.data.export import COLUMNS, Row, snapshot_row
from gdtui.engine.formats import lr_chosen
from gdtui.engine.run.frame import Frame, LossAt, Phase
from gdtui.engine.run.history import History
from gdtui.engine.run.steering import Steering
from gdtui.engine.run.stepped import Stepped
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
from gdtui.engine.run.walk import LoopPhase, Walk
from gdtui.engine.theory.closeness import TOLERANCE, Closeness
from gdtui.engine.theory.conditioning import ILL_CONDITIONED, Conditioning
from gdtui.engine.training.hyper import Hyper, is_full_batch
from gdtui.engine.training.trainer import Snapshot, Trainer

if TYPE_CHECKING:
    from gdtui.engine.training.explain import Explanation



class Session(Stepped[Snapshot], Steering):
    """One Trainer, its generator, its phase and clock, its history and its settings' changes."""

    def __init__(self, trainer: Trainer, target: int = 0, speed: float = DEFAULT_SPEED, running: bool = False) -> None:
        super().__init__(target, speed, running)
        self.trainer = trainer
        self.history = History()
        self.marks: list[tuple[int, str]] = []  # (step, "lr 0.02" or "standardized" or "raw x, y") per change
        self.model = trainer.model
        self.optimum = self.model.optimum(trainer.data)
        self.closeness = (  # how near the optimum a line is: None where there is no finite one
            trainer.conditioning.closeness if trainer.conditioning
            else Closeness.of(*trainer.data.float64(), (self.optimum.w, self.optimum.b), linear=False) if self.optimum.finite
            else None
        )
        self._accuracy: tuple[float, float, float | None] | None = None  # (w, b, accuracy) last shown
        self._current: tuple[Snapshot, bool, LossAt] | None = None  # (latest, standardized, its loss)
        self.latest: Snapshot = trainer.initial
        self._steps = trainer.run()
        self.walk = Walk()  # the phase of the loop the explain view shows
        self._explained: tuple[object, Explanation] | None = None  # the last one, and what it was of

    # Settings.

    @property
    def hyper(self) -> Hyper:
        return self.trainer.hyper

    @property
    def points(self) -> int:
        return len(self.trainer.data)

    @property
    def stable_lr(self) -> float | None:
        """Below this lr the current update rule converges on this data (None: no known bound);
        the model's `bound_word` says whether it is the exact limit or only a safe one."""
        return self.model.rule_bound(self.trainer.gd_bound, self.hyper.optimizer, self.full_batch)

    @property
    def full_batch(self) -> bool:
        return is_full_batch(self.hyper.batch_size, self.points)

    @property
    def conditioning(self) -> Conditioning | None:
        """The linear model's, in the coordinates trained (None for the logistic model)."""
        return self.trainer.conditioning

    @property
    def standardized(self) -> bool:
        return self.trainer.standardized

    def chosen(self) -> str:
        """What the settings chosen for the data are, and why (neither a key nor a flag)."""
        lr = lr_chosen(self.lr, self.trainer.auto_lr())
        if not self.standardized:
            return lr
        if self.raw_kappa is None or self.conditioning is None:  # the classifier: x alone
            return f"x standardized, {lr}"
        return f"x and y standardized (κ {self.raw_kappa:.3g} → {self.conditioning.kappa:.3g}), {lr}"

    @property
    def raw_kappa(self) -> float | None:
        """The line's κ on the data as it is, while it trains standardized: what that fixed."""
        raw = self.trainer.conditioning_of(False) if self.standardized else None
        return raw.kappa if raw else None

    def standardize(self, on: bool) -> None:
        """Train on standardized x (and y, for the line) or on the data as it is from the next
        update, from the same line or sigmoid; marked on the loss chart like an lr change."""
        if on != self.standardized:
            self.trainer.standardize(on)
            self.latest = self.trainer.current
            self._mark("standardized" if on else "raw x, y")

    def auto_lr(self) -> float:
        """Take the best fixed lr for the data, coordinates and rule in use."""
        self.change(lr=self.trainer.auto_lr())
        return self.lr

    # Moving through the run.

    def _record(self, snap: Snapshot) -> None:
        self.history.add(snap.step, snap.loss, snap.w, snap.b)

    def _restore(self, snap: Snapshot) -> None:
        self.trainer.restore(snap)

    def trajectory(self) -> tuple[tuple[str, ...], list[Row]]:
        """The steps kept for rewinding (step 0 aside) as export's rows."""
        return COLUMNS, [snapshot_row(snap) for snap in (*self.past, self.latest) if snap.step > 0]

    def reset(self) -> None:
        """Back to step 0 and the initial w and b; the data and the current settings stay."""
        self.finished = False
        self.past.clear()
        self.history.clear()  # and its stride: a long run's thinning must not hide the new one
        self.trainer.restore(self.trainer.initial)
        self._go_to(self.trainer.initial)

    def _go_to(self, snap: Snapshot) -> None:
        """Show `snap` as the latest state: drop what came after it from the charts' records."""
        while self.past and self.past[-1].step >= snap.step:
            self.past.pop()
        self.latest = snap
        self.history.truncate(snap.step)
        self.marks = [m for m in self.marks if m[0] <= snap.step]

    # Walking through one step, phase by phase.

    def walk_on(self) -> None:
        """Pause, then the next phase of the loop; past the update, that update is made."""
        self.pause()
        if self.walk.next():
            self.advance(1)
            if self.latest.diverged:  # rolled back: the update shown is still the one to make
                self.walk.phase = LoopPhase.UPDATE

    def walk_back(self) -> None:
        """Pause, then the previous phase; before the forward pass, the last update is undone."""
        self.pause()
        if self.walk.back() and not self.rewind():
            self.walk.phase = LoopPhase.FORWARD  # nothing earlier: stay at the first phase

    def explained(self) -> Explanation:
        """The next update, phase by phase; computed again only when the state or a setting changed."""
        from gdtui.engine.training.explain import explain  # only the explain and slice views need it

        hyper = self.hyper
        key = (self.latest, hyper.lr, hyper.optimizer, hyper.batch_size)
        if self._explained is None or self._explained[0] != key:
            self._explained = (key, explain(self.trainer))
        return self._explained[1]

    # What to show.

    def progress(self) -> tuple[tuple[float, float], float | None] | None:
        """(each coefficient's error from the optimum on its own scale (see closeness.py);
        predicted steps still needed at this lr: 0 when there, None where nothing can be
        predicted); None where there is no finite optimum to be near."""
        conditioning, snap = self.conditioning, self.latest
        if self.closeness is None:
            return None
        errors = self.closeness.errors(snap.w, snap.b)
        if conditioning is not None:
            return errors, conditioning.remaining(self.lr, self.hyper.optimizer, self.full_batch, snap.w, snap.b)
        return errors, 0 if max(errors) <= TOLERANCE else None

    @property
    def best_lr_label(self) -> str:
        """What the lr `auto` picks is: the best fixed lr where theory gives one."""
        known = self.conditioning is not None and self.full_batch and self.hyper.optimizer != "adam"
        return "best lr" if known else "auto lr"

    @property
    def no_prediction(self) -> str:
        """Why the line's steps to w* cannot be predicted ("" for the classifier: no theory predicts them)."""
        if self.conditioning is None:
            return ""
        return "no prediction for " + ("adam" if self.hyper.optimizer == "adam" else "mini-batches")

    @property
    def should_standardize(self) -> bool:
        """Ill-conditioned data trained as it is: standardizing is the fix (the line's κ is past
        ILL_CONDITIONED; the classifier's safe lr would grow as many times)."""
        if self.standardized:
            return False
        if self.conditioning is not None:
            return self.conditioning.kappa > ILL_CONDITIONED
        return self.trainer.gd_bound_of(True) > ILL_CONDITIONED * self.trainer.gd_bound

    def verdict(self, progress: tuple[tuple[float, float], float | None] | None = None) -> Verdict | None:
        """What needs attention now, with the fixes that apply; None when nothing does.
        `progress` is self.progress(), where the caller has it already."""
        phase, lr, bound = self.phase, self.lr, self.stable_lr
        fixes = (Fix.STANDARDIZE, Fix.BEST_LR) if self.should_standardize else (Fix.BEST_LR, Fix.LOWER_LR)
        if phase is Phase.DIVERGED:
            assert self.diverged_at is not None and self.diverged_lr is not None
            return Diverged(self.diverged_at, self.diverged_lr, lr, fixes)
        if bound and lr >= bound:  # "lower the lr" is what the bound already says
            named = tuple(fix for fix in fixes if fix is not Fix.LOWER_LR)
            return PastBound(lr, self.hyper.optimizer, bound, self.model.bound_word, named)
        progress = progress or self.progress()
        if progress is None:  # separable classes: no finite optimum to be near
            return TargetReached(self.target) if phase is Phase.DONE else None
        errors, remaining = progress
        conditioning = self.conditioning
        crawls = conditioning is not None and conditioning.crawls(remaining)
        if phase is Phase.DONE:
            if remaining == 0:
                return Converged(errors, self.target)
            return NotConverged(errors, remaining, crawls, fixes)
        return Crawling(conditioning.kappa, fixes) if crawls and conditioning else None

    def current(self) -> LossAt:
        """The loss and gradient over every point at the latest (w, b); a paused run costs nothing."""
        key = (self.latest, self.standardized)
        if self._current is None or self._current[:2] != key:
            self._current = (*key, LossAt(*self.trainer.measure()))
        return self._current[2]

    def accuracy(self) -> float | None:
        """Classification: the share of points on their own side at the latest (w, b)."""
        w, b = self.latest.w, self.latest.b
        if self._accuracy is None or self._accuracy[:2] != (w, b):  # a paused run costs nothing
            self._accuracy = (w, b, self.model.accuracy(self.trainer.data, w, b))
        return self._accuracy[2]

    def frame(self, now: float, explain: bool = False) -> Frame:
        """Everything to show at `now`; `explain` adds the next update taken apart (it costs a
        forward and backward pass whenever the state changed)."""
        hyper, progress = self.hyper, self.progress()
        return Frame(
            phase=self.phase,
            snap=self.latest,
            target=self.target,
            lr=hyper.lr,
            optimizer=hyper.optimizer,
            batch_size=0 if is_full_batch(hyper.batch_size, self.points) else hyper.batch_size,
            stable_lr=self.stable_lr,
            speed=self.speed,
            measured=self.measured_rate(now),
            verdict=self.verdict(progress),
            history=self.history.view(),
            marks=tuple(self.marks),
            data=self.trainer.data,
            optimum=self.optimum,
            start=self.trainer.initial,
            model=self.model,
            accuracy=self.accuracy(),
            current=self.current(),
            walk=self.walk.phase,
            explained=self.explained() if explain else None,
            conditioning=self.conditioning,
            raw_kappa=self.raw_kappa,
            scaling=self.trainer.scaling,
            trained_data=self.trainer.trained_data,
            best_lr=(self.best_lr_label, self.trainer.auto_lr()),
            progress=progress,
            no_prediction=self.no_prediction,
        )
