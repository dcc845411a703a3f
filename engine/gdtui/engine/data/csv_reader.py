"""Points (x, y) from a CSV file: a Dataset to learn from, or one line that says what is wrong.

    data, report = load_csv("data.csv")                  # 2 columns of numbers, x then y
    data, report = load_csv("wide.csv", x="age", y="2")  # by header name or 0-based index
    data, report = load_csv("de.csv", options=CsvOptions(na=("k.A.",)))

pandas' C reader parses the file (about 0.1 s per million clean rows). What pandas cannot know is
decided from the first rows (csv_layout: delimiter, decimal mark, header); missing values are
skipped and counted by how they were written; anything refused is named by its line.
"""

from __future__ import annotations

import csv
import io
import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import torch

from gdtui.engine.data import dates
from gdtui.engine.data.csv_bytes import read_utf8
from gdtui.engine.data.csv_layout import COMMA_GROUPS, DATE, DECIMAL_COMMA, SAMPLE_BYTES, SHOWN, sniff
from gdtui.engine.data.dataset import Dataset
from gdtui.engine.data.labels import check_labels
from gdtui.engine.data.missing import MISSING

# Squared errors of values above this overflow float32 (about 3.4e38) at the first step.
VALUE_LIMIT = 1e15


class DataError(ValueError):
    """A file gdtui cannot learn from; str() is one line for the user that names the file."""


@dataclass(frozen=True)
class CsvOptions:
    """What the user said about the file; None: detect it."""

    na: tuple[str, ...] = ()  # more missing-value markers
    sep: str | None = None  # " ": runs of spaces and tabs
    decimal: str | None = None
    thousands: str | None = None  # "": none
    encoding: str | None = None
    x_date: bool = False  # x holds dates (YYYYMMDD numbers or date text)


@dataclass
class Report:
    """What the reader decided and skipped, as notes for the user."""

    skipped: int = 0
    missing: Counter = field(default_factory=Counter)  # skipped rows by how the value was written
    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        if not self.skipped:
            return list(self.notes)
        ways = ", ".join(f"{n:,} {repr(how) if how else 'blank'}" for how, n in self.missing.most_common())
        rows = "row" if self.skipped == 1 else "rows"
        return [*self.notes, f"skipped {self.skipped:,} {rows} with a missing value ({ways})"]


