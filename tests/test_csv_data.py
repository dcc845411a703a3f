"""load_csv: the files it reads, the rows it skips, and the one-line errors for everything else."""

from __future__ import annotations

import os
from itertools import islice
from pathlib import Path

import numpy as np
import pytest
import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st

import gdtui.engine.data.csv_bytes as csv_file
from gdtui.engine.data.csv_reader import DataError, load_csv
from gdtui.engine.data.dataset import least_squares
from gdtui.engine.training.trainer import Hyper, Trainer


def write(tmp_path: Path, text: str | bytes, name: str = "data.csv") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text)
    return path


def points(data) -> list[tuple[float, float]]:
    xs, ys = data.numpy()
    return list(zip(xs.tolist(), ys.tolist()))


def error(path, **columns) -> str:
    """The message load_csv fails with; every one must be a single line naming the file."""
    with pytest.raises(DataError) as caught:
        load_csv(path, **columns)
    message = str(caught.value)
    assert "\n" not in message and "\r" not in message
    assert os.path.basename(path) in message
    return message


# --- files it reads ------------------------------------------------------------------------------


def test_two_columns_without_header(tmp_path):
    data, report = load_csv(write(tmp_path, "0,1\n1,3\n2,5\n"))
    assert points(data) == [(0, 1), (1, 3), (2, 5)]
    assert report.skipped == 0


def test_two_columns_with_header(tmp_path):
    data, report = load_csv(write(tmp_path, "x,y\n0,1\n1,3\n2,5\n"))
    assert points(data) == [(0, 1), (1, 3), (2, 5)]
    assert report.skipped == 0


def test_dataset_shape_and_dtype(tmp_path):
    data, _ = load_csv(write(tmp_path, "x,y\n0,1\n1,3\n"))
    assert data.x.shape == data.y.shape == (2, 1)
    assert data.x.dtype == data.y.dtype == torch.float32
    assert data.true_w is None and data.true_b is None
    assert len(data) == 2


def test_generated_file_round_trips(tmp_path):
    rng = np.random.default_rng(1)
    x = rng.uniform(-5, 5, 1000)
    y = -1.5 * x + 2 + rng.normal(0, 0.3, 1000)
    lines = ["x,y"] + [f"{a!r},{b!r}" for a, b in zip(x.tolist(), y.tolist())]
    data, report = load_csv(write(tmp_path, "\n".join(lines) + "\n"))
    assert report.skipped == 0
    np.testing.assert_array_equal(data.x.numpy().ravel(), x.astype(np.float32))
    np.testing.assert_array_equal(data.y.numpy().ravel(), y.astype(np.float32))


def test_more_than_two_columns_of_numbers_need_x_and_y(tmp_path):
    path = write(tmp_path, "area_m2,rooms,price_eur,year\n50,2,100000,1990\n80,3,210000,2004\n", "houses.csv")
    assert error(path) == f"{path} has 4 columns (area_m2, rooms, price_eur, year): choose with --x and --y"
    assert error(path, y="price_eur").endswith(": choose x with --x")
    assert error(path, x="area_m2").endswith(": choose y with --y")
    assert points(load_csv(path, x="area_m2", y="price_eur")[0]) == [(50, 100000), (80, 210000)]


def test_more_than_two_columns_without_header_are_named_by_index(tmp_path):
    message = error(write(tmp_path, "1,2,3\n4,5,6\n"))
    assert message.endswith("has 3 columns (0, 1, 2): choose with --x and --y (no header row: by 0-based index)")


def test_only_the_columns_of_numbers_are_listed_and_counted(tmp_path):
    path = write(tmp_path, "city,a,b,c,note\nOslo,1,2,3,x\nRome,4,5,6,y\n")
    assert error(path).endswith("has 3 numeric columns (a, b, c): choose with --x and --y")
    # Two columns of numbers beside text are x and y, as a two-column file's are.
    assert points(load_csv(write(tmp_path, "city,x,y,note\nOslo,1,2,a\nRome,4,5,b\n"))[0]) == [(1, 2), (4, 5)]


def test_wide_file_by_name(tmp_path):
    data, _ = load_csv(write(tmp_path, "a,b,c\n1,2,3\n4,5,6\n"), x="c", y="a")
    assert points(data) == [(3, 1), (6, 4)]


def test_wide_file_by_index(tmp_path):
    data, _ = load_csv(write(tmp_path, "a,b,c\n1,2,3\n4,5,6\n"), x="2", y="1")
    assert points(data) == [(3, 2), (6, 5)]


def test_wide_file_by_index_without_header(tmp_path):
    data, _ = load_csv(write(tmp_path, "1,2,3\n4,5,6\n"), x="2", y="0")
    assert points(data) == [(3, 1), (6, 4)]


