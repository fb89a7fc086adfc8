"""Inspections with known answers for the report tests (and for looking at the pages).

`realistic(folder)` writes a PBNDS-2011 inspection with findings in several functional areas,
a finding with 30 evidence rows (MC-MH-SCREEN: 30 admissions with no mental-health screening),
a current waiver (MC-DENTAL-SCREEN), an expired one (SMU-CHECKS), a tailored threshold and a
previous inspection's results (for repeat deficiencies), and audits it.

Known answers (facility of tests/builders.py: inspection ends 2026-04-09):
    UCAP due dates: priority 2026-05-09 (+30 days), standard 2026-07-08 (+90 days).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from builders import InspectionBuilder, at, valid_sheets

from auditor.contracts.results import Results
from auditor.core import audit_inspection

MH_MISSING = 30  # admissions with no mental-health screening: evidence rows of MC-MH-SCREEN
ADMISSIONS = 40
DUE_PRIORITY = "2026-05-09"
DUE_STANDARD = "2026-07-08"
WAIVER_JUSTIFICATION = "Dental contractor replaced in February; the interim clinic schedule is approved"
WAIVER_EXPIRES = "2026-12-31"
FORMULA_REMARKS = "=HYPERLINK(\"http://example.invalid\",\"click\")"


def detainee(number: int) -> str:
    return f"A{number:09d}"


def admission(number: int, *, mental_health: bool = True) -> dict[str, Any]:
    """A complete admission (every screening on time); mental_health=False leaves that one out."""
    arrival = dt.datetime(2026, 1, 3, 8, 0) + dt.timedelta(days=(number * 2) % 80, hours=number % 9)
    hours = dt.timedelta(hours=1)
    return {
        "detainee_id": detainee(number),
        "arrival": arrival,
        "sex": "M" if number % 3 else "F",
        "date_of_birth": dt.date(1980 + number % 20, 1 + number % 12, 1 + number % 27),
        "housing_unit": "A-1" if number % 3 else "B-1",
        "classification_level": 1 if number % 3 else 2,
        "classified": arrival + 4 * hours,
        "general_population": arrival + 24 * hours,
        "medical_screening": arrival + 2 * hours,
        "mental_health_screening": arrival + 3 * hours if mental_health else None,
        "tb_screening": arrival + 3 * hours,
        "health_assessment": arrival + 5 * 24 * hours,
        "dental_screening": arrival + 6 * 24 * hours,
        "pregnancy_test": None if number % 3 else arrival + 3 * hours,
        "acute_condition": False,
        "handbook_issued": arrival + 2 * hours,
        "arrived_with_medication": False,
        "saapi_screening": arrival + 4 * hours,
        "saapi_reassessment": None,  # no one is held the 90 days after which it is due
    }


def small_builder() -> InspectionBuilder:
    """A small inspection (Facility and Checklist): a short report, quick to render."""
    return InspectionBuilder().sheet("Checklist", valid_sheets()["Checklist"])


def realistic_builder() -> InspectionBuilder:
    sheets = valid_sheets()
    intake = [admission(n, mental_health=n > MH_MISSING) for n in range(1, ADMISSIONS + 1)]
    # the valid sheets' own detainees (placements, grievances and use of force refer to them)
    intake += sheets["Intake"][1:]
    sheets["Intake"] = intake
    sheets["Checklist"] = [
        *sheets["Checklist"],
        {"requirement_id": "SAAPI-POLICY", "finding": "deficient",
         "remarks": "zero-tolerance policy not posted in housing units B-1 and SMU-1; photos at "
                    "//fileserver/inspections/2026/ATL-SPC-0001/SAAPI/posting-B-1-and-SMU-1-photos-0042.jpg"},
    ]
    builder = InspectionBuilder()
    for name, rows in sheets.items():
        builder.sheet(name, rows)
    return builder


def formula_builder() -> InspectionBuilder:
    """The valid inspection with text that starts like a formula in remarks and food locations."""
    sheets = valid_sheets()
    sheets["Checklist"][1]["remarks"] = FORMULA_REMARKS
    sheets["FoodTemps"].append(
        {"recorded": at("2026-01-11 11:30"), "location": "+cmd|' /C calc'!A0", "item": "@SUM(1+1)",
         "kind": "hot-holding", "temp_f": 120}
    )
    sheets["FoodTemps"].append(
        {"recorded": at("2026-01-12 11:30"), "location": "-2+3", "item": "=1+1",
         "kind": "hot-holding", "temp_f": 110}
    )
    return InspectionBuilder().with_valid_sheets().sheet("Checklist", sheets["Checklist"]).sheet(
        "FoodTemps", sheets["FoodTemps"]
    )


@dataclass
class Scenario:
    workbook: Path
    waivers: Path
    tailoring: Path
    previous: Path
    results: Results


def realistic(folder: Path) -> Scenario:
    """Write the realistic inspection with its waivers, tailoring and previous results; audit it."""
    folder.mkdir(parents=True, exist_ok=True)
    workbook = realistic_builder().xlsx(folder / "realistic.xlsx")
    waivers = folder / "waivers.yml"
    waivers.write_text(
        "waivers:\n"
        "  - requirement_id: MC-DENTAL-SCREEN\n"
        "    facility_id: ATL-SPC-0001\n"
        f"    justification: {WAIVER_JUSTIFICATION}\n"
        "    approved_by: J. Rivera, Field Office Director\n"
        f"    expires: {WAIVER_EXPIRES}\n"
        "  - requirement_id: SMU-CHECKS\n"
        "    facility_id: ATL-SPC-0001\n"
        "    justification: Staffing shortage during the SMU renovation\n"
        "    approved_by: J. Rivera, Field Office Director\n"
        "    expires: 2026-01-31\n",
        encoding="utf-8",
    )
    tailoring = folder / "tailoring.yml"
    tailoring.write_text(
        "facility_id: ATL-SPC-0001\n"
        "approved_by: J. Rivera, Field Office Director\n"
        "reason: Intake nurses on site around the clock; the field office expects 8 hours.\n"
        "overrides:\n"
        "  MC-INTAKE-SCREEN:\n"
        "    limit: {hours: 8}\n",
        encoding="utf-8",
    )
    # The previous inspection: the same facility a year before, with some of today's deficiencies.
    first = audit_inspection(workbook).results
    assert first is not None
    data = first.to_dict()
    data["inspection"] |= {
        "inspection_id": "INSP-2025-0001",
        "inspection_start": "2025-04-07",
        "inspection_end": "2025-04-10",
    }
    before = {"MC-MH-SCREEN", "EHS-FIRE-DRILL", "REC-DAILY", "FS-STORAGE", "FS-HOT-HOLD"}
    for row in data["results"]:
        if row["requirement_id"] in before:
            row["status"], row["underlying_status"] = "deficient", None
        elif row["status"] == "deficient":
            row["status"] = "compliant"
    previous = folder / "previous.json"
    previous.write_text(json.dumps(data), encoding="utf-8")
    done = audit_inspection(workbook, tailoring=tailoring, waivers=waivers, previous=previous)
    assert done.results is not None, done.loaded.problems.records()
    return Scenario(workbook, waivers, tailoring, previous, done.results)


def pdf_text(path: Path, *, layout: bool = False) -> str:
    """The PDF's text, by pdftotext (poppler)."""
    args = ["pdftotext", *(["-layout"] if layout else []), str(path), "-"]
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def squeeze(text: str) -> str:
    """Whitespace (line breaks of the page layout included) collapsed to single spaces."""
    return re.sub(r"\s+", " ", text)


