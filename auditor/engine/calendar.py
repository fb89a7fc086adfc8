"""Working days: Monday to Friday, US federal holidays excluded (from the `holidays` package)."""

from __future__ import annotations

from functools import cache

import holidays
import numpy as np
import pandas as pd


@cache
def federal_holidays(first_year: int, last_year: int) -> np.ndarray:
    days = holidays.country_holidays("US", years=range(first_year, last_year + 1))
    return np.array(sorted(days), dtype="datetime64[D]")


def add_working_days(starts: pd.Series, n: int) -> pd.Series:
    """The date of the n-th working day after each start's date (vectorised).

    A start on a weekend or holiday counts from the next working day: Saturday + 2 → Tuesday.
    Missing starts stay missing.
    """
    present = starts.notna()
    out = pd.Series(pd.NaT, index=starts.index, dtype="datetime64[us]")
    if not present.any():
        return out
    days = starts[present].to_numpy().astype("datetime64[D]")
    years = pd.DatetimeIndex(starts[present])
    hol = federal_holidays(int(years.year.min()) - 1, int(years.year.max()) + 2)
    result = np.busday_offset(days, n, roll="backward", holidays=hol)
    out[present.to_numpy()] = result.astype("datetime64[us]")
    return out


def end_of_day(dates: pd.Series) -> pd.Series:
    """The last instant of each date: a working-day deadline runs to the end of its day."""
    return dates.dt.normalize() + pd.Timedelta(days=1) - pd.Timedelta(microseconds=1)
