"""The Roster: ICE's facility list as an importer reads it, one Facility a row, with every value
no profile table lists kept as an Unrecognised cell. The portfolio reads it; the registry stores it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Facility:
    """One facility of ICE's roster, as reported (labels kept beside their normalised values)."""

    facility_id: str
    name: str
    address: str | None
    city: str | None
    state: str | None
    zip: str | None
    aor: str | None
    facility_type: str | None
    facility_type_label: str | None
    detention_standard: str | None
    detention_standard_label: str | None
    last_inspection_type: str | None
    last_inspection_type_label: str | None
    last_inspection_end: str | None  # ISO date
    last_inspection_status: str  # inspected, scheduled FY26, new facility, none reported, …
    final_rating: str | None
    final_rating_label: str | None
    rating_outcome: str | None  # pass, fail, pending, other
    guaranteed_minimum: int | None
    pending_inspection: str | None
    row: int  # Excel row in the source sheet
    ref: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Unrecognised:
    """A cell whose value no table of the profile lists."""

    ref: str
    field: str
    value: str
    expected: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Roster:
    source: dict[str, Any]
    facilities: list[Facility]
    unrecognised: list[Unrecognised] = field(default_factory=list)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Roster:
        """A roster read back from `auditor facilities import --format json`."""
        return cls(
            source=data["source"],
            facilities=[Facility(**f) for f in data["facilities"]],
            unrecognised=[Unrecognised(**u) for u in data.get("unrecognised", [])],
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "facilities": [f.to_dict() for f in self.facilities],
            "unrecognised": [u.to_dict() for u in self.unrecognised],
        }
