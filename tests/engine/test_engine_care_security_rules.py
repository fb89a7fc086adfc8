"""Issue 18's sick call, medication brought in, medical grievances, detainee requests, restraints,
strip searches and deaths:
a compliant and a deficient inspection each, counted by hand.

Review period 2026-01-01 (Thursday) .. 2026-03-31 (Tuesday). Friday 2026-01-16 is followed by
Monday 2026-01-19, a federal holiday (Martin Luther King Jr. Day): its next working day is Tuesday 01-20.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from conftest import Check, Cited


def sick_call(n: int, requested: str, **cells: Any) -> dict[str, Any]:
    return {"request_id": f"SC{n}", "detainee_id": f"D{n:04d}", "requested": requested, **cells}


def grievance(n: int, kind: str, received: str, **cells: Any) -> dict[str, Any]:
    return {"grievance_id": f"G{n}", "detainee_id": f"D{n:04d}", "kind": kind, "received": received, **cells}


def request(n: int, received: str, answered: str | None) -> dict[str, Any]:
    return {"request_id": f"R{n}", "detainee_id": f"D{n:04d}", "received": received, "answered": answered}


def restraint(n: int, kind: str, applied: str, **cells: Any) -> dict[str, Any]:
    return {"restraint_id": f"RS{n}", "detainee_id": f"D{n:04d}", "kind": kind, "applied": applied, **cells}


def search(
    n: int, kind: str, conducted: str, suspicion: bool | None, approved: bool | None
) -> dict[str, Any]:
    return {
        "search_id": f"S{n}",
        "detainee_id": f"D{n:04d}",
        "kind": kind,
        "conducted": conducted,
        "reasonable_suspicion": suspicion,
        "supervisor_approved": approved,
    }


def incident(n: int, kind: str, occurred: str, notified: str | None) -> dict[str, Any]:
    return {"incident_id": f"I{n}", "kind": kind, "occurred": occurred, "ice_notified": notified}


# ---------------------------------------------------------------- MC-SICK-CALL-TRIAGE (24 h)


def test_mc_sick_call_triage_within_24_hours_is_compliant(check: Check) -> None:
    result = check(
        "MC-SICK-CALL-TRIAGE",
        SickCall=[
            sick_call(1, "2026-02-01 08:00", triaged="2026-02-02 08:00"),  # exactly 24 h: inclusive
            sick_call(2, "2026-02-03 10:00", triaged="2026-02-03 12:00"),
        ],
    )
    assert (result.status, result.population, result.violations) == ("compliant", 2, 0)


def test_mc_sick_call_triage_late_or_never_is_deficient(check: Check, cited: Cited) -> None:
    result = check(
        "MC-SICK-CALL-TRIAGE",
        SickCall=[
            sick_call(1, "2026-02-01 08:00", triaged="2026-02-02 08:01"),
            sick_call(2, "2026-02-03 10:00", triaged=None),
            sick_call(3, "2026-02-05 10:00", triaged="2026-02-05 11:00"),
        ],
    )
    assert (result.status, result.population, result.violations) == ("deficient", 3, 2)
    assert [(sheet, row, who) for sheet, row, who, _ in cited(result)] == [
        ("SickCall", 2, "****0001"),
        ("SickCall", 3, "****0002"),
    ]


# ---------------------------------------------------------------- MC-SICK-CALL-SEEN (72 h, symptoms)


def test_mc_sick_call_seen_within_72_hours_is_compliant(check: Check) -> None:
    result = check(
        "MC-SICK-CALL-SEEN",
        SickCall=[
            # Friday evening to Monday evening: exactly 72 h
            sick_call(1, "2026-02-06 17:00", clinical_symptom=True, seen="2026-02-09 17:00"),
            # no symptom described: no face-to-face encounter owed
            sick_call(2, "2026-02-06 17:00", clinical_symptom=False, seen=None),
            # symptom left blank but seen in time: compliant whichever way the blank falls
            sick_call(3, "2026-02-07 08:00", clinical_symptom=None, seen="2026-02-07 18:00"),
        ],
    )
    assert (result.status, result.population, result.violations, result.indeterminate) == (
        "compliant",
        2,
        0,
        0,
    )


def test_mc_sick_call_seen_after_72_hours_is_deficient(check: Check, cited: Cited) -> None:
    result = check(
        "MC-SICK-CALL-SEEN",
        SickCall=[
            sick_call(1, "2026-02-06 17:00", clinical_symptom=True, seen="2026-02-09 17:01"),
            # never seen, symptom blank: it may have needed no encounter, so undecided, not cited
            sick_call(2, "2026-02-10 08:00", clinical_symptom=None, seen=None),
        ],
    )
    assert (result.status, result.population, result.violations, result.indeterminate) == (
        "deficient",
        2,
        1,
        1,
    )
    rows = cited(result)
    assert [(row, who) for _, row, who, _ in rows] == [(2, "****0001"), (3, "****0002")]
    assert [item.verdict for item in result.evidence] == ["violation", "indeterminate"]


# ---------------------------------------------------------------- MC-MEDICATION-CONTINUITY (24 h)


def arrival(n: int, arrived: str, brought: bool | None, **cells: Any) -> dict[str, Any]:
    return {"detainee_id": f"A{n:09d}", "arrival": arrived, "arrived_with_medication": brought, **cells}


def test_mc_medication_continuity_reviewed_within_24_hours_is_compliant(check: Check) -> None:
    result = check(
        "MC-MEDICATION-CONTINUITY",
        Intake=[
            arrival(1, "2026-02-01 08:00", True, medication_reviewed="2026-02-02 08:00"),
            arrival(2, "2026-02-01 09:00", False),  # nothing brought in
            # released after 10 h, before the review came due: owes none
            arrival(3, "2026-02-03 08:00", True, release="2026-02-03 18:00"),
        ],
    )
    assert (result.status, result.population, result.violations) == ("compliant", 1, 0)


def test_mc_medication_continuity_late_or_never_is_deficient(check: Check, cited: Cited) -> None:
    result = check(
        "MC-MEDICATION-CONTINUITY",
        Intake=[
            arrival(1, "2026-02-01 08:00", True, medication_reviewed="2026-02-02 08:01"),
            arrival(2, "2026-02-05 08:00", True),  # never reviewed, still held
            # not known whether medication came in, but reviewed in time: compliant either way
            arrival(3, "2026-02-06 08:00", None, medication_reviewed="2026-02-06 12:00"),
        ],
    )
    assert (result.status, result.population, result.violations) == ("deficient", 3, 2)
    assert [(row, who) for _, row, who, _ in cited(result)] == [(2, "****0001"), (3, "****0002")]


# ---------------------------------------------------------------- GS-MEDICAL-FORWARD (next working day)


def test_gs_medical_forward_by_the_next_working_day_is_compliant(check: Check) -> None:
    result = check(
        "GS-MEDICAL-FORWARD",
        Grievances=[
            # Friday 01-16: Monday 01-19 is a holiday, so Tuesday 01-20 is in time
            grievance(1, "medical", "2026-01-16 10:00", medical_received="2026-01-20 16:00"),
            grievance(2, "formal", "2026-01-16 10:00"),  # not medical: not forwarded, not counted
        ],
    )
    assert (result.status, result.population, result.violations) == ("compliant", 1, 0)


def test_gs_medical_forward_late_or_never_is_deficient(check: Check, cited: Cited) -> None:
    result = check(
        "GS-MEDICAL-FORWARD",
        Grievances=[
            grievance(1, "medical", "2026-01-16 10:00", medical_received="2026-01-21 08:00"),
            grievance(2, "medical", "2026-02-02 09:00"),  # due by the end of Tuesday 02-03
        ],
    )
    assert (result.status, result.population, result.violations) == ("deficient", 2, 2)
    assert [(row, who) for _, row, who, _ in cited(result)] == [(2, "G1"), (3, "G2")]


# ---------------------------------------------------------------- GS-MEDICAL-RESPONSE (5 working days)


def test_gs_medical_response_by_the_fifth_working_day_is_compliant(check: Check) -> None:
    result = check(
        "GS-MEDICAL-RESPONSE",
        Grievances=[
            # received by medical Friday 01-16; working days 01-20, 21, 22, 23, 26: due end of 01-26
            grievance(
                1,
                "medical",
                "2026-01-16 08:00",
                medical_received="2026-01-16 10:00",
                answered="2026-01-26 18:00",
            ),
            # never forwarded: the clock never started (GS-MEDICAL-FORWARD's finding)
            grievance(2, "medical", "2026-01-16 08:00"),
        ],
    )
    assert (result.status, result.population, result.violations) == ("compliant", 1, 0)


def test_gs_medical_response_on_the_sixth_working_day_is_deficient(check: Check, cited: Cited) -> None:
    result = check(
        "GS-MEDICAL-RESPONSE",
        Grievances=[
            grievance(
                1,
                "medical",
                "2026-01-16 08:00",
                medical_received="2026-01-16 10:00",
                answered="2026-01-27 08:00",
            ),
        ],
    )
    assert (result.status, result.population, result.violations) == ("deficient", 1, 1)
    assert cited(result) == [
        (
            "Grievances",
            2,
            "G1",
            "answered 2026-01-27 08:00, after the deadline: the end of 2026-01-26 "
            "(5 working days after medical_received)",
        )
    ]


# ---------------------------------------------------------------- SDC-REQUEST-RESPONSE (3 working days)


def test_sdc_request_response_by_the_third_working_day_is_compliant(check: Check) -> None:
    result = check(
        "SDC-REQUEST-RESPONSE",
        Requests=[
            # Friday 01-16 + 3 working days (01-20, 21, 22): due by the end of Thursday 01-22
            request(1, "2026-01-16 10:00", "2026-01-22 16:00"),
            # unanswered, but due after the review period ends: pending, left out
            request(2, "2026-03-30 10:00", None),
        ],
    )
    assert (result.status, result.population, result.violations) == ("compliant", 1, 0)


def test_sdc_request_response_late_is_deficient_and_cites_sdc_16(check: Check, cited: Cited) -> None:
    result = check(
        "SDC-REQUEST-RESPONSE",
        Requests=[
            request(1, "2026-01-16 10:00", "2026-01-23 09:00"),
            request(2, "2026-02-02 10:00", None),  # due the end of 02-05, never answered
            request(3, "2026-02-02 10:00", "2026-02-03 10:00"),
        ],
    )
    assert (result.status, result.population, result.violations) == ("deficient", 3, 2)
    assert [(row, who) for _, row, who, _ in cited(result)] == [(2, "****0001"), (3, "****0002")]
    assert result.odo_component == "SDC-16"
    nds = check("SDC-REQUEST-RESPONSE", edition="NDS-2019", Requests=[request(1, "2026-01-16 10:00", None)])
    assert (nds.status, nds.standard_number, nds.odo_component) == ("deficient", "2.9", None)


# ---------------------------------------------------------------- UOF-RESTRAINT-MEDICAL-CHECK (4 h)


def test_uof_restraint_medical_check_within_4_hours_is_compliant(check: Check) -> None:
    result = check(
        "UOF-RESTRAINT-MEDICAL-CHECK",
        Restraints=[
            restraint(
                1,
                "four-point",
                "2026-02-01 10:00",
                medical_check="2026-02-01 14:00",
                removed="2026-02-01 16:00",
            ),
            # out of the chair after an hour, unchecked: no check came due
            restraint(2, "restraint-chair", "2026-02-02 10:00", removed="2026-02-02 11:00"),
            # other restraints are not this requirement's
            restraint(3, "other", "2026-02-03 10:00", removed="2026-02-03 18:00"),
        ],
    )
    assert (result.status, result.population, result.violations) == ("compliant", 1, 0)


def test_uof_restraint_medical_check_late_or_never_is_deficient(check: Check, cited: Cited) -> None:
    result = check(
        "UOF-RESTRAINT-MEDICAL-CHECK",
        Restraints=[
            restraint(
                1,
                "four-point",
                "2026-02-01 10:00",
                medical_check="2026-02-01 14:30",
                removed="2026-02-01 18:00",
            ),
            restraint(2, "five-point", "2026-02-03 10:00", removed="2026-02-03 15:00"),
        ],
    )
    assert (result.status, result.population, result.violations) == ("deficient", 2, 2)
    assert [(row, who) for _, row, who, _ in cited(result)] == [(2, "****0001"), (3, "****0002")]


# ---------------------------------------------------------------- SOD-STRIP-SEARCH


def test_sod_strip_search_justified_and_approved_is_compliant(check: Check) -> None:
    result = check(
        "SOD-STRIP-SEARCH",
        Searches=[
            search(1, "strip", "2026-02-01 10:00", True, True),
            search(2, "body-cavity", "2026-02-02 10:00", True, True),
        ],
    )
    assert (result.status, result.population, result.violations) == ("compliant", 2, 0)


def test_sod_strip_search_without_suspicion_or_approval_is_deficient(check: Check, cited: Cited) -> None:
    result = check(
        "SOD-STRIP-SEARCH",
        Searches=[
            search(1, "strip", "2026-02-01 10:00", False, True),
            search(2, "strip", "2026-02-02 10:00", True, None),  # approval not recorded: not approved
            search(3, "strip", "2026-02-03 10:00", True, True),
            search(4, "strip", "2025-12-20 10:00", False, False),  # before the review period
        ],
    )
    assert (result.status, result.population, result.violations) == ("deficient", 3, 2)
    assert [(row, who) for _, row, who, _ in cited(result)] == [(2, "****0001"), (3, "****0002")]


# ---------------------------------------------------------------- TIAD-DEATH-NOTIFY (24 h)


def test_tiad_death_notify_within_24_hours_is_compliant(check: Check) -> None:
    result = check(
        "TIAD-DEATH-NOTIFY",
        Incidents=[
            incident(1, "death", "2026-02-01 22:00", "2026-02-02 22:00"),
            incident(2, "serious-injury", "2026-02-03 10:00", None),  # not a death
        ],
    )
    assert (result.status, result.population, result.violations) == ("compliant", 1, 0)


def test_tiad_death_notify_after_a_day_is_deficient(check: Check, cited: Cited) -> None:
    result = check(
        "TIAD-DEATH-NOTIFY",
        Incidents=[incident(1, "death", "2026-02-01 22:00", "2026-02-03 08:00")],
    )
    assert (result.status, result.population, result.violations) == ("deficient", 1, 1)
    assert cited(result) == [
        ("Incidents", 2, "I1", "ice_notified 34 h after occurred (limit 24 hours)"),
    ]
