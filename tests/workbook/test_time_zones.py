"""Facility time (issue 13, item 4): naive times are the facility's local time and become UTC
instants; the zone is the Facility `time_zone` or the state's; clock changes are neither
guessed nor an hour off. Known answers are worked out by hand in each test's comments.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from builders import REMOVE, InspectionBuilder, at, day, problem_at, refs

from auditor.engine.context import Context
from auditor.engine.evaluate import evaluate_requirement
from auditor.standards.load import load_edition
from auditor.workbook.inspection import Loaded, load

CHICAGO = {"state": "TX", "time_zone": "America/Chicago"}


def loaded(builder: InspectionBuilder, tmp_path: Path, form: str = "xlsx") -> Loaded:
    if form == "csv":
        return load(builder.csv(tmp_path / "inspection"))
    return load(builder.xlsx(tmp_path / "inspection.xlsx"))


def facility_ref(result: Loaded, field: str) -> str:
    return f"Facility!B{result.inspection.facility_rows[field]}"


def segregation(start: str, end: str, checks: list[str]) -> InspectionBuilder:
    """One administrative-segregation placement and its logged checks (text, as a CSV holds them)."""
    return (
        InspectionBuilder(**CHICAGO)
        .sheet(
            "Placements",
            [
                {
                    "placement_id": "P1",
                    "detainee_id": "A1",
                    "kind": "administrative-segregation",
                    "start": start,
                    "end": end,
                }
            ],
        )
        .sheet("Checks", [{"placement_id": "P1", "checked": c} for c in checks])
    )


def smu_checks(result: Loaded) -> object:
    assert result.valid, result.problems.frame.to_string()
    edition = load_edition("PBNDS-2011")
    return evaluate_requirement(edition.requirements["SMU-CHECKS"], Context(result.inspection), edition)


# ---------------------------------------------------------------------------- which zone


@pytest.mark.parametrize(
    ("fields", "zone"),
    [
        ({"state": "GA"}, "America/New_York"),
        ({"state": "il"}, "America/Chicago"),  # the code's case does not matter
        ({"state": "AZ"}, "America/Phoenix"),  # Arizona keeps no daylight time
        ({"state": "TX", "time_zone": "America/Denver"}, "America/Denver"),  # El Paso
        ({"state": "GA", "time_zone": "america/chicago"}, "America/Chicago"),  # spelt as the tz database
    ],
)
def test_the_zone_is_the_facilitys_or_its_states(tmp_path, fields, zone):
    result = loaded(InspectionBuilder(**fields), tmp_path)
    assert result.valid and result.inspection.time_zone == zone


@pytest.mark.parametrize(
    "state", ["TX", "FL", "IN", "KY", "TN", "MI", "KS", "NE", "SD", "ND", "ID", "OR", "AK"]
)
def test_a_state_that_spans_zones_needs_the_time_zone_named_at_the_state_cell(tmp_path, state):
    result = loaded(InspectionBuilder(state=state), tmp_path)
    found = problem_at(result.problems.frame, facility_ref(result, "state"))
    assert (found["severity"], found["code"], found["column"]) == ("error", "time_zone_required", "state")
    assert found["message"].startswith(f"{state} spans more than one time zone")
    assert "add a row time_zone" in found["message"]


def test_an_empty_time_zone_row_is_where_the_missing_zone_is_named(tmp_path):
    result = loaded(InspectionBuilder(state="TX", time_zone=None), tmp_path)
    assert refs(result.problems.frame) == [facility_ref(result, "time_zone")]
    assert result.problems.frame["code"].tolist() == ["time_zone_required"]


@pytest.mark.parametrize("name", ["America/Gotham", "../../etc/passwd", "CST", "x" * 5000, "Europe/"])
def test_a_time_zone_that_is_not_an_iana_name_is_an_error_at_its_cell(tmp_path, name):
    result = loaded(InspectionBuilder(time_zone=name), tmp_path)
    found = problem_at(result.problems.frame, facility_ref(result, "time_zone"))
    assert (found["code"], found["severity"]) == ("unknown_time_zone", "error")
    assert not result.valid


def test_without_zone_or_state_times_are_read_as_written_with_a_warning(tmp_path):
    builder = InspectionBuilder(state=REMOVE).sheet(
        "Grievances",
        [
            {"grievance_id": "G1", "kind": "formal", "received": "2026-03-08 01:55"},
        ],
    )
    result = loaded(builder, tmp_path, "csv")
    assert result.valid and result.inspection.time_zone is None
    assert result.problems.frame[["code", "severity"]].values.tolist() == [["time_zone_unknown", "warning"]]
    assert result.inspection.sheets["Grievances"]["received"].tolist() == [pd.Timestamp("2026-03-08 01:55")]


def test_without_zone_or_state_and_no_time_to_read_nothing_is_said(tmp_path):
    result = loaded(InspectionBuilder(state=REMOVE), tmp_path)
    assert result.problems.frame.empty


# ---------------------------------------------------------------------------- conversion


@pytest.mark.parametrize("form", ["xlsx", "csv"])
def test_local_times_become_utc_and_offsets_are_their_own(tmp_path, form):
    builder = InspectionBuilder(**CHICAGO).sheet(
        "Grievances",
        [
            {"grievance_id": "G1", "kind": "formal", "received": "2026-01-15 09:00"},  # CST: UTC-6
            {"grievance_id": "G2", "kind": "formal", "received": at("2026-07-15 09:00")},  # CDT: UTC-5
            {"grievance_id": "G3", "kind": "formal", "received": "2026-03-08T01:50-05:00"},  # its own offset
            {"grievance_id": "G4", "kind": "formal", "received": "2026-03-08T06:50Z"},
            {"grievance_id": "G5", "kind": "formal", "received": "2026-03-08 12:20:30+0530"},
        ],
    )
    result = loaded(builder, tmp_path, form)
    assert result.valid, result.problems.frame.to_string()
    received = result.inspection.sheets["Grievances"]["received"]
    assert str(received.dtype) == "datetime64[us]"
    assert received.tolist() == [
        pd.Timestamp("2026-01-15 15:00"),
        pd.Timestamp("2026-07-15 14:00"),
        pd.Timestamp("2026-03-08 06:50"),
        pd.Timestamp("2026-03-08 06:50"),
        pd.Timestamp("2026-03-08 06:50:30"),
    ]


def test_an_unreal_time_with_an_offset_is_a_bad_date(tmp_path):
    builder = InspectionBuilder(**CHICAGO).sheet(
        "Grievances",
        [
            {"grievance_id": "G1", "kind": "formal", "received": "2026-02-30T10:00Z"},
            {"grievance_id": "G2", "kind": "formal", "received": "2026-02-03T10:00Z"},
        ],
    )
    result = loaded(builder, tmp_path, "csv")
    found = problem_at(result.problems.frame, "Grievances!C2")
    assert (found["code"], found["message"]) == ("bad_date", "not a real calendar date or time of day")
    assert refs(result.problems.frame) == ["Grievances!C2"]


def test_the_review_period_is_the_local_days_in_utc(tmp_path):
    # 1 January 00:00 CST = 06:00 UTC; 31 March ends at 1 April 00:00 CDT = 05:00 UTC
    inspection = loaded(InspectionBuilder(**CHICAGO), tmp_path).inspection
    assert inspection.review_start == pd.Timestamp("2026-01-01 06:00")
    assert inspection.review_end == pd.Timestamp("2026-04-01 05:00") - pd.Timedelta(microseconds=1)


# ---------------------------------------------------------------------------- clock changes


def test_a_time_the_spring_forward_skipped_is_refused_with_the_way_to_write_it(tmp_path):
    builder = InspectionBuilder(**CHICAGO).sheet(
        "Grievances",
        [
            {"grievance_id": "G1", "kind": "formal", "received": "2026-03-08 02:30"},
            {"grievance_id": "G2", "kind": "formal", "received": "2026-03-08T02:30-06:00"},  # settled
        ],
    )
    result = loaded(builder, tmp_path, "csv")
    found = problem_at(result.problems.frame, "Grievances!C2")
    assert (found["code"], found["severity"]) == ("nonexistent_time", "error")
    assert "did not exist in America/Chicago" in found["message"]
    assert refs(result.problems.frame) == ["Grievances!C2"]
    assert result.inspection.sheets["Grievances"]["received"].iloc[1] == pd.Timestamp("2026-03-08 08:30")


def test_a_time_the_fall_back_repeats_is_refused_not_guessed(tmp_path):
    builder = (
        InspectionBuilder(**CHICAGO)
        .sheet(
            "Grievances",
            [
                {"grievance_id": "G1", "kind": "formal", "received": "2026-11-01 01:30"},
                {"grievance_id": "G2", "kind": "formal", "received": "2026-11-01T01:30-05:00"},  # the first
                {"grievance_id": "G3", "kind": "formal", "received": "2026-11-01T01:30-06:00"},  # the second
            ],
        )
        .facility(review_period_end=day("2026-11-30"), inspection_end=day("2026-12-04"))
    )
    result = loaded(builder, tmp_path, "csv")
    found = problem_at(result.problems.frame, "Grievances!C2")
    assert (found["code"], found["severity"]) == ("ambiguous_time", "error")
    assert refs(result.problems.frame) == ["Grievances!C2"]
    received = result.inspection.sheets["Grievances"]["received"]
    assert received.iloc[1:].tolist() == [pd.Timestamp("2026-11-01 06:30"), pd.Timestamp("2026-11-01 07:30")]


def test_spring_forward_a_12_minute_gap_reads_as_12_minutes_not_72(tmp_path):
    # 8 March 2026, Chicago: 02:00 CST became 03:00 CDT. Checks at 01:55 CST (07:55 UTC) and 03:07
    # CDT (08:07 UTC) are 12 minutes apart; every other gap is 30 minutes or less: compliant.
    night = segregation(
        "2026-03-08 01:30",
        "2026-03-08 03:30",
        ["2026-03-08 01:30", "2026-03-08 01:55", "2026-03-08 03:07", "2026-03-08 03:30"],
    )
    result = loaded(night, tmp_path, "csv")
    checked = result.inspection.sheets["Checks"]["checked"]
    assert (checked.iloc[2] - checked.iloc[1]) == pd.Timedelta(minutes=12)
    outcome = smu_checks(result)
    assert (outcome.status, outcome.violations, outcome.population) == ("compliant", 0, 1)


def test_the_same_gap_on_an_ordinary_night_is_72_minutes_and_a_violation(tmp_path):
    # the control of the test above: a week later the clock does not change, so 01:55 → 03:07 is 72 min
    night = segregation(
        "2026-03-15 01:30",
        "2026-03-15 03:30",
        ["2026-03-15 01:30", "2026-03-15 01:55", "2026-03-15 03:07", "2026-03-15 03:30"],
    )
    outcome = smu_checks(loaded(night, tmp_path, "csv"))
    assert (outcome.status, outcome.violations, outcome.population) == ("deficient", 1, 1)


def test_fall_back_checks_through_the_repeated_hour_with_offsets_are_compliant(tmp_path):
    # 1 November 2026, Chicago: 02:00 CDT became 01:00 CST. In UTC the rounds are 05:40, 06:05,
    # 06:30, 06:55, 07:20, 07:45, 08:10 and the placement runs 05:30-08:20: no gap over 25 minutes.
    # Read without their offsets, 01:20-06:00 would sort before 01:50-05:00, and 02:10 would follow
    # 01:45 (the second) by 25 minutes but 01:50 (the first) by 80.
    night = segregation(
        "2026-11-01 00:30",
        "2026-11-01 02:20",
        [
            "2026-11-01 00:40",
            "2026-11-01T01:05-05:00",
            "2026-11-01T01:30-05:00",
            "2026-11-01T01:55-05:00",
            "2026-11-01T01:20-06:00",
            "2026-11-01T01:45-06:00",
            "2026-11-01 02:10",
        ],
    ).facility(review_period_end=day("2026-11-30"), inspection_end=day("2026-12-04"))
    result = loaded(night, tmp_path, "csv")
    checked = result.inspection.sheets["Checks"]["checked"].tolist()
    assert checked == [pd.Timestamp("2026-11-01 05:40") + pd.Timedelta(minutes=25 * i) for i in range(7)]
    outcome = smu_checks(result)
    assert (outcome.status, outcome.violations, outcome.population) == ("compliant", 0, 1)


def test_fall_back_a_naive_75_minute_gap_is_135_minutes(tmp_path):
    # 00:50 CDT (05:50 UTC) to 02:05 CST (08:05 UTC): the clock shows 75 minutes, 135 passed
    night = segregation(
        "2026-11-01 00:45", "2026-11-01 02:10", ["2026-11-01 00:50", "2026-11-01 02:05"]
    ).facility(review_period_end=day("2026-11-30"), inspection_end=day("2026-12-04"))
    result = loaded(night, tmp_path, "csv")
    checked = result.inspection.sheets["Checks"]["checked"]
    assert checked.iloc[1] - checked.iloc[0] == pd.Timedelta(minutes=135)
    assert smu_checks(result).status == "deficient"


# ---------------------------------------------------------------------------- date-only cells


def test_a_datetime_cell_written_as_a_bare_date_is_marked_date_only(tmp_path):
    builder = InspectionBuilder(**CHICAGO).sheet(
        "Grievances",
        [
            {"grievance_id": "G1", "kind": "formal", "received": "2026-03-01"},  # CSV text, no time
            {"grievance_id": "G2", "kind": "formal", "received": "2026-03-01 00:00"},  # a midnight
            {"grievance_id": "G3", "kind": "formal", "received": "2026-03-01 09:15"},
            {"grievance_id": "G4", "kind": "formal", "received": "2026-03-01T00:00Z"},
            {"grievance_id": "G5", "kind": "formal", "received": None, "answered": "2026-03-02"},
        ],
    )
    inspection = loaded(builder, tmp_path, "csv").inspection
    assert inspection.date_only["Grievances"]["received"].tolist() == [True, False, False, False, False]
    assert inspection.date_only["Grievances"]["answered"].tolist() == [False, False, False, False, True]
    earliest, latest = inspection.bounds("Grievances", "received")
    # 1 March 00:00 CST = 06:00 UTC; the day runs to 2 March 05:59:59.999999 UTC
    assert (earliest[0], latest[0]) == (
        np.datetime64("2026-03-01T06:00"),
        np.datetime64("2026-03-02T06:00") - np.timedelta64(1, "us"),
    )
    assert earliest[2] == latest[2] == np.datetime64("2026-03-01T15:15")


def test_an_excel_date_cell_is_a_time_at_midnight_not_a_date_only_value(tmp_path):
    # the reader gives an Excel date cell as date and time whatever its format: only text tells
    builder = InspectionBuilder(**CHICAGO).sheet(
        "Grievances",
        [
            {"grievance_id": "G1", "kind": "formal", "received": at("2026-03-01 00:00")},
            {"grievance_id": "G2", "kind": "formal", "received": "2026-03-01"},  # text in the xlsx
        ],
    )
    inspection = loaded(builder, tmp_path).inspection
    assert inspection.date_only["Grievances"]["received"].tolist() == [False, True]


def test_date_columns_stay_whole_local_days(tmp_path):
    builder = InspectionBuilder(**CHICAGO).sheet("Activities", [{"unit_id": "U1", "date": "2026-03-08"}])
    inspection = loaded(builder, tmp_path, "csv").inspection
    assert inspection.sheets["Activities"]["date"].tolist() == [pd.Timestamp("2026-03-08")]
    assert inspection.date_only["Activities"]["date"].tolist() == [True]


# ---------------------------------------------------------------------------- events outside


def test_events_after_the_period_are_warnings_and_earlier_admissions_are_not(tmp_path):
    # the period ends 31 March 2026, 23:59:59 CDT = 1 April 04:59:59 UTC
    builder = InspectionBuilder(**CHICAGO).sheet(
        "Intake",
        [
            {
                "detainee_id": "A1",
                "arrival": "2025-12-20 10:00",
                "classified": "2025-12-20 12:00",
            },  # long stay
            {"detainee_id": "A2", "arrival": "2026-03-31 22:00", "classified": "2026-03-31 23:59"},
            {"detainee_id": "A3", "arrival": "2026-03-31 22:00", "classified": "2026-04-01 00:01"},
            {"detainee_id": "A4", "arrival": "2026-04-02 08:00", "release": "2026-04-03 08:00"},
            {"detainee_id": "A5", "arrival": "2026-03-30 08:00", "release": "2026-04-03 08:00"},  # ends later
        ],
    )
    builder.sheet(
        "Activities", [{"unit_id": "U1", "date": "2026-03-31"}, {"unit_id": "U1", "date": "2026-04-01"}]
    )
    result = loaded(builder, tmp_path, "csv")
    found = result.problems.frame
    assert refs(found) == ["Intake!C4", "Intake!B5", "Activities!B3"]
    assert set(found["code"]) == {"after_review_period"} and set(found["severity"]) == {"warning"}
    assert problem_at(found, "Intake!C4")["value"] == "2026-04-01 00:01"  # shown in local time
    assert problem_at(found, "Activities!B3")["value"] == "2026-04-01"  # a day, shown as it is
    assert result.valid


def test_an_intake_event_after_its_release_is_a_warning_outside_the_stay(tmp_path):
    builder = InspectionBuilder(**CHICAGO).sheet(
        "Intake",
        [
            {
                "detainee_id": "A1",
                "arrival": "2026-02-01 08:00",
                "release": "2026-02-01 12:00",
                "medical_screening": "2026-02-01 13:00",
                "tb_screening": "2026-02-01 11:00",
            },
            {
                "detainee_id": "A2",
                "arrival": "2026-02-01 08:00",
                "release": "2026-02-01 07:00",  # out of order
                "medical_screening": "2026-02-01 13:00",
                "tb_screening": None,
            },
        ],
    )
    found = loaded(builder, tmp_path, "csv").problems.frame
    assert refs(found, code="outside_stay") == ["Intake!D2"]
    stay = problem_at(found, "Intake!D2")
    assert (stay["severity"], stay["message"]) == (
        "warning",
        "dated after this stay's release (2026-02-01 12:00)",
    )
    assert refs(found, code="out_of_order") == ["Intake!C3"]  # the release before arrival says enough


# ---------------------------------------------------------------------------- local days


def test_a_date_only_cell_is_its_whole_local_day_even_on_a_23_hour_day(tmp_path):
    # 8 March 2026 in Chicago runs from 06:00 UTC (CST) to 9 March 05:00 UTC (CDT): 23 hours
    builder = InspectionBuilder(**CHICAGO).sheet(
        "UseOfForce",
        [
            {
                "incident_id": "F1",
                "occurred": "2026-03-08",
                "kind": "immediate",
                "after_action_review": "2026-03-08",
            },
        ],
    )
    inspection = loaded(builder, tmp_path, "csv").inspection
    last = np.datetime64("2026-03-09T05:00") - np.timedelta64(1, "us")
    assert inspection.bounds("UseOfForce", "occurred") == (np.datetime64("2026-03-08T06:00"), last)
    # a date column holds the calendar day itself; its bounds are the same instants
    assert inspection.sheets["UseOfForce"]["after_action_review"].iloc[0] == pd.Timestamp("2026-03-08")
    assert inspection.bounds("UseOfForce", "after_action_review") == (np.datetime64("2026-03-08T06:00"), last)


@pytest.mark.parametrize(("review", "status"), [("2026-02-06", "compliant"), ("2026-02-09", "deficient")])
def test_a_working_day_deadline_counts_the_facilitys_days(tmp_path, review, status):
    # force at 23:30 on Thursday 5 February, Chicago (Friday 05:30 UTC): the after-action review is due
    # by the end of the next working day, Friday 6 February local; a review on Monday the 9th is late.
    # Counted in UTC days, Friday would be the start and Monday the deadline: compliant both times.
    builder = InspectionBuilder(**CHICAGO).sheet(
        "UseOfForce",
        [
            {
                "incident_id": "F1",
                "occurred": "2026-02-05 23:30",
                "kind": "immediate",
                "after_action_review": review,
            }
        ],
    )
    result = loaded(builder, tmp_path, "csv")
    assert result.valid, result.problems.frame.to_string()
    edition = load_edition("PBNDS-2011")
    outcome = evaluate_requirement(
        edition.requirements["UOF-AFTER-ACTION"], Context(result.inspection), edition
    )
    assert (outcome.status, outcome.population) == (status, 1)


def test_times_at_the_ends_of_the_calendar_load_without_a_traceback(tmp_path):
    # the tz rules stop at year 9999 in the standard library: such a time takes the rule of 2200
    last = day("9999-12-31")
    builder = InspectionBuilder(**CHICAGO, review_period_end=last, inspection_end=last).sheet(
        "Grievances",
        [
            {"grievance_id": "G1", "kind": "formal", "received": "9999-12-31 23:00"},
            {"grievance_id": "G2", "kind": "formal", "received": "0001-01-01 00:00"},
        ],
    )
    result = loaded(builder, tmp_path, "csv")
    received = result.inspection.sheets["Grievances"]["received"].to_numpy()
    assert (
        received.tolist()
        == np.array(["10000-01-01T05:00", "0001-01-01T06:00"], dtype="datetime64[us]").tolist()
    )
    assert result.inspection.review_end == pd.Timestamp(np.datetime64("10000-01-01T05:59:59.999999"))
    assert result.valid


@pytest.mark.parametrize(
    ("arrival", "status"), [("2026-03-01 22:00", "deficient"), ("2026-03-02 00:30", "compliant")]
)
def test_an_age_at_arrival_is_counted_on_the_facilitys_date(tmp_path, arrival, status):
    # 18 on 2 March 2026: an arrival at 22:00 on 1 March in Chicago (04:00 UTC on the 2nd) is a minor's
    builder = InspectionBuilder(**CHICAGO).sheet(
        "Intake", [{"detainee_id": "A1", "arrival": arrival, "date_of_birth": "2008-03-02"}]
    )
    result = loaded(builder, tmp_path, "csv")
    assert result.valid, result.problems.frame.to_string()
    edition = load_edition("PBNDS-2011")
    outcome = evaluate_requirement(edition.requirements["AR-JUVENILE"], Context(result.inspection), edition)
    assert (outcome.status, outcome.population) == (status, 1)
