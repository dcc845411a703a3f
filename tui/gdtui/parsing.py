"""Parsing of typed values, shared by the command line and the app's lr input.

Each parser returns the value or raises ValueError with a message a user can act on.
"""

from __future__ import annotations

import math

COLUMN_DIGITS = 18  # a column index longer than this is out of range for any file


def number(text: str, limit: float | None = None) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"expected a number, got {text!r}") from None
    if not math.isfinite(value):
        raise ValueError(f"must be a finite number, got {text!r}")
    if limit is not None and abs(value) > limit:
        raise ValueError(f"must be between -{limit:g} and {limit:g}, got {text!r}")
    return value


def positive(text: str, limit: float | None = None) -> float:
    value = number(text, limit)
    if value <= 0:
        raise ValueError(f"must be greater than 0, got {text!r}")
    return value


def non_negative(text: str, limit: float | None = None) -> float:
    value = number(text, limit)
    if value < 0:
        raise ValueError(f"must not be negative, got {text!r}")
    return value


def fraction(text: str) -> float:
    """A share strictly between 0 and 1, as 0.2."""
    value = number(text)
    if not 0 < value < 1:
        raise ValueError(f"must be between 0 and 1 (a share of the rows, as 0.2), got {text!r}")
    return value


def whole(text: str, minimum: int = 0, maximum: int | None = None) -> int:
    try:
        value = int(text)
    except ValueError:
        raise ValueError(f"expected a whole number, got {text!r}") from None
    if value < minimum:
        raise ValueError(f"must be at least {minimum}, got {text!r}")
    if maximum is not None and value > maximum:
        raise ValueError(f"must be at most {maximum:,}, got {text!r}")
    return value


AUTO = "auto"  # as an lr: the best fixed lr for the data and rule, found once the data is loaded


def learning_rate(text: str) -> float | str:
    """A positive lr, or AUTO."""
    return AUTO if text.strip().lower() == AUTO else positive(text)


def speed(text: str) -> float:
    """Steps per second, or `max` (as fast as training goes)."""
    return math.inf if text.strip().lower() == "max" else positive(text)


SEPARATORS = {"tab": "\t", "\\t": "\t", "space": " ", "whitespace": " "}


def separator(text: str) -> str:
    """A CSV delimiter: one character, or tab / space (runs of spaces and tabs)."""
    sep = SEPARATORS.get(text.lower(), text)
    if len(sep) != 1 or sep in "\"\n\r" or sep.isalnum() or sep in ".-+":
        raise ValueError(f"expected one character such as , ; | or tab or space, got {text!r}")
    return sep


def thousands(text: str) -> str:
    """A thousands separator: one of , . ' or a space; none for no separator ("")."""
    if text.lower() == "none":
        return ""
    if text not in (",", ".", "'", " ", "_"):
        raise ValueError(f"expected , . ' _ a space or none, got {text!r}")
    return text


def encoding(text: str) -> str:
    """A text encoding Python knows, by its canonical name."""
    import codecs

    try:
        return codecs.lookup(text).name
    except LookupError:
        raise ValueError(f"unknown encoding {text!r} (e.g. utf-8, utf-16, cp1252, latin-1)") from None


def columns(text: str) -> tuple[str, ...]:
    """One CSV column or several joined by commas (a,b,c): each as `column` takes it."""
    parts = tuple(part.strip() for part in text.split(","))
    if "" in parts:
        raise ValueError(f"an empty column name in {text!r}")
    return tuple(column(part) for part in parts)


def column(text: str) -> str:
    """A CSV column, by header name or 0-based index; an index too long for any file is refused
    here (and never handed to int(), which refuses strings over 4,300 digits with a traceback)."""
    if text.isascii() and text.isdigit() and len(text) > COLUMN_DIGITS:
        raise ValueError(f"no column has an index of {len(text):,} digits")
    return text


def screen_size(text: str, most: int = 1000) -> tuple[int, int]:
    """A terminal's size as COLUMNSxROWS, as 80x24."""
    columns_text, x, rows_text = text.lower().partition("x")
    if not (x and columns_text.isdigit() and rows_text.isdigit()):
        raise ValueError(f"expected COLUMNSxROWS, as 80x24, got {text!r}")
    size = int(columns_text), int(rows_text)
    if not (1 <= size[0] <= most and 1 <= size[1] <= most):
        raise ValueError(f"must be from 1x1 to {most}x{most}, got {text!r}")
    return size
