"""How a CSV file is laid out, read from its first rows: delimiter, decimal mark, header.

What cannot be detected is given: `--sep`, `--decimal`, `--thousands`. Whatever was decided
for the user and could be wrong comes back as a note that says how to change it.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

SAMPLE_BYTES = 64 * 1024
SAMPLE_ROWS = 50
DELIMITERS = (";", "\t", ",", "|")  # ';' first: a ';' file may use ',' as its decimal mark
SHOWN = {";": "';'", "\t": "tab", ",": "','", "|": "'|'", None: "spaces"}

DECIMAL_COMMA = re.compile(r"[-+]?\d*,\d+([eE][-+]?\d+)?")  # 39,1  ,5
DOT_GROUPS = re.compile(r"[-+]?\d{1,3}(\.\d{3})+(,\d*)?")  # 1.234,5  1.234.567
COMMA_GROUPS = re.compile(r"[-+]?\d{1,3}(,\d{3})+(\.\d*)?")  # 5,850  1,234.5
DATE = re.compile(
    r"\d{4}-?\d\d-?\d\d([ T].*)?|\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}([ T].*)?"  # 2012-01-01, 1/2/2000
    r"|([A-Za-z]{3,9}\.? \d{1,2},? \d{4})|(\d{1,2}[ -][A-Za-z]{3,9}[ -]\d{2,4})"  # Jan 1 2000, 1-Jan-2000
)


@dataclass
class Layout:
    sep: str | None  # None: runs of whitespace
    decimal: str = "."
    thousands: str | None = None
    first: list[str] = field(default_factory=list)  # the first row's fields: names or data
    header: bool = False
    columns: int = 0
    row_names: bool = False  # column 0 holds row names (R's write.csv, pandas' to_csv index)
    data_columns: list[int] = field(default_factory=list)  # mostly numbers or dates: what x and y can be
    line: int = 1  # the 1-based line number of the first data row
    notes: list[str] = field(default_factory=list)


def number(text: str, decimal: str = ".", thousands: str | None = None) -> float | None:
    """`text` as a number with these marks, or None."""
    text = text.strip()
    if thousands and thousands in text:
        text = text.replace(thousands, "")
    if decimal != ".":
        if "." in text:
            return None
        text = text.replace(decimal, ".")
    try:
        return float(text)
    except ValueError:
        return None


def sniff(text: str, missing: set[str], sep=..., decimal=None, thousands=None) -> Layout:
    """The layout of a file that starts with `text` (its first SAMPLE_BYTES, whole lines).

    `sep` is a delimiter, None for whitespace, or ... to detect; `decimal` and `thousands`
    None to detect.
    """
    if sep is ...:
        sep = _delimiter(text)
    rows = records(text, sep)
    layout = Layout(sep)
    if not rows:
        return layout
    start, end, first = rows[0]
    below = [fields for _, _, fields in rows[1:]]
    _marks(layout, [f for _, _, fields in rows for f in fields], decimal, thousands)
    kinds = [_kind(f, missing, layout) for f in first]
    layout.first = _unquoted([f.strip() for f in first])
    layout.columns = max(len(f) for _, _, f in rows)
    text_over_data = any(
        kind == "text" and _data_column([r[k] for r in below if k < len(r)], missing, layout)
        for k, kind in enumerate(kinds)
    )
    words_only = "text" in kinds and not {"number", "date"} & set(kinds)
    layout.header = text_over_data or words_only
    layout.line = end + 1 if layout.header else start
    if layout.header and len(first) == layout.columns - 1 and all(len(r) == layout.columns for r in below):
        # R's write.csv: no name over the row names, so the header is one field short.
        layout.first.insert(0, "")
        layout.notes.append("the header is one name short of the rows: column 0 read as row names, as R writes them")
    layout.row_names = layout.header and layout.first[0] == "" and layout.columns >= 3
    data = below if layout.header else [first, *below]
    layout.data_columns = [
        k for k in range(layout.columns) if _data_column([r[k] for r in data if k < len(r)], missing, layout)
    ]
    if layout.header and {"number", "date"} & set(kinds):
        shown = ", ".join(layout.first[:6]) + (", ..." if len(first) > 6 else "")
        layout.notes.append(f"line {start} read as column names ({shown})")
    return layout


def _unquoted(names: list[str]) -> list[str]:
    """Names each written in single quotes ('GPA', as some of statsmodels' files have them), without
    them: the quotes are how the file wrote the name, not part of it."""
    quoted = [len(name) >= 2 and name[0] == name[-1] == "'" for name in names if name]
    return [name[1:-1] if name else name for name in names] if quoted and all(quoted) else names


def records(text: str, sep: str | None) -> list[tuple[int, int, list[str]]]:
    """(first line, last line, fields) of each non-blank record in `text`, up to SAMPLE_ROWS."""
    out = []
    if sep is None:
        for k, line in enumerate(text.split("\n"), 1):
            if line.strip():  # quotes may hold spaces, as R's write.table writes names
                out.append((k, k, next(csv.reader([line.replace("\t", " ").strip()], delimiter=" ", skipinitialspace=True))))
            if len(out) == SAMPLE_ROWS:
                break
        return out
    reader = csv.reader(io.StringIO(text), delimiter=sep, skipinitialspace=True)
    start = 1
    try:
        for fields in reader:
            if any(f.strip() for f in fields):
                out.append((start, reader.line_num, fields))
            start = reader.line_num + 1
            if len(out) == SAMPLE_ROWS:
                break
    except csv.Error:  # a NUL or a field past csv's size limit: judge by the rows before it
        pass
    return out


def _delimiter(text: str) -> str | None:
    """The delimiter that splits the first rows into the same number (> 1) of fields.

    Failing that, the one that splits the first row most (None: whitespace).
    """
    first = {}
    for d in (*DELIMITERS, None):
        rows = records(text, d)[:20]
        counts = {len(fields) for _, _, fields in rows}
        if len(counts) == 1 and max(counts) > 1:
            return d
        first[d] = len(rows[0][2]) if rows else 0
    best = max(first, key=lambda d: first[d])  # the earliest of equals, in DELIMITERS' order
    return best if first[best] > 1 else None


def _marks(layout: Layout, fields: list[str], decimal: str | None, thousands: str | None) -> None:
    """Decide the decimal mark and thousands separator from the sample's fields."""
    values = [f.strip() for f in fields]
    if decimal is None:
        comma = any(DECIMAL_COMMA.fullmatch(v) for v in values)
        grouped = any(COMMA_GROUPS.fullmatch(v) for v in values)
        if layout.sep == "," and grouped:
            decimal = "."  # a quoted "5,850" in a ',' file: US thousands, as Excel writes it
        elif comma or (layout.sep != "," and any(DOT_GROUPS.fullmatch(v) and "," in v for v in values)):
            decimal = ","
            layout.notes.append(f"',' read as the decimal mark (e.g. {_example(values, DECIMAL_COMMA)}); --decimal . if not")
        else:
            decimal = "."
    layout.decimal = decimal
    if thousands is None:
        pattern = COMMA_GROUPS if decimal == "." else DOT_GROUPS
        example = _example(values, pattern, need="," if decimal == "." else ".")
        if example:
            thousands = "," if decimal == "." else "."
            layout.notes.append(
                f"'{thousands}' read as a thousands separator (e.g. {example}); --thousands none if not"
            )
    layout.thousands = thousands or None


def _example(values: list[str], pattern: re.Pattern, need: str = "") -> str | None:
    return next((repr(v) for v in values if pattern.fullmatch(v) and need in v), None)


def _kind(text: str, missing: set[str], layout: Layout) -> str:
    text = text.strip()
    if text in missing:
        return "missing"
    if number(text, layout.decimal, layout.thousands) is not None:
        return "number"
    if DATE.fullmatch(text):
        return "date"
    return "text"


def _data_column(values: list[str], missing: set[str], layout: Layout) -> bool:
    """Whether most present values in this column are numbers or dates."""
    kinds = [_kind(v, missing, layout) for v in values]
    present = [k for k in kinds if k != "missing"]
    return bool(present) and sum(k != "text" for k in present) * 2 > len(present)
