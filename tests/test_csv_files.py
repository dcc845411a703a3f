"""Real files and the ways spreadsheets, R and European locales write them: each loads with the
least-squares line pandas + numpy.polyfit give on the same rows, or is refused in one line that
names the file, the line and the value."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import gdtui.engine.data.csv_bytes as csv_file
from gdtui.engine.data.csv_reader import CsvOptions, DataError, load_csv
from gdtui.engine.data.dataset import least_squares

DATA = Path(__file__).parent / "data"


def reference(x, y) -> tuple[float, float]:
    """numpy.polyfit's line through these values as pandas read them (float64)."""
    w, b = np.polyfit(np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64), 1)
    return w, b


def assert_fit(data, x, y) -> None:
    keep = ~(pd.isna(x) | pd.isna(y))
    x, y = np.asarray(x)[keep], np.asarray(y)[keep]
    assert len(data) == len(x)
    w, b = least_squares(data)
    rw, rb = reference(x, y)
    assert w == pytest.approx(rw, rel=1e-6, abs=1e-9)
    assert b == pytest.approx(rb, rel=1e-6, abs=1e-9)


def refused(path, **kwargs) -> str:
    with pytest.raises(DataError) as caught:
        load_csv(path, **kwargs)
    message = str(caught.value)
    assert "\n" not in message and os.path.basename(path) in message
    return message


