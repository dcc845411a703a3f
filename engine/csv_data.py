"""Points (x, y) from a CSV file: a Dataset to learn from, or one line that says what is wrong.

    data, skipped = load_csv("data.csv")                 # 2 columns, or the first two
    data, skipped = load_csv("wide.csv", x="age", y="2")  # by header name or 0-based index

numpy's C `loadtxt` reads the numbers (about half a second per million rows), in blocks of lines
so that an odd row costs a small block, not the file; only such blocks go through Python, which
skips what it can and names the line of anything it cannot.
"""

from __future__ import annotations

import csv
import os
import warnings
from pathlib import Path

import numpy as np
import torch

from gdtui.engine.data import Dataset


# Squared errors of values above this overflow float32 (about 3.4e38) at the first step.
VALUE_LIMIT = 1e15


class DataError(ValueError):
    """A file gdtui cannot learn from; str() is one line for the user that names the file."""


def load_csv(
    path: str | os.PathLike, x: str | None = None, y: str | None = None
) -> tuple[Dataset, int]:
    """Load columns `x` and `y` of `path` (names or 0-based indices; default the first two).

    Returns the Dataset (float32 [n, 1] tensors, no true line) and how many rows were skipped
    for a missing, nan or inf value. Raises DataError for anything else that is wrong.
    """
    name = os.fsdecode(path)
    if not name.isprintable():
        name = repr(name)  # the message stays one line whatever the file is called

    def fail(message: str) -> DataError:
        return DataError(f"{name}: {message}")

    text = _read_text(path, fail)

    # The first non-blank line is the header, if any, and tells the delimiter and the column count.
    lines = text.split("\n")
    top = next((k for k, line in enumerate(lines) if line.strip()), None)
    if top is None:
        raise fail("empty file")
    delimiter = _delimiter(lines[top])
    first = [f.strip() for f in _split(lines[top], delimiter, top + 1, fail)]
    if len(first) < 2:
        raise fail("only one column; need x and y")

    # A row with a word in it can only be a header; names are only looked up in such a row.
    names = first if any(f and not _is_number(f) for f in first) else None
    i, by_name_x = _column(x, 0, names, first, fail)
    j, by_name_y = _column(y, 1, names, first, fail)
    has_header = by_name_x or by_name_y or any(f and not _is_number(f) for f in (first[i], first[j]))
    labels = [f"column {first[k]!r}" if has_header and first[k] else f"column {k}" for k in (i, j)]

    if has_header:
        top += 1
    if not any(line.strip() for line in lines[top:]):
        raise fail("header but no rows")
    # 10,000 lines per block: as fast as one loadtxt call over the file, and cheap to redo.
    table = _parse(lines[top:], top + 1, 10_000, delimiter, (i, j), labels, fail)
    rows = len(table)
    with np.errstate(over="ignore"):  # values past float32's range become inf, and are skipped
        table = table.astype(np.float32)
    good = table[np.isfinite(table).all(axis=1)]
    skipped = rows - len(good)
    if len(good) < 2:
        why = f", {skipped} skipped with missing, nan or inf values" if skipped else ""
        raise fail(f"fewer than 2 usable points ({rows} row{'s' if rows != 1 else ''}{why})")
    if good[:, 0].min() == good[:, 0].max():
        raise fail(f"every x is {good[0, 0]:g}: a line needs at least two different x values")
    if np.abs(good).max() > VALUE_LIMIT:
        raise fail(f"values above {VALUE_LIMIT:g} would overflow float32 training; rescale the data")
    xs, ys = (torch.from_numpy(np.ascontiguousarray(good[:, k : k + 1])) for k in (0, 1))
    return Dataset(xs, ys), skipped