def load_csv(
    path: str | os.PathLike,
    x: str | Sequence[str] | None = None,
    y: str | None = None,
    options: CsvOptions = CsvOptions(),
    classes: bool = False,
    positive: str | None = None,
) -> tuple[Dataset, Report]:
    """Load columns `x` and `y` of `path` (names or 0-based indices). Left out, they are the file's
    two columns of numbers; with more than two, x and y must both be given. `x` may name several
    columns, the inputs of a multiple regression: y must then be given too, and only a single x
    is read as dates. With `classes`, y holds class labels (see labels.py) read as 0.0 and 1.0,
    `positive` the one that is 1.

    Returns the Dataset (float32 [n, 1] tensors, x [n, d] for d columns, named after the file and
    its columns) and a Report of what was skipped or decided. Raises DataError for anything else
    that is wrong.
    """
    name = os.fsdecode(path)
    if not name.isprintable():
        name = repr(name)  # the message stays one line whatever the file is called

    def fail(message: str) -> DataError:
        return DataError(f"{name}: {message}")

    specs: list[str | None] = [x] if x is None or isinstance(x, str) else [*x] or [None]
    many = len(specs) > 1  # one x is the d = 1 case of what follows, read exactly as it always was
    raw, note = read_utf8(path, fail, options.encoding)
    report = Report(notes=[note] if note else [])
    cut = raw.find(b"\n", SAMPLE_BYTES)
    text = raw[: cut if cut >= 0 else len(raw)].decode("utf-8", "replace")
    if not text.strip():
        raise fail("empty file")
    missing = set(MISSING) | set(options.na)
    sep = ... if options.sep is None else (None if options.sep == " " else options.sep)
    thousands = options.thousands
    layout = sniff(text, missing, sep, options.decimal, thousands)
    report.notes += layout.notes
    if layout.columns < 2:
        raise fail("only one column; need x and y")
    names = layout.first if layout.header else None
    first = int(layout.row_names)
    usable = [k for k in layout.data_columns if k >= first]
    # By default the two columns of numbers, else the first two after any row names.
    default_x, default_y = usable if len(usable) == 2 else (first, first + 1)
    cols = [_column(spec, default_x, names, layout.columns, fail) for spec in specs]
    j = _column(y, default_y, names, layout.columns, fail)
    if (specs[0] is None or y is None) and (len(usable) > 2 or many):
        # Which columns is the user's call; with several x, y is never guessed.
        shown = usable if len(usable) > 2 else list(range(first, layout.columns))
        raise _choose(name, shown, names, layout.columns - first, specs[0], y)

    def called(k: int, spec: str | None, default: str) -> str:
        return names[k] if names and k < len(names) and names[k] else default if spec is None else f"column {k}"

    x_names = [called(k, spec, "x") for k, spec in zip(cols, specs, strict=True)]
    y_name = called(j, y, "y")
    labels = [f"column {names[k]!r}" if names and k < len(names) and names[k] else f"column {k}" for k in (*cols, j)]
    if many:
        if options.x_date:
            raise fail("--x-date takes one x column")
        for n, k in enumerate(cols):
            if k == j:
                raise fail(f"{labels[n]} is y; it cannot also be an x")
            if k in cols[:n]:
                raise fail(f"{labels[n]} given twice")

    body = raw[_offset(raw, layout.line) :]
    if not body or body.isspace():
        raise fail("header but no rows")

    def line_of(row: int) -> int:
        return _line(body, layout.line, row, layout.sep)

    frame = _read(body, layout, sorted({*cols, j}), fail, line_of)
    na_numbers = {v: t for t in options.na if (v := _float(t)) is not None}
    # Each column as (float64 values, their text or None, how each missing one was written).
    columns = [_values(frame[k], na_numbers, missing, layout.decimal, layout.thousands) for k in (*cols, j)]

    x_start = None
    xs, x_text, x_why = columns[0]
    if not many and (options.x_date or _dates(xs, x_text, x_why, x_names[0], names)):
        xs, x_start = _as_years(xs, x_text, x_why, labels[0], line_of, fail)
        columns[0] = xs, x_text, x_why
        first_date = frame[cols[0]].iloc[int(np.flatnonzero(~np.isnan(xs))[0])] if (~np.isnan(xs)).any() else ""
        report.notes.append(
            f"{labels[0]} read as dates ('{first_date}' as {x_start:%Y-%m-%d}); x is years since {x_start:%Y-%m-%d}"
        )
    if classes:  # labels, not numbers: yes/no and true/false are classes too
        ys, y_text, y_why = columns[-1]
        missing_y = y_why.notna().to_numpy() | (np.isnan(ys) if y_text is None else False)
        ys, named = check_labels(frame[j] if y_text is None else y_text, missing_y, line_of, fail, positive)
        columns[-1] = ys, y_text, y_why
        if named:  # words, not 0 and 1: say which is which, and name y by the class that is 1
            other = "" if positive else " (--positive names the other)"
            report.notes.append(f"{labels[-1]}: {named[0]!r} is 1, {named[1]!r} is 0{other}")
            y_name = f"{y_name} = {named[0]}"
    for (values, text, why), label in zip(columns, labels, strict=True):
        _refuse_words(values, text, why, label, layout, line_of, fail, one_x=not many)

    values = [column[0] for column in columns]
    absent = np.logical_or.reduce([np.isnan(v) for v in values])
    why = columns[0][2]
    for _, _, then in columns[1:]:  # a row is counted once, by the first column it is missing in
        why = why.where(why.notna(), then)
    report.skipped = int(absent.sum())
    report.missing.update(why[absent].value_counts().to_dict())
    _refuse_out_of_range(values, absent, labels, line_of, fail)

    rows = len(absent)
    xs = np.ascontiguousarray(np.stack([v[~absent] for v in values[:-1]], axis=1))  # [n, d]
    ys = values[-1][~absent]
    if len(ys) < 2:
        skipped = f", {report.skipped} skipped with missing values" if report.skipped else ""
        raise fail(f"fewer than 2 usable points ({rows} row{'s' if rows != 1 else ''}{skipped})")
    for k, column in enumerate(xs.T):
        if column.min() == column.max():
            if not many:
                raise fail(f"every x is {column[0]:g}: a line needs at least two different x values")
            raise fail(f"every value of {labels[k]} is {column[0]:g}: an x column needs at least two different values")
    read = (xs if many else xs.reshape(-1), ys)
    xt = torch.from_numpy(xs.astype(np.float32))
    yt = torch.from_numpy(ys.astype(np.float32).reshape(-1, 1))
    source = os.path.basename(name) or name
    return (
        Dataset(
            xt,
            yt,
            x_name=", ".join(x_names),
            y_name=y_name,
            source=source,
            x_start=x_start,
            x_names=tuple(x_names) if many else (),
            read=read,
        ),
        report,
    )


