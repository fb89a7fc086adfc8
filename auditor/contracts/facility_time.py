"""Facility time. The sheets' datetimes are naive UTC instants (converted when read, so arithmetic
is never off by a clock change); the facility's IANA zone gives their local reading, for what is
counted in local days (working-day deadlines, the review period's edges).

Zone None means the times were read as written (no zone known): every function is then the
identity, so an inspection built without a zone behaves as before.
"""

from __future__ import annotations

from functools import cache
from zoneinfo import available_timezones

import numpy as np
import pandas as pd

DAY = np.timedelta64(1, "D")


@cache
def _canonical_names() -> dict[str, str]:
    return {name.casefold(): name for name in available_timezones()}


def canonical_zone(name: str) -> str | None:
    """The IANA name as the tz database spells it (case ignored), or None when it is not one.

    Looked up in the list of known names, never opened as a path: the name comes from a workbook.
    """
    return _canonical_names().get(str(name).strip().casefold())


def local_to_utc(values: np.ndarray, zone: str | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Facility-local wall times (datetime64, naive) as naive UTC instants.

    Returns (instants, nonexistent, ambiguous). A time skipped by the spring-forward change is NaT
    and marked `nonexistent`; a time the fall-back change repeats is read as its first occurrence
    (daylight time, the earlier instant) and marked `ambiguous`. NaT stays NaT.
    """
    local = np.asarray(values, dtype="datetime64[us]")
    none = np.zeros(len(local), dtype=bool)
    if zone is None or not len(local):
        return local, none, none
    index = pd.DatetimeIndex(local)
    strict = index.tz_localize(zone, ambiguous="NaT", nonexistent="NaT")
    out = strict.tz_convert(None).to_numpy(dtype="datetime64[us]", copy=True)
    undecided = ~np.isnat(local) & np.isnat(out)
    if not undecided.any():  # the usual case: no cell on a changeover hour
        return out, none, none
    at = np.flatnonzero(undecided)
    few = pd.DatetimeIndex(local[at])
    first = few.tz_localize(zone, ambiguous=np.ones(len(at), dtype=bool), nonexistent="NaT")
    first_utc = first.tz_convert(None).to_numpy(dtype="datetime64[us]")
    out[at] = first_utc
    ambiguous, nonexistent = none.copy(), none.copy()
    ambiguous[at] = ~np.isnat(first_utc)
    nonexistent[at] = np.isnat(first_utc)
    return out, nonexistent, ambiguous


def utc_to_local(values: np.ndarray, zone: str | None) -> np.ndarray:
    """Naive UTC instants as the facility's wall-clock times (naive datetime64[us])."""
    instants = np.asarray(values, dtype="datetime64[us]")
    if zone is None or not len(instants):
        return instants
    index = pd.DatetimeIndex(instants).tz_localize("UTC").tz_convert(zone).tz_localize(None)
    return index.to_numpy(dtype="datetime64[us]")


def local_days(values: np.ndarray, zone: str | None) -> np.ndarray:
    """The facility's calendar day (datetime64[D]) of each UTC instant: what working days count."""
    return utc_to_local(values, zone).astype("datetime64[D]")


def day_starts(days: np.ndarray, zone: str | None) -> np.ndarray:
    """The UTC instant each local calendar day begins (its first existing instant: a day whose
    midnight was skipped begins at the first time the clock showed)."""
    midnight = np.asarray(days, dtype="datetime64[D]").astype("datetime64[us]")
    if zone is None or not len(midnight):
        return midnight
    index = pd.DatetimeIndex(midnight).tz_localize(zone, ambiguous=True, nonexistent="shift_forward")
    return index.tz_convert(None).to_numpy(dtype="datetime64[us]")


def day_ends(days: np.ndarray, zone: str | None) -> np.ndarray:
    """The last UTC instant of each local calendar day (a 23- or 25-hour day on a changeover)."""
    following = np.asarray(days, dtype="datetime64[D]") + DAY
    return day_starts(following, zone) - np.timedelta64(1, "us")


def wall_clock(values: np.ndarray, zone: str | None) -> np.ndarray:
    """Naive local times as a clock that follows the changes shows them: a time inside the hour the
    spring-forward change skipped moves one hour on (generated data draws times without a zone)."""
    local = np.asarray(values, dtype="datetime64[us]")
    if zone is None or not len(local):
        return local
    index = pd.DatetimeIndex(local).tz_localize(zone, ambiguous=True, nonexistent=pd.Timedelta(hours=1))
    return index.tz_localize(None).to_numpy(dtype="datetime64[us]")
