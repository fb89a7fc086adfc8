"""Durations of the standards (`{hours: 12}`, `{working_days: 2}`, `{months: 12}`) and their words."""

from __future__ import annotations

from typing import Any

import numpy as np
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
    """Elapsed times as exact short text ('16 min', '12 h 1 min', '14 days 2 h'), vectorised.

    Never rounded onto the limit: a screening 12 h 1 min after arrival does not read '12.0 h'.
    """
    seconds = deltas.dt.total_seconds().fillna(0)
    sign = pd.Series(np.where(seconds < 0, "-", ""), index=deltas.index, dtype=object)
    total = seconds.abs().round().astype("int64")
    minutes, secs = total // 60, total % 60
    if unit == "minutes":
        text = minutes.astype(str) + " min"
    elif unit == "hours":
        text = (minutes // 60).astype(str) + " h" + _part(minutes % 60, " min")
    else:
        days = minutes // 1440
        text = (
            days.astype(str)
            + pd.Series(np.where(days == 1, " day", " days"), index=deltas.index, dtype=object)
            + _part(minutes % 1440 // 60, " h")
            + _part(minutes % 60, " min")
        )
    return sign + text + _part(secs, " s")


def _part(values: pd.Series, suffix: str) -> pd.Series:
    """' 5 min' where the value is not zero, else ''."""
    return pd.Series(
        np.where(values > 0, " " + values.astype(str) + suffix, ""), index=values.index, dtype=object
    )
