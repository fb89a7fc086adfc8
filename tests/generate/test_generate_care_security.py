"""The generator plants issue 18's sick-call, medical-grievance, request, restraint, strip-search and
death-notification deficiencies at the rate asked, and none at rate 0: the audit's counts equal
ceil(rate × eligible rows), the eligible rows counted here from the generated sheets."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import pandas as pd
import pytest

from auditor.core import audit_inspection
from auditor.generate.inspection import generate
from auditor.generate.synthetic import synthetic_profile
from auditor.workbook.write import write_inspection

IDS = (
    "MC-SICK-CALL-TRIAGE",
    "MC-SICK-CALL-SEEN",
    "MC-MEDICATION-CONTINUITY",
    "GS-MEDICAL-FORWARD",
    "GS-MEDICAL-RESPONSE",
    "SDC-REQUEST-RESPONSE",
    "UOF-RESTRAINT-MEDICAL-CHECK",
    "SOD-STRIP-SEARCH",
    "TIAD-DEATH-NOTIFY",
)
RATE = 0.2


def audited(tmp_path: Path, rate: float):
    # index 0 is an SPC under PBNDS 2011; 400 admissions give about 200 sick-call requests
    profile = dataclasses.replace(synthetic_profile(0, 400, 11, 0.0), deficiencies=dict.fromkeys(IDS, rate))
    facility, sheets = generate(profile)
    path = write_inspection(tmp_path / "inspection.xlsx", facility, sheets)
    results = audit_inspection(path).results
    assert results is not None
    return profile, sheets, results.by_id()


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    return audited(tmp_path_factory.mktemp("planted"), RATE)


def test_rate_zero_leaves_every_one_compliant(tmp_path: Path) -> None:
    _, sheets, results = audited(tmp_path, 0.0)
    assert {rid: results[rid].status for rid in IDS} == dict.fromkeys(IDS, "compliant")
    assert (sheets["Incidents"]["kind"] == "death").sum() == 1
    assert results["UOF-RESTRAINT-MEDICAL-CHECK"].population >= 2  # the four-point and chair rows


def test_each_planted_at_its_rate_of_the_eligible_rows(planted) -> None:
    profile, sheets, results = planted
    sick, grievances = sheets["SickCall"], sheets["Grievances"]
    medical = grievances["kind"] == "medical"
    # planted only where both medical deadlines fall well inside the review period
    room = medical & (grievances["received"] <= pd.Timestamp(profile.review_end) - pd.Timedelta(days=20))
    forwarded_in_room = room & grievances["medical_received"].notna()
    intake = sheets["Intake"]
    period_end = pd.Timestamp(profile.review_end) + pd.Timedelta(days=1)
    arrivals = (intake["arrival"] >= pd.Timestamp(profile.review_start)) & (
        intake["arrival"] + pd.Timedelta(hours=24) <= period_end
    )
    brought = intake["arrived_with_medication"].fillna(False).astype(bool)
    checked = sheets["Restraints"]["kind"].isin(["four-point", "five-point", "restraint-chair"])
    eligible = {
        "MC-SICK-CALL-TRIAGE": len(sick),
        "MC-SICK-CALL-SEEN": int(sick["clinical_symptom"].sum()),
        # admissions of the period whose 24-hour deadline falls inside it
        "MC-MEDICATION-CONTINUITY": int((brought & arrivals).sum()),
        "GS-MEDICAL-FORWARD": int(room.sum()),
        "SDC-REQUEST-RESPONSE": len(sheets["Requests"]),
        "UOF-RESTRAINT-MEDICAL-CHECK": int(checked.sum()),
        "SOD-STRIP-SEARCH": len(sheets["Searches"]),
        "TIAD-DEATH-NOTIFY": 1,
    }
    for rid, count in eligible.items():
        assert results[rid].violations == math.ceil(RATE * count), rid
        assert results[rid].indeterminate == 0, rid
    # the late answers are planted among the grievances still forwarded in time or late, not never
    response = results["GS-MEDICAL-RESPONSE"]
    assert response.violations == math.ceil(RATE * int(forwarded_in_room.sum()))
    assert response.population == int((medical & grievances["medical_received"].notna()).sum())
