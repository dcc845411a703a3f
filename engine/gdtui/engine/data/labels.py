"""Class labels for the logistic model: y is 0 or 1, written 0/1 (also 0.0, 1.0), true/false or
yes/no, in any case. Anything else is refused, naming the line and the value."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

CLASSES = {"0": 0.0, "1": 1.0, "false": 0.0, "true": 1.0, "no": 0.0, "yes": 1.0}
SHOWN = "0/1, true/false or yes/no"


def label(text: str) -> float | None:
    """0.0 or 1.0 for a text that names a class, else None."""
    word = text.strip().lower()
    if word in CLASSES:
        return CLASSES[word]
    try:
        value = float(word)
    except ValueError:
        return None
    return value if value in (0.0, 1.0) else None


def check_labels(
    texts, missing: np.ndarray, line_of: Callable[[int], int], fail: Callable[[str], Exception]
) -> np.ndarray:
    """The classes of `texts` (a pandas Series of a column's text, one per data row) as 0.0/1.0,
    nan where `missing`; raises fail(...) naming the line (`line_of(row)`) and the value of the
    first that is not a class."""
    import pandas as pd  # the CSV reader's, loaded with it

    words = pd.Series(texts).astype(str).str.strip().str.lower()
    values = words.map(CLASSES).to_numpy(np.float64, na_value=np.nan)
    numbers = pd.to_numeric(words, errors="coerce").to_numpy(np.float64)
    values = np.where(np.isnan(values) & np.isin(numbers, (0.0, 1.0)), numbers, values)
    values[missing] = np.nan
    bad = np.flatnonzero(np.isnan(values) & ~missing)
    if len(bad):
        row = int(bad[0])
        value = str(pd.Series(texts).iloc[row]).strip()
        shown = value if len(value) <= 30 else value[:27] + "..."
        raise fail(f"line {line_of(row)}: label {shown!r} is not {SHOWN}")
    return values
