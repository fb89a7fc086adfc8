"""What every rule kind may look at: the inspection's sheets and its dates."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from auditor.workbook.inspection import Inspection


@dataclass
class Context:
    inspection: Inspection
    _birth: dict[str, pd.Series] = field(default_factory=dict)

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
        """Date of birth of each row: its own column, else Intake's for the same detainee_id."""
        own = frame["date_of_birth"] if "date_of_birth" in frame else pd.Series(pd.NaT, index=frame.index)
        if (
            sheet == "Intake"
            or "detainee_id" not in frame
            or not self.inspection.has("Intake", "detainee_id", "date_of_birth")
        ):
            return own
        if "Intake" not in self._birth:
            intake = self.frame("Intake")[["detainee_id", "date_of_birth"]].dropna()
            self._birth["Intake"] = intake.drop_duplicates("detainee_id").set_index("detainee_id")[
                "date_of_birth"
            ]
        lookup = self._birth["Intake"].reindex(frame["detainee_id"]).to_numpy()
        return own.fillna(pd.Series(lookup, index=frame.index))

    def can_age(self, sheet: str) -> bool:
        """Whether ages can be computed for this sheet's rows."""
        return self.inspection.has(sheet, "date_of_birth") or (
            sheet != "Intake"
            and self.inspection.has(sheet, "detainee_id")
            and self.inspection.has("Intake", "detainee_id", "date_of_birth")
        )