def test_digit_header_name_wins_over_index(tmp_path):
    # "2020" names a column here, so it is not index 2020.
    data, _ = load_csv(write(tmp_path, "year,2020,2021\n1,2,3\n4,5,6\n"), x="2021", y="2020")
    assert points(data) == [(3, 2), (6, 5)]


def test_text_column_elsewhere_is_not_a_header(tmp_path):
    # Only the used columns decide: the first row here is data, with a label beside it.
    data, _ = load_csv(write(tmp_path, "1,2,cat\n3,4,dog\n"))
    assert points(data) == [(1, 2), (3, 4)]


def test_other_delimiters_blank_lines_crlf_quotes_and_bom(tmp_path):
    expected = [(1, 2), (3, 4)]
    assert points(load_csv(write(tmp_path, "x;y\n1;2\n3;4\n"))[0]) == expected
    assert points(load_csv(write(tmp_path, "x\ty\n1\t2\n3\t4\n"))[0]) == expected
    assert points(load_csv(write(tmp_path, "x y\n 1   2\n3 4\n"))[0]) == expected
    assert points(load_csv(write(tmp_path, "\n\nx,y\r\n1,2\r\n\r\n3,4\r\n"))[0]) == expected
    assert points(load_csv(write(tmp_path, '"x","y"\n"1","2"\n3, 4\n'))[0]) == expected
    assert points(load_csv(write(tmp_path, "\ufeffx,y\n1,2\n3,4\n".encode()))[0]) == expected


def test_missing_and_nan_rows_are_skipped_and_counted(tmp_path):
    text = "x,y\n0,1\n1,\n,2\nnan,3\n5\n1,3\n2,5\n"
    data, report = load_csv(write(tmp_path, text))
    assert points(data) == [(0, 1), (1, 3), (2, 5)]
    assert report.skipped == 4
    assert report.missing == {"": 3, "nan": 1}


def test_missing_values_across_many_blocks(tmp_path):
    # Empty fields (filled in at C speed), short rows and blank lines (the Python pass), many blocks.
    lines, expected = ["x,y"], []
    for k in range(35_000):
        if k % 7 == 0:
            lines.append(("1,", ",2", ",", "3", "", "4,,")[k % 6])
        else:
            lines.append(f"{k},{-k}")
            expected.append((k, -k))
    data, report = load_csv(write(tmp_path, "\n".join(lines)))
    assert points(data) == expected
    assert report.skipped == sum(1 for k in range(0, 35_000, 7) if k % 6 != 4)  # "" is a blank line


def test_old_mac_line_ends(tmp_path):
    assert points(load_csv(write(tmp_path, b"x,y\r1,2\r3,4\r"))[0]) == [(1, 2), (3, 4)]


def test_only_used_columns_are_checked(tmp_path):
    data, report = load_csv(write(tmp_path, "x,y,z\n0,1,\n1,3,nan\n"))
    assert points(data) == [(0, 1), (1, 3)]
    assert report.skipped == 0


def test_a_million_rows(tmp_path):
    x = np.arange(1_000_000, dtype=np.float64) / 1_000_000
    text = "x,y\n" + "\n".join(f"{a},{2 * a + 1}" for a in x.tolist()) + "\n"
    data, report = load_csv(write(tmp_path, text))
    assert len(data) == 1_000_000 and report.skipped == 0
    assert data.x[-1].item() == pytest.approx(0.999999)
    assert data.y[-1].item() == pytest.approx(2.999998)


def test_training_on_loaded_data_reaches_least_squares(tmp_path):
    rng = np.random.default_rng(7)
    x = rng.uniform(0, 1, 200)
    y = 1.7 * x - 0.4 + rng.normal(0, 0.2, 200)
    lines = [f"{a},{b}" for a, b in zip(x.tolist(), y.tolist())]
    data, _ = load_csv(write(tmp_path, "\n".join(lines)))
    trainer = Trainer(data, Hyper(lr=0.5), w0=0.0)
    last = list(islice(trainer.run(), 4000))[-1]
    w_star, b_star = least_squares(data)
    assert not last.diverged
    assert last.w == pytest.approx(w_star, abs=1e-3)
    assert last.b == pytest.approx(b_star, abs=1e-3)


# --- one-line errors -----------------------------------------------------------------------------


def test_no_such_file(tmp_path):
    assert error(tmp_path / "data.csv") == f"{tmp_path / 'data.csv'}: no such file"


def test_directory(tmp_path):
    (tmp_path / "data.csv").mkdir()
    assert error(tmp_path / "data.csv").endswith(": is a directory")


def test_permission_denied(tmp_path, monkeypatch):
    path = write(tmp_path, "x,y\n1,2\n3,4\n")
    path.chmod(0)
    if os.access(path, os.R_OK):  # root reads anything: make the read fail as it would for others
        def denied(name, flags):
            raise PermissionError(13, "Permission denied", str(name))

        monkeypatch.setattr(csv_file.os, "open", denied)
    assert error(path).endswith(": permission denied")


