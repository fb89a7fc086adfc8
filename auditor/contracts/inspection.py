"""The Inspection: what a workbook, a CSV folder or an importer's folder becomes once read, typed
and validated, and what the engine evaluates. Sheet frames are indexed by Excel row number."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from auditor.contracts import facility_time

DAY = np.timedelta64(1, "D")
MICROSECOND = np.timedelta64(1, "us")


@dataclass
class Inspection:
    """A read, typed and validated inspection. Sheet frames are indexed by Excel row number."""

    source: Path
    format: str
    facility: dict[str, Any]
    facility_rows: dict[str, int]
    sheets: dict[str, pd.DataFrame]
    letters: dict[str, dict[str, str]]
    inputs: list[tuple[str, str]] = field(default_factory=list)
    # cells written without a time of day ({sheet: {column: bool per row}}): every cell of a date
    # column, and datetime cells given as a date only. docs/verdicts.md: "some time that day"
    date_only: dict[str, dict[str, np.ndarray]] = field(default_factory=dict)
    # the date columns: calendar days of the facility (naive midnights), where datetimes are UTC
    day_columns: dict[str, frozenset[str]] = field(default_factory=dict)

    @property
    def time_zone(self) -> str | None:
        """The facility's IANA zone (given, or derived from its state when read); None: times as written."""
        return self.facility.get("time_zone") or None

    @property
    def review_start(self) -> pd.Timestamp:
        """The first instant of the review period: local midnight of its first day, in UTC."""
        day = np.array([self.facility["review_period_start"]], dtype="datetime64[D]")
        return pd.Timestamp(facility_time.day_starts(day, self.time_zone)[0])

    @property
    def review_end(self) -> pd.Timestamp:
        """The last instant of the review period (end of its last local day), in UTC."""
        day = np.array([self.facility["review_period_end"]], dtype="datetime64[D]")
        return pd.Timestamp(facility_time.day_ends(day, self.time_zone)[0])

    @property
    def review_days(self) -> tuple[pd.Timestamp, pd.Timestamp]:
        """The review period's first and last calendar day at the facility (naive midnights): what
        daily and weekly rules count (review_start/review_end are UTC instants, whose date may differ)."""
        return (
            pd.Timestamp(self.facility["review_period_start"]),
            pd.Timestamp(self.facility["review_period_end"]),
        )

    def local_days(self, values: pd.Series) -> pd.Series:
        """The facility's calendar day (naive midnight) of each instant of a datetime column (UTC)."""
        days = facility_time.local_days(values.to_numpy(dtype="datetime64[us]"), self.time_zone)
        return pd.Series(days.astype("datetime64[us]"), index=values.index)

    @property
    def inspection_start(self) -> pd.Timestamp:
        return pd.Timestamp(self.facility["inspection_start"])

    def bounds(self, sheet: str, column: str) -> tuple[np.ndarray, np.ndarray]:
        """The earliest and the latest instant each cell of the column may mean (datetime64[us], NaT
        where empty): the same instant for a time; the whole day for a date-only value."""
        values = self.sheets[sheet][column].to_numpy(dtype="datetime64[us]")
        day_only = self.date_only.get(sheet, {}).get(column)
        if day_only is None or not day_only.any():  # every cell a time: nothing to widen
            return values, values
        zone = self.time_zone
        if zone is None:
            latest = np.where(day_only, values + (DAY - MICROSECOND), values)
            return values, latest
        # with a zone: the facility's whole day as UTC instants (23 or 25 hours on a clock change)
        calendar = column in self.day_columns.get(sheet, ())
        local = values if calendar else facility_time.utc_to_local(values, zone)
        at = np.flatnonzero(day_only)
        days = local[at].astype("datetime64[D]")
        earliest, latest = values.copy(), values.copy()
        earliest[at] = facility_time.day_starts(days, zone)
        latest[at] = facility_time.day_ends(days, zone)
        return earliest, latest

    def has(self, sheet: str, *columns: str) -> bool:
        return sheet in self.sheets and all(c in self.sheets[sheet].columns for c in columns)
