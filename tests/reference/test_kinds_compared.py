"""Each rule kind read from one sheet: the engine and the reference classify every generated record
alike (population, violations, indeterminate, and the Excel rows of the evidence by verdict)."""

from __future__ import annotations

import pytest
from edges import cadence_cases, cases, daily_presence_cases, max_gap_cases, weekly_minimum_cases
from generated_inspections import PROFILE, assert_agree, requirements_of, zoned
from hypothesis import given, settings
from hypothesis import strategies as st

KINDS = ["prohibited", "value_limit", "credential", "max_duration", "deadline", "ratio", "capacity"]


@pytest.mark.parametrize("kind", KINDS)
@settings(PROFILE)
@given(data=st.data())
def test_the_engine_agrees_with_the_reference(kind: str, data: st.DataObject) -> None:
    edition, req, drawn = data.draw(cases(kind))
    assert_agree(edition, req, drawn)


MAX_GAP = requirements_of("max_gap")


@settings(PROFILE)
@given(data=st.data())
def test_max_gap_agrees_with_the_reference(data: st.DataObject) -> None:
    edition, req, drawn = data.draw(max_gap_cases(MAX_GAP))
    assert_agree(edition, req, drawn)


DAILY_PRESENCE = requirements_of("daily_presence")


@settings(PROFILE)
@given(data=st.data())
def test_daily_presence_agrees_with_the_reference(data: st.DataObject) -> None:
    edition, req, drawn = data.draw(daily_presence_cases(DAILY_PRESENCE))
    assert_agree(edition, req, drawn)


CADENCE = requirements_of("cadence")


@settings(PROFILE)
@given(data=st.data())
def test_cadence_agrees_with_the_reference(data: st.DataObject) -> None:
    edition, req, drawn = data.draw(cadence_cases(CADENCE))
    assert_agree(edition, req, drawn)


WEEKLY_MINIMUM = requirements_of("weekly_minimum")


@settings(PROFILE)
@given(data=st.data())
def test_weekly_minimum_agrees_with_the_reference(data: st.DataObject) -> None:
    edition, req, drawn = data.draw(weekly_minimum_cases(WEEKLY_MINIMUM))
    assert_agree(edition, req, drawn)


STRATEGIES = {
    "max_gap": lambda: max_gap_cases(MAX_GAP),
    "daily_presence": lambda: daily_presence_cases(DAILY_PRESENCE),
    "cadence": lambda: cadence_cases(CADENCE),
    "weekly_minimum": lambda: weekly_minimum_cases(WEEKLY_MINIMUM),
}


@pytest.mark.parametrize("kind", [*KINDS, *STRATEGIES])
@settings(PROFILE)
@given(data=st.data())
def test_at_a_facility_with_a_clock_change(kind: str, data: st.DataObject) -> None:
    """The same cases moved to a review period holding a spring-forward or fall-back night, at a
    facility with a zone: UTC instants, local days."""
    inner = STRATEGIES[kind]() if kind in STRATEGIES else cases(kind)
    edition, req, drawn = data.draw(zoned(inner))
    assert_agree(edition, req, drawn)
