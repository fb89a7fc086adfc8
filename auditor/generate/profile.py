"""What a generated inspection looks like: the facility, its size, and which deficiencies to plant."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Profile:
    """A fictional facility and the shape of its inspection.

    `deficiencies` maps a requirement id to the share of its population made deficient (at least
    one row when the share is above zero); `default_rate` applies to every other requirement.
    """

    facility_id: str
    facility_name: str
    facility_type: str
    aor: str
    state: str
    edition: str
    admissions: int
    seed: int
    inspection_id: str
    review_start: dt.date = dt.date(2026, 1, 1)
    review_days: int = 90
    inspection_type: str = "full"
    lead_inspector: str = "R. Okafor (fictional)"
    previous_inspection_id: str | None = None
    deficiencies: dict[str, float] = field(default_factory=dict)
    default_rate: float = 0.0
    missing_sheets: tuple[str, ...] = ()
    checklist: dict[str, str] = field(default_factory=dict)  # requirement id → finding (default compliant)
    long_stay_share: float = 0.08  # detainees admitted before the period and still held (a file sample)
    time_zone: str | None = None  # the Facility time_zone; needed where the state spans zones
    unrecorded_levels: int = 0  # general units whose custody levels were left blank (undecidable)
    overview: dict[str, Any] = field(default_factory=dict)  # the Facility sheet's overview fields (ODO's)

    @property
    def review_end(self) -> dt.date:
        return self.review_start + dt.timedelta(days=self.review_days - 1)

    @property
    def inspection_start(self) -> dt.date:
        return self.review_end + dt.timedelta(days=6)

    @property
    def inspection_end(self) -> dt.date:
        return self.inspection_start + dt.timedelta(days=3)

    def rate(self, requirement_id: str) -> float:
        return self.deficiencies.get(requirement_id, self.default_rate)

    @property
    def units(self) -> int:
        """General-population housing units (about 60 beds each)."""
        return max(2, round(self.admissions / 90))

    @property
    def rated_capacity(self) -> int:
        return self.units * 64 + 24

    def facility(self) -> dict[str, Any]:
        return {
            "facility_id": self.facility_id,
            "facility_name": self.facility_name,
            "facility_type": self.facility_type,
            "aor": self.aor,
            "state": self.state,
            "detention_standard": self.edition,
            "rated_capacity": self.rated_capacity,
            "inspection_id": self.inspection_id,
            "inspection_type": self.inspection_type,
            "inspection_start": self.inspection_start,
            "inspection_end": self.inspection_end,
            "review_period_start": self.review_start,
            "review_period_end": self.review_end,
            "lead_inspector": self.lead_inspector,
            **(
                {"previous_inspection_id": self.previous_inspection_id} if self.previous_inspection_id else {}
            ),
            **({"time_zone": self.time_zone} if self.time_zone else {}),
            **self.overview,
        }
