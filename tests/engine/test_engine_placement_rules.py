"""Placement rules (hold rooms, segregation, suicide watch): compliant and deficient, counts by hand.

The review period ends 2026-03-31 23:59:59; an open placement runs to then.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from conftest import Check, Cited


def placement(n: int, kind: str, start: str, end: str | None = None, **cells: Any) -> dict[str, Any]:
    """Placement Pn of detainee D000n."""
    return {
        "placement_id": f"P{n}",
        "detainee_id": f"D{n:04d}",
        "kind": kind,
        "start": start,
        "end": end,
        **cells,
    }


def checks(placement_id: str, *times: str) -> list[dict[str, Any]]:
    return [{"placement_id": placement_id, "checked": t} for t in times]


def every(placement_id: str, first: str, last: str, minutes: int) -> list[dict[str, Any]]:
    times = pd.date_range(first, last, freq=f"{minutes}min")
    return checks(placement_id, *(t.strftime("%Y-%m-%d %H:%M") for t in times))


# ---------------------------------------------------------------- HR-MAX-STAY


def test_hr_max_stay_exactly_12_hours_is_compliant(check: Check) -> None:
    result = check(
        "HR-MAX-STAY",
        Placements=[
            placement(1, "hold-room", "2026-02-01 08:00", "2026-02-01 20:00"),
            placement(2, "hold-room", "2026-02-01 08:00", "2026-02-01 09:00"),
            placement(3, "administrative-segregation", "2026-02-01 08:00", "2026-02-11 08:00"),
        ],
    )
    # population 2 hold-room placements (P3 is segregation); 12 h 00 min meets the limit
    assert (result.status, result.population, result.violations) == ("compliant", 2, 0)


def test_hr_max_stay_over_12_hours_or_open_at_period_end_is_deficient(check: Check, cited: Cited) -> None:
    result = check(
        "HR-MAX-STAY",
        Placements=[
            placement(1, "hold-room", "2026-02-01 08:00", "2026-02-01 20:30"),
            placement(2, "hold-room", "2026-03-31 08:00", None),  # open: counted to 03-31 23:59:59
            placement(3, "hold-room", "2026-02-01 08:00", "2026-02-01 09:00"),
        ],
    )
    # population 3; P1 12 h 30 min, P2 16 h by the end of the period → 2
    assert (result.status, result.population, result.violations) == ("deficient", 3, 2)
    assert cited(result) == [
        ("Placements", 2, "****0001", "lasted 12 h 30 min (limit 12 hours)"),
        (
            "Placements",
            3,
            "****0002",
            "still open at the end of the review period: 16 h so far (limit 12 hours)",
        ),
    ]


# ---------------------------------------------------------------- HR-VULNERABLE


def test_hr_vulnerable_adults_18_to_70_without_children_are_compliant(check: Check) -> None:
    result = check(
        "HR-VULNERABLE",
        Placements=[
            placement(
                1,
                "hold-room",
                "2026-02-01 08:00",
                "2026-02-01 10:00",
                date_of_birth="1956-02-01",
                with_children=False,
            ),  # 70 that day
            placement(
                2,
                "hold-room",
                "2026-02-01 08:00",
                "2026-02-01 10:00",
                date_of_birth="2008-02-01",
                with_children=False,
            ),  # 18 that day
            placement(
                3,
                "hold-room",
                "2026-02-01 08:00",
                "2026-02-01 10:00",
                date_of_birth="1990-01-01",
                with_children=None,
            ),  # not recorded: undecided (issue 13), never TRUE and never compliant
        ],
    )
    # population 3; 70 is not over 70, 18 is not under 18 → 0 violations; P3 undecided
    assert (result.status, result.population, result.violations, result.indeterminate) == (
        "indeterminate",
        3,
        0,
        1,
    )


def test_hr_vulnerable_minor_elder_and_parent_with_children_are_deficient(check: Check, cited: Cited) -> None:
    result = check(
        "HR-VULNERABLE",
        Placements=[
            # no date of birth here: Intake's (2008-02-02) gives 17 at the start
            placement(
                1,
                "hold-room",
                "2026-02-01 08:00",
                "2026-02-01 10:00",
                date_of_birth=None,
                with_children=False,
            ),
            placement(
                2,
                "hold-room",
                "2026-02-01 08:00",
                "2026-02-01 10:00",
                date_of_birth="1955-01-31",
                with_children=False,
            ),  # 71
            placement(
                3,
                "hold-room",
                "2026-02-01 08:00",
                "2026-02-01 10:00",
                date_of_birth="1990-01-01",
                with_children=True,
            ),
            placement(
                4,
                "hold-room",
                "2026-02-01 08:00",
                "2026-02-01 10:00",
                date_of_birth="1990-01-01",
                with_children=False,
            ),
            placement(
                5,
                "administrative-segregation",
                "2026-02-01 08:00",
                "2026-02-05 10:00",
                date_of_birth="2010-01-01",
                with_children=False,
            ),  # not a hold room
        ],
        Intake=[{"detainee_id": "D0001", "arrival": "2026-02-01 07:00", "date_of_birth": "2008-02-02"}],
    )
    # population 4 hold-room placements; P1 (17), P2 (71), P3 (children) → 3
    assert (result.status, result.population, result.violations) == ("deficient", 4, 3)
    assert cited(result) == [
        ("Placements", 2, "****0001", "aged 17 at start"),
        ("Placements", 3, "****0002", "aged 71 at start"),
        ("Placements", 4, "****0003", "with_children is TRUE"),
    ]


def test_hr_vulnerable_uses_intake_date_of_birth_when_placements_has_no_such_column(
    check: Check, cited: Cited
) -> None:
    result = check(
        "HR-VULNERABLE",
        Placements=[
            placement(1, "hold-room", "2026-02-01 08:00", "2026-02-01 10:00", with_children=False),
            placement(2, "hold-room", "2026-02-01 08:00", "2026-02-01 10:00", with_children=False),
        ],
        Intake=[
            {"detainee_id": "D0001", "arrival": "2026-02-01 07:00", "date_of_birth": "1990-01-01"},
            {"detainee_id": "D0002", "arrival": "2026-02-01 07:00", "date_of_birth": "2009-06-30"},  # 16
        ],
    )
    assert (result.status, result.population, result.violations) == ("deficient", 2, 1)
    assert cited(result) == [("Placements", 3, "****0002", "aged 16 at start")]
    # the date of birth itself is never shown
    assert all(c["column"] != "date_of_birth" for e in result.evidence for c in e.cells)


# ---------------------------------------------------------------- HR-CHECKS


def test_hr_checks_gaps_of_exactly_15_minutes_are_compliant(check: Check) -> None:
    result = check(
        "HR-CHECKS",
        Placements=[placement(1, "hold-room", "2026-02-01 08:00", "2026-02-01 09:00")],
        Checks=checks("P1", "2026-02-01 08:15", "2026-02-01 08:30", "2026-02-01 08:45"),
    )
    # gaps 08:00→08:15→08:30→08:45→09:00 are all 15 min: population 1, 0 violations
    assert (result.status, result.population, result.violations) == ("compliant", 1, 0)
    assert result.population_label == "placements"


def test_hr_checks_gap_16_minutes_is_deficient(check: Check, cited: Cited) -> None:
    result = check(
        "HR-CHECKS",
        Placements=[
            placement(1, "hold-room", "2026-02-01 08:00", "2026-02-01 09:00"),
            placement(2, "hold-room", "2026-02-01 08:00", "2026-02-01 08:30"),
        ],
        Checks=[
            *checks("P1", "2026-02-01 08:15", "2026-02-01 08:31", "2026-02-01 08:45"),
            *checks("P2", "2026-02-01 08:15"),
        ],
    )
    # P1: 15, 16, 14, 15 → one gap over; P2: 15, 15 → fine. Population 2, 1 violation
    assert (result.status, result.population, result.violations) == ("deficient", 2, 1)
    assert result.priority is True
    assert cited(result) == [
        (
            "Placements",
            2,
            "****0001",
            "longest gap 16 min, from 2026-02-01 08:15 to 2026-02-01 08:31 "
            "(limit 15 minutes; 3 checks logged)",
        )
    ]


def test_hr_checks_ignores_checks_outside_the_placement(check: Check, cited: Cited) -> None:
    result = check(
        "HR-CHECKS",
        Placements=[placement(1, "hold-room", "2026-02-01 08:00", "2026-02-01 09:00")],
        # 07:59 and 09:01 fall outside the placement and must not shorten its edge gaps
        Checks=checks(
            "P1",
            "2026-02-01 07:59",
            "2026-02-01 08:20",
            "2026-02-01 08:35",
            "2026-02-01 08:50",
            "2026-02-01 09:01",
        ),
    )
    # start 08:00 → first check inside 08:20 is 20 min → 1 violation, 3 checks counted
    assert (result.status, result.population, result.violations) == ("deficient", 1, 1)
    assert cited(result)[0][3] == (
        "longest gap 20 min, from 2026-02-01 08:00 to 2026-02-01 08:20 (limit 15 minutes; 3 checks logged)"
    )


def test_hr_checks_open_placement_is_measured_to_the_end_of_the_review_period(
    check: Check, cited: Cited
) -> None:
    result = check(
        "HR-CHECKS",
        Placements=[
            placement(1, "hold-room", "2026-03-31 23:00", None),
            placement(2, "hold-room", "2026-03-31 23:00", None),
        ],
        Checks=[
            *checks("P1", "2026-03-31 23:15", "2026-03-31 23:30", "2026-03-31 23:45"),  # last gap 14:59.99
            *checks("P2", "2026-03-31 23:15", "2026-03-31 23:30", "2026-03-31 23:40"),  # last gap ~20 min
        ],
    )
    # P1 fine; P2's last check to 23:59:59.999 is 20 min → 1
    assert (result.status, result.population, result.violations) == ("deficient", 2, 1)
    assert cited(result) == [
        (
            "Placements",
            3,
            "****0002",
            "longest gap 20 min, from 2026-03-31 23:40 to 2026-03-31 23:59 "
            "(limit 15 minutes; 3 checks logged)",
        )
    ]


def test_hr_checks_placement_with_no_checks_is_one_violation(check: Check, cited: Cited) -> None:
    result = check(
        "HR-CHECKS",
        Placements=[placement(1, "hold-room", "2026-02-01 08:00", "2026-02-01 09:00")],
        Checks=[],
    )
    assert (result.status, result.population, result.violations) == ("deficient", 1, 1)
    assert cited(result)[0][3] == (
        "longest gap 60 min, from 2026-02-01 08:00 to 2026-02-01 09:00 (limit 15 minutes; 0 checks logged)"
    )


# ---------------------------------------------------------------- SMU-CHECKS


def test_smu_checks_every_30_minutes_is_compliant(check: Check) -> None:
    result = check(
        "SMU-CHECKS",
        Placements=[
            placement(1, "administrative-segregation", "2026-02-01 08:00", "2026-02-01 10:00"),
            placement(2, "disciplinary-segregation", "2026-02-02 08:00", "2026-02-02 09:00"),
            placement(3, "hold-room", "2026-02-03 08:00", "2026-02-03 09:00"),  # not segregation
        ],
        Checks=[
            *every("P1", "2026-02-01 08:30", "2026-02-01 09:30", 30),
            *checks("P2", "2026-02-02 08:25", "2026-02-02 08:50"),
        ],
    )
    # population 2 segregation placements; P1 30/30/30/30, P2 25/25/10 → 0
    assert (result.status, result.population, result.violations) == ("compliant", 2, 0)


def test_smu_checks_gap_31_minutes_is_deficient(check: Check, cited: Cited) -> None:
    result = check(
        "SMU-CHECKS",
        Placements=[
            placement(1, "administrative-segregation", "2026-02-01 08:00", "2026-02-01 10:00"),
            placement(2, "disciplinary-segregation", "2026-02-02 08:00", "2026-02-02 09:00"),
        ],
        Checks=[*every("P1", "2026-02-01 08:30", "2026-02-01 09:30", 30), *checks("P2", "2026-02-02 08:31")],
    )
    # P2: start → 08:31 is 31 min → 1 of 2
    assert (result.status, result.population, result.violations) == ("deficient", 2, 1)
    assert cited(result) == [
        (
            "Placements",
            3,
            "****0002",
            "longest gap 31 min, from 2026-02-02 08:00 to 2026-02-02 08:31 "
            "(limit 30 minutes; 1 check logged)",
        )
    ]


# ---------------------------------------------------------------- SSH-CLOSE-CHECKS / SSH-CONSTANT


def test_ssh_close_checks_every_15_minutes_is_compliant(check: Check) -> None:
    result = check(
        "SSH-CLOSE-CHECKS",
        Placements=[placement(1, "suicide-watch-close", "2026-02-01 08:00", "2026-02-01 12:00")],
        Checks=every("P1", "2026-02-01 08:15", "2026-02-01 11:45", 15),
    )
    assert (result.status, result.population, result.violations) == ("compliant", 1, 0)


def test_ssh_close_checks_gap_of_20_minutes_is_deficient(check: Check, cited: Cited) -> None:
    result = check(
        "SSH-CLOSE-CHECKS",
        Placements=[
            placement(1, "suicide-watch-close", "2026-02-01 08:00", "2026-02-01 12:00"),
            placement(2, "suicide-watch-constant", "2026-02-01 08:00", "2026-02-01 12:00"),  # other rule
        ],
        Checks=[
            *every("P1", "2026-02-01 08:15", "2026-02-01 10:00", 15),
            *every("P1", "2026-02-01 10:20", "2026-02-01 11:50", 15),
        ],
    )
    # P1 only (close watch): 10:00 → 10:20 is 20 min → 1 of 1
    assert (result.status, result.population, result.violations) == ("deficient", 1, 1)
    assert cited(result) == [
        (
            "Placements",
            2,
            "****0001",
            "longest gap 20 min, from 2026-02-01 10:00 to 2026-02-01 10:20 "
            "(limit 15 minutes; 15 checks logged)",
        )
    ]


def test_ssh_constant_logged_every_15_minutes_is_compliant(check: Check) -> None:
    result = check(
        "SSH-CONSTANT",
        Placements=[placement(1, "suicide-watch-constant", "2026-02-01 08:00", "2026-02-01 10:00")],
        Checks=every("P1", "2026-02-01 08:10", "2026-02-01 09:55", 15),
    )
    # 08:00→08:10, then 15s, 09:55→10:00 → 0
    assert (result.status, result.population, result.violations) == ("compliant", 1, 0)


def test_ssh_constant_gap_of_45_minutes_is_deficient(check: Check, cited: Cited) -> None:
    result = check(
        "SSH-CONSTANT",
        Placements=[placement(1, "suicide-watch-constant", "2026-02-01 08:00", "2026-02-01 10:00")],
        Checks=checks(
            "P1",
            "2026-02-01 08:15",
            "2026-02-01 09:00",
            "2026-02-01 09:15",
            "2026-02-01 09:30",
            "2026-02-01 09:45",
        ),
    )
    assert (result.status, result.population, result.violations) == ("deficient", 1, 1)
    assert result.priority is True
    assert cited(result) == [
        (
            "Placements",
            2,
            "****0001",
            "longest gap 45 min, from 2026-02-01 08:15 to 2026-02-01 09:00 "
            "(limit 15 minutes; 5 checks logged)",
        )
    ]


# ---------------------------------------------------------------- SMU-NOTIFY-14D


def test_smu_notify_14d_notified_on_day_14_is_compliant(check: Check) -> None:
    result = check(
        "SMU-NOTIFY-14D",
        Placements=[
            placement(
                1,
                "administrative-segregation",
                "2026-01-01 08:00",
                "2026-01-20 08:00",
                field_office_notified="2026-01-15 08:00",
            ),
            placement(2, "disciplinary-segregation", "2026-01-01 08:00", "2026-01-10 08:00"),  # 9 days
            placement(3, "hold-room", "2026-01-01 08:00", "2026-01-01 09:00"),
        ],
    )
    # population 1 (segregation reaching 14 days), notified exactly on the limit
    assert (result.status, result.population, result.violations) == ("compliant", 1, 0)


def test_smu_notify_14d_late_or_never_notified_is_deficient(check: Check, cited: Cited) -> None:
    result = check(
        "SMU-NOTIFY-14D",
        Placements=[
            placement(
                1,
                "administrative-segregation",
                "2026-01-01 08:00",
                "2026-01-20 08:00",
                field_office_notified="2026-01-15 08:01",
            ),
            placement(2, "disciplinary-segregation", "2026-03-01 08:00", None, field_office_notified=None),
            placement(3, "administrative-segregation", "2026-03-20 08:00", None),  # 11.7 days by 03-31
        ],
    )
    # population 2 (P1 19 days, P2 open for 30 days); P1 a minute late, P2 never → 2
    assert (result.status, result.population, result.violations) == ("deficient", 2, 2)
    assert cited(result) == [
        (
            "Placements",
            2,
            "****0001",
            "14 days in segregation reached 2026-01-15 08:00: 0 notices by then, 1 needed",
        ),
        (
            "Placements",
            3,
            "****0002",
            "14 days in segregation reached 2026-03-15 08:00: 0 notices by then, 1 needed",
        ),
    ]


# ---------------------------------------------------------------- SMU-NOTIFY-VULNERABLE

NOT_VULNERABLE = {
    "mental_illness": False,
    "serious_medical_illness": False,
    "serious_disability": False,
    "elderly": False,
    "pregnant": False,
    "nursing": False,
    "sogi_risk": False,
    "abuse_victim": False,
    "suicide_risk": False,
}


def test_smu_notify_vulnerable_within_72_hours_is_compliant(check: Check) -> None:
    result = check(
        "SMU-NOTIFY-VULNERABLE",
        Placements=[
            placement(
                1,
                "administrative-segregation",
                "2026-02-01 08:00",
                "2026-02-10 08:00",
                **{**NOT_VULNERABLE, "mental_illness": True},
                field_office_notified="2026-02-04 08:00",
            ),
            placement(
                2,
                "administrative-segregation",
                "2026-02-01 08:00",
                "2026-02-10 08:00",
                **NOT_VULNERABLE,
                field_office_notified=None,
            ),
        ],
    )
    # population 1 (vulnerable only), notified at exactly 72 h
    assert (result.status, result.population, result.violations) == ("compliant", 1, 0)


def test_smu_notify_vulnerable_late_or_missing_notice_is_deficient(check: Check, cited: Cited) -> None:
    result = check(
        "SMU-NOTIFY-VULNERABLE",
        Placements=[
            placement(
                1,
                "disciplinary-segregation",
                "2026-02-01 08:00",
                "2026-02-10 08:00",
                **{**NOT_VULNERABLE, "suicide_risk": True},
                field_office_notified="2026-02-04 09:00",
            ),
            placement(
                2,
                "administrative-segregation",
                "2026-02-01 08:00",
                None,
                **{**NOT_VULNERABLE, "serious_disability": True},
                field_office_notified=None,
            ),
        ],
    )
    # population 2; P1 73 h, P2 never (due 02-04 08:00) → 2
    assert (result.status, result.population, result.violations) == ("deficient", 2, 2)
    assert result.priority is True
    assert cited(result) == [
        ("Placements", 2, "****0001", "field_office_notified 73 h after start (limit 72 hours)"),
        ("Placements", 3, "****0002", "no field_office_notified recorded; due by 2026-02-04 08:00"),
    ]


# ---------------------------------------------------------------- SMU-DISCIPLINARY-MAX


def test_smu_disciplinary_max_30_days_and_a_30_day_sanction_are_compliant(check: Check) -> None:
    result = check(
        "SMU-DISCIPLINARY-MAX",
        Placements=[
            placement(
                1, "disciplinary-segregation", "2026-01-01 08:00", "2026-01-31 08:00", sanction_days=30
            ),
            placement(2, "administrative-segregation", "2026-01-01 08:00", "2026-02-20 08:00"),  # other kind
        ],
    )
    assert (result.status, result.population, result.violations) == ("compliant", 1, 0)


def test_smu_disciplinary_max_31_days_or_a_45_day_sanction_is_deficient(check: Check, cited: Cited) -> None:
    result = check(
        "SMU-DISCIPLINARY-MAX",
        Placements=[
            placement(
                1, "disciplinary-segregation", "2026-01-01 08:00", "2026-02-01 08:00", sanction_days=31
            ),
            placement(
                2, "disciplinary-segregation", "2026-01-01 08:00", "2026-01-11 08:00", sanction_days=45
            ),
            placement(3, "disciplinary-segregation", "2026-02-15 08:00", None, sanction_days=20),
            placement(4, "disciplinary-segregation", "2026-03-01 08:00", "2026-03-05 08:00", sanction_days=5),
        ],
    )
    # population 4; P1 31 days (and a 31-day sanction), P2 sanction 45, P3 open 44 days 16 h → 3
    assert (result.status, result.population, result.violations) == ("deficient", 4, 3)
    assert cited(result) == [
        ("Placements", 2, "****0001", "lasted 31 days (limit 30 days); sanction_days 31"),
        ("Placements", 3, "****0002", "sanction_days 45 over the limit of 30 days"),
        (
            "Placements",
            4,
            "****0003",
            "still open at the end of the review period: 44 days 16 h so far (limit 30 days)",
        ),
    ]


def test_hr_checks_leaves_out_a_placement_starting_after_the_review_period(check: Check) -> None:
    result = check(
        "HR-CHECKS",
        Placements=[
            placement(1, "hold-room", "2026-03-31 22:00", "2026-03-31 22:30"),
            placement(2, "hold-room", "2026-04-01 08:00", None),  # after the period: nothing to measure
        ],
        Checks=checks("P1", "2026-03-31 22:15"),
    )
    assert (result.status, result.population, result.violations) == ("compliant", 1, 0)
