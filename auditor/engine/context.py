"""What every rule kind may look at: the inspection's sheets and its dates."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from auditor.contracts.inspection import Inspection


@dataclass
class Context:
    inspection: Inspection
    cache: dict[Any, Any] = field(default_factory=dict)  # work several rules share (max_gap's events)

    @property
    def review_start(self) -> pd.Timestamp:
        return self.inspection.review_start

    @property
    def review_end(self) -> pd.Timestamp:
        """The last instant of the review period."""
        return self.inspection.review_end

    @property
    def inspection_start(self) -> pd.Timestamp:
        return self.inspection.inspection_start

    def frame(self, sheet: str) -> pd.DataFrame:
        return self.inspection.sheets[sheet]

    def birth_dates(self, sheet: str, frame: pd.DataFrame) -> pd.Series:
        """Date of birth of each row of `frame` (the sheet, or some of its rows): its own column,
        else Intake's for the same detainee_id. Worked out once per sheet and kept."""
        key = ("birth dates", sheet)
        if key not in self.cache:
            self.cache[key] = self._birth_dates(sheet, self.frame(sheet))
        every = self.cache[key]
        return every if frame.index.equals(every.index) else every.reindex(frame.index)

    def _birth_dates(self, sheet: str, frame: pd.DataFrame) -> pd.Series:
        own = (
            frame["date_of_birth"].astype("datetime64[us]")
            if "date_of_birth" in frame
            else pd.Series(pd.NaT, index=frame.index, dtype="datetime64[us]")
        )
        if (
            sheet == "Intake"
            or "detainee_id" not in frame
            or not self.inspection.has("Intake", "detainee_id", "date_of_birth")
        ):
            return own
        # Intake's first recorded date of birth of each detainee_id
        intake = self.frame("Intake")
        ids = intake["detainee_id"]
        codes, count = self.joint_codes(sheet, "detainee_id")
        births = intake["date_of_birth"].to_numpy(dtype="datetime64[us]")
        known = np.flatnonzero(~np.isnat(births) & (codes[: len(ids)] >= 0))[::-1]  # reversed: first wins
        table = np.full(count + 1, np.datetime64("NaT"), dtype="datetime64[us]")  # [-1]: no id
        table[codes[: len(ids)][known]] = births[known]
        return own.fillna(pd.Series(table[codes[len(ids) :]], index=frame.index))

    def joint_codes(self, sheet: str, column: str) -> tuple[np.ndarray, int]:
        """One code per value of Intake's `column` then of the sheet's (-1: empty), equal values alike,
        and how many values there are: one factorize of both columns (hashing the ids once, in C rather
        than a reindex on a text index), kept for every rule matching the two sheets by that column."""
        key = ("joint codes", "Intake", sheet, column)
        if key not in self.cache:
            both = pd.concat([self.frame("Intake")[column], self.frame(sheet)[column]], ignore_index=True)
            codes, uniques = pd.factorize(both)
            self.cache[key] = (codes, len(uniques))
        return self.cache[key]

    def can_age(self, sheet: str) -> bool:
        """Whether ages can be computed for this sheet's rows."""
        return self.inspection.has(sheet, "date_of_birth") or (
            sheet != "Intake"
            and self.inspection.has(sheet, "detainee_id")
            and self.inspection.has("Intake", "detainee_id", "date_of_birth")
        )
