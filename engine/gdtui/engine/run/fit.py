"""Several inputs as a person drives them: y = X w + b trained a step at a time, paused, stepped,
rewound and steered like one input's Session, with one FitFrame of everything to show per draw."""

from __future__ import annotations

from collections import deque

import numpy as np

from gdtui.engine.config import DEFAULT_SPEED, RunConfig
from gdtui.engine.data.dataset import Dataset
from gdtui.engine.data.export import Row
from gdtui.engine.regression.descent import Descent, Step
from gdtui.engine.regression.design import Design
from gdtui.engine.regression.least_squares import LeastSquares
from gdtui.engine.regression.statistics import Summary
from gdtui.engine.run.frame import FitFrame, LossAt, Optimum
from gdtui.engine.run.history import History
from gdtui.engine.run.start import draw
from gdtui.engine.run.steering import Steering
from gdtui.engine.run.stepped import Stepped
from gdtui.engine.theory.closeness import TOLERANCE
from gdtui.engine.training.hyper import Hyper, is_full_batch
from gdtui.engine.training.ladder import next_on_ladder
from gdtui.engine.training.models import MODELS
from gdtui.engine.training.trainer import Snapshot

TRAIL = 500  # the newest coefficient vectors the landscape draws as the path
SAMPLE = 250  # rows the scatter charts show, as the fit chart shows of one input's
L2_FIRST = 1e-3  # λ's first notch up from 0


