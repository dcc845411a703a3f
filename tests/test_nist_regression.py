"""NIST StRD linear regression, through the command line as a user would give it: a CSV of x (or
x1..x6) and y, and --degree for the polynomial sets. The least-squares values gdtui reports must
carry NIST's certified digits; gradient descent must end honestly, converged only when it is."""

from __future__ import annotations

import json

import numpy as np
import pytest

import nist
from gdtui.cli import main

# Digits each set must keep: NIST's own yardstick, the log relative error (LRE). Wampler5's y is
# almost all noise around a degree-5 fit, and 5 digits is what double precision leaves of it.
DIGITS = {"Wampler5": 5}
WITH_INTERCEPT = [name for name in nist.NAMES if nist.load(name).intercept]  # gdtui always fits b


def run(tmp_path, capsys, name: str) -> tuple[nist.Certified, dict]:
    certified = nist.load(name)
    x = certified.x.reshape(len(certified.y), -1)
    names = [f"x{k + 1}" for k in range(x.shape[1])]
    path = tmp_path / f"{name}.csv"
    rows = [",".join([*names, "y"])] + [",".join(map(repr, [*row, y])) for row, y in zip(x.tolist(), certified.y.tolist())]
    path.write_text("\n".join(rows) + "\n")
    options = ["--data", str(path), "--x", ",".join(names), "--y", "y", "--degree", str(certified.degree)]
    assert main(["--headless", "--summary", "json", "--log-every", "0", *options]) == 0
    return certified, json.loads(capsys.readouterr().out.strip().splitlines()[-1])


def digits(value: np.ndarray, certified: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore"):
        return -np.log10(np.abs(value - certified) / np.abs(certified))


@pytest.mark.parametrize("name", WITH_INTERCEPT)
def test_least_squares_carries_nists_certified_digits(tmp_path, capsys, name: str) -> None:
    certified, got = run(tmp_path, capsys, name)
    assert digits(np.array(got["least_squares"]), np.array(certified.estimates)).min() >= DIGITS.get(name, 7)
    sd = np.array(certified.std_devs)
    if sd.min() > 0:  # Wampler1 and 2 fit exactly: their certified standard deviations are 0
        assert digits(np.array(got["std_err"]), sd).min() >= DIGITS.get(name, 7) - 1
    assert got["r2"] == pytest.approx(certified.r_squared, rel=1e-7)


@pytest.mark.parametrize("name", WITH_INTERCEPT)
def test_gradient_descent_at_the_defaults_ends_honestly(tmp_path, capsys, name: str) -> None:
    """Converged only where every coefficient is at the certified value; else κ and the steps still needed."""
    certified, got = run(tmp_path, capsys, name)
    trained, best = np.array(got["trained"]), np.array(certified.estimates)
    if got["converged"]:  # within a thousandth of each certified value, or of its certified uncertainty
        assert np.all(np.abs(trained - best) <= 1e-3 * np.maximum(np.abs(best), certified.std_devs))
    else:
        assert "κ" in got["verdict"] and ("more steps" in got["verdict"] or "never" in got["verdict"])
        assert got["remaining_steps"] is None or got["remaining_steps"] > 0