def _read_text(path: str | os.PathLike, fail) -> str:
    """The file's text, or a DataError saying why there is none."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise fail("no such file") from None
    except IsADirectoryError:
        raise fail("is a directory") from None
    except PermissionError:
        raise fail("permission denied") from None
    except OSError as e:
        raise fail(f"cannot read ({e.strerror or e})") from None
    # A NUL byte never appears in a text CSV but is common in binary files (and in UTF-16 text).
    if b"\0" in data:
        raise fail("not a text CSV file (binary content)")
    try:
        text = data.decode("utf-8-sig")  # -sig: spreadsheets often start the file with a BOM
    except UnicodeDecodeError:
        raise fail("not a text CSV file (binary content or not UTF-8)") from None
    # Windows ends lines with \r\n and old Mac spreadsheets with \r alone: make them all \n.
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def _delimiter(line: str) -> str | None:
    """The delimiter the first line uses; None means runs of whitespace.

    A fixed order rather than csv.Sniffer, which guesses digits or '.' as delimiters on numbers.
    ';' comes first because a ';' file may use ',' as its decimal mark.
    """
    for d in ";,\t":
        if d in line:
            return d
    return None


def _split(line: str, delimiter: str | None, lineno: int, fail) -> list[str]:
    """The fields of line `lineno`; csv only when quotes need it, since str.split is faster."""
    if delimiter is None:
        return line.split()
    if '"' not in line:
        return line.split(delimiter)
    try:
        return next(csv.reader([line], delimiter=delimiter, skipinitialspace=True), [])
    except csv.Error as e:  # a field over csv's size limit
        raise fail(f"line {lineno}: {e}") from None


def _is_number(field: str) -> bool:
    try:
        float(field)
    except ValueError:
        return False
    return True


def _column(spec, default: int, names: list[str] | None, first: list[str], fail) -> tuple[int, bool]:
    """The 0-based index `spec` picks, and whether it picked by header name."""
    if spec is None:
        return default, False
    spec = str(spec)
    if names is not None and spec in names:
        return names.index(spec), True
    if spec.isascii() and spec.isdigit():
        k = int(spec)
        if k >= len(first):
            raise fail(f"column {k} out of range ({len(first)} columns)")
        return k, False
    if names is None:
        raise fail(f"no column {spec!r} (no header row; give a 0-based column index)")
    shown = ", ".join(n or "''" for n in names[:12]) + (", ..." if len(names) > 12 else "")
    raise fail(f"no column {spec!r} (columns: {shown})")


def _parse(lines: list[str], lineno: int, block: int, delimiter, cols, labels, fail) -> np.ndarray:
    """The two columns of `lines` (the first is line `lineno`) as float64 rows, nan where missing.

    numpy's C loadtxt reads `block` lines at a time. A block it refuses is tried again with its
    empty fields as nan and quotes honoured (still C speed), then in blocks a hundred times
    smaller; only the smallest go line by line through Python, which names the line of a bad
    value. So an odd row costs a hundred lines, not the whole file.
    """
    tables = []
    for start in range(0, len(lines), block):
        # A line of only blanks (tabs too) is a blank line, as in the Python pass.
        part = [line if line.strip() else "" for line in lines[start : start + block]]
        table = _loadtxt(part, None, delimiter, cols)
        if table is None and delimiter is not None:
            filled = _fill_empty(part, delimiter)
            table = _loadtxt(filled, '"', delimiter, cols)
            # A quote left open joins lines into one row; csv.reader, a line at a time, would not.
            if table is not None and len(table) != len(filled) - filled.count(""):
                table = None
        if table is None and block > 100:
            table = _parse(part, lineno + start, block // 100, delimiter, cols, labels, fail)
        if table is None:
            table = _parse_slowly(part, lineno + start, delimiter, cols, labels, fail)
        tables.append(table.reshape(-1, 2))
    return np.concatenate(tables)


def _loadtxt(lines: list[str], quotechar: str | None, delimiter, cols) -> np.ndarray | None:
    """numpy's C parser on these lines, or None where it refuses one of them."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # an all-blank block is fine, not worth a warning
            return np.loadtxt(
                lines,
                delimiter=delimiter,
                usecols=cols,
                comments=None,
                quotechar=quotechar,
                dtype=np.float64,
                ndmin=2,
            )
    except ValueError:
        return None


def _fill_empty(lines: list[str], d: str) -> list[str]:
    """The same lines with every empty field written as nan, which loadtxt reads."""
    text = "\n" + "\n".join(lines) + "\n"
    text = text.replace(d + d, f"{d}nan{d}").replace(d + d, f"{d}nan{d}")  # twice: ",,," overlaps
    text = text.replace("\n" + d, f"\nnan{d}").replace(d + "\n", f"{d}nan\n")
    return text[1:-1].split("\n")


def _parse_slowly(lines: list[str], lineno: int, delimiter, cols, labels, fail) -> np.ndarray:
    """Rows of the two columns, line by line: a missing value becomes nan, a word is an error."""
    values = []
    for lineno, line in enumerate(lines, lineno):
        if not line.strip():
            continue
        fields = _split(line, delimiter, lineno, fail)
        row = []
        for k, label in zip(cols, labels):
            field = fields[k].strip() if k < len(fields) else ""
            try:
                row.append(float(field) if field else np.nan)
            except ValueError:
                shown = field if len(field) <= 30 else field[:27] + "..."
                raise fail(f"line {lineno}: {label} is not a number ({shown!r})") from None
        values.append(row)
    return np.array(values, dtype=np.float64).reshape(-1, 2)
