"""Use of force, grievances, food, safety log, activities, housing and staff rules, counts by hand.

Review period 2026-01-01 (Thursday) .. 2026-03-31 (Tuesday): 90 days, 12 whole ISO weeks
(Mondays 01-05 … 03-23). Inspection starts 2026-04-06. Monday 2026-01-19 is a federal holiday.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from conftest import Check, Cited

DAYS = pd.date_range("2026-01-01", "2026-03-31", freq="D")


def force(n: int, occurred: str, kind: str, **cells: Any) -> dict[str, Any]:
    return {"incident_id": f"U{n}", "occurred": occurred, "kind": kind, "detainee_id": f"D{n:04d}", **cells}


def grievance(n: int, kind: str, received: str, answered: str | None) -> dict[str, Any]:
    return {
        "grievance_id": f"G{n}",
        "detainee_id": f"D{n:04d}",
        "kind": kind,
        "received": received,
        "answered": answered,
    }


def reading(recorded: str, kind: str, temp_f: float, location: str = "Kitchen") -> dict[str, Any]:
    return {"recorded": recorded, "location": location, "kind": kind, "temp_f": temp_f}


def event(date: str, kind: str, area: str | None = None) -> dict[str, Any]:
    return {"date": date, "area": area, "event": kind}


def unit_days(
    unit: str, minutes: Any, column: str = "recreation_minutes", **cells: Any
) -> list[dict[str, Any]]:
    """One Activities row per day of the review period; minutes(day) gives the minutes of each day."""
    return [
        {"unit_id": unit, "date": day.strftime("%Y-%m-%d"), column: minutes(day), **cells} for day in DAYS
    ]


def unit(unit_id: str, population: int, **cells: Any) -> dict[str, Any]:
    return {
        "unit_id": unit_id,
        "rated_capacity": cells.pop("rated_capacity", 100),
        "population": population,
        **cells,
    }


def staff(n: int, role: str, supervises: bool | None, **cells: Any) -> dict[str, Any]:
    return {"staff_id": f"S-{1000 + n}", "role": role, "supervises_detainees": supervises, **cells}


# ---------------------------------------------------------------- UOF-MEDICAL-EXAM


def test_uof_medical_exam_within_24_hours_is_compliant(check: Check) -> None:
    result = check(
        "UOF-MEDICAL-EXAM",
        UseOfForce=[
            force(1, "2026-02-01 10:00", "immediate", medical_exam="2026-02-02 10:00"),
            force(2, "2026-02-01 10:00", "calculated", medical_exam="2026-02-01 11:00"),
        ],
    )
    assert (result.status, result.population, result.violations) == ("compliant", 2, 0)


def test_uof_medical_exam_late_or_missing_is_deficient(check: Check, cited: Cited) -> None:
    result = check(
        "UOF-MEDICAL-EXAM",
        UseOfForce=[
            force(1, "2026-02-01 10:00", "immediate", medical_exam="2026-02-02 10:30"),
            force(2, "2026-02-01 10:00", "immediate", medical_exam=None),
        ],
    )
    assert (result.status, result.population, result.violations) == ("deficient", 2, 2)
    assert cited(result) == [
        ("UseOfForce", 2, "U1", "medical_exam 24 h 30 min after occurred (limit 24 hours)"),
        ("UseOfForce", 3, "U2", "no medical_exam recorded; due by 2026-02-02 10:00"),
    ]


# ---------------------------------------------------------------- UOF-CALC-CONSULT


def test_uof_calc_consult_before_every_calculated_use_of_force_is_compliant(check: Check) -> None:
    result = check(
        "UOF-CALC-CONSULT",
        UseOfForce=[
            force(
                1, "2026-02-01 10:00", "calculated", chemical_agent=True, medical_consulted="2026-02-01 09:30"
            ),
            force(
                2,
                "2026-02-01 10:00",
                "calculated",
                chemical_agent=False,
                medical_consulted="2026-02-01 10:00",
            ),
            force(3, "2026-02-01 10:00", "immediate", chemical_agent=True, medical_consulted=None),
        ],
    )
    # population 2: every calculated use of force, with a chemical agent or not; U2 consulted at the
    # minute force began, which is not after it
    assert (result.status, result.population, result.violations) == ("compliant", 2, 0)


def test_uof_calc_consult_without_consultation_is_deficient_whatever_the_force(
    check: Check, cited: Cited
) -> None:
    result = check(
        "UOF-CALC-CONSULT",
        UseOfForce=[
            force(
                1, "2026-02-01 10:00", "calculated", chemical_agent=True, medical_consulted="2026-02-01 10:01"
            ),
            force(2, "2026-02-01 10:00", "calculated", chemical_agent=False, medical_consulted=None),
            force(3, "2026-02-01 10:00", "immediate", chemical_agent=False, medical_consulted=None),
        ],
    )
    # population 2 calculated; U2 used no chemical agent and is still cited (UOFR-18, UOFR-67)
    assert (result.status, result.population, result.violations) == ("deficient", 2, 2)
    assert result.priority is False
    assert cited(result) == [
        ("UseOfForce", 2, "U1", "medical_consulted 2026-02-01 10:01 is after occurred 2026-02-01 10:00"),
        ("UseOfForce", 3, "U2", "no medical_consulted recorded; occurred was 2026-02-01 10:00"),
    ]


# ---------------------------------------------------------------- UOF-CALC-CHEMICAL-CONSULT


def test_uof_calc_chemical_consult_before_a_chemical_agent_is_compliant(check: Check) -> None:
    result = check(
        "UOF-CALC-CHEMICAL-CONSULT",
        UseOfForce=[
            force(
                1, "2026-02-01 10:00", "calculated", chemical_agent=True, medical_consulted="2026-02-01 09:30"
            ),
            force(2, "2026-02-01 10:00", "calculated", chemical_agent=False, medical_consulted=None),
            force(3, "2026-02-01 10:00", "immediate", chemical_agent=True, medical_consulted=None),
        ],
    )
    # population 1 (calculated with a chemical agent); U2 is UOF-CALC-CONSULT's, not this one's
    assert (result.status, result.population, result.violations) == ("compliant", 1, 0)


def test_uof_calc_chemical_consult_after_or_without_consultation_is_a_priority_deficiency(
    check: Check, cited: Cited
) -> None:
    result = check(
        "UOF-CALC-CHEMICAL-CONSULT",
        UseOfForce=[
            force(
                1, "2026-02-01 10:00", "calculated", chemical_agent=True, medical_consulted="2026-02-01 10:01"
            ),
            force(2, "2026-02-01 10:00", "calculated", chemical_agent=True, medical_consulted=None),
        ],
    )
    assert (result.status, result.population, result.violations) == ("deficient", 2, 2)
    assert result.priority is True  # UOFR-52
    assert cited(result) == [
        ("UseOfForce", 2, "U1", "medical_consulted 2026-02-01 10:01 is after occurred 2026-02-01 10:00"),
        ("UseOfForce", 3, "U2", "no medical_consulted recorded; occurred was 2026-02-01 10:00"),
    ]


# ---------------------------------------------------------------- UOF-CALC-VIDEO


def test_uof_calc_video_recorded_calculated_use_is_compliant(check: Check) -> None:
    result = check(
        "UOF-CALC-VIDEO",
        UseOfForce=[
            force(1, "2026-02-01 10:00", "calculated", video_recorded=True),
            force(2, "2026-02-01 10:00", "immediate", video_recorded=False),
        ],
    )
    assert (result.status, result.population, result.violations) == ("compliant", 1, 0)


def test_uof_calc_video_unrecorded_or_unknown_is_deficient(check: Check, cited: Cited) -> None:
    result = check(
        "UOF-CALC-VIDEO",
        UseOfForce=[
            force(1, "2026-02-01 10:00", "calculated", video_recorded=False),
            force(2, "2026-02-01 10:00", "calculated", video_recorded=None),  # empty is not TRUE
            force(3, "2026-02-01 10:00", "calculated", video_recorded=True),
        ],
    )
    assert (result.status, result.population, result.violations) == ("deficient", 3, 2)
    assert cited(result) == [
        ("UseOfForce", 2, "U1", "video_recorded is not TRUE (or not recorded)"),
        ("UseOfForce", 3, "U2", "video_recorded is not TRUE (or not recorded)"),
    ]


# ---------------------------------------------------------------- UOF-AFTER-ACTION (working days)


def test_uof_after_action_next_working_day_is_compliant(check: Check) -> None:
    result = check(
        "UOF-AFTER-ACTION",
        UseOfForce=[
            # Friday 01-16: Monday 01-19 is MLK day, so the next working day is Tuesday 01-20
            force(1, "2026-01-16 10:00", "immediate", after_action_review="2026-01-20"),
            # Saturday 01-10 counts from Monday: the next working day is Monday 01-12
            force(2, "2026-01-10 10:00", "immediate", after_action_review="2026-01-12"),
        ],
    )
    assert (result.status, result.population, result.violations) == ("compliant", 2, 0)


def test_uof_after_action_second_working_day_is_deficient(check: Check, cited: Cited) -> None:
    result = check(
        "UOF-AFTER-ACTION",
        UseOfForce=[
            force(1, "2026-01-16 10:00", "immediate", after_action_review="2026-01-21"),
            force(2, "2026-01-10 10:00", "immediate", after_action_review="2026-01-13"),
        ],
    )
    assert (result.status, result.population, result.violations) == ("deficient", 2, 2)
    assert cited(result) == [
        (
            "UseOfForce",
            2,
            "U1",
            "after_action_review 2026-01-21, after the deadline: the end of 2026-01-20 "
            "(1 working day after occurred)",
        ),
        (
            "UseOfForce",
            3,
            "U2",
            "after_action_review 2026-01-13, after the deadline: the end of 2026-01-12 "
            "(1 working day after occurred)",
        ),
    ]


# ---------------------------------------------------------------- GS-FORMAL-RESPONSE


def test_gs_formal_response_within_5_days_is_compliant(check: Check) -> None:
    result = check(
        "GS-FORMAL-RESPONSE",
        Grievances=[
            grievance(1, "formal", "2026-02-01 10:00", "2026-02-06 10:00"),
            grievance(2, "informal", "2026-02-01 10:00", None),
        ],
    )
    assert (result.status, result.population, result.violations) == ("compliant", 1, 0)


def test_gs_formal_response_late_or_unanswered_is_deficient(check: Check, cited: Cited) -> None:
    result = check(
        "GS-FORMAL-RESPONSE",
        Grievances=[
            grievance(1, "formal", "2026-02-01 10:00", "2026-02-06 10:01"),
            grievance(2, "formal", "2026-03-30 10:00", None),  # due 04-04: pending, left out
            grievance(3, "formal", "2026-03-20 10:00", None),  # due 03-25: passed
        ],
    )
    # population 2 (G2 pending); G1 a minute late, G3 unanswered → 2
    assert (result.status, result.population, result.violations) == ("deficient", 2, 2)
    assert result.note == "1 left out as pending (deadline after the review period)"
    assert cited(result) == [
        ("Grievances", 2, "G1", "answered 5 days 1 min after received (limit 5 days)"),
        ("Grievances", 4, "G3", "no answered recorded; due by 2026-03-25 10:00"),
    ]


# ---------------------------------------------------------------- GS-EMERGENCY-RESPONSE


def test_gs_emergency_response_within_24_hours_is_compliant(check: Check) -> None:
    result = check(
        "GS-EMERGENCY-RESPONSE",
        Grievances=[
            grievance(1, "emergency", "2026-02-01 10:00", "2026-02-02 10:00"),
            grievance(2, "formal", "2026-02-01 10:00", "2026-02-05 10:00"),
        ],
    )
    assert (result.status, result.population, result.violations) == ("compliant", 1, 0)


def test_gs_emergency_response_after_30_hours_is_deficient(check: Check, cited: Cited) -> None:
    result = check(
        "GS-EMERGENCY-RESPONSE",
        Grievances=[grievance(1, "emergency", "2026-02-01 10:00", "2026-02-02 16:00")],
    )
    assert (result.status, result.population, result.violations) == ("deficient", 1, 1)
    assert cited(result) == [("Grievances", 2, "G1", "answered 30 h after received (limit 24 hours)")]


# ---------------------------------------------------------------- FS-COLD-HOLD / HOT / TRAY / FREEZER


def test_fs_cold_hold_at_41_f_is_compliant(check: Check) -> None:
    result = check(
        "FS-COLD-HOLD",
        FoodTemps=[
            reading("2026-02-01 08:00", "cold-holding", 41),
            reading("2026-02-01 12:00", "cold-holding", 38),
            reading("2026-02-01 12:00", "hot-holding", 140),
        ],
    )
    # population 2 cold-holding readings; 41 °F meets the limit
    assert (result.status, result.population, result.violations) == ("compliant", 2, 0)
    assert result.population_label == "temperature readings"


def test_fs_cold_hold_at_41_5_f_is_deficient(check: Check, cited: Cited) -> None:
    result = check(
        "FS-COLD-HOLD",
        FoodTemps=[
            reading("2026-02-01 08:00", "cold-holding", 41),
            reading("2026-02-01 12:00", "cold-holding", 41.5),
        ],
    )
    assert (result.status, result.population, result.violations) == ("deficient", 2, 1)
    assert result.priority is True
    assert cited(result) == [("FoodTemps", 3, "2026-02-01 12:00", "41.5 °F (maximum 41 °F)")]


def test_fs_hot_hold_at_135_f_is_compliant(check: Check) -> None:
    result = check("FS-HOT-HOLD", FoodTemps=[reading("2026-02-01 12:00", "hot-holding", 135)])
    assert (result.status, result.population, result.violations) == ("compliant", 1, 0)


def test_fs_hot_hold_at_134_f_is_deficient(check: Check, cited: Cited) -> None:
    result = check(
        "FS-HOT-HOLD",
        FoodTemps=[
            reading("2026-02-01 12:00", "hot-holding", 150),
            reading("2026-02-01 13:00", "hot-holding", 134),
        ],
    )
    assert (result.status, result.population, result.violations) == ("deficient", 2, 1)
    assert cited(result) == [("FoodTemps", 3, "2026-02-01 13:00", "134 °F (minimum 135 °F)")]


def test_fs_tray_hot_at_120_f_is_compliant(check: Check) -> None:
    result = check("FS-TRAY-HOT", FoodTemps=[reading("2026-02-01 12:00", "tray-delivery-hot", 120, "Unit A")])
    assert (result.status, result.population, result.violations) == ("compliant", 1, 0)


def test_fs_tray_hot_at_118_5_f_is_deficient(check: Check, cited: Cited) -> None:
    result = check(
        "FS-TRAY-HOT",
        FoodTemps=[
            reading("2026-02-01 12:00", "tray-delivery-hot", 125, "Unit A"),
            reading("2026-02-01 12:05", "tray-delivery-hot", 118.5, "Unit B"),
        ],
    )
    assert (result.status, result.population, result.violations) == ("deficient", 2, 1)
    assert cited(result) == [("FoodTemps", 3, "2026-02-01 12:05", "118.5 °F (minimum 120 °F)")]


def test_fs_freezer_at_0_f_is_compliant(check: Check) -> None:
    result = check(
        "FS-FREEZER",
        FoodTemps=[
            reading("2026-02-01 08:00", "freezer", 0, "Freezer 1"),
            reading("2026-02-02 08:00", "freezer", -5),
        ],
    )
    assert (result.status, result.population, result.violations) == ("compliant", 2, 0)


def test_fs_freezer_at_2_f_is_deficient(check: Check, cited: Cited) -> None:
    result = check("FS-FREEZER", FoodTemps=[reading("2026-02-01 08:00", "freezer", 2, "Freezer 1")])
    assert (result.status, result.population, result.violations) == ("deficient", 1, 1)
    assert cited(result) == [("FoodTemps", 2, "2026-02-01 08:00", "2 °F (maximum 0 °F)")]


# ---------------------------------------------------------------- FS-TEMP-LOG-DAILY


def daily_readings(location: str, kind: str, skip: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    return [
        reading(f"{day:%Y-%m-%d} 07:00", kind, 36 if kind == "refrigerator" else -2, location)
        for day in DAYS
        if f"{day:%Y-%m-%d}" not in skip
    ]


def test_fs_temp_log_daily_every_day_at_every_cooler_is_compliant(check: Check) -> None:
    result = check(
        "FS-TEMP-LOG-DAILY",
        FoodTemps=[
            *daily_readings("Cooler 1", "refrigerator"),
            *daily_readings("Freezer A", "freezer"),
            reading("2026-02-01 12:00", "hot-holding", 150, "Line"),  # not a refrigerator or freezer
        ],
    )
    # population 2 locations × 90 days = 180 location-days, all logged
    assert (result.status, result.population, result.violations) == ("compliant", 180, 0)


def test_fs_temp_log_daily_two_missing_days_are_deficient(check: Check, cited: Cited) -> None:
    result = check(
        "FS-TEMP-LOG-DAILY",
        FoodTemps=daily_readings("Cooler 1", "refrigerator", skip=("2026-02-10", "2026-03-31")),
    )
    # 90 location-days, 2 with no reading
    assert (result.status, result.population, result.violations) == ("deficient", 90, 2)
    assert cited(result) == [
        ("FoodTemps", None, None, "no reading at Cooler 1 on 2026-02-10"),
        ("FoodTemps", None, None, "no reading at Cooler 1 on 2026-03-31"),
    ]


# ---------------------------------------------------------------- EHS-PEST-CONTROL (cadence)


def test_ehs_pest_control_a_31_day_gap_is_compliant(check: Check) -> None:
    result = check(
        "EHS-PEST-CONTROL",
        SafetyLog=[event("2026-01-31", "pest-control"), event("2026-03-03", "pest-control")],
    )
    # gaps: 01-01→01-31 30, 01-31→03-03 31 (the limit), 03-03→03-31 28 → 3 intervals, 0 over
    assert (result.status, result.population, result.violations) == ("compliant", 3, 0)
    assert result.population_label == "intervals"


def test_ehs_pest_control_a_32_day_gap_from_the_period_start_is_deficient(check: Check, cited: Cited) -> None:
    result = check(
        "EHS-PEST-CONTROL",
        SafetyLog=[
            event("2026-02-02", "pest-control"),
            event("2026-02-20", "fire-drill", "A"),  # another event: ignored
            event("2026-03-01", "pest-control"),
        ],
    )
    # gaps: 01-01→02-02 32 (over), 02-02→03-01 27, 03-01→03-31 30 → 3 intervals, 1 violation
    assert (result.status, result.population, result.violations) == ("deficient", 3, 1)
    assert cited(result) == [
        (
            "SafetyLog",
            2,
            "2026-02-02",
            "32 days from the start of the review period (2026-01-01) to 2026-02-02 (limit 31 days)",
        )
    ]


# ---------------------------------------------------------------- EHS-FIRE-DRILL (cadence per area)


def test_ehs_fire_drill_monthly_in_every_area_is_compliant(check: Check) -> None:
    result = check(
        "EHS-FIRE-DRILL",
        SafetyLog=[
            event("2026-01-20", "fire-drill", "A"),
            event("2026-02-15", "fire-drill", "A"),
            event("2026-03-10", "fire-drill", "A"),
            event("2026-01-31", "fire-drill", "B"),
            event("2026-03-02", "fire-drill", "B"),
        ],
    )
    # A: 19, 26, 23, 21 (4 intervals); B: 30, 30, 29 (3 intervals) → 7, none over 31
    assert (result.status, result.population, result.violations) == ("compliant", 7, 0)


def test_ehs_fire_drill_32_days_between_drills_in_one_area_is_deficient(check: Check, cited: Cited) -> None:
    result = check(
        "EHS-FIRE-DRILL",
        SafetyLog=[
            event("2026-01-31", "fire-drill", "A"),
            event("2026-03-04", "fire-drill", "A"),
            event("2026-01-10", "fire-drill", "B"),
            event("2026-02-05", "fire-drill", "B"),
            event("2026-03-01", "fire-drill", "B"),
        ],
    )
    # A: 30, 32 (over), 27; B: 9, 26, 24, 30 → 7 intervals, 1 violation
    assert (result.status, result.population, result.violations) == ("deficient", 7, 1)
    assert cited(result) == [
        ("SafetyLog", 3, "2026-03-04", "A: 32 days from 2026-01-31 to 2026-03-04 (limit 31 days)")
    ]


# ---------------------------------------------------------------- EHS-FIRST-AID-KITS


def test_ehs_first_aid_kits_checked_monthly_is_compliant(check: Check) -> None:
    result = check(
        "EHS-FIRST-AID-KITS",
        SafetyLog=[event(d, "first-aid-kit-check") for d in ("2026-01-28", "2026-02-27", "2026-03-29")],
    )
    # 27, 30, 30, 2 → 4 intervals, 0 over
    assert (result.status, result.population, result.violations) == ("compliant", 4, 0)


def test_ehs_first_aid_kits_a_skipped_month_is_deficient(check: Check, cited: Cited) -> None:
    result = check(
        "EHS-FIRST-AID-KITS",
        SafetyLog=[event(d, "first-aid-kit-check") for d in ("2026-01-28", "2026-03-29")],
    )
    # 27, 60 (over), 2 → 3 intervals, 1 violation
    assert (result.status, result.population, result.violations) == ("deficient", 3, 1)
    assert cited(result) == [
        ("SafetyLog", 3, "2026-03-29", "60 days from 2026-01-28 to 2026-03-29 (limit 31 days)")
    ]


# ---------------------------------------------------------------- REC-DAILY (editions differ)


def weekdays(minutes: int) -> Any:
    return lambda day: minutes if day.weekday() < 5 else 0


def test_rec_daily_pbnds_an_hour_on_weekdays_is_compliant(check: Check) -> None:
    result = check("REC-DAILY", Activities=unit_days("A", weekdays(60), outdoor=False))
    # 1 unit × 12 whole weeks, each with 5 days of 60 min (indoor counts under PBNDS 2011)
    assert (result.status, result.population, result.violations) == ("compliant", 12, 0)
    assert result.population_label == "unit-weeks"


def test_rec_daily_pbnds_a_week_with_four_days_is_deficient(check: Check, cited: Cited) -> None:
    rows = unit_days("A", lambda day: 30 if f"{day:%Y-%m-%d}" == "2026-02-16" else weekdays(60)(day))
    result = check("REC-DAILY", Activities=rows)
    # the week of Monday 02-16 has 4 qualifying days → 1 of 12; its first row is 02-16,
    # day 46 of the period → Excel row 48
    assert (result.status, result.population, result.violations) == ("deficient", 12, 1)
    assert cited(result) == [
        ("Activities", 48, "A", "A, week of 2026-02-16: 4 day(s) with at least 60 min (needs 5)")
    ]


def test_rec_daily_nds_2019_outdoor_every_weekday_is_compliant(check: Check) -> None:
    result = check("REC-DAILY", edition="NDS-2019", Activities=unit_days("A", weekdays(60), outdoor=True))
    assert (result.status, result.population, result.violations) == ("compliant", 12, 0)
    assert result.threshold is not None
    assert result.threshold.text == "at least 60 minutes on 5 days a week per unit (outdoor is TRUE)"


def test_rec_daily_nds_2019_indoor_recreation_does_not_count(check: Check, cited: Cited) -> None:
    rows = unit_days("A", weekdays(60), outdoor=False)
    pbnds = check("REC-DAILY", Activities=rows)
    nds = check("REC-DAILY", edition="NDS-2019", Activities=rows)
    # the same indoor hours: compliant under PBNDS 2011, every week deficient under NDS 2019
    assert (pbnds.status, pbnds.violations) == ("compliant", 0)
    assert (nds.status, nds.population, nds.violations) == ("deficient", 12, 12)
    assert cited(nds)[0] == (
        "Activities",
        6,
        "A",
        "A, week of 2026-01-05: 0 day(s) with at least 60 min (outdoor is TRUE) (needs 5)",
    )


# ---------------------------------------------------------------- LL-WEEKLY


def mwf(minutes: int, skip: str = "") -> Any:
    return lambda day: minutes if day.weekday() in (0, 2, 4) and f"{day:%Y-%m-%d}" != skip else 0


def test_ll_weekly_300_minutes_a_week_is_compliant(check: Check) -> None:
    result = check("LL-WEEKLY", Activities=unit_days("A", mwf(100), "law_library_minutes"))
    # 3 × 100 = 300 min in each of the 12 whole weeks (the limit itself meets it)
    assert (result.status, result.population, result.violations) == ("compliant", 12, 0)


def test_ll_weekly_200_minutes_in_one_week_is_deficient(check: Check, cited: Cited) -> None:
    rows = [r for r in unit_days("A", mwf(100), "law_library_minutes") if r["date"] != "2026-03-27"]
    result = check("LL-WEEKLY", Activities=rows)
    # Friday 03-27 has no row (0 min): the week of 03-23 has 200 min → 1 of 12
    assert (result.status, result.population, result.violations) == ("deficient", 12, 1)
    assert cited(result) == [
        ("Activities", 83, "A", "A, week of 2026-03-23: 200 min in the week (needs 300)")
    ]


# ---------------------------------------------------------------- POP-CAPACITY


def test_pop_capacity_at_capacity_is_compliant(check: Check) -> None:
    result = check(
        "POP-CAPACITY",
        Housing=[unit("A", 10, rated_capacity=10), unit("B", 5, rated_capacity=10)],
    )
    # population 2 units + the facility total (15 ≤ 500) = 3
    assert (result.status, result.population, result.violations) == ("compliant", 3, 0)


def test_pop_capacity_an_overfull_unit_and_facility_are_deficient(check: Check, cited: Cited) -> None:
    result = check(
        "POP-CAPACITY",
        facility={"rated_capacity": 20},
        Housing=[unit("A", 11, rated_capacity=10), unit("B", 10, rated_capacity=10)],
    )
    # A 11 > 10; the units hold 21 > 20 → 2 of 3
    assert (result.status, result.population, result.violations) == ("deficient", 3, 2)
    assert cited(result) == [
        ("Housing", 2, "A", "population 11 over a rated capacity of 10"),
        ("Facility", 8, "20", "the units hold 21 people against the facility's rated capacity of 20"),
    ]
    assert (result.finding, result.priority) == ("area_of_concern", False)  # no ICE component


# ---------------------------------------------------------------- CCS-LEVEL-MIX


def test_ccs_level_mix_no_unit_with_levels_1_and_3_is_compliant(check: Check) -> None:
    result = check(
        "CCS-LEVEL-MIX",
        Housing=[
            unit("A", 10, classification_levels="1,2"),
            unit("B", 10, classification_levels="2,3"),
            unit("C", 10, classification_levels="13"),  # not "1" and "3"
        ],
    )
    assert (result.status, result.population, result.violations) == ("compliant", 3, 0)


def test_ccs_level_mix_blank_levels_are_indeterminate(check: Check) -> None:
    # issue 13: a blank cell that matters is undecided, not compliant (docs/verdicts.md)
    result = check(
        "CCS-LEVEL-MIX",
        Housing=[unit("A", 10, classification_levels="1,2"), unit("D", 10, classification_levels=None)],
    )
    assert (result.status, result.population, result.violations, result.indeterminate) == (
        "indeterminate",
        2,
        0,
        1,
    )


def test_ccs_level_mix_levels_1_and_3_together_is_deficient(check: Check, cited: Cited) -> None:
    result = check(
        "CCS-LEVEL-MIX",
        Housing=[
            unit("A", 10, classification_levels="1,3"),
            unit("B", 10, classification_levels="1, 2, 3"),
            unit("C", 10, classification_levels="2"),
        ],
    )
    assert (result.status, result.population, result.violations) == ("deficient", 3, 2)
    assert cited(result) == [
        ("Housing", 2, "A", "classification_levels includes 1 and 3"),
        ("Housing", 3, "B", "classification_levels includes 1 and 3"),
    ]


# ---------------------------------------------------------------- PH-TOILETS/SHOWERS/WASHBASINS, TA-PHONES


def test_ph_toilets_with_urinals_up_to_half_is_compliant(check: Check) -> None:
    result = check(
        "PH-TOILETS",
        Housing=[
            unit("A", 24, sex="M", toilets=1, urinals=1),  # 1 + 1 = 2 for 24 at 1 per 12
            unit("B", 16, sex="F", toilets=2, urinals=0),  # 2 for 16 at 1 per 8
            unit("C", 0, sex="M", toilets=0, urinals=0),  # empty: not examined
        ],
    )
    assert (result.status, result.population, result.violations) == ("compliant", 2, 0)


def test_ph_toilets_too_few_for_women_and_men_is_deficient(check: Check, cited: Cited) -> None:
    result = check(
        "PH-TOILETS",
        Housing=[
            unit("A", 24, sex="M", toilets=1, urinals=3),  # urinals count up to the toilets: 2 → fine
            unit("B", 9, sex="F", toilets=1, urinals=0),  # needs 2 at 1 per 8
            unit("C", 25, sex="M", toilets=2, urinals=0),  # needs 3 at 1 per 12
        ],
    )
    assert (result.status, result.population, result.violations) == ("deficient", 3, 2)
    assert cited(result) == [
        ("Housing", 3, "B", "1 toilets (+urinals) for 9 people; 2 needed at 1 per 8"),
        ("Housing", 4, "C", "2 toilets (+urinals) for 25 people; 3 needed at 1 per 12"),
    ]


def test_ph_showers_one_per_12_is_compliant(check: Check) -> None:
    result = check("PH-SHOWERS", Housing=[unit("A", 24, showers=2), unit("B", 12, showers=1)])
    assert (result.status, result.population, result.violations) == ("compliant", 2, 0)


def test_ph_showers_two_for_25_is_deficient(check: Check, cited: Cited) -> None:
    result = check("PH-SHOWERS", Housing=[unit("A", 24, showers=2), unit("B", 25, showers=2)])
    assert (result.status, result.population, result.violations) == ("deficient", 2, 1)
    assert cited(result) == [("Housing", 3, "B", "2 showers for 25 people; 3 needed at 1 per 12")]


def test_ph_washbasins_one_per_12_is_compliant(check: Check) -> None:
    result = check("PH-WASHBASINS", Housing=[unit("A", 36, washbasins=3)])
    assert (result.status, result.population, result.violations) == ("compliant", 1, 0)


def test_ph_washbasins_none_in_an_occupied_unit_is_deficient(check: Check, cited: Cited) -> None:
    result = check("PH-WASHBASINS", Housing=[unit("A", 36, washbasins=3), unit("B", 4, washbasins=0)])
    assert (result.status, result.population, result.violations) == ("deficient", 2, 1)
    assert cited(result) == [("Housing", 3, "B", "0 washbasins for 4 people; 1 needed at 1 per 12")]


def test_ta_phones_one_per_25_is_compliant(check: Check) -> None:
    result = check("TA-PHONES", Housing=[unit("A", 50, phones=2), unit("B", 1, phones=1)])
    assert (result.status, result.population, result.violations) == ("compliant", 2, 0)


def test_ta_phones_two_for_51_is_deficient(check: Check, cited: Cited) -> None:
    result = check("TA-PHONES", Housing=[unit("A", 51, phones=2)])
    assert (result.status, result.population, result.violations) == ("deficient", 1, 1)
    assert cited(result) == [("Housing", 2, "A", "2 phones for 51 people; 3 needed at 1 per 25")]


# ---------------------------------------------------------------- STAFF-* (12 months before 2026-04-06)


def test_staff_suicide_training_exactly_12_months_old_is_compliant(check: Check) -> None:
    result = check(
        "STAFF-SUICIDE-TRAINING",
        Staff=[
            staff(1, "custody", True, suicide_prevention_training="2025-04-06"),
            staff(2, "administration", False, suicide_prevention_training=None),  # does not supervise
        ],
    )
    assert (result.status, result.population, result.violations) == ("compliant", 1, 0)


def test_staff_suicide_training_stale_or_missing_is_deficient(check: Check, cited: Cited) -> None:
    result = check(
        "STAFF-SUICIDE-TRAINING",
        Staff=[
            staff(1, "custody", True, suicide_prevention_training="2025-04-05"),
            staff(2, "medical", True, suicide_prevention_training=None),
            staff(3, "custody", True, suicide_prevention_training="2026-01-10"),
        ],
    )
    assert (result.status, result.population, result.violations) == ("deficient", 3, 2)
    assert cited(result) == [
        (
            "Staff",
            2,
            "****1001",
            "suicide_prevention_training 2025-04-05, more than 12 months before the inspection (2026-04-06)",
        ),
        ("Staff", 3, "****1002", "no suicide_prevention_training recorded"),
    ]


def test_staff_hunger_strike_training_within_12_months_is_compliant(check: Check) -> None:
    result = check(
        "STAFF-HUNGER-STRIKE-TRAINING", Staff=[staff(1, "custody", True, hunger_strike_training="2025-10-01")]
    )
    assert (result.status, result.population, result.violations) == ("compliant", 1, 0)


def test_staff_hunger_strike_training_older_than_12_months_is_deficient(check: Check, cited: Cited) -> None:
    result = check(
        "STAFF-HUNGER-STRIKE-TRAINING",
        Staff=[
            staff(1, "custody", True, hunger_strike_training="2025-10-01"),
            staff(2, "custody", True, hunger_strike_training="2024-12-31"),
        ],
    )
    assert (result.status, result.population, result.violations) == ("deficient", 2, 1)
    assert cited(result) == [
        (
            "Staff",
            3,
            "****1002",
            "hunger_strike_training 2024-12-31, more than 12 months before the inspection (2026-04-06)",
        )
    ]


def test_staff_saapi_training_within_12_months_is_compliant(check: Check) -> None:
    result = check("STAFF-SAAPI-TRAINING", Staff=[staff(1, "custody", True, saapi_training="2026-03-01")])
    assert (result.status, result.population, result.violations) == ("compliant", 1, 0)


def test_staff_saapi_training_missing_is_deficient(check: Check, cited: Cited) -> None:
    result = check("STAFF-SAAPI-TRAINING", Staff=[staff(1, "custody", True, saapi_training=None)])
    assert (result.status, result.population, result.violations) == ("deficient", 1, 1)
    assert cited(result) == [("Staff", 2, "****1001", "no saapi_training recorded")]


def test_staff_cpr_expiring_on_the_first_inspection_day_is_compliant(check: Check) -> None:
    result = check(
        "STAFF-CPR",
        Staff=[
            staff(1, "custody", True, cpr_expires="2026-04-06"),
            staff(2, "other", False, cpr_expires=None),
        ],
    )
    assert (result.status, result.population, result.violations) == ("compliant", 1, 0)


def test_staff_cpr_expired_the_day_before_is_deficient(check: Check, cited: Cited) -> None:
    result = check("STAFF-CPR", Staff=[staff(1, "custody", True, cpr_expires="2026-04-05")])
    assert (result.status, result.population, result.violations) == ("deficient", 1, 1)
    assert cited(result) == [
        ("Staff", 2, "****1001", "expired 2026-04-05, before the inspection began (2026-04-06)")
    ]


def test_staff_license_current_for_clinicians_is_compliant(check: Check) -> None:
    result = check(
        "STAFF-LICENSE",
        Staff=[
            staff(1, "medical", True, license_expires="2027-01-01"),
            staff(2, "mental-health", False, license_expires="2026-04-06"),
            staff(3, "custody", True, license_expires=None),  # not a clinician
        ],
    )
    assert (result.status, result.population, result.violations) == ("compliant", 2, 0)


def test_staff_license_expired_is_deficient(check: Check, cited: Cited) -> None:
    result = check(
        "STAFF-LICENSE",
        Staff=[
            staff(1, "medical", True, license_expires="2027-01-01"),
            staff(2, "mental-health", True, license_expires="2026-03-31"),
        ],
    )
    assert (result.status, result.population, result.violations) == ("deficient", 2, 1)
    assert cited(result) == [
        ("Staff", 3, "****1002", "expired 2026-03-31, before the inspection began (2026-04-06)")
    ]
