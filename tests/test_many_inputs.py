"""Several inputs: the least-squares fit and its statistics, through `gdtui --headless --summary json`,
held to statsmodels' OLS on real data sets that ship with statsmodels (a registry package)."""

from __future__ import annotations

import importlib
import json
import math
import os

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from gdtui.cli import main
from gdtui.engine.data.csv_reader import load_csv
from gdtui.engine.regression.design import Design, DesignError
from gdtui.engine.regression.least_squares import LeastSquares

# (statsmodels dataset module, its csv, y, the x columns): real files, each with its own units
REAL = [
    ("longley", "longley.csv", "TOTEMP", ["GNPDEFL", "GNP", "UNEMP", "ARMED", "POP", "YEAR"]),
    ("stackloss", "stackloss.csv", "STACKLOSS", ["AIRFLOW", "WATERTEMP", "ACIDCONC"]),
    ("cpunish", "cpunish.csv", "EXECUTIONS", ["INCOME", "PERPOVERTY", "PERBLACK", "VC100k96", "SOUTH", "DEGREE"]),
    ("scotland", "scotvote.csv", "YES", ["COUTAX", "UNEMPF", "MOR", "ACT", "GDP", "AGE", "COUTAX_FEMALEUNEMP"]),
    ("statecrime", "statecrime.csv", "murder", ["urban", "poverty", "hs_grad", "single"]),
    ("copper", "copper.csv", "WORLDCONSUMPTION", ["COPPERPRICE", "INCOMEINDEX", "ALUMPRICE", "INVENTORYINDEX", "TIME"]),
    ("fair", "fair.csv", "affairs", ["rate_marriage", "age", "yrs_married", "children", "religious", "educ"]),
]


def shipped(module: str, name: str) -> str:
    folder = os.path.dirname(importlib.import_module(f"statsmodels.datasets.{module}").__file__ or "")
    return os.path.join(folder, name)


def summary_json(capsys: pytest.CaptureFixture[str], *options: str) -> dict:
    assert main(["--headless", "--summary", "json", "--log-every", "0", *options]) == 0
    return json.loads(capsys.readouterr().out.strip().splitlines()[-1])


@pytest.mark.parametrize(("module", "csv", "y", "xs"), REAL, ids=[r[0] for r in REAL])
def test_the_fit_and_its_statistics_match_statsmodels_ols(capsys, module: str, csv: str, y: str, xs: list[str]) -> None:
    path = shipped(module, csv)
    got = summary_json(capsys, "--data", path, "--x", ",".join(xs), "--y", y, "--steps", "50")
    frame = pd.read_csv(path)[[*xs, y]].dropna()
    ols = sm.OLS(frame[y].to_numpy(float), sm.add_constant(frame[xs].to_numpy(float), has_constant="add")).fit()
    assert got["columns"] == ["intercept", *xs]
    np.testing.assert_allclose(got["least_squares"], ols.params, rtol=1e-6)
    np.testing.assert_allclose(got["std_err"], ols.bse, rtol=1e-6)
    np.testing.assert_allclose(got["t"], ols.tvalues, rtol=1e-6)
    np.testing.assert_allclose(got["p"], ols.pvalues, rtol=1e-6, atol=1e-300)
    np.testing.assert_allclose(got["interval"], ols.conf_int(), rtol=1e-6)
    for ours, theirs in [("r2", ols.rsquared), ("adjusted_r2", ols.rsquared_adj), ("f", ols.fvalue), ("f_p", ols.f_pvalue)]:
        assert got[ours] == pytest.approx(theirs, rel=1e-6), ours
    assert got["rows"] == ols.nobs
    # statsmodels squares the design into its Gram matrix first; the SVD keeps more digits
    assert got["condition_number"] == pytest.approx(ols.condition_number, rel=1e-3)
    assert len(got["trained"]) == len(xs) + 1 and got["steps"] == 50


def test_gradient_descent_reaches_least_squares_on_a_well_posed_file(capsys) -> None:
    """stackloss standardized, at the best lr: every coefficient within 1e-4 of OLS, and said so."""
    path = shipped("stackloss", "stackloss.csv")
    got = summary_json(capsys, "--data", path, "--x", "AIRFLOW,WATERTEMP,ACIDCONC", "--y", "STACKLOSS", "--lr", "auto", "--steps", "3000")
    assert got["converged"] is True
    np.testing.assert_allclose(got["trained"], got["least_squares"], rtol=1e-3)


