"""The Inspection: what a workbook, a CSV folder or an importer's folder becomes once read, typed
and validated, and what the engine evaluates. Sheet frames are indexed by Excel row number."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd


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

    @property
    def review_start(self) -> pd.Timestamp:
        return pd.Timestamp(self.facility["review_period_start"])

    @property
    def review_end(self) -> pd.Timestamp:
        """The last instant of the review period (end of its last day)."""
        return (
            pd.Timestamp(self.facility["review_period_end"])
            + pd.Timedelta(days=1)
            - pd.Timedelta(microseconds=1)
        )

    @property
    def inspection_start(self) -> pd.Timestamp:
        return pd.Timestamp(self.facility["inspection_start"])

    def has(self, sheet: str, *columns: str) -> bool:
        return sheet in self.sheets and all(c in self.sheets[sheet].columns for c in columns)
