"""What a rule kind returns: population, violations and evidence, before statuses and waivers."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

EVIDENCE_COLUMNS = ["sheet", "row", "detail"]


@dataclass
class Outcome:
    population: int
    violations: int
    evidence: pd.DataFrame  # columns sheet, row (Excel row or missing), detail
    cells: dict[str, list[str]] = field(default_factory=dict)  # columns shown per sheet
    note: str | None = None
    empty_reason: str | None = None  # why nothing was there to examine
    status: str | None = None  # set only by attestations, which carry their own verdict
    remarks: str | None = None
    corrected_on_site: bool = False


def evidence(sheet: str, rows, details) -> pd.DataFrame:
    """Evidence rows of one sheet (rows: Excel row numbers, or None for a gap with no row)."""
    rows = pd.array(list(rows) if not isinstance(rows, pd.Index | pd.Series) else rows, dtype="Int64")
    details = list(details) if not isinstance(details, str) else [details] * len(rows)
    return pd.DataFrame({"sheet": sheet, "row": rows, "detail": pd.Series(details, dtype=object)})


def none() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "sheet": pd.Series([], dtype=object),
            "row": pd.array([], dtype="Int64"),
            "detail": pd.Series([], dtype=object),
        }
    )


def stamp(values: pd.Series) -> pd.Series:
    """Timestamps as the evidence shows them ('2026-03-14 07:30'; empty as '')."""
    return _as_text(values, "m")


def day(values: pd.Series) -> pd.Series:
    return _as_text(values, "D")


def _as_text(values: pd.Series, unit: str) -> pd.Series:
    # numpy's ISO formatting is several times faster than strftime on thousands of rows
    text = np.datetime_as_string(values.to_numpy(dtype=f"datetime64[{unit}]"), unit=unit).tolist()
    return pd.Series(
        [t.replace("T", " ") if t != "NaT" else "" for t in text], index=values.index, dtype=object
    )


def number(values: pd.Series) -> pd.Series:
    """Numbers as the evidence shows them: 41, 12.5, never 41.0."""
    return pd.Series([f"{v:g}" for v in values.astype(float)], index=values.index, dtype=object)
