"""The NIST StRD linear regression files in tests/data/nist/ and their parser, tests/nist.py.

A least-squares solver is checked against these certified values, so the parser itself is checked
here: counts against the files' own headers, the model each file states, x and y the right way
round, and every certified number reproduced by an exact (rational) least-squares fit of the data
as parsed.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest

from nist import DATA, NAMES, Certified, load

# name: (model, degree, intercept, observations, parameters), as NIST's pages describe the sets
EXPECTED = {
    "Norris": ("line", 1, True, 36, 2),
    "Pontius": ("polynomial", 2, True, 40, 3),
    "NoInt1": ("no-intercept line", 1, False, 11, 1),
    "NoInt2": ("no-intercept line", 1, False, 3, 1),
    "Filip": ("polynomial", 10, True, 82, 11),
    "Longley": ("multiple", 1, True, 16, 7),
    "Wampler1": ("polynomial", 5, True, 21, 6),
    "Wampler2": ("polynomial", 5, True, 21, 6),
    "Wampler3": ("polynomial", 5, True, 21, 6),
    "Wampler4": ("polynomial", 5, True, 21, 6),
    "Wampler5": ("polynomial", 5, True, 21, 6),
}


def test_names_are_the_eleven_files():
    assert set(NAMES) == set(EXPECTED)
    assert sorted(path.stem for path in DATA.glob("*.dat")) == sorted(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_file_is_nists(name):
    lines = (DATA / f"{name}.dat").read_text(encoding="ascii").splitlines()
    assert lines[0] == "NIST/ITL StRD"
    assert lines[1].split()[:3] == ["Dataset", "Name:", name]
    assert "Linear Least Squares Regression" in lines[7]


@pytest.mark.parametrize("name", NAMES)
def test_counts_match_the_header(name):
    data = load(name)
    model, degree, intercept, observations, parameters = EXPECTED[name]
    assert (data.model, data.degree, data.intercept) == (model, degree, intercept)
    assert (data.observations, data.parameters) == (observations, parameters)
    assert data.y.shape == (data.observations,)
    assert data.x.shape == ((data.observations, 6) if name == "Longley" else (data.observations,))
    assert data.x.dtype == data.y.dtype == np.float64
    assert len(data.estimates) == len(data.std_devs) == data.parameters
    assert all(math.isfinite(value) for value in (*data.estimates, *data.std_devs, data.residual_sd, data.r_squared))


def test_norris_polyfit_agrees_with_certified_line():
    """Norris lists y before x; a swap would fit x on y and miss B1 in the third digit."""
    data = load("Norris")
    slope, intercept = np.polyfit(data.x, data.y, 1)
    b0, b1 = data.estimates
    assert slope == pytest.approx(b1, rel=1e-9)
    assert intercept == pytest.approx(b0, rel=1e-9)


def test_values_keep_their_digits():
    data = load("Longley")
    assert data.estimates[0] == -3482258.63459582
    assert data.std_devs[2] == 0.334910077722432e-01
    assert data.r_squared == 0.995479004577296
    assert data.y[0] == 60323 and data.x[0].tolist() == [83.0, 234289, 2356, 1590, 107608, 1947]
    pontius = load("Pontius")
    assert (pontius.y[0], pontius.x[0]) == (0.11019, 150000)  # written ".11019"


def _design(data: Certified) -> list[list[Fraction]]:
    """The model's design matrix, exact: each float as parsed, its powers in rationals."""
    if data.model == "multiple":
        return [[Fraction(1), *map(Fraction, row)] for row in data.x.tolist()]
    first = 0 if data.intercept else 1
    return [[Fraction(x) ** k for k in range(first, data.degree + 1)] for x in data.x.tolist()]


def _inverse(matrix: list[list[Fraction]]) -> list[list[Fraction]]:
    """Gauss-Jordan in rationals: exact, however badly conditioned (Filip, Longley)."""
    n = len(matrix)
    rows = [[*row, *(Fraction(int(i == j)) for j in range(n))] for i, row in enumerate(matrix)]
    for i in range(n):
        pivot = next(r for r in range(i, n) if rows[r][i] != 0)
        rows[i], rows[pivot] = rows[pivot], rows[i]
        rows[i] = [value / rows[i][i] for value in rows[i]]
        for r in range(n):
            if r != i and rows[r][i] != 0:
                factor = rows[r][i]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[i])]
    return [row[n:] for row in rows]


@pytest.mark.parametrize("name", NAMES)
def test_exact_fit_of_the_parsed_data_reproduces_every_certified_value(name):
    """NIST certifies to 15 digits; the parsed floats, fitted without rounding, land within 1e-12."""
    data = load(name)
    X = _design(data)
    y = [Fraction(value) for value in data.y.tolist()]
    n, p = len(X), len(X[0])
    inverse = _inverse([[sum((row[i] * row[j] for row in X), Fraction(0)) for j in range(p)] for i in range(p)])
    Xty = [sum(row[i] * value for row, value in zip(X, y)) for i in range(p)]
    beta = [sum(inverse[i][j] * Xty[j] for j in range(p)) for i in range(p)]
    sse = sum((value - sum(a * b for a, b in zip(row, beta))) ** 2 for row, value in zip(X, y))
    mean = sum(y) / n if data.intercept else 0  # NIST's R-squared without B0 is about 0, not the mean
    sst = sum((value - mean) ** 2 for value in y)
    variance = sse / (n - p)

    scale = float(max(abs(value) for value in y))  # Wampler1 and 2 fit exactly: zero residual, zero deviations
    assert [float(b) for b in beta] == pytest.approx(data.estimates, rel=1e-12)
    assert math.sqrt(variance) == pytest.approx(data.residual_sd, rel=1e-12, abs=1e-12 * scale)
    assert [math.sqrt(variance * inverse[i][i]) for i in range(p)] == pytest.approx(data.std_devs, rel=1e-12, abs=1e-12 * scale)
    assert 1 - float(sse / sst) == pytest.approx(data.r_squared, rel=1e-12)


def test_unknown_name():
    with pytest.raises(ValueError, match="not a NIST"):
        load("Lanczos1")
