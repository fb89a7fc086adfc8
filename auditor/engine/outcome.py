"""What a rule kind returns: population, violations, indeterminate records and evidence, before statuses
and waivers. Every record of the population is a proven violation, proven compliant, or indeterminate
(docs/verdicts.md): population = violations + compliant + indeterminate."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from auditor.contracts import facility_time

EVIDENCE_COLUMNS = ["sheet", "row", "detail", "verdict"]
VIOLATION, INDETERMINATE = "violation", "indeterminate"  # the verdicts evidence rows carry


@dataclass
class Outcome:
    population: int
    violations: int
    evidence: pd.DataFrame  # columns sheet, row (Excel row or missing), detail, verdict
    cells: dict[str, list[str]] = field(default_factory=dict)  # columns shown per sheet
    note: str | None = None
    empty_reason: str | None = None  # why nothing was there to examine
    status: str | None = None  # set only by attestations, which carry their own verdict
    remarks: str | None = None
    corrected_on_site: bool = False
    finding: str | None = None  # an attestation's area_of_concern or best_practice: no deficiency, not rated
    indeterminate: int = 0  # records the data cannot decide (their evidence rows say why)
    absent_columns: list[str] = field(default_factory=list)  # optional columns the sheet lacks
    # A kind whose every row is decided alone gives its per-row masks (population, violation,
    # indeterminate, and what its note counts) and `words`: the note and empty reason of any part of
    # the rows from those counts; many inspections evaluated as one frame split on them (engine/many.py)
    rows: dict[str, np.ndarray] | None = None
    words: Callable[[dict[str, int]], tuple[str | None, str | None]] | None = None
    records: list[Any] | None = None  # the evidence as Results show it, when split from a joined run

    @property
    def compliant(self) -> int:
        return self.population - self.violations - self.indeterminate


def evidence(sheet: str, rows, details, verdict: str = VIOLATION) -> pd.DataFrame:
    """Evidence rows of one sheet (rows: Excel row numbers, or None for a gap with no row); `verdict`
    says whether they prove violations or are the indeterminate records, with why in `details`."""
    rows = pd.array(list(rows) if not isinstance(rows, pd.Index | pd.Series) else rows, dtype="Int64")
    details = list(details) if not isinstance(details, str) else [details] * len(rows)
    return pd.DataFrame(
        {"sheet": sheet, "row": rows, "detail": pd.Series(details, dtype=object), "verdict": verdict}
    )


def put(detail: pd.Series, rows: np.ndarray, text: pd.Series | str) -> None:
    """detail[rows] = text, where `text` is one string or a Series of those rows in order: given by
    position, not aligned on the whole index first (pandas' alignment: 90 ms at a million rows, 1 ms by
    position; each rule of a large sheet sets a few)."""
    if isinstance(text, pd.Series) and text.index.equals(detail.index[rows]):
        detail[rows] = text.to_numpy(dtype=object)
    else:
        detail[rows] = text


def both(violations: pd.DataFrame, indeterminate: pd.DataFrame) -> pd.DataFrame:
    """The evidence of the violations, then of the indeterminate records."""
    if indeterminate.empty:
        return violations
    if violations.empty:
        return indeterminate
    return pd.concat([violations, indeterminate], ignore_index=True)


def none() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "sheet": pd.Series([], dtype=object),
            "row": pd.array([], dtype="Int64"),
            "detail": pd.Series([], dtype=object),
            "verdict": pd.Series([], dtype=object),
        }
    )


def stamp(values: pd.Series, zone: str | None = None) -> pd.Series:
    """Instants (naive UTC) as the facility's clock shows them, what the inspector wrote
    ('2026-03-14 07:30'; empty as ''). A time in the hour a fall-back change repeats would name two
    instants, so it carries its offset ('2026-11-01 01:30 -05:00'), as the workbook must write it.
    Zone None: as held (times read without a zone)."""
    if zone is None:
        return _as_text(values, "m")
    instants = values.to_numpy(dtype="datetime64[us]")
    local = facility_time.utc_to_local(instants, zone)
    text = _as_text(pd.Series(local, index=values.index), "m")
    repeated = facility_time.local_to_utc(local, zone)[2]
    if repeated.any():
        text[repeated] = text[repeated] + " " + [_offset(o) for o in (local - instants)[repeated].tolist()]
    return text


def day(values: pd.Series, zone: str | None = None) -> pd.Series:
    """Days as the evidence shows them ('2026-03-14'): with a zone, the facility's day of each instant
    (UTC); without, as held (a date column's calendar days, which are never converted)."""
    if zone is None:
        return _as_text(values, "D")
    local = facility_time.utc_to_local(values.to_numpy(dtype="datetime64[us]"), zone)
    return _as_text(pd.Series(local, index=values.index), "D")


def _offset(delta: dt.timedelta) -> str:
    """Local minus UTC as an ISO 8601 offset: -05:00."""
    minutes = int(delta.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{rest:02d}"


def _as_text(values: pd.Series, unit: str) -> pd.Series:
    # numpy's ISO formatting, then the 'T' swapped for a space in the characters' code points: no
    # Python loop over the rows (thousands of evidence rows per rule)
    instants = values.to_numpy(dtype=f"datetime64[{unit}]")
    text = np.datetime_as_string(instants, unit=unit)
    if unit != "D" and len(text):
        codes = text.view(np.uint32).reshape(len(text), -1)
        at = np.argmax(codes == ord("T"), axis=1)  # column 10 for years 0–9999, later for wider ones
        has = codes[np.arange(len(text)), at] == ord("T")
        codes[np.flatnonzero(has), at[has]] = ord(" ")
    out = text.astype(object)
    out[np.isnat(instants)] = ""
    return pd.Series(out, index=values.index, dtype=object)


def number(values: pd.Series) -> pd.Series:
    """Numbers as the evidence shows them: 41, 12.5, never 41.0."""
    return pd.Series([f"{v:g}" for v in values.astype(float)], index=values.index, dtype=object)