def test_an_ill_conditioned_file_ends_not_converged_with_kappa_and_the_steps_it_needs(capsys) -> None:
    path = shipped("longley", "longley.csv")
    got = summary_json(capsys, "--data", path, "--x", "GNPDEFL,GNP,UNEMP,ARMED,POP,YEAR", "--y", "TOTEMP", "--steps", "300")
    assert got["converged"] is False
    assert got["kappa"] > 1000 and got["remaining_steps"] > 10_000
    assert "κ" in got["verdict"] and "more steps" in got["verdict"]


def test_the_text_summary_is_a_coefficient_table(capsys) -> None:
    path = shipped("stackloss", "stackloss.csv")
    options = ["--data", path, "--x", "AIRFLOW,WATERTEMP,ACIDCONC", "--y", "STACKLOSS", "--steps", "10"]
    assert main(["--headless", "--log-every", "0", *options]) == 0
    out = capsys.readouterr().out.splitlines()
    header = next(line for line in out if "least sq." in line)
    assert all(name in header for name in ("trained", "std err", "P>|t|", "95% interval"))
    rows = [line.split()[0] for line in out[out.index(header) + 1 :]][:4]
    assert rows == ["intercept", "AIRFLOW", "WATERTEMP", "ACIDCONC"]
    assert any(line.startswith("R² ") for line in out)
    assert max(map(len, out)) <= 80


def test_every_log_line_is_the_seeds_with_one_w_per_column(capsys) -> None:
    assert main(["--headless", "--degree", "3", "--steps", "101", "--log-every", "50"]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("w=")]
    assert len(lines) == 3  # steps 1, 51 and 101, as the seed prints
    w, rest = lines[0].split("],")
    b, loss = rest.split(",")
    assert len(w.removeprefix("w=[").split(", ")) == 3 and b.startswith("b=") and loss.startswith("loss=")


def test_polynomial_columns_are_named_by_their_power(capsys) -> None:
    got = summary_json(capsys, "--degree", "4", "--steps", "1")
    assert got["columns"] == ["intercept", "x", "x^2", "x^3", "x^4"]


def design(x: np.ndarray, names: tuple[str, ...]) -> Design:
    return Design(names, x, x @ np.arange(1, x.shape[1] + 1) + 0.5)


def test_a_column_that_is_a_combination_of_others_is_named_not_solved() -> None:
    rng = np.random.default_rng(0)
    a, b, c = rng.normal(size=(3, 50))
    with pytest.raises(DesignError, match=r"columns .*'a'.*'b'.*'a_plus_b'.* are collinear"):
        LeastSquares.of(design(np.column_stack([a, b, a + b, c]), ("a", "b", "a_plus_b", "c")))
    with pytest.raises(DesignError, match=r"'c'.*'c_again'"):
        LeastSquares.of(design(np.column_stack([a, c, c]), ("a", "c", "c_again")))


def test_a_constant_column_and_too_few_rows_are_refused_with_one_line() -> None:
    rng = np.random.default_rng(1)
    with pytest.raises(DesignError, match="column 'k' is constant"):
        design(np.column_stack([rng.normal(size=9), np.full(9, 4.0)]), ("a", "k")).check()
    with pytest.raises(DesignError, match="3 rows for 3 coefficients"):
        design(rng.normal(size=(3, 2)), ("a", "b")).check()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--degree", "3", "--summary", "json"], "--summary: with --headless"),
        (["--degree", "3", "--headless", "--compare", "gd,adam"], "--compare: not with --degree"),
        (["--degree", "3", "--headless", "--model", "logistic"], "--model logistic: not with --degree"),
        (["--degree", "99", "--headless"], "--degree"),
        (["--data", "f.csv", "--x", "a,b", "--y", "c", "--degree", "2", "--headless"], "--degree: takes one x column, not 2"),
        (["--data", "f.csv", "--x", "a,,b", "--y", "c", "--headless"], "an empty column name"),
    ],
)
def test_options_that_do_not_combine_with_several_inputs_get_one_line(capsys, monkeypatch, options, message) -> None:
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    with pytest.raises(SystemExit) as ended:
        main(options)
    assert ended.value.code == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1


def test_holdout_reports_the_loss_on_rows_kept_out_and_shows_overfitting(capsys) -> None:
    """A degree-12 polynomial through 30 noisy points: least squares fits the 21 it sees far better
    than the 9 it does not."""
    options = ["--degree", "12", "--n", "30", "--noise", "0.3", "--holdout", "0.3", "--steps", "100"]
    got = summary_json(capsys, *options)
    assert got["validation_rows"] == 9 and got["rows"] == 21
    assert got["validation_loss_least_squares"] > 10 * got["residual_sd"] ** 2
    again = summary_json(capsys, *options)
    assert again["validation_loss"] == got["validation_loss"]  # the same rows held out for the same --seed
    other = summary_json(capsys, *options, "--seed", "1")
    assert other["validation_loss_least_squares"] != got["validation_loss_least_squares"]


