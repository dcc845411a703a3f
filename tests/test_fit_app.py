"""The app with several inputs: every key driven as a user would, what each view draws checked
against the fit itself, and screens pinned at 80x24 and 160x48 with 3 and 12 inputs."""

from __future__ import annotations

import importlib
import os

import numpy as np
import pytest

from gdtui.charts.many import CurveChart, PairLandscapeChart, PredictedChart, ResidualChart, fit_of, pair_losses
from gdtui.cli import make_app, parse_args
from gdtui.fit_app import FitApp
from gdtui.widgets.coefficient_table import CoefficientTable
from gdtui.widgets.fit_readouts import FitReadouts


def shipped(module: str, name: str) -> str:
    folder = os.path.dirname(importlib.import_module(f"statsmodels.datasets.{module}").__file__ or "")
    return os.path.join(folder, name)


STACKLOSS = ["--data", shipped("stackloss", "stackloss.csv"), "--x", "AIRFLOW,WATERTEMP,ACIDCONC", "--y", "STACKLOSS"]
STAR98_X = "LOWINC,PERASIAN,PERBLACK,PERHISP,PERMINTE,AVYRSEXP,AVSALK,PERSPENK,PTRATIO,PCTAF,PCTCHRT,PCTYRRND"
STAR98 = ["--data", shipped("star98", "star98.csv"), "--x", STAR98_X, "--y", "PR50M"]
# An explicit lr: no note about the settings chosen for the file lies over the charts in a snapshot.
LR = ["--lr", "auto"]


def fit_app(*argv: str) -> FitApp:
    app = make_app(parse_args(["--paused", *argv]))
    assert isinstance(app, FitApp)
    return app


def table_text(app: FitApp) -> list[str]:
    return str(app.main.query_one(CoefficientTable).render()).splitlines()


async def test_the_table_lists_every_coefficient_with_least_squares_and_its_statistics() -> None:
    app = fit_app(*STACKLOSS)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        lines = table_text(app)
        assert [line.split()[0] for line in lines[1:5]] == ["intercept", "AIRFLOW", "WATERTEMP", "ACIDCONC"]
        assert lines[1].split()[2] == "-39.92" and lines[2].split()[2] == "0.71564"  # statsmodels' OLS values
        assert lines[5].startswith("R² 0.9136")
        readouts = str(app.main.query_one(FitReadouts).render())
        assert "PAUSED" in readouts and "3 inputs" in readouts and "κ 10.3" in readouts


async def test_step_back_and_reset_are_exact() -> None:
    app = fit_app(*STACKLOSS)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", "n", "n")
        third = app.session.latest
        await pilot.press("n", "b")
        assert app.session.latest == third and app.session.steps_taken == 3
        await pilot.press("N")
        assert app.session.steps_taken == 53
        await pilot.press("r")
        assert app.session.steps_taken == 0 and app.session.latest.coefficients == app.session.descent.initial.coefficients


async def test_lr_keys_and_the_best_lr_apply_from_the_next_step() -> None:
    app = fit_app(*STACKLOSS)
    async with app.run_test(size=(80, 24)) as pilot:
        watched = app.session.lr
        await pilot.press("plus")
        assert app.session.lr > watched
        await pilot.press("L")
        assert app.session.lr == pytest.approx(app.session.descent.auto_lr())
        await pilot.press("N", "N", "N")
        assert max(fit_of(app.session.frame(0)).errors) <= 1e-4  # at the best lr: there in well under 150 steps
        assert "converged" in str(app.main.query_one(FitReadouts).render())


async def test_standardize_toggle_keeps_the_coefficients_and_trains_on() -> None:
    app = fit_app(*STACKLOSS)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("N")
        before = app.session.latest.coefficients
        await pilot.press("z")
        assert not app.session.standardized
        assert np.allclose(app.session.latest.coefficients, before, rtol=1e-5)
        await pilot.press("n")
        assert app.session.steps_taken == 51


async def test_v_cycles_the_views_and_p_picks_the_landscapes_pair() -> None:
    app = fit_app(*STACKLOSS)
    async with app.run_test(size=(80, 24)) as pilot:
        charts = app.main.query_one("#charts")
        seen = []
        for _ in range(4):
            seen.append(next(c for c in ("-table", "-predicted", "-residuals", "-landscape") if charts.has_class(c)))
            await pilot.press("v")
        assert seen == ["-table", "-predicted", "-residuals", "-landscape"]
        assert charts.has_class("-table")  # round again; no curve view without --degree
        await pilot.press("p")
        assert charts.has_class("-landscape") and app.session.pair == (1, 3)


