"""NIST's Statistical Reference Datasets for linear least squares, read from tests/data/nist/.

Each `.dat` file is NIST's own: a header that describes the data and the model, the certified
regression statistics, then the data. `load(name)` reads one of them into a `Certified`, taking
every number from the file's text with `float`, so the certified values keep all their digits.
The header's own words decide the rest: where the certified block and the data lie (its "File
Format" line numbers), how many observations and parameters there are, the column order of the
data (its "Data:" line, `y` first in every file), and the model (a line, a polynomial of some
degree, a line through the origin, or Longley's six predictors).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parent / "data" / "nist"

NAMES: tuple[str, ...] = (
    "Norris",
    "Pontius",
    "NoInt1",
    "NoInt2",
    "Filip",
    "Longley",
    "Wampler1",
    "Wampler2",
    "Wampler3",
    "Wampler4",
    "Wampler5",
)


@dataclass(frozen=True)
class Certified:
    """One NIST data set and its certified least-squares fit."""

    name: str
    x: np.ndarray  # [n] for one predictor; Longley: [n, 6], columns x1..x6
    y: np.ndarray  # [n]
    model: str  # "line", "polynomial", "no-intercept line" or "multiple"
    degree: int  # the polynomial's degree; 1 for the others
    intercept: bool  # False where the model has no B0 (NoInt1, NoInt2)
    estimates: tuple[float, ...]  # B0, B1, ... (B1 alone without an intercept), in the file's order
    std_devs: tuple[float, ...]  # the certified standard deviation of each estimate
    residual_sd: float
    r_squared: float
    observations: int  # as the header states it
    parameters: int  # as the header states it


def _number(text: str) -> float:
    return float(text)  # NIST writes 0.429796848199937E-03 and .11019: both are Python literals


def _search(pattern: str, text: str, name: str) -> re.Match[str]:
    found = re.search(pattern, text, flags=re.MULTILINE)
    if found is None:
        raise ValueError(f"{name}.dat: no match for {pattern!r}")
    return found


def _block(lines: list[str], first: int, last: int) -> list[str]:
    """Lines `first` to `last` of the file, counted from 1 as the header counts them."""
    return lines[first - 1 : last]


def load(name: str) -> Certified:
    """Read `tests/data/nist/NAME.dat`: the data, the model and NIST's certified values."""
    if name not in NAMES:
        raise ValueError(f"not a NIST linear regression data set: {name!r} (one of {', '.join(NAMES)})")
    text = (DATA / f"{name}.dat").read_text(encoding="ascii")
    lines = text.splitlines()

    certified_at = _search(r"Certified Values[ \t]+\(lines (\d+) to (\d+)\)", text, name)
    data_at = _search(r"^[ \t]*Data[ \t]+\(lines (\d+) to (\d+)\)", text, name)
    observations = int(_search(r"^[ \t]*(\d+) Observations[ \t]*$", text, name).group(1))
    predictors = int(_search(r"(\d+) Predictor Variables?", text, name).group(1))
    model_class = _search(r"^Model:[ \t]+(\w+) Class[ \t]*$", text, name).group(1)
    parameters_at = _search(r"^[ \t]*(\d+) Parameters? \((B\d+)[,)]", text, name)
    parameters = int(parameters_at.group(1))
    intercept = parameters_at.group(2) == "B0"

    certified = _block(lines, int(certified_at.group(1)), int(certified_at.group(2)))
    rows = [re.fullmatch(r"\s*B(\d+)\s+(\S+)\s+(\S+)\s*", line) for line in certified]
    terms = [row for row in rows if row is not None]
    indices = [int(term.group(1)) for term in terms]
    if indices != list(range(0 if intercept else 1, len(terms) + (0 if intercept else 1))):
        raise ValueError(f"{name}.dat: parameters B{indices} out of order")
    block = "\n".join(certified)
    residual_sd = _number(_search(r"^[ \t]*Standard Deviation[ \t]+(\S+)[ \t]*$", block, name).group(1))
    r_squared = _number(_search(r"^[ \t]*R-Squared[ \t]+(\S+)[ \t]*$", block, name).group(1))

    first, last = int(data_at.group(1)), int(data_at.group(2))
    columns = lines[first - 2].split()  # the line above the data: "Data:  y  x" (Longley: y x1 ... x6)
    if columns[0] != "Data:":
        raise ValueError(f"{name}.dat: line {first - 1} does not name the data's columns")
    columns = columns[1:]
    table = np.array([[_number(value) for value in line.split()] for line in _block(lines, first, last)], dtype=np.float64)
    if table.shape[1] != len(columns):
        raise ValueError(f"{name}.dat: {table.shape[1]} values a row, {len(columns)} column names")
    y = table[:, columns.index("y")]
    if predictors == 1:
        x = table[:, columns.index("x")]
    else:
        x = table[:, [columns.index(f"x{k}") for k in range(1, predictors + 1)]]

    if predictors > 1:
        model, degree = "multiple", 1
    elif not intercept:
        model, degree = "no-intercept line", 1
    elif model_class == "Linear":
        model, degree = "line", 1
    else:  # "Quadratic Class" (Pontius) or "Polynomial Class": B0 + B1*x + ... + Bd*(x**d)
        model, degree = "polynomial", parameters - 1
        powers = [int(power) for power in re.findall(r"x\*\*(\d+)", _search(r"^[ \t]*y = .*$", text, name).group(0))]
        if max(powers) != degree:
            raise ValueError(f"{name}.dat: {parameters} parameters but the model's highest power is {max(powers)}")

    return Certified(
        name=name,
        x=x,
        y=y,
        model=model,
        degree=degree,
        intercept=intercept,
        estimates=tuple(_number(term.group(2)) for term in terms),
        std_devs=tuple(_number(term.group(3)) for term in terms),
        residual_sd=residual_sd,
        r_squared=r_squared,
        observations=observations,
        parameters=parameters,
    )