def test_holdout_logs_the_validation_loss_beside_the_seeds_line(capsys) -> None:
    assert main(["--headless", "--holdout", "0.2", "--steps", "51", "--log-every", "50"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [line.count(",val_loss=") for line in out if line.startswith("w=")] == [1, 1]
    assert any(line.startswith("validation loss ") and "100 rows held out" in line for line in out)


def test_a_holdout_that_leaves_too_few_rows_is_one_line(capsys) -> None:
    assert main(["--headless", "--n", "5", "--degree", "3", "--holdout", "0.5"]) == 2
    assert capsys.readouterr().err.strip() == "gdtui: error: --holdout 0.5 keeps 2 of 5 rows, leaving 3 to fit 4 coefficients"


def stackloss_descent(lr: float | None = None):
    from gdtui.engine.regression.descent import Descent
    from gdtui.engine.training.hyper import Hyper

    frame = pd.read_csv(shipped("stackloss", "stackloss.csv"))
    names = ("AIRFLOW", "WATERTEMP", "ACIDCONC")
    hyper = Hyper()
    run = Descent(Design(names, frame[list(names)].to_numpy(float), frame["STACKLOSS"].to_numpy(float)), hyper)
    hyper.lr = lr if lr is not None else run.auto_lr()
    return run, hyper


def test_a_restored_step_trains_on_exactly_as_before() -> None:
    import itertools

    run, hyper = stackloss_descent()
    hyper.optimizer = "momentum"
    first = list(itertools.islice(run.run(), 30))
    run.restore(first[9])
    again = list(itertools.islice(run.run(), 20))
    assert again == first[10:]


def test_an_overflow_rolls_back_and_training_goes_on_at_a_lower_lr() -> None:
    run, hyper = stackloss_descent()
    best = hyper.lr
    hyper.lr = 50 * best
    steps = run.run()
    snap = next(steps)
    while not snap.diverged:
        snap = next(steps)
    assert all(map(math.isfinite, snap.coefficients))
    hyper.lr = best
    after = [next(steps) for _ in range(1000)]  # from where the overflow left it, ~1e19: 0.82 a step
    assert not any(s.diverged for s in after) and after[0].step == snap.step + 1
    assert np.all(run.errors(after[-1].coefficients) <= 1e-4)


def test_ridge_trains_to_the_penalized_optimum_the_normal_equations_give(capsys) -> None:
    """min mean((X w + b - y)²) + λ‖w‖², b free: gdtui's QR with √(nλ) rows against the penalized
    normal equations on a well-conditioned file, and gradient descent getting there."""
    path = shipped("stackloss", "stackloss.csv")
    xs = ["AIRFLOW", "WATERTEMP", "ACIDCONC"]
    got = summary_json(capsys, "--data", path, "--x", ",".join(xs), "--y", "STACKLOSS", "--l2", "0.5", "--lr", "auto", "--steps", "3000")
    frame = pd.read_csv(path)
    a = np.column_stack([np.ones(len(frame)), frame[xs].to_numpy(float)])
    penalty = np.diag([0.0, 1.0, 1.0, 1.0])
    expected = np.linalg.solve(a.T @ a / len(a) + 0.5 * penalty, a.T @ frame["STACKLOSS"].to_numpy(float) / len(a))
    np.testing.assert_allclose(got["optimum"], expected, rtol=1e-9)
    assert got["l2"] == 0.5 and got["least_squares"] != got["optimum"]
    assert got["converged"] is True
    np.testing.assert_allclose(got["trained"], expected, rtol=1e-3)


def test_ridge_mends_an_overfitting_polynomial_on_the_rows_held_out(capsys) -> None:
    options = ["--degree", "12", "--n", "30", "--noise", "0.3", "--holdout", "0.3", "--steps", "1"]
    plain, ridged = summary_json(capsys, *options), summary_json(capsys, *options, "--l2", "0.001")
    assert ridged["validation_loss_optimum"] < plain["validation_loss_optimum"] / 100
    assert np.linalg.norm(ridged["optimum"][1:]) < np.linalg.norm(plain["optimum"][1:]) / 100


def test_a_larger_penalty_shrinks_w_and_raises_the_best_lr(capsys) -> None:
    base = ["--data", shipped("longley", "longley.csv"), "--x", "GNPDEFL,GNP,UNEMP,ARMED,POP,YEAR", "--y", "TOTEMP", "--steps", "1"]
    runs = [summary_json(capsys, *base, "--l2", str(l2)) for l2 in (0.0, 0.01, 1.0)]
    norms = [np.linalg.norm(run["optimum"][1:]) for run in runs]
    assert norms[0] > norms[1] > norms[2]
    assert runs[0]["kappa"] > runs[1]["kappa"] > runs[2]["kappa"]  # the penalty lifts the flat directions


def test_export_writes_every_coefficient_by_name_each_step(capsys, tmp_path) -> None:
    path = tmp_path / "fit.jsonl"
    got = summary_json(capsys, "--data", shipped("stackloss", "stackloss.csv"), "--x", "AIRFLOW,ACIDCONC", "--y", "STACKLOSS",
                       "--steps", "40", "--export", str(path))
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    assert [row["step"] for row in rows] == list(range(1, 41))
    coefficients = ["b", "w_AIRFLOW", "w_ACIDCONC"]
    assert list(rows[0]) == ["step", *coefficients, "loss", *(f"grad_{c}" for c in coefficients), "lr", "optimizer"]
    assert [rows[-1][name] for name in ("b", "w_AIRFLOW", "w_ACIDCONC")] == got["trained"]


def test_the_gradients_shown_are_the_losss_in_the_datas_units() -> None:
    """Standardized or not, each ∂loss/∂coefficient is 2(G c - h) of the MSE over every row."""
    import itertools

    frame = pd.read_csv(shipped("stackloss", "stackloss.csv"))
    names = ("AIRFLOW", "WATERTEMP", "ACIDCONC")
    x, y = frame[list(names)].to_numpy(float), frame["STACKLOSS"].to_numpy(float)
    a = np.column_stack([np.ones(len(y)), x])
    for standardize in (True, False):
        from gdtui.engine.regression.descent import Descent
        from gdtui.engine.training.hyper import Hyper

        run = Descent(Design(names, x, y), Hyper(lr=1e-6), standardize=standardize)
        before = run.current
        step = next(itertools.islice(run.run(), 1))
        expected = 2 * (a.T @ (a @ np.array(before.coefficients) - y)) / len(y)
        np.testing.assert_allclose(step.grads, expected, rtol=1e-4, atol=1e-6 * np.abs(expected).max())


def test_a_constant_y_is_one_line(capsys, tmp_path) -> None:
    path = tmp_path / "flat.csv"
    path.write_text("a,b,y\n1,2,5\n2,1,5\n3,5,5\n4,3,5\n5,8,5\n")
    assert main(["--headless", "--data", str(path), "--x", "a,b", "--y", "y"]) == 2
    assert capsys.readouterr().err.strip().endswith("'y' is constant (5 in every row): b alone fits it, nothing to learn")


def test_rewind_across_z_and_reset_after_it_keep_the_coefficients_shown() -> None:
    from gdtui.engine.run.fit import start_fit
    from gdtui.engine.run.start import RunConfig

    data = load_csv(shipped("stackloss", "stackloss.csv"), ("AIRFLOW", "WATERTEMP", "ACIDCONC"), "STACKLOSS")[0]
    run = start_fit(RunConfig(lr=None, standardize=True), data, 1)
    shown = [run.step(1).coefficients for _ in range(5)]
    run.standardize(False)
    run.step(2)
    for _ in range(3):
        run.rewind()
    assert run.latest.coefficients == shown[3]
    after = run.step(1)
    assert after.loss == pytest.approx(run.loss_at(shown[3]).loss, rel=1e-5)  # trained on from there, not from elsewhere
    first = run.initial.coefficients
    run.reset()
    assert run.latest.coefficients == first
    assert run.step(1).loss == pytest.approx(run.loss_at(first).loss, rel=1e-5)


def test_the_app_refuses_a_design_it_cannot_fit_before_its_screen(capsys, tmp_path) -> None:
    from gdtui.cli import make_app, parse_args

    path = tmp_path / "binary.csv"
    path.write_text("g,y\n0,1\n1,3\n0,1.2\n1,2.9\n0,0.8\n1,3.1\n")  # g² is g: collinear
    with pytest.raises(SystemExit) as ended:
        make_app(parse_args(["--data", str(path), "--degree", "2"]))
    assert ended.value.code == 2
    said = "columns 'g', 'g^2' are collinear (one is a combination of the others): drop one of them"
    assert capsys.readouterr().err.strip() == f"gdtui: error: --data binary.csv: {said}"