async def test_keys_of_one_input_say_so() -> None:
    app = fit_app(*STACKLOSS)
    async with app.run_test(size=(80, 24)) as pilot:
        for key, what in (("c", "gradient check"), ("x", "explain"), ("a", "slice"), ("asterisk", "least-squares line")):
            await pilot.press(key)
            await pilot.pause()
            latest = list(app._notifications)[-1].message
            assert what in latest and "not with several" in latest
        assert app.session.steps_taken == 0


async def test_each_view_draws_the_fit_as_it_is_now() -> None:
    """The scatter charts read the coefficients now, not least squares; the landscape the loss there."""
    app = fit_app(*STACKLOSS)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("n", "n")
        frame = fit_of(app.session.frame(0))
        assert frame.x is not None and frame.y is not None
        b, *w = frame.coefficients
        rows = list(frame.sample)
        fitted = frame.x[rows] @ w + b
        app.main.query_one(PredictedChart).show(frame)
        actual, predicted = app.main.query_one(PredictedChart).xy()
        np.testing.assert_allclose(actual, frame.y[rows])
        np.testing.assert_allclose(predicted, fitted)
        app.main.query_one(ResidualChart).show(frame)
        x, residual = app.main.query_one(ResidualChart).xy()
        np.testing.assert_allclose(residual, frame.y[rows] - fitted)
        i, j = frame.pair
        here = pair_losses(frame, np.array([frame.coefficients[i]]), np.array([frame.coefficients[j]]))
        assert here[0] == pytest.approx(np.mean((frame.x @ w + b - frame.y) ** 2), rel=1e-9)
        assert isinstance(app.main.query_one(PairLandscapeChart), PairLandscapeChart)


async def test_a_polynomials_curve_is_the_coefficients_now() -> None:
    app = fit_app("--degree", "3", "--noise", "0.1")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("N")
        frame = fit_of(app.session.frame(0))
        chart = app.main.query_one(CurveChart)
        chart.show(frame)
        xs, ys = chart.xy()
        b, w1, w2, w3 = frame.coefficients
        np.testing.assert_allclose(ys, b + w1 * xs + w2 * xs**2 + w3 * xs**3)


async def test_a_holdout_shows_its_loss_beside_the_training_loss() -> None:
    app = fit_app(*STACKLOSS, "--holdout", "0.25")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("N")
        frame = fit_of(app.session.frame(0))
        assert frame.validation is not None and len(frame.validation) > 1
        assert "held out" in str(app.main.query_one(FitReadouts).render())


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
class TestScreens:
    def test_three_inputs_table(self, snap_compare, size) -> None:
        assert snap_compare(fit_app(*STACKLOSS, *LR), press=["N"], terminal_size=size)

    def test_twelve_inputs_table(self, snap_compare, size) -> None:
        assert snap_compare(fit_app(*STAR98, *LR), press=["N"], terminal_size=size)

    def test_twelve_inputs_landscape(self, snap_compare, size) -> None:
        assert snap_compare(fit_app(*STAR98, *LR), press=["N", "v", "v", "v"], terminal_size=size)


def test_three_inputs_predicted_and_residuals(snap_compare) -> None:
    assert snap_compare(fit_app(*STACKLOSS, *LR), press=["N", "v"], terminal_size=(80, 24))
    assert snap_compare(fit_app(*STACKLOSS, *LR), press=["N", "v", "v"], terminal_size=(80, 24))


def test_a_polynomials_curve(snap_compare) -> None:
    assert snap_compare(fit_app("--degree", "3", "--noise", "0.1", "--lr", "auto"), press=["N", "v", "v", "v"], terminal_size=(80, 24))


async def test_k_and_shift_k_change_ridges_lambda_live() -> None:
    app = fit_app(*STACKLOSS)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("n")
        await pilot.press("k")
        assert app.session.l2 == 1e-3
        assert "ridge" in table_text(app)[0] and any("ridge λ 0.001" in line for line in table_text(app))
        await pilot.press("k", "n")
        frame = fit_of(app.session.frame(0))
        assert frame.l2 == 2e-3 and frame.marks[-1] == (1, "λ 0.002")
        assert frame.reference != tuple(frame.statistics.coefficients) if frame.statistics else False
        await pilot.press("K", "K")
        assert app.session.l2 == 0 and "least sq." in table_text(app)[0]


async def test_e_saves_every_coefficient_of_the_steps_so_far(tmp_path) -> None:
    path = tmp_path / "fit.csv"
    app = fit_app(*STACKLOSS, "--export", str(path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("N", "e")
        await pilot.pause()
    lines = path.read_text().splitlines()
    assert lines[0] == "step,b,w_AIRFLOW,w_WATERTEMP,w_ACIDCONC,loss,grad_b,grad_w_AIRFLOW,grad_w_WATERTEMP,grad_w_ACIDCONC,lr,optimizer"
    assert len(lines) == 51 and lines[-1].startswith("50,")
