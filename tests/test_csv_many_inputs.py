"""load_csv with several x columns: the inputs of a multiple regression, read as one x is."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import torch

from gdtui.engine.data.csv_reader import CsvOptions, DataError, load_csv

CARS = """name,hp,wt,cyl,mpg
a,110,2.62,6,21.0
b,110,2.875,6,21.0
c,93,2.32,4,22.8
d,110,3.215,6,21.4
e,175,3.44,8,18.7
"""


def write(tmp_path: Path, text: str, name: str = "cars.csv") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def error(path, **arguments) -> str:
    """The message load_csv fails with: one line, the file named first."""
    with pytest.raises(DataError) as caught:
        load_csv(path, **arguments)
    message = str(caught.value)
    assert "\n" not in message and message.startswith(f"{path}: ")
    return message[len(f"{path}: ") :]


@pytest.mark.parametrize("x", [("hp", "wt", "cyl"), ["1", "2", "3"], ("hp", "2", "cyl")])
def test_three_columns_by_name_or_index(tmp_path, x):
    data, report = load_csv(write(tmp_path, CARS), x=x, y="mpg")
    assert data.x.dtype == torch.float32 and data.x.shape == (5, 3) and data.inputs == 3
    assert data.y.dtype == torch.float32 and data.y.shape == (5, 1)
    assert data.x_names == ("hp", "wt", "cyl") and data.x_name == "hp, wt, cyl" and data.y_name == "mpg"
    assert data.x[:, 0].tolist() == [110, 110, 93, 110, 175]
    assert data.x[:, 2].tolist() == [6, 6, 4, 6, 8]
    assert data.y.ravel().tolist() == pytest.approx([21.0, 21.0, 22.8, 21.4, 18.7])
    assert data.x_start is None and report.skipped == 0 and not report.lines()


def test_columns_in_the_order_given(tmp_path):
    data, _ = load_csv(write(tmp_path, CARS), x=("cyl", "hp"), y="mpg")
    assert data.x_names == ("cyl", "hp")
    assert data.x[:, 0].tolist() == [6, 6, 4, 6, 8] and data.x[:, 1].tolist() == [110, 110, 93, 110, 175]


def test_one_column_in_a_sequence_is_one_x(tmp_path):
    path = write(tmp_path, CARS)
    single, _ = load_csv(path, x="hp", y="mpg")
    listed, _ = load_csv(path, x=["hp"], y="mpg")
    assert listed.x_names == () and listed.x_name == "hp" and listed.x.shape == (5, 1)
    assert torch.equal(listed.x, single.x) and torch.equal(listed.y, single.y)
    assert listed.read is not None and single.read is not None
    assert listed.read[0].shape == (5,) and np.array_equal(listed.read[0], single.read[0])


def test_a_missing_value_in_any_x_skips_the_row(tmp_path):
    text = "hp,wt,mpg\n110,2.62,21\nNA,2.875,21\n93,,22.8\n123,3.215,21.4\n175,3.44,?\n"
    data, report = load_csv(write(tmp_path, text), x=("hp", "wt"), y="mpg")
    assert data.read is not None and data.read[0].tolist() == [[110, 2.62], [123, 3.215]]
    assert data.read[1].tolist() == [21, 21.4]
    assert report.skipped == 3 and report.missing == {"NA": 1, "": 1, "?": 1}
    assert report.lines() == ["skipped 3 rows with a missing value (1 'NA', 1 blank, 1 '?')"]


def test_a_word_in_the_second_x_names_its_column_and_line(tmp_path):
    text = "hp,wt,mpg\n110,2.62,21\n110,heavy,21\n93,lots,22.8\n"
    assert error(write(tmp_path, text), x=("hp", "wt"), y="mpg") == (
        "line 3: column 'wt' is not a number ('heavy'); --na 'heavy' if it marks a missing value"
    )


def test_a_date_among_several_x_is_refused_as_a_word(tmp_path):
    text = "day,hp,mpg\n2024-01-01,110,21\n2024-01-02,93,22.8\n2024-01-03,175,18.7\n"
    message = error(write(tmp_path, text), x=("day", "hp"), y="mpg")
    assert message == "line 2: column 'day' is not a number ('2024-01-01'); only a single x column can be dates"


def test_yyyymmdd_numbers_among_several_x_are_numbers(tmp_path):
    text = "date,hp,mpg\n20240101,110,21\n20240102,93,22.8\n20240301,175,18.7\n"
    data, report = load_csv(write(tmp_path, text), x=("date", "hp"), y="mpg")
    assert data.x_start is None and not report.notes
    assert data.read is not None and data.read[0][:, 0].tolist() == [20240101, 20240102, 20240301]


@pytest.mark.parametrize(
    ("x", "y", "message"),
    [
        (("hp", "wt", "hp"), "mpg", "column 'hp' given twice"),
        (("hp", "1"), "mpg", "column 'hp' given twice"),
        (("hp", "mpg"), "mpg", "column 'mpg' is y; it cannot also be an x"),
        (("hp", "wt"), None, "has 4 numeric columns (hp, wt, cyl, mpg): choose y with --y"),
    ],
)
def test_columns_that_cannot_be_inputs(tmp_path, x, y, message):
    path = write(tmp_path, CARS)
    with pytest.raises(DataError) as caught:
        load_csv(path, x=x, y=y)
    assert str(caught.value).startswith(str(path)) and str(caught.value).endswith(message)


def test_several_x_need_y_even_in_three_columns(tmp_path):
    path = write(tmp_path, "hp,wt,mpg\n110,2.62,21\n93,2.32,22.8\n")
    with pytest.raises(DataError, match=r"has 3 columns \(hp, wt, mpg\): choose y with --y$"):
        load_csv(path, x=("hp", "wt"))


def test_x_date_takes_one_x(tmp_path):
    path = write(tmp_path, CARS)
    assert error(path, x=("hp", "wt"), y="mpg", options=CsvOptions(x_date=True)) == "--x-date takes one x column"


def test_a_constant_x_column_is_named(tmp_path):
    text = "hp,wt,mpg\n110,2.62,21\n110,2.32,22.8\n110,3.44,18.7\n"
    message = error(write(tmp_path, text), x=("wt", "hp"), y="mpg")
    assert message == "every value of column 'hp' is 110: an x column needs at least two different values"


def test_out_of_range_in_any_x_is_refused(tmp_path):
    text = "hp,wt,mpg\n" + "".join(f"{k},{k * 1e16 if k == 4 else k},{k}\n" for k in range(10))
    message = error(write(tmp_path, text), x=("hp", "wt"), y="mpg")
    assert message.startswith("line 6: column 'wt' value 4e+16 is beyond ±1e+15")


def test_classes_with_two_x(tmp_path):
    text = "hp,wt,am\n110,2.62,manual\n93,2.32,auto\n175,,manual\n110,3.44,auto\n"
    data, report = load_csv(write(tmp_path, text), x=("hp", "wt"), y="am", classes=True)
    assert data.x.shape == (3, 2) and data.y.ravel().tolist() == [1.0, 0.0, 0.0]
    assert data.y_name == "am = manual" and data.x_names == ("hp", "wt")
    assert report.skipped == 1
    assert "column 'am': 'manual' is 1, 'auto' is 0 (--positive names the other)" in report.lines()


def test_read_holds_the_values_as_written(tmp_path):
    text = "a,b,c,y\n0.1,0.2,0.3,0.7\n1e-7,123456789.123,-118.2437,1.1\n3,4,5,6\n"
    data, _ = load_csv(write(tmp_path, text), x=("a", "b", "c"), y="y")
    assert data.read is not None
    xs, ys = data.read
    assert xs.dtype == np.float64 and xs.flags["C_CONTIGUOUS"] and xs.shape == (3, 3)
    assert xs.tolist() == [[0.1, 0.2, 0.3], [1e-7, 123456789.123, -118.2437], [3, 4, 5]]
    assert ys.dtype == np.float64 and ys.shape == (3,) and ys.tolist() == [0.7, 1.1, 6]
    assert data.x.numpy().tolist() == xs.astype(np.float32).tolist()
    columns_x, columns_y = data.columns()
    assert np.array_equal(columns_x, xs) and columns_y is ys


def test_decimal_comma_in_every_column(tmp_path):
    text = "a;b;y\n1,5;2,25;3\n2,5;1,75;4\n"
    data, _ = load_csv(write(tmp_path, text), x=("a", "b"), y="y")
    assert data.read is not None and data.read[0].tolist() == [[1.5, 2.25], [2.5, 1.75]]


def test_no_header_names_columns_by_index(tmp_path):
    text = "1,10,100,5\n2,20,300,6\n3,40,200,8\n"
    data, _ = load_csv(write(tmp_path, text), x=("0", "2", "1"), y="3")
    assert data.x_names == ("column 0", "column 2", "column 1")
    assert data.x_name == "column 0, column 2, column 1" and data.y_name == "column 3"
    assert data.x[:, 1].tolist() == [100, 300, 200]


def test_longley_as_pandas_reads_it():
    """statsmodels' Longley data: employment against six economic series, a classic test of
    least squares (the columns are nearly collinear)."""
    import statsmodels.datasets.longley as longley

    path = os.path.join(os.path.dirname(longley.__file__), "longley.csv")
    x = ("GNPDEFL", "GNP", "UNEMP", "ARMED", "POP", "YEAR")
    data, report = load_csv(path, x=x, y="TOTEMP")
    frame = pd.read_csv(path)
    assert data.x_names == x and data.y_name == "TOTEMP" and data.source == "longley.csv"
    assert report.skipped == 0 and len(data) == len(frame) == 16
    assert data.read is not None
    xs, ys = data.read
    assert np.array_equal(xs, frame[list(x)].to_numpy(np.float64))
    assert np.array_equal(ys, frame["TOTEMP"].to_numpy(np.float64))
    assert torch.equal(data.x, torch.from_numpy(frame[list(x)].to_numpy(np.float32)))
    assert data.x_start is None  # YEAR among several x is a number, not a date
