"""Gradient descent on y = X w + b: the seed's loop with w of shape [d, 1], one pulled item per update.

Each column of X (and y) is trained standardized unless told otherwise, as a file's one x is: with
inputs in different units the loss's Hessian is otherwise so uneven that no lr trains every
coefficient. Values are shown in the data's units. The loss is a quadratic in (b, w), so its
Hessian H = (2/n) Aᵀ A over A = [1, X] (trained coordinates) says everything in advance: full-batch
gd converges iff lr < 2/λmax, 2/(λmin + λmax) is the best fixed lr, and each mode of the distance
to the optimum shrinks by |1 - lr·λ| a step.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import NamedTuple

import numpy as np
import torch

from gdtui.engine.regression.design import Design
from gdtui.engine.regression.least_squares import LeastSquares, ridge
from gdtui.engine.regression.sums import Sums
from gdtui.engine.theory.closeness import FLOOR, TOLERANCE
from gdtui.engine.theory.conditioning import ADAM_LR, best_momentum_lr, momentum_radius, steps_until_within
from gdtui.engine.training.hyper import MOMENTUM, Hyper, is_full_batch
from gdtui.engine.training.models import MODELS
from gdtui.engine.training.moments import MOMENTS_FROM
from gdtui.engine.training.optimizers import make_rule
from gdtui.engine.training.trainer import WATCHABLE_SHARE, batch_rows, forward


def hessian(x: np.ndarray) -> np.ndarray:
    """The MSE's Hessian over (b, w) for the design x ([n, d], float64): (2/n) Aᵀ A, A = [1, x]."""
    a = np.column_stack([np.ones(len(x)), x])
    return (2 / len(x)) * a.T @ a


def kappa_of(x: np.ndarray) -> float:
    """λmax/λmin of that Hessian: how unevenly the loss curves, on x as it is."""
    low, *_, high = np.linalg.eigvalsh(hessian(x))
    return float(high / low) if low > 0 else math.inf


class Step(NamedTuple):
    """The state after `step` updates, in the data's units: b first, then one w per column.
    `loss` and `grads` are those the update came from (before it), as the seed prints them.
    `trained` holds the coefficients trained on, exactly, and `state` the optimizer's, so a
    rewind restores both bit for bit; `diverged` marks a state rolled back to after an overflow."""

    step: int
    coefficients: tuple[float, ...]
    loss: float
    grads: tuple[float, ...]
    lr: float
    optimizer: str = "gd"
    trained: tuple[float, ...] = ()
    state: tuple[float, ...] = ()
    standardized: bool = True  # the coordinates `trained` and `state` are in
    diverged: bool = False