class FitRun(Stepped[Step], Steering):
    """One Descent over a Design (and the rows held out, if any), its clock, history and settings."""

    def __init__(
        self, design: Design, hyper: Hyper, *, standardize: bool, seed: int, degree: int = 1, l2: float = 0.0,
        validation: Design | None = None, data: Dataset, target: int = 0, speed: float = DEFAULT_SPEED, running: bool = False,
    ) -> None:
        super().__init__(target, speed, running)
        self.design, self.validation, self.data, self.degree, self.seed = design, validation, data, degree, seed
        self.statistics = Summary.of(design, LeastSquares.of(design))
        self._descents = {standardize: Descent(design, hyper, standardize=standardize, seed=seed, l2=l2)}
        self.descent = self._descents[standardize]
        self.marks: list[tuple[int, str]] = []
        self.history, self.validation_history = History(), History()
        self.trail: deque[tuple[float, ...]] = deque(maxlen=TRAIL)
        rows = len(design.y)
        self.sample = tuple(sorted(np.random.default_rng(seed).permutation(rows)[:SAMPLE].tolist()))
        self.pair = (1, 2) if design.inputs > 1 else (0, 1)  # w1 and w2; b and w for one column
        a = np.column_stack([np.ones(rows), design.x])  # the loss as c·G c - 2 h·c + yy over c = (b, w...)
        self._quadratic = (a.T @ a / rows, a.T @ design.y / rows, float(design.y @ design.y / rows))
        self._steps = self.descent.run()
        self.latest = self.initial = self.descent.initial  # step 0, whichever coordinates train later
        self._record(self.latest)

    # Settings.

    @property
    def hyper(self) -> Hyper:
        return self.descent.hyper

    @property
    def points(self) -> int:
        return len(self.design.y)

    @property
    def standardized(self) -> bool:
        return self.descent.standardized

    @property
    def conditioning(self) -> None:
        """One input's Conditioning is of a line; several inputs' κ is in the FitFrame."""
        return None

    @property
    def best_lr_label(self) -> str:
        known = is_full_batch(self.hyper.batch_size, self.points) and self.hyper.optimizer != "adam"
        return "best lr" if known else "auto lr"

    def auto_lr(self) -> float:
        self.change(lr=self.descent.auto_lr())
        return self.lr

    def standardize(self, on: bool) -> None:
        """Train on standardized columns and y, or on the data as it is, from the next update,
        from the same coefficients; marked on the loss chart like an lr change."""
        if on == self.standardized:
            return
        if on not in self._descents:
            self._descents[on] = Descent(self.design, self.hyper, standardize=on, seed=self.seed, l2=self.l2)
        self.descent = self._descents[on]
        self.latest = self.descent.start_from(self.latest)
        self._steps = self.descent.run()
        self._mark("standardized" if on else "raw x, y")

    @property
    def l2(self) -> float:
        return self.descent.l2

    def change_l2(self, l2: float) -> None:
        """Ridge's λ from the next update, marked on the loss chart like an lr change."""
        if l2 != self.l2:
            for descent in self._descents.values():
                descent.penalize(l2)
            self._mark(f"λ {l2:g}")

    def l2_notch(self, direction: int) -> float:
        """λ one notch up or down the 1-2-5 ladder, from 0 to L2_FIRST and back to 0."""
        l2 = self.l2
        if direction > 0:
            self.change_l2(next_on_ladder(l2, 1) if l2 else L2_FIRST)
        else:
            self.change_l2(0.0 if l2 <= L2_FIRST else next_on_ladder(l2, -1))
        return self.l2

    def select_pair(self) -> tuple[int, int]:
        """The landscape's next pair of coefficients: (0, 1), (0, 2), ..., (1, 2), ... and round again."""
        count = len(self.latest.coefficients)
        pairs = [(i, j) for i in range(count) for j in range(i + 1, count)]
        self.pair = pairs[(pairs.index(self.pair) + 1) % len(pairs)]
        return self.pair

    # Moving through the run.

    def _record(self, snap: Step) -> None:
        b, w, *_ = (*snap.coefficients, 0.0)
        self.history.add(snap.step, snap.loss, w, b)
        self.trail.append(snap.coefficients)
        if self.validation is not None and self.validation_history.keeps(snap.step):  # O(rows) a point
            self.validation_history.add(snap.step, self.validation.loss(snap.coefficients), w, b)

    def _restore(self, snap: Step) -> None:
        self.descent.restore(snap)

    def columns(self) -> tuple[str, ...]:
        """Export's columns: the step, b and each column's w by name (w_AIRFLOW), the loss, each gradient."""
        names = ("b", *(f"w_{name}" for name in self.design.names))  # prefixed: a column named "loss" stays apart
        return ("step", *names, "loss", *(f"grad_{name}" for name in names), "lr", "optimizer")

    def trajectory(self) -> tuple[tuple[str, ...], list[Row]]:
        """The steps kept for rewinding (step 0 aside) as export's rows."""
        rows = [step_row(snap) for snap in (*self.past, self.latest) if snap.step > 0]
        return self.columns(), rows

    def reset(self) -> None:
        """Back to step 0 and the first coefficients; the data and the current settings stay."""
        self.finished = False
        self.past.clear()
        self.history.clear()
        self.validation_history.clear()
        self.trail.clear()
        initial = self.initial
        self.descent.restore(initial)
        self._go_to(initial)
        self._record(initial)

    def _go_to(self, snap: Step) -> None:
        while self.past and self.past[-1].step >= snap.step:
            self.past.pop()
        self.latest = snap
        self.history.truncate(snap.step)
        self.validation_history.truncate(snap.step)
        while self.trail and len(self.trail) > 1 and self.trail[-1] != snap.coefficients:
            self.trail.pop()
        self.marks = [m for m in self.marks if m[0] <= snap.step]

    # What to show.

    def loss_at(self, coefficients: tuple[float, ...]) -> LossAt:
        """The loss over every row at (b, w...) and its gradient's first two parts (b's and w1's)."""
        gram, moment, yy = self._quadratic
        c, w = np.array(coefficients), np.array((0.0, *coefficients[1:]))
        grad = 2 * (gram @ c - moment) + 2 * self.l2 * w
        loss = c @ gram @ c - 2 * moment @ c + yy + self.l2 * w @ w
        return LossAt(float(loss), float(grad[1]) if len(grad) > 1 else 0.0, float(grad[0]))

    def frame(self, now: float, explain: bool = False) -> FitFrame:
        latest, descent, hyper = self.latest, self.descent, self.hyper
        batch = 0 if is_full_batch(hyper.batch_size, self.points) else hyper.batch_size
        best = descent.optimum
        errors = tuple(map(float, descent.errors(latest.coefficients)))
        remaining = 0 if max(errors) <= TOLERANCE else descent.steps_needed(latest.coefficients)
        return FitFrame(
            phase=self.phase,
            snap=as_snapshot(latest, batch),
            target=self.target,
            lr=hyper.lr,
            optimizer=hyper.optimizer,
            batch_size=batch,
            stable_lr=2 / float(descent.eigenvalues[-1]) if hyper.optimizer == "gd" and not batch else None,
            speed=self.speed,
            measured=self.measured_rate(now),
            verdict=None,
            history=self.history.view(),
            marks=tuple(self.marks),
            data=self.data,
            optimum=Optimum(best[1], best[0], self.statistics.rmse**2),
            start=as_snapshot(self.initial, batch),
            model=MODELS["linear"],
            accuracy=None,
            current=self.loss_at(latest.coefficients),
            best_lr=(self.best_lr_label, descent.auto_lr()),
            progress=((errors[1], errors[0]), remaining),
            names=("b", *self.design.names),
            coefficients=latest.coefficients,
            grads=latest.grads,
            statistics=self.statistics,
            errors=errors,
            remaining=remaining,
            kappa=descent.kappa,
            degree=self.degree,
            sample=self.sample,
            x=self.design.x,
            y=self.design.y,
            quadratic=self._quadratic,
            l2=self.l2,
            reference=tuple(map(float, best)),
            pair=self.pair,
            trail=tuple(self.trail),
            validation=self.validation_history.view() if self.validation else None,
            validation_loss=self.validation.loss(latest.coefficients) if self.validation else None,
        )


