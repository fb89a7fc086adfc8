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
# The zone rules are looked up inside these years (the standard library's datetime, which pandas
# uses for them, stops at year 9999); a time outside takes the rule at the nearer edge.
SUPPORTED = (np.datetime64("1900-01-01", "us"), np.datetime64("2200-01-01", "us"))


def _clip(values: np.ndarray) -> np.ndarray:
    """Values moved into the supported years (NaT stays NaT)."""
    low, high = SUPPORTED
    return np.where(values < low, low, np.where(values > high, high, values))


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

    Returns (instants, nonexistent, ambiguous): a time skipped by a spring-forward change or
    repeated by a fall-back one is NaT and marked. NaT stays NaT.

    The zone's offset is worked out once per quarter hour: every quarter hour of the span when it
    is short (a million cells of a 90-day period need 8,640 look-ups), else only the quarter hours
    the cells fall in (a hundred placements over five years need at most a hundred, not 175,000).
    Only the cells in a quarter hour where the offset changes are converted one by one by pandas.
    """
    local = np.asarray(values, dtype="datetime64[us]")
    none = np.zeros(len(local), dtype=bool)
    present = ~np.isnat(local)
    if zone is None or not present.any():
        return local, none, none
    given = local[present]
    low, high = given.min(), given.max()
    wide = local  # offsets are looked up on `local` (inside the supported years), applied to `wide`
    if low < SUPPORTED[0] or high > SUPPORTED[1]:
        local, low, high = _clip(local), max(low, SUPPORTED[0]), min(high, SUPPORTED[1])
    first = low.astype("datetime64[h]").astype("datetime64[us]")
    # a NaT cell takes slot 0's offset and stays NaT (its integer would wrap in the subtraction)
    slot = np.where(present, (local.view(np.int64) - first.astype(np.int64)) // SLOT_US, 0)
    span = int((high - first) // SLOT) + 1
    used = np.arange(span) if span <= DENSE_SLOTS else np.unique(slot[present])
    starts = first + used * SLOT
    offset, end_offset = _offsets(starts, zone), _offsets(starts + (SLOT - np.timedelta64(1, "us")), zone)
    regular = ~np.isnat(offset) & (offset == end_offset)
    at_slot = slot if span <= DENSE_SLOTS else np.minimum(np.searchsorted(used, slot), len(used) - 1)
    out = wide - offset[at_slot]
    rest = present & ~regular[at_slot]
    nonexistent, ambiguous = none.copy(), none.copy()
    if rest.any():
        at = np.flatnonzero(rest)
        strict = pd.DatetimeIndex(local[at]).tz_localize(zone, ambiguous="NaT", nonexistent="NaT")
        out[at] = wide[at] - (local[at] - strict.tz_convert(None).to_numpy(dtype="datetime64[us]"))
        undecided = at[np.isnat(out[at])]
        if len(undecided):  # a clock change: which of the two kinds?
            first_reading = pd.DatetimeIndex(local[undecided]).tz_localize(
                zone, ambiguous=np.ones(len(undecided), dtype=bool), nonexistent="NaT"
            )
            exists = ~np.isnat(first_reading.tz_convert(None).to_numpy(dtype="datetime64[us]"))
            ambiguous[undecided[exists]] = True
            nonexistent[undecided[~exists]] = True
    return out, nonexistent, ambiguous


SLOT = np.timedelta64(15, "m")  # every change of offset in use today falls on a quarter hour
SLOT_US = int(SLOT / np.timedelta64(1, "us"))
DENSE_SLOTS = 20_000  # ~7 months of quarter hours: looked up whole; a longer span, only those in use


def _offsets(local: np.ndarray, zone: str) -> np.ndarray:
    """Local minus UTC (timedelta64[us]) at each wall time; NaT where it was skipped or repeated."""
    utc = pd.DatetimeIndex(local).tz_localize(zone, ambiguous="NaT", nonexistent="NaT").tz_convert(None)
    return local - utc.to_numpy(dtype="datetime64[us]")


def utc_to_local(values: np.ndarray, zone: str | None) -> np.ndarray:
    """Naive UTC instants as the facility's wall-clock times (naive datetime64[us])."""
    instants = np.asarray(values, dtype="datetime64[us]")
    if zone is None or not len(instants):
        return instants
    base = _clip(instants)
    index = pd.DatetimeIndex(base).tz_localize("UTC").tz_convert(zone).tz_localize(None)
    return instants + (index.to_numpy(dtype="datetime64[us]") - base)


def local_days(values: np.ndarray, zone: str | None) -> np.ndarray:
    """The facility's calendar day (datetime64[D]) of each UTC instant: what working days count."""
    return utc_to_local(values, zone).astype("datetime64[D]")


def day_starts(days: np.ndarray, zone: str | None) -> np.ndarray:
    """The UTC instant each local calendar day begins (its first existing instant: a day whose
    midnight was skipped begins at the first time the clock showed)."""
    midnight = np.asarray(days, dtype="datetime64[D]").astype("datetime64[us]")
    if zone is None or not len(midnight):
        return midnight
    base = _clip(midnight)
    index = pd.DatetimeIndex(base).tz_localize(zone, ambiguous=True, nonexistent="shift_forward")
    return midnight + (index.tz_convert(None).to_numpy(dtype="datetime64[us]") - base)


def day_ends(days: np.ndarray, zone: str | None) -> np.ndarray:
    """The last UTC instant of each local calendar day (a 23- or 25-hour day on a changeover)."""
    following = np.asarray(days, dtype="datetime64[D]") + DAY
    return day_starts(following, zone) - np.timedelta64(1, "us")


def wall_clock(values: np.ndarray, zone: str | None) -> np.ndarray:
    """Naive local times as a clock that follows the changes shows them, and that a reader can take
    back without guessing (generated data draws times without a zone): a time inside the hour the
    spring-forward change skipped, or the hour the fall-back change repeated, moves one hour on."""
    local = np.asarray(values, dtype="datetime64[us]")
    if zone is None or not len(local):
        return local
    index = pd.DatetimeIndex(local)
    repeated = index.tz_localize(zone, ambiguous="NaT", nonexistent="shift_forward").isna() & index.notna()
    index = index.where(~repeated, index + pd.Timedelta(hours=1))
    index = index.tz_localize(zone, ambiguous=True, nonexistent=pd.Timedelta(hours=1))
    return index.tz_localize(None).to_numpy(dtype="datetime64[us]")
