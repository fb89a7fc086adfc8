"""The shared definitions of the catalogue, at their edges.

Pending deadlines at the end of the review period, working days across weekends and federal
holidays, missing sheets and columns, empty populations, ISO unit-weeks and cadence edges.
(Exactly-at-the-limit cases sit with each rule: 12 h 00 min screening, a 15-minute check gap,
41 °F, a 31-day pest-control gap.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd
import pytest

from auditor.engine import calendar
from auditor.engine.kinds.weekly_minimum import whole_weeks

if TYPE_CHECKING:
    from conftest import Check, Cited


def adm(n: int, arrival: str, **cells: Any) -> dict[str, Any]:
    return {"detainee_id": f"D{n:04d}", "arrival": arrival, **cells}


# ---------------------------------------------------------------- pending vs passed deadlines

ON_TIME = adm(1, "2026-03-01 08:00", medical_screening="2026-03-01 09:00")


def test_deadline_after_the_period_end_is_pending_and_left_out(check: Check) -> None:
    # arrival 03-31 20:00 + 12 h = 04-01 08:00, after the period ends (03-31 23:59:59): pending
    without = check("MC-INTAKE-SCREEN", Intake=[ON_TIME])
    result = check("MC-INTAKE-SCREEN", Intake=[ON_TIME, adm(2, "2026-03-31 20:00", medical_screening=None)])
    assert (without.population, result.population) == (1, 1)  # the pending row does not count
    assert (result.status, result.violations) == ("compliant", 0)
    assert result.note == "1 left out as pending (deadline after the review period)"


def test_deadline_passed_within_the_period_is_a_violation(check: Check, cited: Cited) -> None:
    # arrival 03-31 09:00 + 12 h = 03-31 21:00, inside the period: no screening is a violation
    result = check("MC-INTAKE-SCREEN", Intake=[ON_TIME, adm(2, "2026-03-31 09:00", medical_screening=None)])
    assert (result.status, result.population, result.violations) == ("deficient", 2, 1)
    assert result.note is None
    assert cited(result) == [
        ("Intake", 3, "****0002", "no medical_screening recorded; due by 2026-03-31 21:00")
    ]


def test_only_pending_rows_make_the_rule_not_applicable_and_say_why(check: Check) -> None:
    result = check("MC-INTAKE-SCREEN", Intake=[adm(1, "2026-03-31 20:00", medical_screening=None)])
    assert (result.status, result.population) == ("not_applicable", 0)
    assert result.reason == "1 left out as pending (deadline after the review period)"


def test_a_pending_row_with_its_end_time_recorded_is_examined(check: Check) -> None:
    # pending applies only to rows with no end time yet
    result = check(
        "MC-INTAKE-SCREEN", Intake=[adm(1, "2026-03-31 20:00", medical_screening="2026-03-31 22:00")]
    )
    assert (result.status, result.population, result.violations) == ("compliant", 1, 0)


# ---------------------------------------------------------------- working days


@pytest.mark.parametrize(
    ("start", "n", "deadline"),
    [
        ("2026-01-16 10:00", 2, "2026-01-21"),  # Friday; Monday 01-19 is MLK day → Tue 1, Wed 2
        ("2026-01-17 10:00", 2, "2026-01-21"),  # Saturday: counts from Tuesday (Monday is a holiday)
        ("2026-01-10 10:00", 2, "2026-01-13"),  # Saturday: counts from Monday → Mon 1, Tue 2
        ("2026-01-11 10:00", 1, "2026-01-12"),  # Sunday: the next working day is Monday
        ("2026-01-19 10:00", 1, "2026-01-20"),  # on the holiday itself: next working day Tuesday
        ("2026-02-13 10:00", 1, "2026-02-17"),  # Friday before Washington's Birthday (02-16)
        ("2026-01-05 10:00", 2, "2026-01-07"),  # an ordinary Monday
    ],
)
def test_add_working_days_skips_weekends_and_federal_holidays(start: str, n: int, deadline: str) -> None:
    result = calendar.add_working_days(pd.Series(pd.to_datetime([start])), n)
    assert result.iloc[0] == pd.Timestamp(deadline)


def test_working_day_deadline_runs_to_the_end_of_its_day(check: Check) -> None:
    rows = [
        adm(1, "2026-01-16 10:00", acute_condition=True, acute_evaluation="2026-01-21 23:00"),
        adm(2, "2026-01-16 10:00", acute_condition=True, acute_evaluation="2026-01-22 00:00"),
    ]
    result = check("MC-ACUTE-EVAL", Intake=rows)
    # Friday arrival, MLK Monday: 2 working days end Wednesday 01-21 at midnight
    assert (result.status, result.population, result.violations) == ("deficient", 2, 1)
    assert [e.row for e in result.evidence] == [3]


def test_saturday_arrival_counts_working_days_from_monday(check: Check) -> None:
    rows = [
        adm(1, "2026-01-10 14:00", acute_condition=True, acute_evaluation="2026-01-13 23:00"),  # Tuesday
        adm(2, "2026-01-10 14:00", acute_condition=True, acute_evaluation="2026-01-14 08:00"),  # Wednesday
    ]
    result = check("MC-ACUTE-EVAL", Intake=rows)
    assert (result.status, result.population, result.violations) == ("deficient", 2, 1)
    assert [e.row for e in result.evidence] == [3]


def test_working_day_deadline_after_the_period_is_pending(check: Check) -> None:
    # Monday 03-30 + 2 working days = Wednesday 04-01: after the period, no evaluation yet
    result = check(
        "MC-ACUTE-EVAL",
        Intake=[
            adm(1, "2026-03-30 10:00", acute_condition=True, acute_evaluation=None),
            adm(2, "2026-03-02 10:00", acute_condition=True, acute_evaluation="2026-03-03 10:00"),
        ],
    )
    assert (result.status, result.population, result.violations) == ("compliant", 1, 0)
    assert result.note == "1 left out as pending (deadline after the review period)"


# ---------------------------------------------------------------- missing data and empty populations


def test_missing_sheet_is_not_assessed_naming_the_sheet(check: Check) -> None:
    result = check("MC-INTAKE-SCREEN", FoodTemps=[])
    assert (result.status, result.population, result.violations) == ("not_assessed", 0, 0)
    assert result.reason == "the Intake sheet is missing"


def test_missing_column_is_not_assessed_naming_the_column(check: Check) -> None:
    result = check("MC-INTAKE-SCREEN", Intake=[adm(1, "2026-01-05 08:00", mental_health_screening=None)])
    assert result.status == "not_assessed"
    assert result.reason == "the Intake sheet has no medical_screening column"


def test_missing_events_sheet_is_not_assessed_naming_it(check: Check) -> None:
    result = check(
        "HR-CHECKS",
        Placements=[
            {
                "placement_id": "P1",
                "detainee_id": "D0001",
                "kind": "hold-room",
                "start": "2026-02-01 08:00",
                "end": "2026-02-01 09:00",
            }
        ],
    )
    assert (result.status, result.reason) == ("not_assessed", "the Checks sheet is missing")


def test_missing_optional_release_column_does_not_stop_the_rule(check: Check) -> None:
    result = check(
        "MC-HEALTH-ASSESS", Intake=[adm(1, "2026-01-05 08:00", health_assessment="2026-01-06 08:00")]
    )
    assert (result.status, result.population) == ("compliant", 1)


def test_empty_population_is_not_applicable_with_the_reason(check: Check) -> None:
    result = check(
        "MC-ACUTE-EVAL",
        Intake=[adm(1, "2026-01-05 08:00", acute_condition=False, acute_evaluation=None)],
    )
    assert (result.status, result.population, result.violations) == ("not_applicable", 0, 0)
    assert result.reason == "no rows with arrival recorded where acute_condition is TRUE"


def test_empty_sheet_gives_an_empty_population(check: Check) -> None:
    result = check("FS-COLD-HOLD", FoodTemps=[])
    assert result.status == "not_applicable"
    assert result.reason == "no readings where kind is cold-holding"


def test_no_placements_of_the_kind_is_not_applicable(check: Check) -> None:
    result = check(
        "SMU-CHECKS",
        Placements=[
            {
                "placement_id": "P1",
                "detainee_id": "D0001",
                "kind": "hold-room",
                "start": "2026-02-01 08:00",
                "end": "2026-02-01 09:00",
            }
        ],
        Checks=[{"placement_id": "P1", "checked": "2026-02-01 08:30"}],
    )
    assert (result.status, result.population) == ("not_applicable", 0)
    assert (
        result.reason == "no placements where kind is administrative-segregation or disciplinary-segregation"
    )


def test_juvenile_rule_is_not_applicable_at_an_frc_even_with_a_child_admitted(check: Check) -> None:
    result = check(
        "AR-JUVENILE",
        facility={"facility_type": "FRC"},
        Intake=[adm(1, "2026-02-01 08:00", date_of_birth="2019-06-01")],
    )
    assert (result.status, result.reason) == ("not_applicable", "does not apply to FRC facilities")


# ---------------------------------------------------------------- ISO unit-weeks


def test_whole_weeks_are_the_iso_weeks_inside_the_period() -> None:
    weeks = whole_weeks(pd.Timestamp("2026-01-01"), pd.Timestamp("2026-03-31"))
    # Thursday 01-01 … Tuesday 03-31: Mondays 01-05 … 03-23
    assert len(weeks) == 12
    assert (weeks[0], weeks[-1]) == (pd.Timestamp("2026-01-05"), pd.Timestamp("2026-03-23"))
    assert len(whole_weeks(pd.Timestamp("2026-01-05"), pd.Timestamp("2026-01-11"))) == 1  # Mon–Sun
    assert len(whole_weeks(pd.Timestamp("2026-01-06"), pd.Timestamp("2026-01-12"))) == 0


def test_unit_weeks_ignore_partial_weeks_and_count_missing_days_as_zero(check: Check, cited: Cited) -> None:
    days = pd.date_range("2026-01-01", "2026-03-31", freq="D")
    rows = [
        {
            "unit_id": "A",
            "date": f"{d:%Y-%m-%d}",
            # 1000 min on the partial weeks' days (01-01..01-04, 03-30, 03-31) must not help
            "law_library_minutes": 1000
            if d < pd.Timestamp("2026-01-05") or d > pd.Timestamp("2026-03-29")
            else (100 if d.day_of_week in (0, 2, 4) else 0),
        }
        for d in days
    ]
    rows.append({"unit_id": "B", "date": "2026-01-02", "law_library_minutes": 5000})  # only a partial week
    result = check("LL-WEEKLY", Activities=rows)
    # A: 12 weeks of 300 min. B appears in the sheet, so it has 12 unit-weeks too, all 0 min → 12
    assert (result.status, result.population, result.violations) == ("deficient", 24, 12)
    assert cited(result)[0] == (
        "Activities",
        None,
        None,
        "B, week of 2026-01-05: 0 min in the week (needs 300)",
    )


def test_a_review_period_without_a_whole_week_is_not_applicable(check: Check) -> None:
    result = check(
        "REC-DAILY",
        facility={
            "review_period_start": pd.Timestamp("2026-01-06").date(),
            "review_period_end": pd.Timestamp("2026-01-12").date(),
        },
        Activities=[{"unit_id": "A", "date": "2026-01-06", "recreation_minutes": 60}],
    )
    assert (result.status, result.reason) == ("not_applicable", "the review period holds no whole week")


# ---------------------------------------------------------------- cadence edges


def test_cadence_measures_the_gap_from_the_last_event_to_the_period_end(check: Check, cited: Cited) -> None:
    result = check(
        "EHS-PEST-CONTROL",
        SafetyLog=[
            {"date": "2026-01-15", "event": "pest-control"},
            {"date": "2026-02-14", "event": "pest-control"},
        ],
    )
    # 01-01→01-15 14, 01-15→02-14 30, 02-14→03-31 45 (over) → 3 intervals, 1 violation
    assert (result.status, result.population, result.violations) == ("deficient", 3, 1)
    assert cited(result) == [
        (
            "SafetyLog",
            3,
            "2026-02-14",
            "45 days from 2026-02-14 to the end of the review period (2026-03-31) (limit 31 days)",
        )
    ]


def test_cadence_with_no_events_at_all_is_one_violation(check: Check, cited: Cited) -> None:
    result = check("EHS-PEST-CONTROL", SafetyLog=[{"date": "2026-02-01", "event": "fire-inspection"}])
    # one gap, the whole period (89 days)
    assert (result.status, result.population, result.violations) == ("deficient", 1, 1)
    assert cited(result) == [
        ("SafetyLog", None, None, "no rows where event is pest-control in the review period")
    ]


def test_cadence_ignores_events_outside_the_review_period(check: Check) -> None:
    result = check(
        "EHS-FIRST-AID-KITS",
        SafetyLog=[
            {"date": d, "event": "first-aid-kit-check"}
            for d in ("2025-12-31", "2026-01-31", "2026-03-02", "2026-03-31", "2026-04-02")
        ],
    )
    # inside: 01-31, 03-02, 03-31 → 30, 30, 29, 0 → 4 intervals, compliant
    assert (result.status, result.population, result.violations) == ("compliant", 4, 0)
