"""Rows dated outside the review period are out of scope (issue 13 item 3, docs/verdicts.md "Events
in the period"): value_limit and prohibited count only the readings, incidents and stays of the period.

The test facility's review period is 2026-01-01 00:00 to 2026-03-31 23:59:59.999999 (no zone: times
as written). Every expected count is worked out by hand in the comments.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from auditor.contracts.results import Result
from auditor.engine import period
from auditor.engine.context import Context
from tests.engine.conftest import Build, Check


def counts(result: Result) -> tuple[str, int, int, int, int]:
    return (result.status, result.population, result.violations, result.compliant, result.indeterminate)


def verdicts(result: Result) -> list[tuple[int | None, str, str]]:
    return [(item.row, item.verdict, item.detail) for item in result.evidence]


def reading(recorded: str | None, temp: float, kind: str = "cold-holding") -> dict[str, Any]:
    return {"recorded": recorded, "location": "Cooler 1", "kind": kind, "temp_f": temp}


# ---------------------------------------------------------------- value_limit


def test_value_limit_counts_only_readings_in_the_period(check: Check) -> None:
    result = check(
        "FS-COLD-HOLD",
        FoodTemps=[
            reading("2025-12-31 23:59", 50),  # row 2: a minute before the period: out
            reading("2026-01-01 00:00", 45),  # row 3: its first instant: in, over 41 → violation
            reading("2026-03-31 23:59", 41),  # row 4: in, at the limit → compliant
            reading("2026-04-01 00:00", 60),  # row 5: after the period (the records after it): out
            reading("2026-04-01", 60),  # row 6: a date-only day wholly after the period: out
            reading("2026-03-31", 50),  # row 7: a date-only day wholly inside: in → violation
        ],
    )
    # population 3 (rows 3, 4, 7) = 2 violations + 1 compliant
    assert counts(result) == ("deficient", 3, 2, 1, 0)
    assert [row for row, _, _ in verdicts(result)] == [3, 7]
    assert result.note == "3 left out (dated outside the review period)"


def test_value_limit_a_violation_after_the_period_is_not_cited(check: Check) -> None:
    # the only hot reading is from April: before, it made the result deficient
    result = check(
        "FS-COLD-HOLD", FoodTemps=[reading("2026-02-01 08:00", 38), reading("2026-04-02 08:00", 70)]
    )
    assert counts(result) == ("compliant", 1, 0, 1, 0)


def test_value_limit_all_readings_outside_is_not_applicable(check: Check) -> None:
    result = check("FS-COLD-HOLD", FoodTemps=[reading("2025-11-30 08:00", 70), reading("2026-05-01", 39)])
    assert counts(result) == ("not_applicable", 0, 0, 0, 0)
    assert result.reason == "2 left out (dated outside the review period)"


def test_value_limit_a_reading_of_another_kind_is_not_counted_as_left_out(check: Check) -> None:
    # the freezer reading outside the period was never in FS-COLD-HOLD's population: not in the note
    result = check(
        "FS-COLD-HOLD", FoodTemps=[reading("2026-02-01 08:00", 38), reading("2026-04-02 08:00", 5, "freezer")]
    )
    assert counts(result) == ("compliant", 1, 0, 1, 0)
    assert result.note is None


def test_value_limit_an_undated_reading_is_undecided_only_when_it_matters(check: Check) -> None:
    result = check(
        "FS-COLD-HOLD",
        FoodTemps=[
            reading(None, 45),  # row 2: over the limit, but perhaps not in the period → indeterminate
            reading(None, 38),  # row 3: within the limit whenever it was taken → compliant
        ],
    )
    assert counts(result) == ("indeterminate", 2, 0, 1, 1)
    assert verdicts(result) == [
        (2, "indeterminate", "45 °F (maximum 41 °F); cannot tell whether recorded is in the review period")
    ]


def test_value_limit_without_the_time_column_is_not_assessed(check: Check) -> None:
    # nothing says which readings belong to the period: none can be counted
    result = check("FS-COLD-HOLD", FoodTemps=[{"location": "C", "kind": "cold-holding", "temp_f": 50}])
    assert result.status == "not_assessed"
    assert result.reason == "the FoodTemps sheet has no recorded column"


def test_value_limit_period_follows_the_facility_zone(check: Check) -> None:
    # Chicago: the period starts at 2026-01-01 06:00 UTC (local midnight). Times in the sheets are UTC
    # instants, so 05:59 UTC is 23:59 on 31 December at the facility: out; 06:00 UTC is in.
    result = check(
        "FS-COLD-HOLD",
        facility={"time_zone": "America/Chicago"},
        FoodTemps=[reading("2026-01-01 05:59", 50), reading("2026-01-01 06:00", 45)],
    )
    assert counts(result) == ("deficient", 1, 1, 0, 0)
    assert [row for row, _, _ in verdicts(result)] == [3]


# ---------------------------------------------------------------- period.within


def stay(n: int, start: str | None, *end: str | None) -> dict[str, Any]:
    """A hold-room placement; without `end`, the row has no end cell (the column may be absent)."""
    return {"placement_id": f"P{n}", "kind": "hold-room", "start": start, **({"end": end[0]} if end else {})}


def test_within_a_stay_is_in_the_period_when_it_overlaps_it(build: Build) -> None:
    inspection = build(
        Placements=[
            stay(1, "2025-12-30 08:00", "2025-12-31 20:00"),
            stay(2, "2025-12-31 20:00", "2026-01-01 02:00"),
            stay(3, "2025-12-31 20:00", None),
            stay(4, "2026-04-01 00:00", None),
            stay(5, None, "2026-02-01 08:00"),
            stay(6, None, "2025-12-01 08:00"),
            stay(7, "2026-03-31", None),
        ]
    )
    scope = period.within(Context(inspection), "Placements", "start", "end")
    # P1 ended before the period: out. P2 ran into it, P3 still open: in. P4 began after it: out.
    # P5 has no start but ended inside the period: in (it was there on 1 February at least).
    # P6 has no start and ended before the period: out. P7 began on the period's last day: in.
    assert scope.yes.tolist() == [False, True, True, False, True, False, True]
    assert scope.unknown.tolist() == [False] * 7


def test_within_a_stay_without_its_end_column_is_unknown_before_the_period(build: Build) -> None:
    inspection = build(
        Placements=[
            stay(1, "2025-12-30 08:00"),  # may have ended
            stay(2, "2026-02-01 08:00"),  # began inside
            stay(3, "2026-04-01 08:00"),  # began after
        ]
    )
    scope = period.within(Context(inspection), "Placements", "start", "end")
    assert scope.yes.tolist() == [False, True, False]
    assert scope.unknown.tolist() == [True, False, False]


def test_within_an_event_with_a_blank_time_is_unknown(build: Build) -> None:
    inspection = build(FoodTemps=[reading(None, 40), reading("2026-01-15", 40), reading("2025-12-31", 40)])
    scope = period.within(Context(inspection), "FoodTemps", "recorded")
    assert scope.yes.tolist() == [False, True, False]
    assert scope.unknown.tolist() == [True, False, False]
    assert isinstance(scope.yes, np.ndarray) and not isinstance(scope.yes, pd.Series)


# ---------------------------------------------------------------- prohibited


def incident(n: int, occurred: str | None, video: bool) -> dict[str, Any]:
    return {"incident_id": f"UOF-{n}", "occurred": occurred, "kind": "calculated", "video_recorded": video}


def test_prohibited_counts_only_incidents_in_the_period(check: Check) -> None:
    result = check(
        "UOF-CALC-VIDEO",
        UseOfForce=[
            incident(1, "2025-12-20 10:00", False),  # row 2: before the period: out
            incident(2, "2026-02-01 10:00", False),  # row 3: in, no video → violation
            incident(3, "2026-04-03 10:00", False),  # row 4: after the period: out
            incident(4, "2026-03-01 10:00", True),  # row 5: in, recorded → compliant
            incident(5, None, False),  # row 6: no time: perhaps in the period → indeterminate
        ],
    )
    assert counts(result) == ("deficient", 3, 1, 1, 1)
    assert verdicts(result) == [
        (3, "violation", "video_recorded is not TRUE (or not recorded)"),
        (
            6,
            "indeterminate",
            "video_recorded is not TRUE (or not recorded); "
            "cannot tell whether occurred is in the review period",
        ),
    ]
    assert result.note == "2 left out (dated outside the review period)"


def admission(n: int, arrival: str, born: str, *release: str | None) -> dict[str, Any]:
    row = {"detainee_id": f"A{n:09d}", "arrival": arrival, "date_of_birth": born}
    return {**row, **({"release": release[0]} if release else {})}


def test_prohibited_a_stay_counts_when_it_overlaps_the_period(check: Check) -> None:
    result = check(
        "AR-JUVENILE",
        Intake=[
            admission(1, "2025-10-01 08:00", "2009-01-01", "2025-12-15 08:00"),  # 16, released before: out
            admission(2, "2025-10-01 08:00", "2009-01-01", None),  # 16, still held: in → violation
            admission(3, "2026-04-02 08:00", "2009-01-01", None),  # 17, arrived after the period: out
            admission(
                4, "2025-12-31 22:00", "2009-01-01", "2026-01-01 01:00"
            ),  # 16, held into it → violation
            admission(5, "2026-01-10 08:00", "1990-01-01", None),  # 36: compliant
        ],
    )
    assert counts(result) == ("deficient", 3, 2, 1, 0)
    assert [row for row, _, _ in verdicts(result)] == [3, 5]
    assert result.note == "2 left out (dated outside the review period)"


def test_prohibited_a_stay_without_its_end_column_is_indeterminate_before_the_period(check: Check) -> None:
    result = check(
        "AR-JUVENILE",
        Intake=[
            admission(1, "2025-10-01 08:00", "2009-01-01"),  # 16: may have left before 1 January
            admission(2, "2026-02-01 08:00", "2009-01-01"),  # 17, arrived in the period → violation
            admission(3, "2025-10-01 08:00", "1990-01-01"),  # 35: compliant whenever they left
        ],
    )
    assert counts(result) == ("deficient", 3, 1, 1, 1)
    assert verdicts(result) == [
        (3, "violation", "aged 17 at arrival"),
        (
            2,
            "indeterminate",
            "aged 16 at arrival; "
            "cannot tell whether the stay from arrival to release overlaps the review period",
        ),
    ]
    assert result.absent_columns == ["release"]


def test_prohibited_a_hold_room_placement_before_the_period_is_out(check: Check) -> None:
    young = {"kind": "hold-room", "date_of_birth": "2010-06-01", "with_children": False}
    result = check(
        "HR-VULNERABLE",
        Placements=[
            {"placement_id": "P1", "start": "2025-12-30 08:00", "end": "2025-12-30 12:00", **young},  # out
            {"placement_id": "P2", "start": "2026-01-30 08:00", "end": "2026-01-30 12:00", **young},  # in
        ],
    )
    assert counts(result) == ("deficient", 1, 1, 0, 0)
    assert [row for row, _, _ in verdicts(result)] == [3]
