"""Durations of the standards (`{hours: 12}`, `{working_days: 2}`, `{months: 12}`) and their words."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

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
    """Elapsed times as exact short text ('16 min', '12 h 1 min', '14 days 2 h').

    Never rounded onto the limit: a screening 12 h 1 min after arrival does not read '12.0 h'.
    Only violating rows get here; the parts are computed vectorised, the words row by row.
    """
    seconds = np.rint(deltas.dt.total_seconds().fillna(0).to_numpy(dtype="float64")).astype(np.int64)
    total = np.abs(seconds)
    secs = (total % 60).tolist()
    if unit == "minutes":
        text = [
            f"{m} min" + (f" {s} s" if s else "") for m, s in zip((total // 60).tolist(), secs, strict=True)
        ]
    elif unit == "hours":
        text = [
            f"{h} h" + (f" {m} min" if m else "") + (f" {s} s" if s else "")
            for h, m, s in zip((total // 3600).tolist(), (total // 60 % 60).tolist(), secs, strict=True)
        ]
    else:
        text = [
            f"{d} {'day' if d == 1 else 'days'}" + (f" {h} h" if h else "") + (f" {m} min" if m else "")
            + (f" {s} s" if s else "")
            for d, h, m, s in zip(
                (total // 86400).tolist(), (total // 3600 % 24).tolist(), (total // 60 % 60).tolist(), secs,
                strict=True,
            )
        ]  # fmt: skip
    for i in np.flatnonzero(seconds < 0).tolist():
        text[i] = "-" + text[i]
    return pd.Series(text, index=deltas.index, dtype=object)