def _choose(name: str, usable: list[int], names: list[str] | None, columns: int, x, y) -> DataError:
    """The DataError for more than two columns of numbers with x or y not chosen: it lists them."""
    shown = ", ".join(names[k] or f"column {k}" if names and k < len(names) else str(k) for k in usable[:12])
    shown += ", ..." if len(usable) > 12 else ""
    kind = "columns" if len(usable) == columns else "numeric columns"
    ask = "with --x and --y" if x is None and y is None else "x with --x" if x is None else "y with --y"
    by_index = "" if names else " (no header row: by 0-based index)"
    return DataError(f"{name} has {len(usable)} {kind} ({shown}): choose {ask}{by_index}")


def _column(spec, default: int, names: list[str] | None, columns: int, fail) -> int:
    """The 0-based index `spec` picks."""
    if spec is None:
        return default
    spec = str(spec)
    if names is not None and spec in names:
        return names.index(spec)
    if spec.isascii() and spec.isdigit():
        k = int(spec) if len(spec) < 19 else columns  # int() refuses thousands of digits
        if k >= columns:
            raise fail(f"column {_short(spec)} out of range ({columns} columns)")
        return k
    if names is None:
        raise fail(f"no column {spec!r} (no header row; give a 0-based column index)")
    shown = ", ".join(n or "''" for n in names[:12]) + (", ..." if len(names) > 12 else "")
    raise fail(f"no column {spec!r} (columns: {shown})")


def _offset(raw: bytes, line: int) -> int:
    """The byte offset where 1-based line `line` starts."""
    offset = 0
    for _ in range(line - 1):
        offset = raw.find(b"\n", offset) + 1
        if offset == 0:
            return len(raw)
    return offset


def _read(body: bytes, layout, cols: list[int], fail, line_of):
    """The used columns of the data rows, as pandas reads them (numbers, or text where not)."""
    import pandas as pd

    try:
        frame = pd.read_csv(
            io.BytesIO(body),
            sep=layout.sep or r"\s+",
            header=None,
            usecols=cols,
            na_filter=False,  # markers are judged here, so that they can be counted
            skipinitialspace=True,
            decimal=layout.decimal,
            thousands=layout.thousands,
            engine="c",
            low_memory=False,  # one type per column, not one per chunk
            encoding="utf-8",
        )
    except pd.errors.EmptyDataError:
        raise fail("header but no rows") from None
    except (pd.errors.ParserError, ValueError) as error:
        text = " ".join(str(error).split())
        if "EOF inside string starting at row" in text:
            row = int(text.rsplit(" ", 1)[-1])
            raise fail(f"line {line_of(row)}: a quote opened here is never closed") from None
        raise fail(f"cannot be read as CSV ({text})") from None
    missing = [k for k in cols if k not in frame.columns]
    if missing:
        raise fail(f"column {missing[0]} out of range (the rows have {len(frame.columns)} columns)")
    return frame


def _values(series, na_numbers: dict[float, str], missing: set[str], decimal: str, thousands: str | None):
    """(float64 values, NaN where missing or not a number; their text or None; why missing).

    `why` holds, at each missing value, how it was written; None elsewhere.
    """
    import pandas as pd

    if series.dtype.kind in "iuf":
        values = series.to_numpy(np.float64, copy=True)  # writable: --na numbers become nan
        text = None
        why = pd.Series(None, index=series.index, dtype=object)
    else:
        text = series.astype(str).str.strip()
        absent = text.isin(missing)
        why = text.where(absent, None).astype(object)
        numbers = text.mask(absent)
        if thousands:
            numbers = numbers.str.replace(thousands, "", regex=False)
        if decimal != ".":
            numbers = numbers.mask(numbers.str.contains(".", regex=False, na=False))
            numbers = numbers.str.replace(decimal, ".", regex=False)
        values = pd.to_numeric(numbers, errors="coerce").to_numpy(np.float64, copy=True)
    for number, marker in na_numbers.items():
        hit = values == number
        if hit.any():
            values[hit] = np.nan
            why[hit] = marker
    return values, text, why