def write(tmp_path: Path, content: str | bytes, name: str = "data.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return path


# --- real files ----------------------------------------------------------------------------------


def test_names_in_single_quotes_are_the_names_without_them():
    path = DATA / "spector.csv"
    data, _ = load_csv(path, x="GPA", y="TUCE")
    assert (data.x_name, data.y_name) == ("GPA", "TUCE")
    ref = pd.read_csv(path, sep=" ", quotechar="'")
    assert_fit(data, ref.GPA, ref.TUCE)
    assert refused(path, x="gpa", y="TUCE").endswith("no column 'gpa' (columns: OBS, GPA, TUCE, PSI, GRADE)")


def test_penguins_na_rows_are_skipped_and_counted():
    path = DATA / "penguins.csv"
    data, report = load_csv(path, x="bill_length_mm", y="body_mass_g")
    ref = pd.read_csv(path)
    assert_fit(data, ref.bill_length_mm, ref.body_mass_g)
    assert report.missing == {"NA": 1}
    assert "skipped 1 row with a missing value (1 'NA')" in report.lines()
    assert (data.source, data.x_name, data.y_name) == ("penguins.csv", "bill_length_mm", "body_mass_g")


def test_penguins_without_x_and_y_lists_its_columns_of_numbers():
    message = refused(DATA / "penguins.csv")
    assert message.endswith(
        "penguins.csv has 5 numeric columns (bill_length_mm, bill_depth_mm, flipper_length_mm, body_mass_g, year):"
        " choose with --x and --y"
    )


def test_a_text_column_chosen_is_refused_with_a_hint():
    message = refused(DATA / "penguins.csv", x="species", y="year")
    assert message.endswith("line 2: column 'species' is not a number ('Adelie'); --x and --y choose other columns")


def test_iris_metadata_line_is_not_a_data_point():
    path = DATA / "iris.csv"
    data, report = load_csv(path, x="0", y="1")
    ref = pd.read_csv(path, skiprows=1, header=None)
    assert_fit(data, ref[0], ref[1])
    assert report.notes == ["line 1 read as column names (150, 4, setosa, versicolor, virginica)"]


def test_co2_yyyymmdd_dates_become_years():
    path = DATA / "co2.csv"
    data, report = load_csv(path)
    ref = pd.read_csv(path)
    when = pd.to_datetime(ref.date.astype(str), format="%Y%m%d")
    years = (when - when.min()).dt.total_seconds() / (86400 * 365.2425)
    assert_fit(data, years, ref.co2)
    assert data.x_start is not None and data.x_start.date().isoformat() == "1958-03-29"
    assert "x is years since 1958-03-29" in report.notes[0]
    assert report.missing == {"": 5}


def test_seattle_weather_text_dates():
    path = DATA / "seattle-weather.csv"
    data, _ = load_csv(path, x="date", y="temp_max")
    ref = pd.read_csv(path, parse_dates=["date"])
    years = (ref.date - ref.date.min()).dt.total_seconds() / (86400 * 365.2425)
    assert_fit(data, years, ref.temp_max)


@pytest.mark.parametrize("name, sep", [("scotvote.csv", r"\s+"), ("dietox.csv", ",")])
def test_r_row_names_are_not_data(name, sep):
    path = DATA / name
    ref = pd.read_csv(path, sep=sep)  # pandas reads the short header as R means it too
    # Neither counted nor offered as a column to choose:
    assert f"has {len(ref.columns)} columns ({ref.columns[0]}, {ref.columns[1]}, " in refused(path)
    data, report = load_csv(path, x=ref.columns[0], y=ref.columns[1])
    assert_fit(data, ref.iloc[:, 0], ref.iloc[:, 1])
    assert data.x_name == ref.columns[0]
    assert "column 0 read as row names" in report.notes[0]


# --- the ways files are written ------------------------------------------------------------------


@pytest.mark.parametrize("marker", ["NA", "N/A", "#N/A", "NaN", "null", "None", "?", "", "#DIV/0!"])
def test_missing_markers_are_skipped_by_name(tmp_path, marker):
    data, report = load_csv(write(tmp_path, f"x,y\n1,2\n2,{marker}\n3,5\n4,7\n"))
    assert_fit(data, [1, 3, 4], [2, 5, 7])
    assert report.missing == {marker: 1}


def test_more_markers_with_na_option(tmp_path):
    path = write(tmp_path, "x,y\n1,2\n2,missing\n3,-999\n4,5\n5,8\n")
    assert "--na 'missing' if it marks a missing value" in refused(path)
    data, report = load_csv(path, options=CsvOptions(na=("missing", "-999.0")))
    assert_fit(data, [1, 4, 5], [2, 5, 8])
    assert report.missing == {"missing": 1, "-999.0": 1}


def test_excel_european_semicolons_decimal_commas_cp1252_crlf(tmp_path):
    text = "Temperatur (°C);Verbrauch\r\n1,5;39,1\r\n2,5;40,25\r\n-3;41\r\n#N/A;2\r\n"
    data, report = load_csv(write(tmp_path, text.encode("cp1252")))
    assert_fit(data, [1.5, 2.5, -3], [39.1, 40.25, 41])
    assert data.x_name == "Temperatur (°C)"
    assert report.notes[0].startswith("not UTF-8 (line 1): read as cp1252")
    assert any("',' read as the decimal mark" in note for note in report.notes)


def test_decimal_option_overrides_detection(tmp_path):
    path = write(tmp_path, "a;b\n1;2\n2;3,5\n4;4\n")
    data, _ = load_csv(path, options=CsvOptions(decimal=","))
    assert_fit(data, [1, 2, 4], [2, 3.5, 4])
    assert "--decimal , reads ',' as the decimal mark" in refused(path, options=CsvOptions(decimal="."))


def test_quoted_thousands_separators(tmp_path):
    path = write(tmp_path, 'year,sales\n2001,"5,850"\n2002,"6,001.5"\n2003,712\n')
    data, report = load_csv(path)
    assert_fit(data, [2001, 2002, 2003], [5850, 6001.5, 712])
    assert any("thousands separator" in note for note in report.notes)
    message = refused(path, options=CsvOptions(thousands=""))
    assert "line 2: column 'sales' is not a number ('5,850'); --thousands , reads" in message


def test_utf16_with_bom_as_excel_unicode_text(tmp_path):
    text = "x\ty\r\n1\t2\r\n2\t4,5\r\n3\t7\r\n"
    data, _ = load_csv(write(tmp_path, text.encode("utf-16")))  # BOM, little-endian: Excel's
    assert_fit(data, [1, 2, 3], [2, 4.5, 7])


def test_utf8_bom_and_encoding_option(tmp_path):
    assert len(load_csv(write(tmp_path, "\ufeffx,y\n1,2\n3,4\n".encode()))[0]) == 2
    path = write(tmp_path, "x,y\n1,2\n3,4\n".encode("utf-16-le"))
    data, report = load_csv(path, options=CsvOptions(encoding="utf-16-le"))
    assert len(data) == 2 and report.notes == ["read as utf-16-le"]


def test_line_break_inside_a_quoted_cell(tmp_path):
    path = write(tmp_path, 'x,y,note\r\n1,2,"two\r\nlines"\r\n2,4,plain\r\n3,abc,x\r\n')
    assert "line 5: column 'y' is not a number ('abc')" in refused(path)
    data, _ = load_csv(write(tmp_path, 'x,y,note\n1,2,"two\nlines"\n2,4,plain\n3,7,x\n'))
    assert_fit(data, [1, 2, 3], [2, 4, 7])


def test_unclosed_quote_names_its_line(tmp_path):
    assert refused(write(tmp_path, 'x,y\n1,2\n3,"4\n5,6\n')).endswith("line 3: a quote opened here is never closed")


@pytest.mark.parametrize("dates", [["2012/01/01", "2012/07/01", "2013/01/01"], ["Jan 1 2000", "Jul 1 2000", "Jan 1 2001"]])
def test_text_dates_as_x(tmp_path, dates):
    data, report = load_csv(write(tmp_path, "when,v\n" + "".join(f"{d},{k}\n" for k, d in enumerate(dates))))
    when = pd.to_datetime(pd.Series(dates))
    assert_fit(data, (when - when.min()).dt.total_seconds() / (86400 * 365.2425), [0, 1, 2])
    assert data.x.numpy().ravel()[-1] == pytest.approx(1.0, abs=0.01)
    assert "read as dates" in report.notes[0]


def test_yyyymmdd_needs_a_name_or_x_date(tmp_path):
    path = write(tmp_path, "id,v\n20120101,1\n20130101,2\n20140101,4\n")
    data, _ = load_csv(path)
    assert data.x_start is None and data.x.numpy().ravel()[0] == 20120101
    data, _ = load_csv(path, options=CsvOptions(x_date=True))
    assert data.x_start is not None and data.x.numpy().ravel()[-1] == pytest.approx(2.0, abs=0.01)
    bad = write(tmp_path, "id,v\n20120101,1\n20131301,2\n")
    assert "line 3: column 'id' is not a date like the rows before ('20131301')" in refused(bad, options=CsvOptions(x_date=True))


@pytest.mark.parametrize("value", ["1e20", "1e30", "1e308", "1e309", "inf", "-1e39"])
def test_values_beyond_float32_training_are_refused_the_same_way(tmp_path, value):
    rows = "".join(f"{k},{k * 2}\n" for k in range(20))
    path = write(tmp_path, f"x,y\n{rows}20,{value}\n")
    message = refused(path)
    assert "line 22: column 'y' value " in message and "more than float32 training can hold" in message
    assert "if it marks missing values (1 row), --na " in message  # one odd value: a fill value
    na = message.rsplit("--na ", 1)[1]
    data, report = load_csv(path, options=CsvOptions(na=(na,)))
    assert len(data) == 20 and report.skipped == 1


def test_a_column_of_huge_values_is_a_scale_problem(tmp_path):
    path = write(tmp_path, "x,y\n1,1e20\n2,3e20\n3,4e20\n")
    assert refused(path).endswith(
        "line 2: column 'y' value 1e+20 is beyond ±1e+15, more than float32 training can hold;"
        " rescale the column (divide it by 1e17)"
    )


def test_header_with_numbers_is_still_read_as_names_when_the_rows_say_so(tmp_path):
    data, report = load_csv(write(tmp_path, "year,2020,2021\n1,2,3\n4,5,6\n"), x="year", y="2020")
    assert (data.x_name, data.y_name) == ("year", "2020")
    assert report.notes == ["line 1 read as column names (year, 2020, 2021)"]


# --- files that are not files --------------------------------------------------------------------


def test_fifo_without_a_writer_is_refused_at_once(tmp_path):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    assert refused(fifo).endswith(": not a regular file (a pipe)")


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_devices_are_refused_unread(device):
    with pytest.raises(DataError, match=r": not a regular file \(a device\)$"):
        load_csv(device)


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path, monkeypatch):
    monkeypatch.setattr(csv_file, "MAX_BYTES", 100)
    path = write(tmp_path, "x,y\n" + "1,2\n" * 50)
    assert "GiB is more than gdtui reads" in refused(path)


def test_a_one_line_file_too_long_for_a_table_is_refused_after_its_first_part(tmp_path, monkeypatch):
    monkeypatch.setattr(csv_file, "MAX_LINE", 1000)
    reads = []
    real_read = csv_file.os.fdopen

    def counting(fd, mode):
        file = real_read(fd, mode)
        original = file.read

        def read(n=-1):
            reads.append(n)
            return original(n)

        file.read = read
        return file

    monkeypatch.setattr(csv_file.os, "fdopen", counting)
    path = write(tmp_path, ",".join(["1.5"] * 100_000))
    assert "line 1 is over" in refused(path) and "long: not a table of columns" in refused(path)
    assert reads and all(0 < n <= 1001 for n in reads)  # never the whole file
