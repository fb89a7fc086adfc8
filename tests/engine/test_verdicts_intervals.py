"""Issue 13 for the interval kinds (max_gap, cadence, daily_presence, weekly_minimum): three values
per record, and only the part of each interval inside the review period counts (docs/verdicts.md).

The review period is 2026-01-01 .. 2026-03-31 23:59:59.999999; counts are worked out by hand in the
comments.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from auditor.engine.context import Context
from auditor.engine.evaluate import evaluate_requirement
from auditor.standards.load import load_edition

if TYPE_CHECKING:
    from conftest import Build, Check, Cited

DAYS = pd.date_range("2026-01-01", "2026-03-31", freq="D")


def placement(n: int, kind: str | None, start: str | None, end: str | None = None) -> dict[str, Any]:
    return {"placement_id": f"P{n}", "detainee_id": f"D{n:04d}", "kind": kind, "start": start, "end": end}


def checks(placement_id: str, *times: str | None) -> list[dict[str, Any]]:
    return [{"placement_id": placement_id, "checked": t} for t in times]


def every(placement_id: str, first: str, last: str, minutes: int) -> list[dict[str, Any]]:
    times = pd.date_range(first, last, freq=f"{minutes}min")
    return checks(placement_id, *(t.strftime("%Y-%m-%d %H:%M") for t in times))


def verdicts(result: Any) -> tuple[str, int, int, int, int]:
    """(status, population, violations, compliant, indeterminate)."""
    return (result.status, result.population, result.violations, result.compliant, result.indeterminate)


def undecided(result: Any) -> list[tuple[int | None, str]]:
    return [(e.row, e.detail) for e in result.evidence if e.verdict == "indeterminate"]


# ---------------------------------------------------------------- max_gap: the review period


def test_max_gap_measures_from_the_period_start_not_from_a_placement_start_before_it(check: Check) -> None:
    # finding 4: the placement began 2025-12-31 20:00, before the period; checks every 30 min from
    # 2026-01-01 00:00. The 4 h before midnight lie outside the period: nothing there is measured.
    result = check(
        "SMU-CHECKS",
        Placements=[placement(1, "administrative-segregation", "2025-12-31 20:00", "2026-01-01 02:00")],
        Checks=every("P1", "2026-01-01 00:00", "2026-01-01 02:00", 30),
    )
    assert verdicts(result) == ("compliant", 1, 0, 1, 0)


def test_max_gap_a_check_before_the_period_does_not_stand_for_one_inside_it(
    check: Check, cited: Cited
) -> None:
    # a check at 2025-12-31 23:50 is outside the period: from 01-01 00:00 to the first check inside
    # (00:40) is 40 min, over 30
    result = check(
        "SMU-CHECKS",
        Placements=[placement(1, "administrative-segregation", "2025-12-31 23:00", "2026-01-01 01:00")],
        Checks=checks("P1", "2025-12-31 23:20", "2025-12-31 23:50", "2026-01-01 00:40"),
    )
    assert verdicts(result) == ("deficient", 1, 1, 0, 0)
    assert cited(result)[0][3] == (
        "longest gap 40 min, from 2026-01-01 00:00 to 2026-01-01 00:40 (limit 30 minutes; 1 check logged)"
    )


def test_max_gap_leaves_out_a_placement_that_ended_before_the_period(check: Check) -> None:
    # P1 ended 2025-12-20 with no checks at all: out of scope. P2 is inside and fine.
    result = check(
        "SMU-CHECKS",
        Placements=[
            placement(1, "administrative-segregation", "2025-12-20 08:00", "2025-12-20 12:00"),
            placement(2, "administrative-segregation", "2026-02-01 08:00", "2026-02-01 08:30"),
        ],
        Checks=checks("P2", "2026-02-01 08:15"),
    )
    assert verdicts(result) == ("compliant", 1, 0, 1, 0)


def test_max_gap_checks_after_the_period_do_not_count(check: Check, cited: Cited) -> None:
    # runs past the period's end; the last check inside is 23:20, 39 min 59 s before the period
    # ends. The 00:05 check on 04-01 is after the period and cannot close that gap.
    result = check(
        "SMU-CHECKS",
        Placements=[placement(1, "disciplinary-segregation", "2026-03-31 23:00", "2026-04-01 06:00")],
        Checks=checks("P1", "2026-03-31 23:20", "2026-04-01 00:05"),
    )
    assert verdicts(result) == ("deficient", 1, 1, 0, 0)
    assert cited(result)[0][3].startswith("longest gap 40 min, from 2026-03-31 23:20 to 2026-03-31 23:59")


# ---------------------------------------------------------------- max_gap: three values


def test_max_gap_a_placement_of_unknown_kind_is_indeterminate_when_its_gap_is_over(check: Check) -> None:
    # P1 (kind blank) has a 45-min gap: a violation if it was segregation → indeterminate.
    # P2 (kind blank) is checked every 30 min: compliant whatever its kind.
    # P3 is a hold room: not in the population.
    result = check(
        "SMU-CHECKS",
        Placements=[
            placement(1, None, "2026-02-01 08:00", "2026-02-01 09:00"),
            placement(2, None, "2026-02-02 08:00", "2026-02-02 09:00"),
            placement(3, "hold-room", "2026-02-03 08:00", "2026-02-03 09:00"),
        ],
        Checks=[*checks("P1", "2026-02-01 08:45"), *checks("P2", "2026-02-02 08:30")],
    )
    assert verdicts(result) == ("indeterminate", 2, 0, 1, 1)
    assert undecided(result) == [
        (
            2,
            "longest gap 45 min, from 2026-02-01 08:00 to 2026-02-01 08:45 (limit 30 minutes; 1 check "
            "logged); whether the requirement applies is not recorded "
            "(kind is administrative-segregation or disciplinary-segregation)",
        )
    ]


def test_max_gap_a_check_logged_without_a_time_could_fill_one_gap(check: Check) -> None:
    # P1: 08:00 → 09:00 with a check at 08:00 and one without a time. The 60-min gap could be split
    # into two of 30 by that check → indeterminate. P2: 08:00 → 09:05 and the same: 65 min is over
    # 2 × 30 however the check fell → a proven violation.
    result = check(
        "SMU-CHECKS",
        Placements=[
            placement(1, "administrative-segregation", "2026-02-01 08:00", "2026-02-01 09:00"),
            placement(2, "administrative-segregation", "2026-02-02 08:00", "2026-02-02 09:05"),
        ],
        Checks=[*checks("P1", "2026-02-01 08:00", None), *checks("P2", "2026-02-02 08:00", None)],
    )
    assert verdicts(result) == ("deficient", 2, 1, 0, 1)
    assert [e.row for e in result.evidence if e.verdict == "violation"] == [3]
    assert undecided(result) == [
        (
            2,
            "longest gap 60 min, from 2026-02-01 08:00 to 2026-02-01 09:00 (limit 30 minutes; 1 check "
            "logged); 1 check(s) logged without a time might fall in it",
        )
    ]


def test_max_gap_a_check_without_a_time_cannot_make_a_compliant_placement_doubtful(check: Check) -> None:
    result = check(
        "SMU-CHECKS",
        Placements=[placement(1, "administrative-segregation", "2026-02-01 08:00", "2026-02-01 09:00")],
        Checks=checks("P1", "2026-02-01 08:30", None),
    )
    assert verdicts(result) == ("compliant", 1, 0, 1, 0)


def _date_only(build: Build, sheet: str, column: str, rows: list[bool], **sheets: Any) -> Any:
    """SMU-CHECKS on an inspection where the given cells of sheet.column are known only to the day."""
    inspection = build(**sheets)
    inspection.date_only.setdefault(sheet, {})[column] = np.array(rows)
    standards = load_edition("PBNDS-2011")
    return evaluate_requirement(standards.requirements["SMU-CHECKS"], Context(inspection), standards)


def test_max_gap_a_start_known_only_to_the_day(build: Build) -> None:
    # P1 started "2026-02-01" (some time that day) and ended 02-01 10:00, checks 09:30 and 10:00:
    # compliant if it began after 09:00, not if at 08:00 → indeterminate.
    # P2 started "2026-02-02" and ended 02-04 10:00 with one check on 02-04 09:40: even from the last
    # instant of 02-02 that is over 30 min → a proven violation.
    result = _date_only(
        build,
        "Placements",
        "start",
        [True, True],
        Placements=[
            placement(1, "administrative-segregation", "2026-02-01", "2026-02-01 10:00"),
            placement(2, "administrative-segregation", "2026-02-02", "2026-02-04 10:00"),
        ],
        Checks=[*checks("P1", "2026-02-01 09:30", "2026-02-01 10:00"), *checks("P2", "2026-02-04 09:40")],
    )
    assert verdicts(result) == ("deficient", 2, 1, 0, 1)
    assert [(e.row, e.verdict) for e in result.evidence] == [(3, "violation"), (2, "indeterminate")]
    assert undecided(result)[0][1].endswith(
        "the start or end is recorded as a date only (the day, not the time)"
    )


def test_max_gap_a_check_known_only_to_the_day_proves_nothing_either_way(build: Build) -> None:
    # the 08:30 check is a date only (02-01, some time that day): without it the gap is 60 min, with
    # it maybe 30 → indeterminate; P2's checks are exact and every 30 min → compliant
    result = _date_only(
        build,
        "Checks",
        "checked",
        [True, False, False],
        Placements=[
            placement(1, "administrative-segregation", "2026-02-01 08:00", "2026-02-01 09:00"),
            placement(2, "administrative-segregation", "2026-02-02 08:00", "2026-02-02 09:00"),
        ],
        Checks=[*checks("P1", "2026-02-01 08:30"), *checks("P2", "2026-02-02 08:30", "2026-02-02 09:00")],
    )
    assert verdicts(result) == ("indeterminate", 2, 0, 1, 1)
    assert undecided(result)[0][1].endswith(
        "check(s) recorded as a date only (the day, not the time) might fall in it"
    )


def test_max_gap_a_placement_without_a_start_is_indeterminate_unless_checked_throughout(check: Check) -> None:
    # P1: no start, ended 02-01 09:00, last check 08:00: a 60-min gap if it began before 08:00, none
    # if it began at 08:30 → indeterminate. P2: no start, ended 2026-01-01 00:10, checked at 00:00:
    # inside the period every gap is within 30 min however early it began → compliant.
    result = check(
        "SMU-CHECKS",
        Placements=[
            placement(1, "administrative-segregation", None, "2026-02-01 09:00"),
            placement(2, "administrative-segregation", None, "2026-01-01 00:10"),
        ],
        Checks=[*checks("P1", "2026-02-01 08:00"), *checks("P2", "2026-01-01 00:00")],
    )
    assert verdicts(result) == ("indeterminate", 2, 0, 1, 1)
    assert undecided(result)[0][1].endswith("the start is not recorded")


# ---------------------------------------------------------------- cadence


def event(date: str | None, kind: str | None, area: str | None = None) -> dict[str, Any]:
    return {"date": date, "area": area, "event": kind}


def housing(*units: str) -> list[dict[str, Any]]:
    return [{"unit_id": u, "rated_capacity": 10, "population": 5} for u in units]


MONTHLY = ("2026-01-20", "2026-02-15", "2026-03-10")  # gaps 19, 26, 23, 21 days


def test_cadence_a_housing_unit_never_drilled_is_indeterminate_not_compliant(check: Check) -> None:
    # finding 3: A is drilled monthly (4 intervals, compliant); B is in Housing but never named in
    # the log: one indeterminate interval, the whole period. Before, B was simply not counted.
    result = check(
        "EHS-FIRE-DRILL",
        SafetyLog=[event(d, "fire-drill", "A") for d in MONTHLY],
        Housing=housing("A", "B"),
    )
    assert verdicts(result) == ("indeterminate", 5, 0, 4, 1)
    assert [(e.sheet, e.row, e.verdict) for e in result.evidence] == [("Housing", 3, "indeterminate")]
    assert result.evidence[0].detail == (
        "B: no row in the review period (89 days, limit 31 days); the Housing sheet lists the unit, but "
        "the log may name its area differently or it may not have been in use"
    )


def test_cadence_no_drill_at_all_is_one_proven_violation_whatever_housing_lists(check: Check) -> None:
    result = check(
        "EHS-FIRE-DRILL", SafetyLog=[event("2026-02-01", "pest-control")], Housing=housing("A", "B")
    )
    assert verdicts(result) == ("deficient", 1, 1, 0, 0)


def test_cadence_a_drill_of_unrecorded_area_might_close_any_areas_gap(check: Check) -> None:
    # A: 01-31, 03-04 → 30, 32 (over), 27. A drill with no area on 02-15 might be A's: then 15 and
    # 17 → the 32-day gap is indeterminate, not a violation. The drill without an area also names
    # no group of its own.
    result = check(
        "EHS-FIRE-DRILL",
        SafetyLog=[
            event("2026-01-31", "fire-drill", "A"),
            event("2026-03-04", "fire-drill", "A"),
            event("2026-02-15", "fire-drill", None),
        ],
    )
    assert verdicts(result) == ("indeterminate", 3, 0, 2, 1)
    assert undecided(result) == [
        (
            3,
            "A: 32 days from 2026-01-31 to 2026-03-04 (limit 31 days); a row whose event or area is not "
            "recorded falls in it",
        )
    ]


def test_cadence_a_row_without_a_date_might_split_one_gap(check: Check) -> None:
    # pest control 01-15 and 03-31; a visit logged without a date. 01-01→01-15 14, 01-15→03-31 75:
    # 75 > 2 × 31, so even with the undated visit inside one part is over → proven violation.
    # With a visit on 02-20 instead of 03-31: 14, 36, 39 → both over but each ≤ 62 → indeterminate.
    proven = check(
        "EHS-PEST-CONTROL",
        SafetyLog=[event(d, "pest-control") for d in ("2026-01-15", "2026-03-31", None)],
    )
    assert verdicts(proven) == ("deficient", 3, 1, 2, 0)
    unsure = check(
        "EHS-PEST-CONTROL",
        SafetyLog=[event(d, "pest-control") for d in ("2026-01-15", "2026-02-20", None)],
    )
    assert verdicts(unsure) == ("indeterminate", 3, 0, 1, 2)
    assert undecided(unsure)[1] == (
        3,
        "39 days from 2026-02-20 to the end of the review period (2026-03-31) (limit 31 days); "
        "1 row(s) without a date might fall in it",
    )


# ---------------------------------------------------------------- weekly_minimum


def unit_days(
    unit: str, minutes: Any, column: str = "law_library_minutes", **cells: Any
) -> list[dict[str, Any]]:
    return [{"unit_id": unit, "date": f"{d:%Y-%m-%d}", column: minutes(d), **cells} for d in DAYS]


def mwf(minutes: int | None) -> Any:
    return lambda day: minutes if day.weekday() in (0, 2, 4) else 0


def test_weekly_minimum_a_housing_unit_never_in_activities_is_indeterminate_not_compliant(
    check: Check,
) -> None:
    # finding 3: A has 300 min in each of the 12 whole weeks; B is in Housing but has no Activities
    # row at all → its 12 unit-weeks are indeterminate (it may have been closed or empty). Before,
    # B was left out and the result was compliant.
    for rid in ("LL-WEEKLY", "REC-DAILY"):
        column = "law_library_minutes" if rid == "LL-WEEKLY" else "recreation_minutes"
        minutes = unit_days("A", lambda d: 100 if d.weekday() < 5 else 0, column)
        result = check(rid, Activities=minutes, Housing=housing("A", "B"))
        assert verdicts(result) == ("indeterminate", 24, 0, 12, 12), rid
        assert {(e.sheet, e.row) for e in result.evidence} == {("Housing", 3)}
        assert result.evidence[0].detail == (
            "B, week of 2026-01-05: no Activities row names the unit; the Housing sheet lists it, but it "
            "may have been closed or empty"
        )


def test_weekly_total_a_blank_day_decides_only_a_week_that_falls_short(check: Check) -> None:
    # Mon/Wed/Fri 100 min, except: week of 02-16 Monday blank (200 known → indeterminate); week of
    # 03-02 Monday blank and Wednesday 200 (300 known → compliant); week of 03-23 Monday 0 (200, no
    # blank → violation)
    special = {"2026-02-16": None, "2026-03-02": None, "2026-03-04": 200, "2026-03-23": 0}
    rows = unit_days("A", mwf(100))
    for row in rows:
        if row["date"] in special:
            row["law_library_minutes"] = special[row["date"]]
    result = check("LL-WEEKLY", Activities=rows)
    assert verdicts(result) == ("deficient", 12, 1, 10, 1)
    assert undecided(result) == [
        (
            48,
            "A, week of 2026-02-16: 200 min in the week (needs 300); a blank or a row without a date "
            "might make up the difference",
        )
    ]


def test_weekly_total_a_row_without_a_date_might_belong_to_any_week(check: Check) -> None:
    # 100 min on Mondays only, plus a row of 150 min with no date: 100 + 150 < 300 in every week →
    # still proven short, 12 violations. With 250 min undated, any one week could reach 350 → all
    # 12 indeterminate.
    rows = [r for r in unit_days("A", lambda d: 100 if d.weekday() == 0 else 0) if r["law_library_minutes"]]
    short = check("LL-WEEKLY", Activities=[*rows, {"unit_id": "A", "date": None, "law_library_minutes": 150}])
    assert verdicts(short) == ("deficient", 12, 12, 0, 0)
    maybe = check("LL-WEEKLY", Activities=[*rows, {"unit_id": "A", "date": None, "law_library_minutes": 250}])
    assert verdicts(maybe) == ("indeterminate", 12, 0, 0, 12)


def test_min_days_an_outdoor_blank_is_a_day_that_may_or_may_not_count(check: Check) -> None:
    # NDS 2019 counts outdoor recreation only. Weekdays 60 min outdoors, except: week of 02-16 has
    # Monday's `outdoor` blank (4 proven, 5 possible → indeterminate); week of 03-02 has Monday and
    # Tuesday indoors (3 proven, 3 possible → violation)
    rows = unit_days("A", lambda d: 60 if d.weekday() < 5 else 0, "recreation_minutes", outdoor=True)
    for row in rows:
        if row["date"] == "2026-02-16":
            row["outdoor"] = None
        if row["date"] in ("2026-03-02", "2026-03-03"):
            row["outdoor"] = False
    result = check("REC-DAILY", edition="NDS-2019", Activities=rows)
    assert verdicts(result) == ("deficient", 12, 1, 10, 1)
    assert undecided(result)[0][1].startswith(
        "A, week of 2026-02-16: 4 day(s) with at least 60 min (outdoor is TRUE) (needs 5)"
    )


# ---------------------------------------------------------------- daily_presence


def reading(recorded: str | None, kind: str | None, location: str | None) -> dict[str, Any]:
    return {"recorded": recorded, "location": location, "kind": kind, "temp_f": 36}


def daily(location: str, skip: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    return [
        reading(f"{d:%Y-%m-%d} 07:00", "refrigerator", location) for d in DAYS if f"{d:%Y-%m-%d}" not in skip
    ]


def test_daily_presence_a_reading_of_unrecorded_kind_or_location_might_be_that_days(check: Check) -> None:
    # Cooler 1 misses 02-10, 03-20 and 03-31. On 02-10 it has a reading of blank kind; on 03-20 a
    # refrigerator reading with no location was taken → both indeterminate; 03-31 → a violation.
    result = check(
        "FS-TEMP-LOG-DAILY",
        FoodTemps=[
            *daily("Cooler 1", skip=("2026-02-10", "2026-03-20", "2026-03-31")),
            reading("2026-02-10 07:00", None, "Cooler 1"),
            reading("2026-03-20 07:00", "refrigerator", None),
        ],
    )
    assert verdicts(result) == ("deficient", 90, 1, 87, 2)
    assert [(e.detail, e.verdict) for e in result.evidence] == [
        ("no reading at Cooler 1 on 2026-03-31", "violation"),
        (
            "no reading at Cooler 1 on 2026-02-10; a reading whose kind or location is not recorded was "
            "taken that day",
            "indeterminate",
        ),
        (
            "no reading at Cooler 1 on 2026-03-20; a reading whose kind or location is not recorded was "
            "taken that day",
            "indeterminate",
        ),
    ]


def test_daily_presence_a_location_known_only_from_blank_kinds_is_undecided_every_day(check: Check) -> None:
    # Cooler 1 is logged every day (90 compliant). Cooler 2's only reading has a blank kind: it may
    # not be a refrigerator at all → its 90 location-days are indeterminate, none a violation.
    result = check(
        "FS-TEMP-LOG-DAILY",
        FoodTemps=[*daily("Cooler 1"), reading("2026-02-01 07:00", None, "Cooler 2")],
    )
    assert verdicts(result) == ("indeterminate", 180, 0, 90, 90)
    assert undecided(result)[0] == (
        None,
        "no reading at Cooler 2 on 2026-01-01; every reading there leaves open whether kind is "
        "refrigerator or freezer",
    )


def test_daily_presence_a_reading_without_a_time_might_be_any_missing_days(check: Check) -> None:
    result = check(
        "FS-TEMP-LOG-DAILY",
        FoodTemps=[*daily("Cooler 1", skip=("2026-02-10",)), reading(None, "refrigerator", "Cooler 1")],
    )
    assert verdicts(result) == ("indeterminate", 90, 0, 89, 1)
    assert undecided(result)[0][1].endswith("; 1 reading(s) without a date might be that day's")


def test_max_gap_an_open_placement_ends_at_the_detainees_release(check: Check) -> None:
    # P1's end is blank ("ongoing"), but D0001 was released 02-01 09:00: the placement is measured
    # to the release, not to the end of the period → checks 08:30, 09:00 are enough. D0002 arrived
    # again 03-01 after a release on 02-10: P2 (started 03-01 10:00, blank end) belongs to the later
    # stay, which has no release → measured to the period's end: 30 min then 28 days → a violation.
    intake = [
        {"detainee_id": "D0001", "arrival": "2026-01-20 08:00", "release": "2026-02-01 09:00"},
        {"detainee_id": "D0002", "arrival": "2026-01-20 08:00", "release": "2026-02-10 09:00"},
        {"detainee_id": "D0002", "arrival": "2026-03-01 08:00", "release": None},
    ]
    result = check(
        "SMU-CHECKS",
        Intake=intake,
        Placements=[
            placement(1, "administrative-segregation", "2026-02-01 08:00"),
            {**placement(2, "administrative-segregation", "2026-03-01 10:00"), "detainee_id": "D0002"},
        ],
        Checks=[*checks("P1", "2026-02-01 08:30", "2026-02-01 09:00"), *checks("P2", "2026-03-01 10:30")],
    )
    assert verdicts(result) == ("deficient", 2, 1, 1, 0)
    assert [e.row for e in result.evidence] == [3]


def test_max_gap_a_placement_after_its_detainees_release_cannot_be_cited(check: Check) -> None:
    # D0001 was released 02-01 09:00 but P1 says segregation 02-03 08:00-12:00 with a 60-min gap:
    # the sheets disagree, so the gap is measured on P1's own dates but proves nothing →
    # indeterminate. P2, the same detainee, checked every 30 min: compliant all the same.
    result = check(
        "SMU-CHECKS",
        Intake=[{"detainee_id": "D0001", "arrival": "2026-01-20 08:00", "release": "2026-02-01 09:00"}],
        Placements=[
            placement(1, "administrative-segregation", "2026-02-03 08:00", "2026-02-03 09:00"),
            {
                **placement(2, "administrative-segregation", "2026-02-04 08:00", "2026-02-04 09:00"),
                "detainee_id": "D0001",
            },
        ],
        Checks=[*checks("P1", "2026-02-03 09:00"), *every("P2", "2026-02-04 08:30", "2026-02-04 09:00", 30)],
    )
    assert verdicts(result) == ("indeterminate", 2, 0, 1, 1)
    assert undecided(result)[0][1].endswith(
        "it starts after its detainee's release recorded in Intake: the two sheets disagree"
    )


def test_weekly_minimum_leaves_out_hold_rooms_and_intake_units_of_the_housing_sheet(check: Check) -> None:
    # Housing: A (general, logged), HOLD-1 (hold-room) and INTAKE (intake) are never in Activities
    # but nobody lives there for weeks → not units; X (unit_type blank) might be → 12 indeterminate
    rows = [
        {"unit_id": "A", "unit_type": "general"},
        {"unit_id": "HOLD-1", "unit_type": "hold-room"},
        {"unit_id": "INTAKE", "unit_type": "intake"},
        {"unit_id": "X", "unit_type": None},
    ]
    result = check(
        "LL-WEEKLY",
        Activities=unit_days("A", mwf(100)),
        Housing=[{**r, "rated_capacity": 10, "population": 5} for r in rows],
    )
    assert verdicts(result) == ("indeterminate", 24, 0, 12, 12)
    assert {e.row for e in result.evidence} == {5}


def test_max_gap_a_placement_before_its_detainees_only_stay_is_measured_on_its_own_dates(
    check: Check,
) -> None:
    # found by tests/reference: the stay arrives an hour after the placement starts (the sheets
    # disagree); the placement is measured on its own times and its one check at 08:05 closes it
    result = check(
        "HR-CHECKS",
        Placements=[
            {"placement_id": "P0", "detainee_id": "A2", "kind": "hold-room",
             "start": "2026-01-05 08:00", "end": "2026-01-05 08:10"},
        ],
        Checks=[{"placement_id": "P0", "checked": "2026-01-05 08:05"}],
        Intake=[{"detainee_id": "A2", "arrival": "2026-01-05 09:00"}],
    )  # fmt: skip
    assert (result.status, result.population, result.violations, result.indeterminate) == (
        "compliant",
        1,
        0,
        0,
    )
