"""Observation requirements, answered by the inspector in the Checklist sheet."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from auditor.standards.load import load_edition

if TYPE_CHECKING:
    from conftest import Audit, Check, Cited

OBSERVATIONS = sorted(load_edition("PBNDS-2011").observation_ids())


def test_the_catalogue_has_20_observation_requirements() -> None:
    assert len(OBSERVATIONS) == 20
    # NDS 2019 has neither PBNDS 2011's accreditation nor its Key and Lock Control (issue 18)
    assert load_edition("NDS-2019").observation_ids() == set(OBSERVATIONS) - {
        "MC-ACCREDITATION",
        "KLC-KEY-CONTROL",
    }


@pytest.mark.parametrize("requirement_id", OBSERVATIONS)
def test_observation_found_compliant_is_compliant(check: Check, requirement_id: str) -> None:
    result = check(requirement_id, Checklist=[{"requirement_id": requirement_id, "finding": "compliant"}])
    assert (result.status, result.population, result.violations) == ("compliant", 1, 0)
    assert (result.type, result.population_label) == ("observation", "observation")
    assert result.evidence == []


@pytest.mark.parametrize("requirement_id", OBSERVATIONS)
def test_observation_found_deficient_carries_the_remarks_as_evidence(
    check: Check, cited: Cited, requirement_id: str
) -> None:
    result = check(
        requirement_id,
        Checklist=[
            {
                "requirement_id": "GS-LOG" if requirement_id != "GS-LOG" else "FS-STORAGE",
                "finding": "compliant",
            },
            {
                "requirement_id": requirement_id,
                "finding": "deficient",
                "remarks": "Seen missing on 2026-04-07.",
                "evidence": "photo 12",
            },
        ],
    )
    assert (result.status, result.population, result.violations) == ("deficient", 1, 1)
    assert result.remarks == "Seen missing on 2026-04-07."
    assert cited(result) == [("Checklist", 3, requirement_id, "Seen missing on 2026-04-07.")]
    assert [c["column"] for c in result.evidence[0].cells] == [
        "requirement_id",
        "finding",
        "remarks",
        "evidence",
    ]


def test_observation_not_applicable_is_not_applicable_with_the_remarks(check: Check) -> None:
    result = check(
        "MC-ACCREDITATION",
        Checklist=[
            {
                "requirement_id": "MC-ACCREDITATION",
                "finding": "not-applicable",
                "remarks": "No on-site medical unit; care is contracted out.",
            }
        ],
    )
    assert (result.status, result.population, result.violations) == ("not_applicable", 0, 0)
    assert (
        result.reason
        == "the inspector found it not applicable: No on-site medical unit; care is contracted out."
    )


def test_observation_not_observed_is_not_assessed(check: Check) -> None:
    result = check("FS-STORAGE", Checklist=[{"requirement_id": "FS-STORAGE", "finding": "not-observed"}])
    assert (result.status, result.reason) == ("not_assessed", "the inspector did not observe it")


def test_observation_without_a_checklist_row_is_not_assessed(check: Check) -> None:
    result = check("FS-STORAGE", Checklist=[{"requirement_id": "GS-LOG", "finding": "compliant"}])
    assert (result.status, result.reason) == ("not_assessed", "no Checklist row for this requirement")


def test_observation_without_a_checklist_sheet_is_not_assessed(check: Check) -> None:
    result = check("FS-STORAGE", Intake=[])
    assert (result.status, result.reason) == ("not_assessed", "the Checklist sheet is missing")


def test_observation_corrected_on_site_is_still_deficient_and_flagged(check: Check) -> None:
    result = check(
        "EHS-EXTENSION-CORDS",
        Checklist=[
            {
                "requirement_id": "EHS-EXTENSION-CORDS",
                "finding": "deficient",
                "remarks": "Power strip feeding the laundry dryer; removed.",
                "corrected_on_site": True,
            }
        ],
    )
    assert (result.status, result.violations) == ("deficient", 1)
    assert result.corrected_on_site is True
    values = {c["column"]: c["value"] for c in result.evidence[0].cells}
    assert values["corrected_on_site"] == "TRUE"


def test_observation_not_corrected_on_site_is_not_flagged(check: Check) -> None:
    result = check(
        "EHS-EXTENSION-CORDS",
        Checklist=[
            {
                "requirement_id": "EHS-EXTENSION-CORDS",
                "finding": "deficient",
                "remarks": "Cords in B.",
                "corrected_on_site": False,
            }
        ],
    )
    assert result.corrected_on_site is False


def test_accreditation_is_a_pbnds_2011_requirement_only(audit: Audit) -> None:
    rows = [{"requirement_id": "MC-ACCREDITATION", "finding": "compliant"}]
    pbnds = audit(Checklist=rows).by_id()
    nds = audit(edition="NDS-2019", Checklist=rows).by_id()
    assert pbnds["MC-ACCREDITATION"].status == "compliant"
    assert "MC-ACCREDITATION" not in nds