# ---------------------------------------------------------------------------- portfolio


def variant(results: Results, **facility: Any) -> Results:
    """A copy of these results for another facility (its fields and inspection id changed)."""
    data = results.to_dict()
    data["facility"] = {**data["facility"], **facility}
    data["inspection"] = {**data["inspection"], "inspection_id": f"INSP-{facility['facility_id']}"}
    return Results.from_dict(data)


def all_clear(results: Results) -> Results:
    """The same facility with every assessed requirement compliant: the policy rates it Meets Standards."""
    from auditor.engine.rating import summarise
    from auditor.standards.model import RatingPolicy

    copy = Results.from_dict(results.to_dict())
    for result in copy.results:
        if result.status in ("deficient", "waived"):
            result.status, result.underlying_status, result.waiver = "compliant", None, None
            result.evidence, result.evidence_total, result.repeat = [], 0, False
        elif result.status in ("not_assessed", "error"):
            result.status = "not_applicable"
    copy.summary = summarise(copy.results, RatingPolicy.from_data(copy.rating_policy))
    return copy


# ---------------------------------------------------------------------------- hostile text

SCRIPT = "<script>alert(1)</script>"
IMG = '<img src="file:///etc/passwd">'


def stylesheet_link(port: int) -> str:
    return f'<link rel="stylesheet" href="http://127.0.0.1:{port}/x.css">'


def hostile_builder(port: int) -> InspectionBuilder:
    """The valid inspection with markup typed into the cells an inspector fills in."""
    sheets = valid_sheets()
    link = stylesheet_link(port)
    sheets["Checklist"][1]["remarks"] = f"{IMG} {link} pallets against the wall"
    sheets["FoodTemps"].append(
        {"recorded": at("2026-01-11 11:30"), "location": link, "item": SCRIPT, "kind": "hot-holding",
         "temp_f": 120}
    )
    sheets["FoodTemps"][1]["location"] = link  # the daily-log finding names the location
    # a detainee id made of markup: masked to its last 4 characters, it must still be escaped
    for name in ("Intake", "Placements"):
        for row in sheets[name]:
            if row.get("detainee_id") == "A000000002":
                row["detainee_id"] = SCRIPT
    builder = InspectionBuilder(facility_name=f"{SCRIPT} Processing Center")
    for name, rows in sheets.items():
        builder.sheet(name, rows)
    return builder
