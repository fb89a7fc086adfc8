"""The reference itself against answers worked out by hand from docs/verdicts.md and issue 13, so
that agreeing with it means something. Review period 2026-01-01..2026-01-20, no zone."""

from __future__ import annotations

import pytest
from generated_inspections import Drawn
from reference_kinds import evaluate

from auditor.standards.load import load_edition

NDS = load_edition("NDS-2019").requirements


def verdicts_of(requirement_id: str, drawn: Drawn) -> dict[int, str]:
    """Excel row → verdict, for the rows in the population."""
    found = evaluate(NDS[requirement_id].check, drawn.inspection("NDS-2019"))
    out = {}
    for verdict in ("violation", "compliant", "indeterminate"):
        out |= {key[1]: verdict for key in getattr(found, verdict)}
    return out


def segregation(notified: str, ill: str, date_only: bool = False) -> Drawn:
    row = {"placement_id": "P1", "detainee_id": "A1", "kind": "administrative-segregation",
           "start": "2026-01-05" if date_only else "2026-01-05 10:00", "field_office_notified": notified,
           "mental_illness": ill}  # fmt: skip
    marks = {"Placements": {"start": {2}}} if date_only else {}
    return Drawn({"Placements": [row]}, day_only=marks)


@pytest.mark.parametrize(
    ("notified", "ill", "date_only", "verdict"),
    [
        # issue 13 item 2: only mental_illness present; Yes and 97 h late: proven
        ("2026-01-09 11:00", "TRUE", False, "violation"),
        # No, and late: an absent column might have made it vulnerable
        ("2026-01-09 11:00", "FALSE", False, "indeterminate"),
        # No, and on time (72 h exactly): met whichever way the unknown falls
        ("2026-01-08 10:00", "FALSE", False, "compliant"),
        # item 5: a placement known to the day: at most 72 h after the day's start is on time…
        ("2026-01-08 00:00", "TRUE", True, "compliant"),
        # …more than 72 h after its end is late, in between undecided
        ("2026-01-09 00:01", "TRUE", True, "violation"),
        ("2026-01-08 12:00", "TRUE", True, "indeterminate"),
        ("2026-01-09 00:00", "TRUE", True, "indeterminate"),
    ],
)
def test_segregation_notices(notified: str, ill: str, date_only: bool, verdict: str) -> None:
    drawn = segregation(notified, ill, date_only)
    drawn.dropped = {"Placements": {"serious_medical_illness", "serious_disability", "suicide_risk"}}
    assert verdicts_of("SMU-NOTIFY-VULNERABLE", drawn) == {2: verdict}


def intake(screened: str | None, released: str | None, arrival: str = "2026-01-05 08:00") -> Drawn:
    return Drawn({"Intake": [{"detainee_id": "A1", "arrival": arrival, "medical_screening": screened,
                              "release": released}]})  # fmt: skip


@pytest.mark.parametrize(
    ("drawn", "verdicts"),
    [
        # issue 13 item 1: released 4 h after arrival, never screened: the 12 h never came due
        (intake(None, "2026-01-05 12:00"), {}),
        # screened before release: compliant as usual
        (intake("2026-01-05 11:00", "2026-01-05 12:00"), {2: "compliant"}),
        # released after the deadline, never screened: a violation
        (intake(None, "2026-01-05 20:01"), {2: "violation"}),
        # exactly 12 h: meets a 12-hour limit
        (intake("2026-01-05 20:00", None), {2: "compliant"}),
        # item 3: due before the period (arrived 2025-12-31 08:00, due 20:00): out of scope
        (intake(None, None, "2025-12-31 08:00"), {}),
        # due after the period's last instant, not done: pending, left out
        (intake(None, None, "2026-01-20 12:01"), {}),
        # due inside the period, done after it: late
        (intake("2026-01-21 09:00", None, "2026-01-20 08:00"), {2: "violation"}),
    ],
)
def test_intake_screening(drawn: Drawn, verdicts: dict[int, str]) -> None:
    assert verdicts_of("MC-INTAKE-SCREEN", drawn) == verdicts


def test_a_blank_date_of_birth_is_not_an_adult() -> None:
    """Issue 13 item 3: AR-JUVENILE with a blank date of birth is indeterminate, not compliant."""
    rows = [{"detainee_id": "A1", "arrival": "2026-01-05 08:00", "date_of_birth": None},
            {"detainee_id": "A2", "arrival": "2026-01-05 08:00", "date_of_birth": "2008-01-06"},
            {"detainee_id": "A3", "arrival": "2026-01-05 08:00", "date_of_birth": "2008-01-05"}]  # fmt: skip
    assert verdicts_of("AR-JUVENILE", Drawn({"Intake": rows})) == {
        2: "indeterminate",
        3: "violation",  # 17 until the next day
        4: "compliant",  # 18 that day
    }
