"""Dates as x: years since the first date, so that w reads as the change in y per year.

Years rather than days keep x small (a decade is 0..10, not 0..3652), which gradient descent
on float32 handles at an ordinary learning rate; the chart turns them back into dates.
"""

from __future__ import annotations

import warnings
from datetime import datetime, timedelta

import numpy as np

YEAR_DAYS = 365.2425  # the mean Gregorian year
NAME_HINTS = ("date", "day", "time", "yyyymmdd")


def is_yyyymmdd(values: np.ndarray) -> bool:
    """Whether every value is a whole number that reads as a date YYYYMMDD (1800 to 2199)."""
    present = values[~np.isnan(values)]
    if not len(present) or not np.all(present == np.floor(present)):
        return False
    year, month, day = present // 10_000, present // 100 % 100, present % 100
    return bool(np.all((year >= 1800) & (year < 2200) & (month >= 1) & (month <= 12) & (day >= 1) & (day <= 31)))


def named_like_dates(name: str | None) -> bool:
    return name is not None and any(hint in name.lower() for hint in NAME_HINTS)


def parse(texts, yyyymmdd: bool = False):
    """pandas datetimes for these texts (NaT where one does not read as a date)."""
    import pandas as pd

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "could not infer format": dateutil then reads each one
        if yyyymmdd:
            return pd.to_datetime(texts, format="%Y%m%d", errors="coerce")
        return pd.to_datetime(texts, errors="coerce")


def to_years(times) -> tuple[np.ndarray, datetime]:
    """Years since the earliest of these datetimes (NaN where NaT), and that earliest date."""
    import pandas as pd

    times = pd.Series(times)
    start = times.min()
    years = (times - start).dt.total_seconds().to_numpy(np.float64) / (86_400 * YEAR_DAYS)
    return years, start.to_pydatetime()


def label(start: datetime, years: float, span: float) -> str:
    """The date `years` after `start`, as precise as a range of `span` years needs."""
    when = start + timedelta(days=years * YEAR_DAYS)
    if span >= 4:
        return when.strftime("%Y")
    if span >= 0.5:
        return when.strftime("%Y-%m")
    return when.strftime("%Y-%m-%d")
