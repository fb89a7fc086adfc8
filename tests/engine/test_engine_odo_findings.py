"""ODO's other findings (issue 18.4): an area of concern or a best practice marked on the Checklist is
no deficiency and never rated; a requirement's ODO component id travels with its result."""

from __future__ import annotations

from typing import TYPE_CHECKING

from auditor.contracts.results import Result
from auditor.engine.rating import summarise
from auditor.standards.load import load_edition

if TYPE_CHECKING:
    from conftest import Audit, Check

POLICY = load_edition("PBNDS-2011").policy


def test_an_area_of_concern_on_the_checklist_is_met_and_flagged(check: Check) -> None:
    result = check(
        "EHS-EXTENSION-CORDS",
        Checklist=[
            {
                "requirement_id": "EHS-EXTENSION-CORDS",
                "finding": "area-of-concern",
                "remarks": "Cords taped down in the laundry; no hazard yet.",
            }
        ],
    )
    assert (result.status, result.population, result.violations) == ("compliant", 1, 0)
    assert result.finding == "area_of_concern"
    assert result.remarks == "Cords taped down in the laundry; no hazard yet."
    assert result.evidence == []  # nothing to correct


def test_a_best_practice_on_the_checklist_is_met_and_flagged(check: Check) -> None:
    result = check(
        "GS-LOG",
        Checklist=[{"requirement_id": "GS-LOG", "finding": "best-practice", "remarks": "Electronic log."}],
    )
    assert (result.status, result.finding, result.remarks) == (
        "compliant",
        "best_practice",
        "Electronic log.",
    )


def test_an_ordinary_checklist_finding_stays_a_deficiency(check: Check) -> None:
    result = check("GS-LOG", Checklist=[{"requirement_id": "GS-LOG", "finding": "compliant"}])
    assert result.finding == "deficiency"


def _made(compliant: int, deficient: int) -> list[Result]:
    return [
        Result(f"REQ-{n:03d}", "compliant" if n < compliant else "deficient", False, False, 1, 0, [])
        for n in range(compliant + deficient)
    ]


def test_the_rating_reads_neither_an_area_of_concern_nor_a_best_practice() -> None:
    # 18 compliant and 2 deficient: 90.0 %, Meets Standards (the policy's floor is 90 %). Two more
    # compliant results would make it 20 of 22 (90.9 %) if they were rated; they are not, and the
    # reason says what was set aside. Counted as evaluated: 20 compliant, 2 deficient.
    made = _made(18, 2)
    concern = Result("OBS-1", "compliant", False, False, 1, 0, [], finding="area_of_concern")
    practice = Result("OBS-2", "compliant", False, False, 1, 0, [], finding="best_practice")
    summary = summarise([*made, concern, practice], POLICY)
    assert summary.rating == "Meets Standards"
    assert summary.rating_reason.endswith(
        "90.0 % of the decided requirements (areas of concern and best practices aside) are compliant."
    )
    assert (summary.compliant, summary.deficient, summary.areas_of_concern) == (20, 2, 0)
    only_practice = summarise([*made, practice], POLICY)
    assert only_practice.rating_reason.endswith("(best practices aside) are compliant.")


def test_a_rated_best_practice_would_have_changed_the_share() -> None:
    # the counterfactual: the same two as ordinary compliant findings are read, 20 of 22 = 90.9 %
    made = _made(18, 2)
    plain = [Result(f"OBS-{n}", "compliant", False, False, 1, 0, []) for n in (1, 2)]
    assert summarise([*made, *plain], POLICY).rating_reason.endswith(
        "90.9 % of the decided requirements are compliant."
    )


def test_results_carry_the_odo_component_of_their_edition(audit: Audit) -> None:
    # KLC-11 is cited by PBNDS 2011 reports; NDS 2019 has no Key and Lock Control component
    pbnds = audit(edition="PBNDS-2011").by_id()
    cited = {rid: r.odo_component for rid, r in pbnds.items() if r.odo_component}
    requirement = load_edition("PBNDS-2011").requirements
    assert cited == {rid: req.odo_component for rid, req in requirement.items() if req.odo_component}
    assert cited  # the catalogue cites some
    for rid, component in cited.items():
        assert f"(ODO component {component})" in pbnds[rid].citation