def _float(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _dates(values, text, why, x_name: str, names) -> bool:
    """Whether column x holds dates, as far as its values and name tell."""
    if text is not None:
        present = text[why.isna()]
        return bool(len(present)) and np.isnan(values).any() and bool(DATE.fullmatch(present.iloc[0]))
    return dates.is_yyyymmdd(values) and (names is None or dates.named_like_dates(x_name))


def _as_years(values, text, why, label: str, line_of, fail) -> tuple[np.ndarray, datetime]:
    """Column x as years since its first date; refuses a value that is not a date."""
    import pandas as pd

    present = why.isna().to_numpy()
    if text is None:
        texts = pd.Series(values).map(lambda v: "" if np.isnan(v) else f"{v:.0f}")
        times = dates.parse(texts, yyyymmdd=True)
        shown = texts
    else:
        times = dates.parse(text.mask(~present))
        shown = text
    bad = np.flatnonzero(present & pd.isna(times).to_numpy())
    if len(bad):
        row = int(bad[0])
        raise fail(f"line {line_of(row)}: {label} is not a date like the rows before ({_short(shown.iloc[row])!r})")
    if not present.any():
        return np.full(len(values), np.nan), datetime(1970, 1, 1)
    return dates.to_years(times)


def _refuse_words(values, text, why, label: str, layout, line_of, fail, one_x: bool = True) -> None:
    """A DataError naming the first value that is neither a number nor a missing marker."""
    if text is None:
        return
    bad = np.flatnonzero(np.isnan(values) & why.isna().to_numpy())
    if not len(bad):
        return
    row = int(bad[0])
    value = text.iloc[row]
    raise fail(f"line {line_of(row)}: {label} is not a number ({_short(value)!r}){_hint(value, row, layout, one_x)}")


def _hint(value: str, row: int, layout, one_x: bool) -> str:
    if COMMA_GROUPS.fullmatch(value) and not layout.thousands and layout.decimal == ".":
        return "; --thousands , reads ',' as a thousands separator"
    if DECIMAL_COMMA.fullmatch(value) and layout.decimal == ".":
        return "; --decimal , reads ',' as the decimal mark"
    if layout.decimal == "," and _float(value) is not None:
        return f"; --decimal . if '.' is the decimal mark (',' was taken, delimiter {SHOWN[layout.sep]})"
    if DATE.fullmatch(value):
        return "; only x can be dates" if one_x else "; only a single x column can be dates"
    if row == 0:
        return "; --x and --y choose other columns"
    if 0 < len(value) <= 12:
        return f"; --na {value!r} if it marks a missing value"
    return ""


def _refuse_out_of_range(columns: list[np.ndarray], absent, labels, line_of, fail) -> None:
    """A DataError naming the first value float32 training cannot hold, with the likely fix."""
    with np.errstate(invalid="ignore"):
        big = [~absent & ~(np.abs(v) <= VALUE_LIMIT) for v in columns]
    rows = np.flatnonzero(np.logical_or.reduce(big))
    if not len(rows):
        return
    row = int(rows[0])
    k = next(k for k, hit in enumerate(big) if hit[row])
    column = columns[k]
    value = column[row]
    same = int(np.sum(column[rows] == value))
    if same * 2 >= len(rows) and len(rows) * 10 <= len(column):
        # One value, in a few rows: a fill value that stands for "no data", not a scale problem.
        advice = f"if it marks missing values ({same:,} row{'s' if same > 1 else ''}), --na {value:g}"
    else:
        finite = np.abs(column[rows][np.isfinite(column[rows])])
        scale = f" (divide it by 1e{int(np.log10(finite.max())) - 3})" if len(finite) else ""
        advice = f"rescale the column{scale}"
    raise fail(
        f"line {line_of(row)}: {labels[k]} value {value:g} is beyond ±{VALUE_LIMIT:g}, more than float32"
        f" training can hold; {advice}"
    )


def _short(text: str) -> str:
    return text if len(text) <= 30 else text[:27] + "..."


def _line(body: bytes, first: int, row: int, sep: str | None) -> int:
    """The 1-based line number of data row `row` (0-based, blank lines not counted) of `body`.

    Only called to name a line in a message, so it may take its time.
    """
    text = body.decode("utf-8", "replace")
    if sep is None or '"' not in text:
        k = -1
        for n, line in enumerate(text.split("\n")):
            k += bool(line.strip())
            if k == row:
                return first + n
        return first + row
    reader = csv.reader(io.StringIO(text), delimiter=sep, skipinitialspace=True)
    start, k = 1, -1
    try:
        for fields in reader:
            k += not (fields == [] or (len(fields) == 1 and not fields[0].strip()))
            if k == row:
                return first + start - 1
            start = reader.line_num + 1
    except csv.Error:
        pass
    return first + row
