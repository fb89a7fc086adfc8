"""Working days: Monday to Friday, US federal holidays excluded (from the `holidays` package)."""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

from auditor.contracts import facility_time


@cache
def federal_holidays(first_year: int, last_year: int) -> np.ndarray:
    import holidays  # 40 ms of imports, paid only by a working-day deadline (not by validate or lint)

    days = holidays.country_holidays("US", years=range(first_year, last_year + 1))
    return np.array(sorted(days), dtype="datetime64[D]")


def add_working_days(starts: pd.Series, n: int) -> pd.Series:
    """The date of the n-th working day after each start's date (vectorised).

    A start on a weekend or holiday counts from the next working day: Saturday + 2 → Tuesday.
    Missing starts stay missing.
    """
    days = working_days_after(starts.to_numpy(dtype="datetime64[D]"), n)
    return pd.Series(days.astype("datetime64[us]"), index=starts.index)


def working_deadline(starts: np.ndarray, n: int, zone: str | None = None) -> np.ndarray:
    """The last instant (naive UTC, datetime64[us]) of the n-th working day after each start's day.

    Days are the facility's (`zone`): a start at 23:30 local on a Thursday counts from Thursday
    though UTC is already Friday. NaT stays NaT."""
    days = facility_time.local_days(np.asarray(starts, dtype="datetime64[us]"), zone)
    out = np.full(len(days), np.datetime64("NaT"), dtype="datetime64[us]")
    present = ~np.isnat(days)
    if not present.any():
        return out
    given = days[present]
    first, last = given.min(), given.max()
    span = int((last - first).astype(np.int64)) + 1
    if span <= len(given):  # starts share days: each day of the span worked out once, then looked up
        ends = facility_time.day_ends(working_days_after(np.arange(first, last + 1), n), zone)
        out[present] = ends[(given - first).astype(np.int64)]
    else:
        out[present] = facility_time.day_ends(working_days_after(given, n), zone)
    return out


def working_days_after(days: np.ndarray, n: int) -> np.ndarray:
    """add_working_days on a datetime64[D] array (NaT stays NaT)."""
    present = ~np.isnat(days)
    out = np.full(len(days), np.datetime64("NaT"), dtype="datetime64[D]")
    if present.any():
        given = days[present]
        first, last = (int(str(d)[:4]) for d in (given.min(), given.max()))
        week = _working_week(first - 1, last + 2)
        out[present] = np.busday_offset(given, n, roll="backward", busdaycal=week)
    return out


@cache
def _working_week(first_year: int, last_year: int) -> np.busdaycalendar:
    """Monday to Friday less the federal holidays, built once: busday_offset given a holiday array
    sorts and checks it again on every call."""
    return np.busdaycalendar(holidays=federal_holidays(first_year, last_year))
