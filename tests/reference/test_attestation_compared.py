"""Attestation: the engine and the reference read the same generated Checklist alike (status, counts,
evidence rows by verdict, and the inspector's remarks and corrected-on-site flag)."""

from __future__ import annotations

import reference_kinds
from checklists import attestation_cases
from generated_inspections import PROFILE, Drawn, assert_agree, engine_result
from hypothesis import given, settings

from auditor.standards.model import Requirement


@settings(PROFILE, max_examples=max(100, PROFILE.max_examples))  # about 10 ms an example
@given(case=attestation_cases())
def test_attestation_agrees_with_the_reference(case: tuple[str, Requirement, Drawn]) -> None:
    edition, req, drawn = case
    assert_agree(edition, req, drawn)
    inspection = drawn.inspection(edition)
    result = engine_result(edition, req, inspection)
    verdicts, attested = reference_kinds.attestation(req.id, inspection)
    if verdicts.final_status() != "not_assessed":  # what the inspector wrote travels with the verdict
        assert (result.remarks, result.corrected_on_site, result.finding) == (
            attested.remarks,
            attested.corrected_on_site,
            attested.finding,
        )


def _case(finding: str | None, **cells: str | None) -> Drawn:
    return Drawn({"Checklist": [{"requirement_id": "EHS-FIRE-PLAN", "finding": finding, **cells}]})


def _reference(drawn: Drawn) -> tuple[str, int, int, set, set]:
    verdicts, _ = reference_kinds.attestation("EHS-FIRE-PLAN", drawn.inspection("PBNDS-2011"))
    return (
        verdicts.final_status(),
        verdicts.population,
        len(verdicts.violation),
        verdicts.violation,
        verdicts.indeterminate,
    )


def test_the_reference_reads_the_inspectors_findings() -> None:
    """Known answers from docs/verdicts.md ('attestation'), by hand."""
    assert _reference(_case("deficient", remarks="no plan")) == (
        "deficient",
        1,
        1,
        {("Checklist", 2)},
        set(),
    )
    assert _reference(_case("compliant")) == ("compliant", 1, 0, set(), set())
    assert _reference(_case("not-applicable", remarks="no kitchen"))[:2] == ("not_applicable", 0)
    for finding in ("not-observed", None):  # never compliant, never indeterminate
        assert _reference(_case(finding))[:2] == ("not_assessed", 0)
    other = Drawn({"Checklist": [{"requirement_id": "ehs-fire-plan", "finding": "compliant"}]})
    assert _reference(other)[0] == "not_assessed"  # no row of this requirement
    assert _reference(Drawn({}))[0] == "not_assessed"  # no Checklist sheet
    _, attested = reference_kinds.attestation(
        "EHS-FIRE-PLAN",
        _case("deficient", remarks="fixed", corrected_on_site="TRUE").inspection("PBNDS-2011"),
    )
    assert attested == reference_kinds.Attested("fixed", True)
