"""Parsing of typed values, shared by the command line and the app's lr input.

Each parser returns the value or raises ValueError with a message a user can act on.
"""

from __future__ import annotations

import math


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


def speed(text: str) -> float:
    """Steps per second, or `max` (as fast as training goes)."""
    return math.inf if text.strip().lower() == "max" else positive(text)
