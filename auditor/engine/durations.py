"""Durations of the standards (`{hours: 12}`, `{working_days: 2}`, `{months: 12}`) and their words."""

from __future__ import annotations

from typing import Any

import pandas as pd

UNITS = ("minutes", "hours", "days", "working_days", "months")
_SINGULAR = {
    "minutes": "minute",
    "hours": "hour",
    "days": "day",
    "working_days": "working day",
    "months": "month",
}


def unit_and_amount(duration: dict[str, Any]) -> tuple[str, float]:
    ((unit, amount),) = duration.items()
    return unit, amount


def describe(duration: dict[str, Any]) -> str:
    """`{hours: 12}` → '12 hours'; `{working_days: 1}` → '1 working day'."""
    unit, amount = unit_and_amount(duration)
    number = f"{amount:g}"
    word = _SINGULAR[unit] if amount == 1 else unit.replace("_", " ")
    return f"{number} {word}"


def timedelta(duration: dict[str, Any]) -> pd.Timedelta:
    """A fixed-length duration (minutes, hours, days)."""
    unit, amount = unit_and_amount(duration)
    if unit not in ("minutes", "hours", "days"):
        raise ValueError(f"{unit} has no fixed length")
    return pd.Timedelta(**{unit: amount})


def display_unit(duration: dict[str, Any]) -> str:
    """The unit elapsed times are shown in, next to this limit."""
    unit, _ = unit_and_amount(duration)
    return {"minutes": "minutes", "hours": "hours", "days": "days", "working_days": "days", "months": "days"}[
        unit
    ]


def elapsed(deltas: pd.Series, unit: str) -> pd.Series:
    """Elapsed times as short text ('14.5 h', '16 min', '17.2 days'), vectorised."""
    seconds = deltas.dt.total_seconds()
    if unit == "minutes":
        return (seconds / 60).round(0).astype("Int64").astype(str) + " min"
    if unit == "hours":
        return (seconds / 3600).round(1).astype(str) + " h"
    return (seconds / 86400).round(1).astype(str) + " days"
