"""Class labels for the logistic model: a column with exactly two distinct values, read as 0 and 1.

Which is 1 (the positive class): the one given (`--positive`); else, for a pair that says it
(0/1, false/true, no/yes, in any case, 0.0/1.0 too), the 1, true or yes; else the second in
sorted order (numbers by value, words alphabetically), so `female`/`male` makes male 1. Blank
and missing values are skipped like any other; a third value is refused, naming its line. One
class may be written several ways (1, 1.0, true, yes; Male and male).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

CLASSES = {"0": 0.0, "1": 1.0, "false": 0.0, "true": 1.0, "no": 0.0, "yes": 1.0}


def _said(word: str) -> float | None:
    """0.0 or 1.0 for a word that names its class itself (1, true, yes, 0.0, ...), else None."""
    word = word.lower()
    if word in CLASSES:
        return CLASSES[word]
    try:
        value = float(word)
    except ValueError:
        return None
    return value if value in (0.0, 1.0) else None


def _order(word: str) -> tuple[int, float, str]:
    """Sorted order: numbers by value, before words alphabetically."""
    try:
        return 0, float(word), ""
    except ValueError:
        return 1, 0.0, word


def check_labels(
    texts,
    missing: np.ndarray,
    line_of: Callable[[int], int],
    fail: Callable[[str], Exception],
    positive: str | None = None,
) -> tuple[np.ndarray, tuple[str, str] | None]:
    """The classes of `texts` (a column's text, one per data row) as 0.0/1.0, nan where
    `missing`, and the labels read as (1, 0) unless the file wrote them 0 and 1; raises fail(...)
    naming the line (`line_of(row)`) and the value of a third label, or the labels when there
    is one only or `positive` is none of them."""
    import pandas as pd  # the CSV reader's, loaded with it

    column = pd.Series(texts)
    if pd.api.types.is_numeric_dtype(column):  # a column of numbers: each as the file most likely wrote it, 0 not 0.0
        column = column.map(lambda value: f"{value:g}")
    words = column.astype(str).str.strip()
    keys = words.map(_class_key)
    first: dict[tuple[str, float | str], str] = {}  # each class by its first spelling
    for key, word in zip(keys[~missing], words[~missing], strict=True):
        first.setdefault(key, word)
    classes = list(dict.fromkeys(keys[~missing]))  # in the order met
    shown = [_short(first[key]) for key in classes]
    if len(classes) > 2:
        row = int(np.flatnonzero(~missing & keys.isin(classes[2:]).to_numpy())[0])
        raise fail(
            f"line {line_of(row)}: a third label {_short(words.iloc[row])!r} (after {shown[0]!r} and {shown[1]!r}); "
            "the classifier needs exactly two"
        )
    if len(classes) < 2:
        only = f"every label is {shown[0]!r}" if classes else "no labels"
        raise fail(f"{only}: the classifier needs two classes")
    if positive is not None:
        if _class_key(positive.strip()) not in classes:
            raise fail(f"--positive {positive!r} is not a label here (the labels: {shown[0]!r}, {shown[1]!r})")
        one = _class_key(positive.strip())
    elif {key[1] for key in classes} == {0.0, 1.0}:
        one = ("said", 1.0)
    else:
        one = sorted(classes, key=lambda key: _order(first[key]))[1]
    zero = classes[1 - classes.index(one)]
    values = np.where((keys == one).to_numpy(), 1.0, 0.0)
    values[missing] = np.nan
    plain = {_order(first[one]), _order(first[zero])} == {(0, 1.0, ""), (0, 0.0, "")}  # written as 0 and 1
    return values, None if plain else (_short(first[one]), _short(first[zero]))


def _class_key(word: str) -> tuple[str, float | str]:
    """One key per class however it is written: 1, 1.0, true and yes are one; words in any case."""
    said = _said(word)
    return ("said", said) if said is not None else ("word", word.lower())


def _short(text: str) -> str:
    return text if len(text) <= 30 else text[:27] + "..."