@pytest.mark.parametrize("text", ["", "\n\n", "  \n\t\n"])
def test_empty_file(tmp_path, text):
    assert error(write(tmp_path, text)).endswith(": empty file")


def test_header_but_no_rows(tmp_path):
    assert error(write(tmp_path, "x,y\n\n")).endswith(": header but no rows")


def test_one_column(tmp_path):
    assert error(write(tmp_path, "y\n1\n2\n3\n")).endswith(": only one column; need x and y")


def test_non_numeric_names_line_and_column(tmp_path):
    message = error(write(tmp_path, "x,y\n1,2\n\n3,abc\n5,6\n"))
    assert ": line 4: column 'y' is not a number ('abc')" in message


def test_non_numeric_without_header(tmp_path):
    message = error(write(tmp_path, "1,2\n3,4\nfoo,6\n"))
    assert ": line 3: column 0 is not a number ('foo')" in message


def test_non_numeric_in_a_big_file_names_the_line(tmp_path):
    lines = ["x,y"] + [f"{k},{k}" for k in range(50_000)]
    lines[40_000] = "1,2 3"
    assert ": line 40001: column 'y' is not a number ('2 3')" in error(write(tmp_path, "\n".join(lines)))


@pytest.mark.parametrize(
    "content", [b"x,y\n1,2\n\x00\x01\x02\n", b"\x89PNG\r\n\x1a\n\xff\xfe\x00"]
)
def test_binary_content(tmp_path, content):
    assert ": not a text CSV file (binary content" in error(write(tmp_path, content))


def test_fewer_than_two_usable_points(tmp_path):
    message = error(write(tmp_path, "x,y\n1,2\n3,nan\n,4\n"))
    assert message.endswith(": fewer than 2 usable points (3 rows, 2 skipped with missing values)")
    assert error(write(tmp_path, "1,2\n")).endswith(": fewer than 2 usable points (1 row)")


def test_unknown_column_name(tmp_path):
    message = error(write(tmp_path, "a,b,c\n1,2,3\n4,5,6\n"), y="foo")
    assert message.endswith(": no column 'foo' (columns: a, b, c)")


def test_column_name_without_header(tmp_path):
    message = error(write(tmp_path, "1,2,3\n4,5,6\n"), x="a")
    assert message.endswith(": no column 'a' (no header row; give a 0-based column index)")


def test_index_out_of_range(tmp_path):
    message = error(write(tmp_path, "a,b,c\n1,2,3\n4,5,6\n"), x="5")
    assert message.endswith(": column 5 out of range (3 columns)")


def test_a_huge_column_index_is_out_of_range(tmp_path):
    message = error(write(tmp_path, "a,b,c\n1,2,3\n4,5,6\n"), x="9" * 5000)
    assert message.endswith(": column 999999999999999999999999999... out of range (3 columns)")


def test_odd_file_name_keeps_the_message_on_one_line(tmp_path):
    with pytest.raises(DataError, match=r"da\\nta\.csv': no such file$") as caught:
        load_csv(tmp_path / "da\nta.csv")
    assert "\n" not in str(caught.value)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200) | st.text(alphabet="0123456789.,;\t \n-+eExyna\"'", max_size=200))
# Files that load: the random ones almost never do.
@example("x,y\n1,2\nna,3\n4,\n\n5,6\n")
@example(b"1;2\r\n3;nan\r\n4;5\r\n")
def test_any_content_loads_or_raises_data_error(tmp_path_factory, content):
    path = tmp_path_factory.mktemp("fuzz") / "data.csv"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    try:
        data, report = load_csv(path)
    except DataError as e:
        assert "\n" not in str(e) and "data.csv" in str(e)
    else:
        # Each skipped row is told by how its value was written, and takes a line of its own.
        text = content.decode("utf-8", "replace") if isinstance(content, bytes) else content
        assert len(data) >= 2 and report.skipped == sum(report.missing.values())
        assert len(data) + report.skipped <= len([line for line in text.splitlines() if line.strip()])
        assert torch.isfinite(data.x).all() and torch.isfinite(data.y).all()


@pytest.mark.parametrize(
    "content, message",
    [
        ("x,y\n2,1\n2,3\n2,5\n", "two different x values"),
        ("x,y\n1,1e17\n2,3e17\n3,5e17\n", r"line 2: column 'y' value 1e\+17 is beyond .*; rescale the column"),
    ],
)
def test_data_that_cannot_be_fitted_in_float32_is_refused(tmp_path, content, message):
    path = tmp_path / "odd.csv"
    path.write_text(content)
    with pytest.raises(DataError, match=message) as error:
        load_csv(path)
    assert "odd.csv" in str(error.value)
