"""The logistic model's engine: its loss, its optimum or lack of one, its bound and its labels."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from gdtui.engine.data.csv_reader import DataError, load_csv
from gdtui.engine.data.dataset import Dataset
from gdtui.engine.data.labels import check_labels
from gdtui.engine.run.start import RunConfig, build, start_session
from gdtui.engine.theory import logistic
from gdtui.engine.theory.linear import gradient_check
from gdtui.engine.training.models import MODELS

LOGISTIC = MODELS["logistic"]


def config(**changes) -> RunConfig:
    return RunConfig(**{"model": "logistic", "lr": 1.0, "true_w": 8.0, "true_b": -4.0, **changes})


def bce(x: np.ndarray, y: np.ndarray, w: float, b: float) -> float:
    """The textbook form, -mean(y log p + (1 - y) log(1 - p)), in float64: fine where p is not 0 or 1."""
    p = 1 / (1 + np.exp(-(w * x + b)))
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def test_default_data_are_two_overlapping_classes():
    x, y = build(config()).data.float64()
    assert len(x) == 500 and set(np.unique(y)) == {0.0, 1.0}
    assert not logistic.separable(x, y)
    # Labels follow σ(8x - 4): mostly 0 on the left, mostly 1 on the right, both on each side.
    assert y[x < 0.5].mean() < 0.3 and y[x > 0.5].mean() > 0.7
    assert y[x < 0.5].sum() > 0 and (1 - y[x > 0.5]).sum() > 0


@pytest.mark.parametrize("w, b", [(0.3, 0.0), (8.0, -4.0), (-5.0, 2.0), (40.0, -20.0)])
def test_the_trained_loss_is_torchs_binary_cross_entropy_with_logits(w, b):
    trainer = build(config())
    trainer.restore(trainer.initial._replace(w=w, b=b))
    x, y = trainer.data.x, trainer.data.y
    loss = trainer._backward(x, y).item()
    expected = F.binary_cross_entropy_with_logits(x.double() * w + b, y.double()).item()
    assert loss == pytest.approx(expected, abs=1e-6)
    # And the textbook formula with the (1 - y) term, in float64, and the analyses' numpy form.
    xs, ys = trainer.data.float64()
    assert bce(xs, ys, w, b) == pytest.approx(expected, abs=1e-9)
    assert logistic.cross_entropy(w * xs + b, ys) == pytest.approx(expected, abs=1e-12)


def test_the_loss_stays_finite_where_the_textbook_formula_does_not():
    x = np.array([0.0, 1.0])
    y = np.array([0.0, 1.0])
    with np.errstate(all="ignore"):
        assert not math.isfinite(bce(x, y, -1e4, 0.0))  # log(0): the reason to compute from logits
    assert logistic.cross_entropy(-1e4 * x, y) == pytest.approx((math.log(2) + 1e4) / 2)
    assert logistic.cross_entropy(1e4 * x - 5e3, y) == pytest.approx(0.0, abs=1e-300)


def test_newton_finds_where_the_gradient_vanishes():
    data = build(config()).data
    best = LOGISTIC.optimum(data)
    assert best.finite
    params = torch.tensor([best.w, best.b], dtype=torch.float64, requires_grad=True)
    x, y = (torch.from_numpy(a) for a in data.float64())
    F.binary_cross_entropy_with_logits(x * params[0] + params[1], y).backward()
    assert params.grad is not None and params.grad.abs().max().item() < 1e-10
    assert best.loss == pytest.approx(bce(*data.float64(), best.w, best.b), abs=1e-12)
    assert best.accuracy == logistic.accuracy(*data.float64(), best.w, best.b)


def test_training_reaches_the_optimum():
    session = start_session(config())
    session.advance(3000)
    best = session.optimum
    assert session.latest.loss == pytest.approx(best.loss, abs=1e-4)
    accuracy = session.accuracy()
    assert accuracy is not None and best.accuracy is not None
    assert accuracy >= best.accuracy - 0.01


def test_separable_classes_have_no_finite_optimum_and_w_grows_without_overflow():
    session = start_session(config(separable=True, lr=5.0))
    x, y = session.trainer.data.float64()
    assert logistic.separable(x, y)
    assert not session.optimum.finite
    ws = []
    for _ in range(20):
        session.advance(500)
        ws.append(session.latest.w)
    snap = session.latest
    assert not snap.diverged and all(math.isfinite(v) for v in (snap.w, snap.b, snap.loss, snap.grad_w))
    assert all(a < b for a, b in zip(ws, ws[1:], strict=False))  # it never stops growing
    accuracy = session.accuracy()
    assert snap.loss < 0.05 and accuracy is not None and accuracy >= 0.99


def test_one_class_only_counts_as_separable():
    assert logistic.separable(np.array([0.1, 0.5]), np.array([1.0, 1.0]))


def test_safe_bound_is_8_over_the_largest_eigenvalue_of_the_second_moments():
    x = build(config()).data.float64()[0]
    moments = np.array([[np.mean(x * x), np.mean(x)], [np.mean(x), 1.0]])
    assert LOGISTIC.gd_bound(build(config()).data) == pytest.approx(8 / np.linalg.eigvalsh(moments)[-1])


@pytest.mark.parametrize("seed", range(4))
def test_below_the_safe_bound_the_loss_never_rises(seed):
    session = start_session(config(seed=seed, true_w=30.0, true_b=-12.0))
    bound = session.stable_lr
    assert bound is not None
    session.change(lr=0.99 * bound)
    losses = [snap.loss for snap in (session.advance(1) for _ in range(300))]
    assert all(b <= a + 1e-6 for a, b in zip(losses, losses[1:], strict=False))


def test_the_bound_is_called_safe_and_momentum_gets_a_smaller_one():
    session = start_session(config())
    gd = session.stable_lr
    assert gd is not None
    assert session.model.bound_word == "safe"
    session.change(optimizer="momentum")
    assert session.stable_lr == pytest.approx(0.1 * gd)
    session.change(optimizer="adam")
    assert session.stable_lr is None


@pytest.mark.parametrize("w, b", [(0.5, 0.0), (3.0, -1.0), (8.0, -4.5), (-2.0, 1.0)])
def test_gradient_check_agrees_away_from_saturation(w, b):
    data = build(config()).data
    check = gradient_check(data, w, b, loss_of=LOGISTIC.loss, loss_name=LOGISTIC.loss_name)
    assert max(check.relative_error) < 1e-6
    x, y = data.float64()
    p = logistic.sigmoid(w * x + b)
    assert check.autograd == pytest.approx(((p - y) @ x / len(x), (p - y).mean()), rel=1e-9)


def test_loss_grid_is_the_loss_at_each_point():
    data = build(config()).data
    ws, bs = np.array([1.0, 8.0]), np.array([-4.0, 0.0, 2.0])
    grid = LOGISTIC.loss_grid(data, ws, bs)
    assert grid.shape == (3, 2)
    assert grid[0, 1] == pytest.approx(bce(*data.float64(), 8.0, -4.0))


def read_labels(texts: list[str], positive: str | None = None, missing: list[bool] | None = None):
    def fail(message: str) -> DataError:
        return DataError(f"f.csv: {message}")

    absent = np.array(missing or [False] * len(texts))
    return check_labels(texts, absent, lambda row: row + 2, fail, positive)


@pytest.mark.parametrize(
    "texts, ones, named",
    [
        (["1", "0", "1.0", " 0.0 "], [1, 0, 1, 0], None),  # written as 0 and 1: nothing to name
        (["1", "no", "TRUE", "Yes"], [1, 0, 1, 1], ("1", "no")),  # one class, several spellings
        (["yes", "No", "YES"], [1, 0, 1], ("yes", "No")),
        (["false", "true"], [0, 1], ("true", "false")),
        (["male", "female", "female"], [1, 0, 0], ("male", "female")),  # words: the second in sorted order
        (["2", "10", "2"], [0, 1, 0], ("10", "2")),  # numbers by value, not as text
        (["1", "2"], [0, 1], ("2", "1")),
    ],
)
def test_any_two_labels_are_classes_and_the_positive_one_is_named(texts, ones, named):
    values, said = read_labels(texts)
    assert values.tolist() == ones and said == named


def test_positive_chooses_class_1_in_any_case():
    values, said = read_labels(["male", "female", "male"], positive="Female")
    assert values.tolist() == [0, 1, 0] and said == ("female", "male")


def test_missing_labels_are_skipped():
    values, _ = read_labels(["a", "", "b"], missing=[False, True, False])
    assert values[0] == 0 and math.isnan(values[1]) and values[2] == 1


@pytest.mark.parametrize(
    "texts, positive, message",
    [
        (["0", "1", "0.5", "2"], None, "line 4: a third label '0.5' (after '0' and '1'); the classifier needs exactly two"),
        (["yes", "yes"], None, "every label is 'yes': the classifier needs two classes"),
        (["a", "b"], "c", "--positive 'c' is not a label here (the labels: 'a', 'b')"),
    ],
)
def test_labels_the_classifier_cannot_use_are_refused_in_one_line(texts, positive, message):
    with pytest.raises(DataError, match=f"^f\\.csv: {re.escape(message)}$"):
        read_labels(texts, positive)


@pytest.mark.parametrize(
    "text",
    ["name;hours;passed\nann;0.5;no\nbob;1.5;\n\ncy;2.5;Yes\ndi;3;1\n", "name,hours,passed\nann,0.5,0\nbob,1.5,NA\ncy,2.5,1\ndi,3,1.0\n"],
)
def test_a_labelled_file_loads_by_column_name(tmp_path, text):
    path = tmp_path / "exam.csv"
    path.write_text(text)
    data, report = load_csv(path, "hours", "passed", classes=True)
    assert report.skipped == 1
    assert data.x.ravel().tolist() == [0.5, 2.5, 3.0]
    assert data.y.ravel().tolist() == [0.0, 1.0, 1.0]


@pytest.mark.parametrize(
    "text, message",
    [
        ("x,y\n0.1,0\n0.2,1\n0.3,2\n", "line 4: a third label '2'"),
        ("x,y\n0.1,0\n\n0.2,1\n0.3,cat\n", "line 5: a third label 'cat'"),
        ("x,y\n0.1,0\n0.2,1\n0.3,TRUE\n0.4,yess\n", "line 5: a third label 'yess'"),
        ("x,y\n0.1,0\n0.2,0\n", "every label is '0'"),
        ("x\n1\n", "only one column"),
        ("", "empty file"),
    ],
)
def test_bad_label_files_name_the_line_and_value(tmp_path, text, message):
    path = tmp_path / "bad.csv"
    path.write_text(text)
    with pytest.raises(DataError) as error:
        load_csv(path, classes=True)
    assert str(error.value).startswith(f"{path}: ") and message in str(error.value)



def test_standardized_logistic_training_shows_the_same_sigmoid_and_reaches_the_optimum() -> None:
    drawn = build(RunConfig(model="logistic")).data
    wide = Dataset(drawn.x * 40, drawn.y)  # the same classes on x in [0, 40): lr 1 jumps about there
    session = start_session(RunConfig(model="logistic", standardize=True, lr=None), wide)
    assert (session.trainer.scaling.y_mean, session.trainer.scaling.y_std) == (0.0, 1.0)  # labels stay 0 and 1
    session.step(2000)
    optimum = session.optimum
    assert (session.latest.w, session.latest.b) == pytest.approx((optimum.w, optimum.b), rel=1e-3)
    loss = F.binary_cross_entropy_with_logits(wide.x.double() * session.latest.w + session.latest.b, wide.y.double())
    assert session.current().loss == pytest.approx(loss.item(), rel=1e-5)  # shown in the data's units
