"""Issue 18's sick-call, medication, medical-grievance, request, restraint, strip-search and death
requirements: the engine and the reference evaluator classify every generated record alike, each
requirement drawn on its own (the kind-wide tests draw it among all the requirements of its kind)."""

from __future__ import annotations

import pytest
from edges import cases
from generated_inspections import PROFILE, assert_agree, zoned
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.standards.load import load_edition

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


def both_editions(rid: str) -> list:
    return [(edition, load_edition(edition).requirements[rid]) for edition in ("PBNDS-2011", "NDS-2019")]


@pytest.mark.parametrize("rid", IDS)
@settings(PROFILE)
@given(data=st.data())
def test_the_engine_agrees_with_the_reference(rid: str, data: st.DataObject) -> None:
    requirements = both_editions(rid)
    edition, req, drawn = data.draw(cases(requirements[0][1].kind, requirements))
    assert_agree(edition, req, drawn)


@pytest.mark.parametrize("rid", IDS)
@settings(PROFILE)
@given(data=st.data())
def test_at_a_facility_with_a_clock_change(rid: str, data: st.DataObject) -> None:
    requirements = both_editions(rid)
    edition, req, drawn = data.draw(zoned(cases(requirements[0][1].kind, requirements)))
    assert_agree(edition, req, drawn)
