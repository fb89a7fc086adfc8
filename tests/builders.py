"""One fixture builder for every test: a fictional inspection, written by the real writer.

    InspectionBuilder()                                  # a valid Facility sheet, no other sheet
        .facility(rated_capacity=-1, aor=REMOVE)         # override or remove Facility fields
        .sheet("Intake", [{"detainee_id": "A1", ...}])   # rows as dicts, or a DataFrame
        .xlsx(tmp_path / "inspection.xlsx")              # or .csv(tmp_path / "folder")

Values go in as Python values: a `datetime`/`date` becomes a real Excel date (and ISO text in
CSV), a string is written as text as it is (so bad text such as "03/04/2026" reaches the reader
untouched), None is an empty cell. `valid_sheets()` gives a few consistent rows for every sheet.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from auditor.workbook.write import write_inspection

REMOVE = object()  # a Facility override that leaves the field out


def at(text: str) -> dt.datetime:
    """`at("2026-01-05 08:00")`: a date and time, short to write in tables of rows."""
    return dt.datetime.fromisoformat(text)


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def valid_facility() -> dict[str, Any]:
    """A valid fictional facility: PBNDS-2011 SPC in ATL, reviewed Jan–Mar 2026, inspected 6–9 April."""
    return {
        "facility_id": "ATL-SPC-0001",
        "facility_name": "Fictional Service Processing Center",
        "facility_type": "SPC",
        "aor": "ATL",
        "state": "GA",
        "detention_standard": "PBNDS-2011",
        "rated_capacity": 600,
        "inspection_id": "INSP-2026-0001",
        "inspection_type": "full",
        "inspection_start": day("2026-04-06"),
        "inspection_end": day("2026-04-09"),
        "review_period_start": day("2026-01-01"),
        "review_period_end": day("2026-03-31"),
        "lead_inspector": "Pat Example",
        "previous_inspection_id": "INSP-2025-0001",
    }


class InspectionBuilder:
    """A fictional inspection: valid Facility fields plus whatever sheets a test adds."""

    def __init__(self, **facility: Any) -> None:
        self.fields = valid_facility()
        self.sheets: dict[str, pd.DataFrame] = {}
        self.facility(**facility)

    def facility(self, **fields: Any) -> InspectionBuilder:
        """Override Facility fields; REMOVE leaves one out, unknown names are written as given."""
        for name, value in fields.items():
            if value is REMOVE:
                self.fields.pop(name, None)
            else:
                self.fields[name] = value
        return self

    def sheet(self, name: str, rows: Iterable[Mapping[str, Any]] | pd.DataFrame) -> InspectionBuilder:
        """Add (or replace) a sheet; rows as dicts (columns in order of first use) or a DataFrame."""
        self.sheets[name] = rows.copy() if isinstance(rows, pd.DataFrame) else _frame(list(rows))
        return self

    def with_valid_sheets(self, *names: str) -> InspectionBuilder:
        """Add the valid rows of these sheets (all sheets when none is named)."""
        rows = valid_sheets()
        for name in names or tuple(rows):
            self.sheet(name, rows[name])
        return self

    def xlsx(self, path: Path) -> Path:
        return write_inspection(path, self.fields, self.sheets, csv=False)

    def csv(self, folder: Path) -> Path:
        return write_inspection(folder, self.fields, self.sheets, csv=True)

    def save(self, path: Path) -> Path:
        """A .xlsx when the path has that suffix, else a CSV folder."""
        return self.xlsx(path) if path.suffix == ".xlsx" else self.csv(path)


def _frame(rows: list[Mapping[str, Any]]) -> pd.DataFrame:
    columns: dict[str, None] = {}
    for row in rows:
        columns.update(dict.fromkeys(row))
    # object columns: each value is written as given (no dtype inference turning text into NaN)
    return pd.DataFrame(
        {c: pd.Series([row.get(c) for row in rows], dtype=object) for c in columns}, columns=list(columns)
    )


def valid_sheets() -> dict[str, list[dict[str, Any]]]:
    """A few valid, mutually consistent rows for every sheet (row 2 is the first row of each)."""
    return {
        "Intake": [
            {
                "detainee_id": "A000000001", "arrival": at("2026-01-05 08:00"), "sex": "M",
                "date_of_birth": day("1990-04-01"), "housing_unit": "A-1", "classification_level": 1,
                "classified": at("2026-01-05 14:00"), "reclassified": at("2026-03-10 09:00"),
                "general_population": at("2026-01-06 09:00"), "medical_screening": at("2026-01-05 10:00"),
                "mental_health_screening": at("2026-01-05 10:30"), "tb_screening": at("2026-01-05 11:00"),
                "health_assessment": at("2026-01-12 09:00"), "dental_screening": at("2026-01-15 09:00"),
                "acute_condition": False, "handbook_issued": at("2026-01-05 12:00"),
                "release": at("2026-03-20 10:00"), "arrived_with_medication": False,
                "saapi_screening": at("2026-01-05 12:00"), "saapi_reassessment": at("2026-03-10 09:00"),
            },
            {
                "detainee_id": "A000000002", "arrival": at("2026-01-20 22:15"), "sex": "F",
                "date_of_birth": day("1985-11-30"), "housing_unit": "B-1", "classification_level": 2,
                "classified": at("2026-01-21 08:00"), "general_population": at("2026-01-22 08:00"),
                "medical_screening": at("2026-01-20 23:30"),
                "mental_health_screening": at("2026-01-21 07:00"),
                "tb_screening": at("2026-01-21 07:30"), "health_assessment": at("2026-01-30 10:00"),
                "pregnancy_test": at("2026-01-21 08:30"), "acute_condition": True,
                "acute_evaluation": at("2026-01-21 01:00"), "mental_health_referral": at("2026-01-21 09:00"),
                "mental_health_evaluation": at("2026-01-22 15:00"), "handbook_issued": at("2026-01-21 09:00"),
                # brought medication; the sexual-abuse assessment referred her for both follow-ups
                "arrived_with_medication": True, "medication_reviewed": at("2026-01-21 08:00"),
                "saapi_screening": at("2026-01-21 07:00"),
                "saapi_medical_referral": at("2026-01-21 07:00"),
                "saapi_medical_evaluation": at("2026-01-22 10:00"),
                "saapi_mh_referral": at("2026-01-21 07:00"),
                "saapi_mh_evaluation": at("2026-01-22 15:00"),
            },
            {
                "detainee_id": "A000000003", "arrival": at("2026-02-02 06:45"), "sex": "X",
                "housing_unit": "A-1", "classification_level": 3, "classified": at("2026-02-02 12:00"),
                "medical_screening": at("2026-02-02 08:00"), "handbook_issued": at("2026-02-02 09:00"),
                "arrived_with_medication": False, "saapi_screening": at("2026-02-02 09:00"),
            },
        ],
        "Housing": [
            {
                "unit_id": "A-1", "unit_type": "general", "sex": "M", "rated_capacity": 64, "population": 51,
                "classification_levels": "1,2", "toilets": 6, "urinals": 2, "showers": 5, "washbasins": 6,
                "phones": 4,
            },
            {
                "unit_id": "B-1", "unit_type": "general", "sex": "F", "rated_capacity": 32, "population": 20,
                "classification_levels": "1,2,3", "toilets": 4, "urinals": 0, "showers": 3, "washbasins": 4,
                "phones": 2,
            },
            {"unit_id": "SMU-1", "unit_type": "special-management", "rated_capacity": 8, "population": 2},
            {"unit_id": "MED-1", "unit_type": "medical", "rated_capacity": 6, "population": 1},
        ],
        "Placements": [
            {
                "placement_id": "P-001", "detainee_id": "A000000001", "kind": "administrative-segregation",
                "start": at("2026-02-01 08:00"), "end": at("2026-02-03 08:00"), "unit_id": "SMU-1",
                "sex": "M", "mental_illness": False, "field_office_notified": at("2026-02-01 12:00"),
            },
            {
                "placement_id": "P-002", "detainee_id": "A000000002", "kind": "suicide-watch-constant",
                "start": at("2026-03-01 10:00"), "end": at("2026-03-02 10:00"), "unit_id": "MED-1",
                "suicide_risk": True, "watch_evaluation": at("2026-03-01 14:00"), "released_by_qmhp": True,
            },
            {
                "placement_id": "P-003", "detainee_id": "A000000003", "kind": "disciplinary-segregation",
                "start": at("2026-03-25 09:00"), "unit_id": "SMU-1", "sanction_days": 10,
            },
        ],
        "Checks": [
            {"placement_id": "P-002", "checked": at("2026-03-01 10:15")},
            {"placement_id": "P-002", "checked": at("2026-03-01 10:30")},
            {"placement_id": "P-001", "checked": at("2026-02-01 08:30")},
        ],
        "UseOfForce": [
            {
                "incident_id": "UOF-001", "occurred": at("2026-02-10 14:00"), "kind": "immediate",
                "detainee_id": "A000000003", "chemical_agent": False, "medical_exam": at("2026-02-10 14:40"),
                "video_recorded": True, "after_action_review": day("2026-02-12"),
            },
        ],
        "Grievances": [
            {
                "grievance_id": "G-001", "detainee_id": "A000000001", "kind": "informal",
                "received": at("2026-01-20 09:00"), "answered": at("2026-01-21 10:00"),
            },
            # a Saturday: with Presidents' Day, answered on the 3rd working day after the clinic had it
            {"grievance_id": "G-002", "kind": "medical", "received": at("2026-02-14 16:20"),
             "medical_received": at("2026-02-14 18:00"), "answered": at("2026-02-19 11:00")},
        ],
        "HungerStrikes": [
            {"hunger_strike_id": "HS-001", "detainee_id": "A000000001", "started": at("2026-02-05 07:00"),
             "ended": at("2026-02-09 12:00"), "medical_referral": at("2026-02-07 18:00"),
             "field_office_notified": at("2026-02-07 20:00")},
        ],
        "Allegations": [
            {"allegation_id": "AL-001", "detainee_id": "A000000002", "received": at("2026-02-20 09:30"),
             "grievance": True, "decided": at("2026-02-23 15:00"), "appealed": at("2026-02-25 10:00"),
             "appeal_answered": at("2026-03-10 14:00")},
        ],
        "SickCall": [
            {"request_id": "SC-001", "detainee_id": "A000000001", "requested": at("2026-02-03 08:00"),
             "clinical_symptom": True, "triaged": at("2026-02-03 12:00"), "seen": at("2026-02-04 09:00")},
        ],
        "Requests": [
            {"request_id": "RQ-001", "detainee_id": "A000000001", "received": at("2026-02-04 09:00"),
             "answered": at("2026-02-05 15:00")},
        ],
        "Restraints": [
            {"restraint_id": "RS-001", "detainee_id": "A000000003", "kind": "restraint-chair",
             "applied": at("2026-02-10 14:10"), "removed": at("2026-02-10 16:00"),
             "medical_check": at("2026-02-10 14:30")},
        ],
        "Searches": [
            {"search_id": "SR-001", "detainee_id": "A000000003", "kind": "strip",
             "conducted": at("2026-02-10 15:00"), "reasonable_suspicion": True, "supervisor_approved": True},
        ],
        "Incidents": [
            {"incident_id": "IN-001", "kind": "death", "occurred": at("2026-03-15 04:10"),
             "detainee_id": "A000000009", "ice_notified": at("2026-03-15 06:00")},
        ],
        "FoodTemps": [
            {"recorded": at("2026-01-10 11:30"), "location": "main kitchen", "item": "chicken",
             "kind": "hot-holding", "temp_f": 145.5},
            {"recorded": at("2026-01-10 07:00"), "location": "walk-in cooler 1", "kind": "refrigerator",
             "temp_f": 38},
        ],
        "Activities": [
            {"unit_id": "A-1", "date": day("2026-01-10"), "recreation_minutes": 60, "outdoor": True,
             "law_library_minutes": 60},
            {"unit_id": "A-1", "date": day("2026-01-11"), "recreation_minutes": 45, "outdoor": False,
             "law_library_minutes": 30},
            {"unit_id": "B-1", "date": day("2026-01-10"), "recreation_minutes": 60, "outdoor": True},
        ],
        "SafetyLog": [
            {"date": day("2026-01-15"), "area": "A-1", "event": "fire-drill",
             "result": "evacuated in 4 minutes"},
            {"date": day("2026-02-01"), "event": "pest-control", "result": "no activity found"},
        ],
        "Staff": [
            {"staff_id": "S-0001", "role": "custody", "supervises_detainees": True,
             "suicide_prevention_training": day("2025-10-01"), "saapi_training": day("2025-09-15"),
             "cpr_expires": day("2027-01-31")},
            {"staff_id": "S-0002", "role": "medical", "supervises_detainees": False,
             "license_expires": day("2027-06-30")},
        ],
        "Checklist": [
            {"requirement_id": "EHS-FIRE-PLAN", "finding": "compliant", "evidence": "photo 12"},
            {"requirement_id": "FS-STORAGE", "finding": "deficient",
             "remarks": "dry storage pallets against the wall", "corrected_on_site": True},
            {"requirement_id": "KLC-KEY-CONTROL", "finding": "not-applicable",
             "remarks": "keys are held off site by the contractor"},
        ],
    }


def problem_at(problems: pd.DataFrame, ref: str) -> dict[str, Any]:
    """The one problem at `Sheet!A1` (fails when there is none or more than one)."""
    sheet, cell = ref.split("!")
    found = problems[(problems["sheet"] == sheet) & (problems["cell"] == cell)]
    assert len(found) == 1, f"expected one problem at {ref}, found:\n{problems.to_string()}"
    return found.iloc[0].to_dict()


def refs(problems: pd.DataFrame, code: str | None = None, severity: str | None = None) -> list[str]:
    """`Sheet!A1` of every problem (with this code, of this severity), in the reported order."""
    mask = problems["cell"].notna()
    if code is not None:
        mask &= problems["code"] == code
    if severity is not None:
        mask &= problems["severity"] == severity
    chosen = problems[mask]
    return [f"{s}!{c}" for s, c in zip(chosen["sheet"], chosen["cell"], strict=True)]


def sha256(path: Path) -> str:
    """A file's hash, or a folder's (every file in it): proof that an input was not modified."""
    digest = hashlib.sha256()
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    for file in files:
        digest.update(file.name.encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()
