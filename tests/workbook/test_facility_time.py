"""auditor/contracts/facility_time.py against pandas' own conversion, cell by cell, and the state
table against the tz database."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from auditor.contracts.facility_time import (
    canonical_zone,
    day_ends,
    day_starts,
    local_to_utc,
    utc_to_local,
    wall_clock,
)
from auditor.workbook.zones import SPLIT_STATES, STATE_ZONES

ZONES = ["America/Chicago", "Europe/London", "Australia/Lord_Howe", "America/St_Johns", "Asia/Kolkata", "UTC"]


def wall_times(n: int, seed: int) -> np.ndarray:
    """Random minutes over two years, with blanks: every clock change of 2026 and 2027 is inside."""
    rng = np.random.default_rng(seed)
    minutes = rng.integers(0, 2 * 365 * 24 * 60, n).astype("timedelta64[m]")
    values = (np.datetime64("2026-01-01T00:00", "us") + minutes).astype("datetime64[us]")
    values[rng.random(n) < 0.1] = np.datetime64("NaT")
    return values


@pytest.mark.parametrize("zone", ZONES)
def test_local_to_utc_is_pandas_strict_conversion_cell_for_cell(zone):
    local = wall_times(300_000, seed=len(zone))
    out, nonexistent, ambiguous = local_to_utc(local, zone)
    index = pd.DatetimeIndex(local)
    strict = index.tz_localize(zone, ambiguous="NaT", nonexistent="NaT").tz_convert(None).to_numpy()
    assert np.array_equal(out, strict.astype("datetime64[us]"), equal_nan=True)
    undecided = ~np.isnat(local) & np.isnat(out)
    assert np.array_equal(nonexistent | ambiguous, undecided) and not (nonexistent & ambiguous).any()
    skipped = index.tz_localize(zone, ambiguous=np.ones(len(local), bool), nonexistent="NaT").isna()
    assert np.array_equal(nonexistent, skipped & ~np.isnat(local))
    if zone in ("Asia/Kolkata", "UTC"):
        assert not undecided.any()
    else:
        assert nonexistent.any() and ambiguous.any()


@pytest.mark.parametrize("zone", ZONES)
def test_utc_to_local_undoes_local_to_utc(zone):
    local = wall_times(50_000, seed=3)
    out, _, _ = local_to_utc(local, zone)
    back = utc_to_local(out, zone)
    assert np.array_equal(back, np.where(np.isnat(out), np.datetime64("NaT"), local), equal_nan=True)


def test_local_days_on_clock_changes():
    days = np.array(["2026-03-08", "2026-11-01", "2026-07-01"], dtype="datetime64[D]")
    starts, ends = day_starts(days, "America/Chicago"), day_ends(days, "America/Chicago")
    hours = ((ends - starts + np.timedelta64(1, "us")) / np.timedelta64(1, "h")).tolist()
    assert hours == [23.0, 25.0, 24.0]
    # a day whose midnight was skipped (Havana springs forward at 00:00) begins at 01:00 local
    assert day_starts(np.array(["2026-03-08"], dtype="datetime64[D]"), "America/Havana")[0] == np.datetime64(
        "2026-03-08T05:00"
    )


def test_every_zone_of_the_state_table_is_in_the_tz_database():
    zones = set(STATE_ZONES.values()) | {z for pair in SPLIT_STATES.values() for z in pair}
    assert {z for z in zones if canonical_zone(z) != z} == set()
    assert not set(STATE_ZONES) & set(SPLIT_STATES)
    assert len(STATE_ZONES) + len(SPLIT_STATES) == 51 + 5  # the states, DC and five territories


@pytest.mark.parametrize("zone", ZONES)
def test_generated_wall_clock_times_read_back_without_a_guess(zone):
    """The generator's clock: every time it writes is one the reader takes without refusing it (the
    10,000-admission synthetic workbook once held 01:43 on a fall-back night: refused, never guessed)."""
    local = wall_times(100_000, seed=7 + len(zone))
    written = wall_clock(local, zone)
    _, nonexistent, ambiguous = local_to_utc(written, zone)
    assert not nonexistent.any() and not ambiguous.any()
    assert np.array_equal(np.isnat(written), np.isnat(local))
    moved = ~np.isnat(local) & (written != local)
    assert ((written[moved] - local[moved]) == np.timedelta64(1, "h")).all()


def test_a_repeated_hour_moves_one_hour_on():
    local = np.array(["2025-11-02T01:43", "2025-11-02T00:59", "2025-11-02T02:00"], dtype="datetime64[us]")
    written = wall_clock(local, "America/Chicago")
    assert written.astype(str).tolist() == [
        "2025-11-02T02:43:00.000000",
        "2025-11-02T00:59:00.000000",
        "2025-11-02T02:00:00.000000",
    ]
