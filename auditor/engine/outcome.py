"""What a rule kind returns: population, violations and evidence, before statuses and waivers."""

from __future__ import annotations

from dataclasses import dataclass, field

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
    """Timestamps as the evidence shows them."""
    return values.dt.strftime("%Y-%m-%d %H:%M").astype(object)


def day(values: pd.Series) -> pd.Series:
    return values.dt.strftime("%Y-%m-%d").astype(object)


def number(values: pd.Series) -> pd.Series:
    """Numbers as the evidence shows them: 41, 12.5, never 41.0."""
    return pd.Series([f"{v:g}" for v in values.astype(float)], index=values.index, dtype=object)