def step_row(step: Step) -> Row:
    """One step in FitRun.columns()' order."""
    return (step.step, *step.coefficients, step.loss, *step.grads, step.lr, step.optimizer)


def as_snapshot(step: Step, batch_size: int) -> Snapshot:
    """One input's Snapshot of b and the first column's w: what the shared readouts and the loss chart read."""
    b, w, *_ = step.coefficients
    grad_b, grad_w, *_ = step.grads
    return Snapshot(step.step, w, b, step.loss, grad_w, grad_b, step.lr, step.optimizer, batch_size, step.state, step.diverged)


def fit_design(
    config: RunConfig, data: Dataset | None, degree: int, holdout: float | None = None
) -> tuple[Design, Design | None, Dataset]:
    """The design of a fit (the seed's line without `data`), the rows held out, and the data;
    a DesignError names what cannot be fitted (collinear columns among them)."""
    data = data if data is not None else draw(config)[0]
    design = Design.of(data, degree)
    design, validation = design.split(holdout, config.seed) if holdout else (design, None)
    LeastSquares.of(design)
    return design, validation, data


def start_fit(
    config: RunConfig, data: Dataset | None, degree: int, holdout: float | None = None, l2: float = 0.0, *,
    speed: float = DEFAULT_SPEED, running: bool = False,
) -> FitRun:
    """A FitRun of `config`'s settings on `data` (None: the seed's line), as headless trains it."""
    design, validation, data = fit_design(config, data, degree, holdout)
    hyper = Hyper(lr=config.lr or 0.0, optimizer=config.optimizer, batch_size=config.batch_size)
    run = FitRun(
        design, hyper, standardize=config.standardize, seed=config.seed, degree=degree, l2=l2, validation=validation,
        data=data, target=config.steps, speed=speed, running=running,
    )
    if config.lr is None:
        hyper.lr = run.descent.watchable_lr() if config.watchable else run.descent.auto_lr()
    return run
