"""The app on data that needs conditioning: κ and the best lr in the readouts, z and a, honest
endings, and the fit shown in the data's units whatever coordinates are trained."""

from __future__ import annotations

import numpy as np
import pytest

from gdtui.app import GdtuiApp
from gdtui.charts.fit import FitChart
from gdtui.charts.landscape import LandscapeChart
from gdtui.widgets.readouts import Readouts
from test_app import app_for


def houses_csv(path) -> str:
    rng = np.random.default_rng(1)
    area = rng.uniform(500, 3000, 200)
    price = 150 * area + 50_000 + rng.normal(0, 25_000, 200)
    np.savetxt(path, np.c_[area, price], delimiter=",", header="area,price", comments="", fmt="%.2f")
    return str(path)


def text(app: GdtuiApp) -> str:
    return app.query_one(Readouts).plain


def least_squares(path: str) -> tuple[float, float]:
    area, price = np.loadtxt(path, delimiter=",", skiprows=1, unpack=True)
    return tuple(np.polyfit(area, price, 1))


async def test_default_readouts_show_kappa_best_lr_and_the_steps_predicted() -> None:
    app = app_for()
    async with app.run_test(size=(80, 24)):
        assert "κ 18.7   best lr 0.752   at lr 0.01: ~7,022 steps to w*" in text(app)


async def test_house_prices_with_z_and_L_reach_least_squares_in_200_steps(tmp_path) -> None:
    path = houses_csv(tmp_path / "houses.csv")
    app = app_for("--data", path, "--raw", "--steps", "200")
    async with app.run_test(size=(80, 24)) as pilot:
        assert "κ 2.69e+07" in text(app)
        await pilot.press("n")  # lr 0.01 on raw prices: the first steps overflow
        await pilot.press("n", "n", "n")
        assert "DIVERGED" in text(app) and "z: standardize" in text(app)
        start = (app.session.latest.w, app.session.latest.b)
        await pilot.press("z")
        # The same line, now in standardized coordinates (a float32 rounding apart).
        assert (app.session.latest.w, app.session.latest.b) == pytest.approx(start, rel=1e-5)
        assert app.session.marks == [(app.session.latest.step, "standardized")]  # on the loss chart
        await pilot.press("L")
        assert app.session.lr == pytest.approx(0.5)
        assert "κ 2.69e+07 → 1   best lr 0.5   at lr 0.5" in text(app)  # what standardizing did
        await pilot.press("space")
        await pilot.pause(0.5)
        while app.session.running:
            await pilot.pause(0.1)
        assert app.session.latest.step == 200
        w, b = app.session.latest.w, app.session.latest.b
        w_star, b_star = least_squares(path)
        assert w == pytest.approx(w_star, rel=1e-3) and b == pytest.approx(b_star, rel=1e-3)
        assert "DONE" in text(app) and "Converged" in text(app)


async def test_the_fit_chart_draws_the_same_line_in_both_coordinates(tmp_path) -> None:
    app = app_for("--data", houses_csv(tmp_path / "houses.csv"), "--standardize", "--lr", "0.05")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("N")
        await pilot.pause()
        fit = app.query_one("#fit-chart", FitChart)
        drawn = fit.plain
        await pilot.press("z")  # back to the raw coordinates, from the same line
        await pilot.pause()
        assert not app.session.standardized
        assert fit.plain == drawn
        await pilot.press("v")
        await pilot.pause(0.3)
        assert "w'" not in app.query_one(LandscapeChart).plain
        await pilot.press("z")
        await pilot.pause(0.3)
        assert "w'" in app.query_one(LandscapeChart).plain  # the coordinates trained, labelled


async def test_done_far_from_the_optimum_says_not_converged_with_the_fix(tmp_path) -> None:
    path = houses_csv(tmp_path / "houses.csv")
    app = app_for("--data", path, "--raw", "--lr", "2.5e-7", "--steps", "50")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space")
        while app.session.latest.step < 50 or app.session.running:
            await pilot.pause(0.1)
        assert "DONE" in text(app)
        assert "not converged: w 1.7e-01, b 1.0e+00 off. z: standardize; L: best lr" in text(app)
        assert "~1.4e+08 steps to w*" in text(app)