class Descent:
    """One run over a Design: its coordinates, its Hessian, and the generator of its updates."""

    def __init__(self, design: Design, hyper: Hyper, *, standardize: bool = True, seed: int = 0, l2: float = 0.0) -> None:
        x, y = design.x, design.y
        self.design, self.hyper, self.seed, self.standardized = design, hyper, seed, standardize
        self.x_mean = x.mean(axis=0) if standardize else np.zeros(design.inputs)
        self.x_std = x.std(axis=0) if standardize else np.ones(design.inputs)  # no column is constant (Design.check)
        self.y_mean, self.y_std = (float(y.mean()), float(y.std()) or 1.0) if standardize else (0.0, 1.0)
        trained_x, trained_y = (x - self.x_mean) / self.x_std, (y - self.y_mean) / self.y_std
        self.x = torch.from_numpy(trained_x).float()
        self.y = torch.from_numpy(trained_y).float().reshape(-1, 1)
        # From MOMENTS_FROM rows up the full batch's loss comes from the sums (sums.py); below, and
        # for mini-batches, from the rows, the seed's float32 form.
        self.sums = Sums(trained_x, trained_y) if len(y) >= MOMENTS_FROM else None
        self.widest_point = 1 + float(np.max(np.sum(trained_x**2, axis=1)))
        self._hessian = hessian(trained_x)
        self.least_squares = LeastSquares.of(design).coefficients
        # λ‖w‖² in the data's units is λ Σ (w'_j / x_std_j)² in the loss trained (which is over std y²).
        self._penalty = torch.from_numpy(1 / self.x_std**2).float().reshape(-1, 1)
        self.penalize(l2)
        generator = torch.Generator().manual_seed(seed)
        self.w = torch.rand([design.inputs, 1], generator=generator).requires_grad_()  # the seed's torch.rand([1, 1]), per input
        self.b = torch.zeros((), requires_grad=True)
        self._batches = torch.Generator()
        # Gradients map back by the transpose inverse, and by std y² as the loss does (it is trained over it).
        self._back = self.y_std**2 * np.linalg.inv(self.to_data_matrix()).T
        self._use(hyper.optimizer, ())
        self.initial = self._measure(0, self._loss(0, full=True))
        self.current = self.previous = self.initial

    def penalize(self, l2: float) -> None:
        """Ridge: add l2 ‖w‖² (the data's units, b free) to the loss from the next update; the
        optimum, the Hessian and what they predict follow."""
        self.l2 = l2
        self.optimum = ridge(self.design, l2) if l2 else self.least_squares
        penalty = np.diag(np.concatenate([[0.0], 2 * l2 / self.x_std**2]))
        self.eigenvalues, self.eigenvectors = np.linalg.eigh(self._hessian + penalty)
        natural = np.concatenate([[self.y_std * (1 + np.sum(np.abs(self.x_mean) / self.x_std))], self.y_std / self.x_std])
        self.scales = np.maximum(np.abs(self.optimum), FLOOR * natural)

    # What the Hessian says.

    @property
    def kappa(self) -> float:
        """λmax/λmin in the coordinates trained."""
        low, high = self.eigenvalues[0], self.eigenvalues[-1]
        return float(high / low) if low > 0 else math.inf

    def auto_lr(self) -> float:
        """The best fixed lr for the rule in use: as for one input (see README: conditioning)."""
        optimizer, low, high = self.hyper.optimizer, float(self.eigenvalues[0]), float(self.eigenvalues[-1])
        if optimizer == "adam":
            return ADAM_LR
        if not is_full_batch(self.hyper.batch_size, len(self.design.y)):
            # No one-point step overshoots its point, the penalty's curvature on the steepest column included.
            single = 1 / (2 * self.widest_point + float(np.max(2 * self.l2 / self.x_std**2)))
            return single if optimizer == "gd" else (1 - MOMENTUM) * single
        return 2 / (low + high) if optimizer == "gd" else best_momentum_lr(low, high)

    def watchable_lr(self) -> float:
        """Standardized, full batch, gd or momentum: a tenth of the best lr, so the loss is seen to fall."""
        at_once = self.standardized and is_full_batch(self.hyper.batch_size, len(self.design.y)) and self.hyper.optimizer != "adam"
        return self.auto_lr() / WATCHABLE_SHARE if at_once else self.auto_lr()

    def errors(self, coefficients: tuple[float, ...]) -> np.ndarray:
        """Each coefficient's distance from least squares on its own scale (closeness.py): all
        TOLERANCE or less is converged."""
        return np.abs(np.array(coefficients) - self.optimum) / self.scales

    def steps_needed(self, coefficients: tuple[float, ...]) -> float | None:
        """Full-batch steps from here until every coefficient is within TOLERANCE; None where no
        theory predicts it (Adam, mini-batches), inf where this lr never gets there."""
        hyper = self.hyper
        if hyper.optimizer == "adam" or not is_full_batch(hyper.batch_size, len(self.design.y)):
            return None
        a = hyper.lr * self.eigenvalues
        rates = np.abs(1 - a) if hyper.optimizer == "gd" else momentum_radius(a)
        linear = self.to_data_matrix()
        with np.errstate(over="ignore", invalid="ignore"):
            parts = self.eigenvectors.T @ np.linalg.solve(linear, np.array(coefficients) - self.optimum)
            shares = np.abs(linear @ self.eigenvectors * parts)
        return steps_until_within(shares, rates, TOLERANCE * self.scales)

    # Between the coordinates trained and the data's units.

    def to_data_matrix(self) -> np.ndarray:
        """The matrix taking (b', w') trained to (b, w) in the data's units (b's shift by ȳ aside)."""
        slopes = self.y_std / self.x_std
        linear = np.diag(np.concatenate([[self.y_std], slopes]))
        linear[0, 1:] = -slopes * self.x_mean
        return linear

    def to_trained(self, coefficients: tuple[float, ...]) -> np.ndarray:
        """(b', w') trained for the coefficients (b, w) in the data's units: to_data's inverse."""
        shifted = np.array(coefficients) - np.concatenate([[self.y_mean], np.zeros(self.design.inputs)])
        return np.linalg.solve(self.to_data_matrix(), shifted)

    def to_data(self, trained: np.ndarray) -> tuple[float, ...]:
        coefficients = self.to_data_matrix() @ trained
        coefficients[0] += self.y_mean
        return tuple(map(float, coefficients))

    # Training.

    def _use(self, optimizer: str, state: tuple[float, ...]) -> None:
        self.rule = make_rule(optimizer, [self.w, self.b])
        self.rule.load(state)
        self.rule_name = optimizer

    def picks(self, step: int) -> torch.Tensor | None:
        """The rows that update `step` learns from (drawn again, the same, on a rewind); None: all."""
        return batch_rows(self._batches, self.seed, step, self.hyper.batch_size, len(self.design.y))

    def _loss(self, step: int, full: bool = False) -> torch.Tensor:
        """The loss update `step` learns from, with the gradients of w and b set by autograd."""
        picks = None if full else self.picks(step)
        if picks is None and self.sums is not None:
            loss = self.sums.loss(self.w, self.b)
        else:
            x, y = (self.x, self.y) if picks is None else (self.x[picks], self.y[picks])
            _, loss = forward(MODELS["linear"], x, y, self.w, self.b)
        if self.l2:
            loss = loss + self.l2 * torch.sum(self._penalty * self.w**2)
        self.w.grad = self.b.grad = None
        loss.backward()
        return loss

    def _measure(self, step: int, loss: torch.Tensor) -> Step:
        """A Step of the coefficients now, with `loss` and the gradients it left."""
        assert self.w.grad is not None and self.b.grad is not None
        trained = np.concatenate([[self.b.item()], self.w.detach().numpy().ravel()])
        with np.errstate(invalid="ignore", over="ignore"):  # an update that overflowed: inf, rolled back by run()
            grads = self._back @ np.concatenate([[self.b.grad.item()], self.w.grad.numpy().ravel()])
            coefficients = self.to_data(trained)
        hyper = self.hyper
        return Step(
            step, coefficients, loss.item() * self.y_std**2, tuple(map(float, grads)), hyper.lr,
            hyper.optimizer, tuple(map(float, trained)), self.rule.state(), self.standardized,
        )

    def start_from(self, step: Step) -> Step:
        """Continue from `step` taken in the other coordinates: its coefficients mapped into these,
        the optimizer afresh, the loss and gradients measured there."""
        self.restore(step)
        loss = self._loss(step.step, full=True)
        self.current = self.previous = self._measure(step.step, loss)
        return self.current

    def restore(self, step: Step) -> None:
        """Continue from `step`, bit for bit; the optimizer's state comes back when it was taken
        with the same optimizer, else it starts afresh. A step taken in the other coordinates
        (standardized or not) gives its coefficients, mapped into these, the optimizer afresh."""
        same = step.standardized == self.standardized
        b, *w = step.trained if same else map(float, self.to_trained(step.coefficients).astype(np.float32))
        with torch.no_grad():
            self.b.fill_(b)
            self.w.copy_(torch.tensor(w).reshape(-1, 1))
        self._use(self.hyper.optimizer, step.state if same and step.optimizer == self.hyper.optimizer else ())
        self.current = self.previous = step._replace(diverged=False, trained=(b, *w), standardized=self.standardized)

    def run(self) -> Iterator[Step]:
        """One Step per update, for ever. An update that overflows is undone: the last state whose
        loss was finite comes instead, marked diverged, and training may go on from it."""
        torch.set_num_threads(1)  # tiny tensors: a second thread only adds hand-over cost
        while True:
            if self.hyper.optimizer != self.rule_name:
                self._use(self.hyper.optimizer, ())  # a new rule starts with fresh state
            step = self.current.step + 1
            loss = self._loss(step)
            self.rule.step(self.hyper.lr)
            after = self._measure(step, loss)  # the coefficients after; the loss and gradients from before
            if not (math.isfinite(after.loss) and all(map(math.isfinite, after.trained)) and all(map(math.isfinite, after.grads))):
                good = self.current if math.isfinite(after.loss) else self.previous
                self.restore(good)
                yield good._replace(diverged=True)
                continue
            self.previous, self.current = self.current, after
            yield after
