"""Every schema rule of the contract, one bad cell at a time, with the exact cell it is reported at.

Each test writes a real .xlsx (through the project's writer) and loads it; columns are laid out
in the order the rows give them, so `detainee_id` is column A, the next column B, and so on;
the first data row is row 2.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from builders import InspectionBuilder, at, day, problem_at, refs

from auditor.workbook.inspection import Loaded, load


def loaded(builder: InspectionBuilder, tmp_path: Path) -> Loaded:
    return load(builder.xlsx(tmp_path / "inspection.xlsx"))


def problems(builder: InspectionBuilder, tmp_path: Path) -> pd.DataFrame:
    return loaded(builder, tmp_path).problems.frame


def intake(**cells: object) -> dict[str, object]:
    """One valid Intake row (detainee_id in A, arrival in B), plus the given cells from C on."""
    return {"detainee_id": "A000000001", "arrival": at("2026-01-05 08:00"), **cells}


# ---------------------------------------------------------------------------- required values


def test_a_required_value_left_empty_is_an_error_at_its_cell(builder, tmp_path):
    builder.sheet("Intake", [intake(), {"detainee_id": None, "arrival": at("2026-01-06 09:00")}])
    found = problems(builder, tmp_path)
    assert problem_at(found, "Intake!A3") | {"message": ""} == {
        "severity": "error", "code": "required", "sheet": "Intake", "cell": "A3",
        "column": "detainee_id", "row": 3, "value": None, "expected": "text", "message": "",
    }
    assert len(found) == 1


def test_a_missing_required_column_is_a_sheet_level_error(builder, tmp_path):
    builder.sheet("Intake", [{"detainee_id": "A000000001", "sex": "F"}])
    found = problems(builder, tmp_path)
    assert found[["code", "sheet", "column", "cell"]].to_dict("records") == [
        {"code": "missing_column", "sheet": "Intake", "column": "arrival", "cell": None}
    ]
    # named by field and by the label the template heads it with
    assert (found.at[0, "message"], found.at[0, "expected"]) == (
        "the required column 'arrival' (Arrival (book-in)) is missing from the header row",
        "a column headed Arrival (book-in) or arrival",
    )


# ---------------------------------------------------------------------------- enums


def test_a_value_not_in_the_enum_is_refused(builder, tmp_path):
    builder.sheet("Intake", [intake(sex="Q")])
    found = problem_at(problems(builder, tmp_path), "Intake!C2")
    assert (found["code"], found["value"], found["expected"]) == ("not_allowed", "Q", "one of F, M, X")


def test_enum_values_match_whatever_their_case(builder, tmp_path):
    builder.facility(facility_type="spc", aor="atl", detention_standard="pbnds-2011")
    builder.sheet("Intake", [intake(sex="f"), intake(detainee_id="A000000002", sex=" m ")])
    builder.sheet("Checklist", [{"requirement_id": "FS-STORAGE", "finding": "Deficient", "remarks": "dusty"}])
    result = loaded(builder, tmp_path)
    assert result.problems.frame.empty
    assert list(result.inspection.sheets["Intake"]["sex"]) == ["F", "M"]
    assert result.inspection.sheets["Checklist"].at[2, "finding"] == "deficient"
    facility = result.inspection.facility
    assert (facility["facility_type"], facility["aor"], facility["detention_standard"]) == (
        "SPC", "ATL", "PBNDS-2011",
    )


def test_a_numeric_enum_accepts_excel_numbers(builder, tmp_path):
    builder.sheet("Intake", [
        intake(classification_level=2), intake(detainee_id="A2", classification_level=4),
    ])
    found = problems(builder, tmp_path)
    assert refs(found) == ["Intake!C3"]
    assert problem_at(found, "Intake!C3")["value"] == "4"


# ---------------------------------------------------------------------------- numbers


def housing(**cells: object) -> dict[str, object]:
    """One valid Housing row: unit_id A, rated_capacity B, population C, then the given cells."""
    return {"unit_id": "A-1", "rated_capacity": 10, "population": 5} | cells


def test_text_in_a_whole_number_column_is_not_a_number(builder, tmp_path):
    builder.sheet("Housing", [housing(rated_capacity="many")])
    found = problem_at(problems(builder, tmp_path), "Housing!B2")
    assert (found["code"], found["message"], found["value"]) == ("not_a_number", "not a number", "many")
    assert found["expected"] == "a whole number ≥ 0"


def test_text_in_a_number_column_is_not_a_number(builder, tmp_path):
    builder.sheet("FoodTemps", [
        {"recorded": at("2026-01-10 11:30"), "location": "kitchen", "kind": "hot-holding", "temp_f": "hot"},
    ])
    found = problem_at(problems(builder, tmp_path), "FoodTemps!D2")
    assert (found["code"], found["value"]) == ("not_a_number", "hot")
    assert found["expected"] == "a number from -40 to 250"


def test_a_fraction_in_a_whole_number_column_is_refused(builder, tmp_path):
    builder.sheet("Housing", [housing(), housing(unit_id="B-1", population=2.5)])
    found = problem_at(problems(builder, tmp_path), "Housing!C3")
    assert (found["code"], found["value"]) == ("not_a_whole_number", "2.5")  # values are the text found


def test_a_huge_number_in_a_whole_number_column_is_refused_not_a_crash(builder, tmp_path):
    builder.sheet("Housing", [housing(toilets="99999999999999999999")])
    found = problem_at(problems(builder, tmp_path), "Housing!D2")
    assert found["code"] == "not_a_whole_number"


@pytest.mark.parametrize(
    ("sheet", "row", "ref", "message", "value"),
    [
        ("Housing", housing(rated_capacity=-1), "Housing!B2", "below the allowed minimum", "-1"),
        ("FoodTemps", {"recorded": at("2026-01-10 11:30"), "location": "kitchen", "kind": "freezer",
                       "temp_f": 300}, "FoodTemps!D2", "above the allowed maximum", "300"),
        ("FoodTemps", {"recorded": at("2026-01-10 11:30"), "location": "kitchen", "kind": "freezer",
                       "temp_f": -40.5}, "FoodTemps!D2", "below the allowed minimum", "-40.5"),
    ],
)
def test_numbers_out_of_range(builder, tmp_path, sheet, row, ref, message, value):
    builder.sheet(sheet, [row])
    found = problem_at(problems(builder, tmp_path), ref)
    assert (found["code"], found["message"], found["value"]) == ("out_of_range", message, value)


def test_the_range_bounds_themselves_are_allowed(builder, tmp_path):
    rows = [{"recorded": at("2026-01-10 11:30"), "location": "kitchen", "kind": "freezer", "temp_f": t}
            for t in (-40, 250, 0)]
    builder.sheet("FoodTemps", rows).sheet("Housing", [housing(rated_capacity=0, population=0)])
    assert problems(builder, tmp_path).empty


# ---------------------------------------------------------------------------- booleans


def test_every_documented_boolean_word_is_accepted_in_any_case(builder, tmp_path):
    words = ["TRUE", "false", "Yes", "no", "Y", "n", "1", "0", True, False, 1, 0]
    rows = [intake(detainee_id=f"A{i}", acute_condition=w) for i, w in enumerate(words)]
    result = loaded(builder.sheet("Intake", rows), tmp_path)
    assert result.problems.frame.empty
    assert list(result.inspection.sheets["Intake"]["acute_condition"]) == [
        True, False, True, False, True, False, True, False, True, False, True, False,
    ]


@pytest.mark.parametrize("word", ["maybe", "2", "T", "oui"])
def test_other_boolean_words_are_refused(builder, tmp_path, word):
    builder.sheet("Intake", [intake(acute_condition=word)])
    found = problem_at(problems(builder, tmp_path), "Intake!C2")
    assert (found["code"], found["value"]) == ("not_a_boolean", word)
    assert found["expected"] == "TRUE/FALSE, Yes/No, Y/N or 1/0"


# ---------------------------------------------------------------------------- dates


def test_iso_text_and_excel_dates_are_accepted(builder, tmp_path):
    rows = [
        intake(detainee_id="A1", arrival="2026-03-14 07:30", date_of_birth="1990-04-01"),
        intake(detainee_id="A2", arrival="2026-03-14T07:30", date_of_birth=day("1990-04-02")),
        intake(detainee_id="A3", arrival="2026-03-14 07:30:15", date_of_birth="1990-04-03 00:00"),
        intake(detainee_id="A4", arrival=at("2026-03-14 07:30"), date_of_birth=at("1990-04-04 00:00")),
        intake(detainee_id="A5", arrival="2026-03-14", date_of_birth="1990-04-05"),
    ]
    result = loaded(builder.sheet("Intake", rows), tmp_path)
    assert result.problems.frame.empty
    frame = result.inspection.sheets["Intake"]
    # read in the facility's zone (GA: America/New_York, EDT = UTC-4 on 14 March) and kept as UTC
    assert list(frame["arrival"]) == [
        pd.Timestamp("2026-03-14 11:30"), pd.Timestamp("2026-03-14 11:30"),
        pd.Timestamp("2026-03-14 11:30:15"), pd.Timestamp("2026-03-14 11:30"),
        pd.Timestamp("2026-03-14 04:00"),  # a bare date: local midnight (marked date-only)
    ]
    assert list(frame["date_of_birth"].dt.day) == [1, 2, 3, 4, 5]
    assert str(frame["arrival"].dtype) == "datetime64[us]"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("03/04/2026", "ambiguous date: write it as YYYY-MM-DD (or use an Excel date); "
                       "03/04/2026 could be 3 April or March 4, so it is never guessed"),
        ("2026-02-30", "not a real calendar date or time of day"),
        ("2026-02-29", "not a real calendar date or time of day"),  # 2026 is no leap year
        ("2026-03-14 07:30", "a date is expected here, without a time of day"),
        ("07:30", "a time of day without a date; enter the date too"),
        ("yesterday", "not a date"),
    ],
)
def test_bad_dates_are_refused_with_the_reason(builder, tmp_path, text, message):
    builder.sheet("Intake", [intake(date_of_birth=text)])
    found = problem_at(problems(builder, tmp_path), "Intake!C2")
    assert (found["code"], found["value"], found["message"]) == ("bad_date", text, message)
    assert found["expected"] == "a date (an Excel date or YYYY-MM-DD)"


def test_an_ambiguous_date_is_never_guessed_in_a_datetime_column(builder, tmp_path):
    builder.sheet("Intake", [intake(medical_screening="03/04/2026 10:00")])
    result = loaded(builder, tmp_path)
    found = problem_at(result.problems.frame, "Intake!C2")
    assert found["code"] == "bad_date" and "never guessed" in found["message"]
    assert pd.isna(result.inspection.sheets["Intake"].at[2, "medical_screening"])


def test_a_leap_day_is_a_real_date(builder, tmp_path):
    builder.sheet("Intake", [intake(date_of_birth="2024-02-29")])
    assert problems(builder, tmp_path).empty


def test_an_excel_time_cell_is_refused_in_date_and_datetime_columns(builder, tmp_path):
    builder.sheet("Intake", [intake(date_of_birth=dt.time(7, 30), medical_screening=dt.time(9, 0))])
    found = problems(builder, tmp_path)
    assert refs(found) == ["Intake!C2", "Intake!D2"]
    assert set(found["message"]) == {"a time of day without a date; enter the date too"}


# ---------------------------------------------------------------------------- uniqueness


def test_a_unique_column_flags_every_repeated_value(builder, tmp_path):
    builder.sheet("Housing", [housing(), housing(unit_id="B-1"), housing()])
    found = problems(builder, tmp_path)
    assert refs(found) == ["Housing!A2", "Housing!A4"]
    assert set(found["code"]) == {"duplicate"} and set(found["value"]) == {"A-1"}


def test_the_intake_key_is_detainee_and_arrival_together(builder, tmp_path):
    builder.sheet("Intake", [
        intake(),
        intake(arrival=at("2026-02-01 08:00")),  # same detainee, another admission: fine
        intake(detainee_id="A000000002"),
        intake(),  # the same admission twice
    ])
    found = problems(builder, tmp_path)
    assert refs(found) == ["Intake!A2", "Intake!A5"]
    assert problem_at(found, "Intake!A5")["message"] == (
        "the combination detainee_id + arrival appears more than once"
    )


def test_activities_are_unique_per_unit_and_day(builder, tmp_path):
    builder.sheet("Activities", [
        {"unit_id": "A-1", "date": day("2026-01-10")},
        {"unit_id": "A-1", "date": day("2026-01-11")},
        {"unit_id": "B-1", "date": day("2026-01-10")},
        {"unit_id": "A-1", "date": "2026-01-10"},  # text, but the same day
    ])
    found = problems(builder, tmp_path)
    assert refs(found, code="duplicate") == ["Activities!A2", "Activities!A5"]


# ---------------------------------------------------------------------------- conditional


def test_checklist_remarks_are_required_for_deficient_and_not_applicable(builder, tmp_path):
    builder.sheet("Checklist", [
        {"requirement_id": "R1", "finding": "compliant", "remarks": None},
        {"requirement_id": "R2", "finding": "deficient", "remarks": None},
        {"requirement_id": "R3", "finding": "not-applicable", "remarks": " "},
        {"requirement_id": "R4", "finding": "deficient", "remarks": "fixed"},
        {"requirement_id": "R5", "finding": "not-observed", "remarks": None},
        {"requirement_id": "R6", "finding": "area-of-concern", "remarks": None},  # ODO's: say what
        {"requirement_id": "R7", "finding": "best-practice", "remarks": None},
        {"requirement_id": "R8", "finding": "best-practice", "remarks": "photo receipts"},
    ])
    found = problems(builder, tmp_path)
    assert refs(found) == ["Checklist!C3", "Checklist!C4", "Checklist!C7", "Checklist!C8"]
    assert problem_at(found, "Checklist!C3")["message"] == (
        "required when finding is deficient or not-applicable or area-of-concern or best-practice"
    )


def test_checklist_without_a_remarks_column_is_a_sheet_level_error(builder, tmp_path):
    builder.sheet("Checklist", [{"requirement_id": "R1", "finding": "deficient"}])
    found = problems(builder, tmp_path)
    assert found[["code", "column", "cell"]].to_dict("records") == [
        {"code": "missing_column", "column": "remarks", "cell": None}
    ]


def test_safety_log_area_is_required_for_a_fire_drill_only(builder, tmp_path):
    builder.sheet("SafetyLog", [
        {"date": day("2026-01-15"), "area": None, "event": "fire-drill"},
        {"date": day("2026-01-16"), "area": None, "event": "pest-control"},
    ])
    found = problems(builder, tmp_path)
    assert refs(found) == ["SafetyLog!B2"]
    assert problem_at(found, "SafetyLog!B2")["code"] == "required"


# ---------------------------------------------------------------------------- row order


@pytest.mark.parametrize(
    ("sheet", "row", "ref", "value", "message"),
    [
        ("Intake", intake(medical_screening=at("2026-01-05 07:59")), "Intake!C2", "2026-01-05 07:59",
         "a screening before arrival: medical_screening is earlier than arrival (2026-01-05 08:00)"),
        ("Intake", intake(release=at("2026-01-04 10:00")), "Intake!C2", "2026-01-04 10:00",
         "a release before arrival: release is earlier than arrival (2026-01-05 08:00)"),
        ("Placements", {"placement_id": "P1", "detainee_id": "A1", "kind": "hold-room",
                        "start": at("2026-02-01 08:00"), "end": at("2026-02-01 07:00")},
         "Placements!E2", "2026-02-01 07:00",
         "an end before the start: end is earlier than start (2026-02-01 08:00)"),
        ("Grievances", {"grievance_id": "G1", "kind": "formal", "received": at("2026-02-01 08:00"),
                        "answered": at("2026-01-31 17:00")},
         "Grievances!D2", "2026-01-31 17:00",
         "an answer before the grievance was received: answered is earlier than received "
         "(2026-02-01 08:00)"),
    ],
)
def test_times_out_of_order(builder, tmp_path, sheet, row, ref, value, message):
    builder.sheet(sheet, [row])
    found = problem_at(problems(builder, tmp_path), ref)
    assert (found["code"], found["value"], found["message"]) == ("out_of_order", value, message)


def test_the_same_minute_is_not_out_of_order(builder, tmp_path):
    same = at("2026-01-05 08:00")
    builder.sheet("Intake", [intake(medical_screening=same, release=same)])
    assert problems(builder, tmp_path).empty


# ---------------------------------------------------------------------------- cross-sheet


def test_a_check_of_an_unknown_placement_is_an_error(builder, tmp_path):
    builder.sheet("Placements", [{"placement_id": "P1", "detainee_id": "A1", "kind": "hold-room",
                                  "start": at("2026-02-01 08:00"), "end": at("2026-02-01 12:00")}])
    builder.sheet("Checks", [{"placement_id": "P1", "checked": at("2026-02-01 08:15")},
                             {"placement_id": "P9", "checked": at("2026-02-01 08:30")}])
    found = problem_at(problems(builder, tmp_path), "Checks!A3")
    assert (found["code"], found["value"], found["message"]) == (
        "unknown_reference", "P9", "not found in Placements.placement_id",
    )


def test_checks_without_a_placements_sheet_are_a_warning(builder, tmp_path):
    builder.sheet("Checks", [{"placement_id": "P1", "checked": at("2026-02-01 08:15")}])
    found = problems(builder, tmp_path)
    assert found[["severity", "code", "sheet", "cell"]].to_dict("records") == [
        {"severity": "warning", "code": "missing_sheet", "sheet": "Checks", "cell": None}
    ]


def test_an_intake_housing_unit_must_exist_in_housing(builder, tmp_path):
    builder.sheet("Housing", [housing(unit_id="A-1")])
    builder.sheet("Intake", [intake(housing_unit="A-1"), intake(detainee_id="A2", housing_unit="Z-9")])
    found = problem_at(problems(builder, tmp_path), "Intake!C3")
    assert (found["code"], found["value"]) == ("unknown_reference", "Z-9")


def test_an_intake_housing_unit_is_not_checked_without_a_housing_sheet(builder, tmp_path):
    builder.sheet("Intake", [intake(housing_unit="Z-9")])
    assert problems(builder, tmp_path).empty


def test_checks_outside_their_placement_are_a_warning(builder, tmp_path):
    builder.sheet("Placements", [
        {"placement_id": "P1", "detainee_id": "A1", "kind": "suicide-watch-close",
         "start": at("2026-02-01 08:00"), "end": at("2026-02-01 12:00")},
        {"placement_id": "P2", "detainee_id": "A2", "kind": "suicide-watch-close",
         "start": at("2026-03-01 08:00")},  # ongoing: no end
    ])
    builder.sheet("Checks", [
        {"placement_id": "P1", "checked": at("2026-02-01 07:59")},  # before the start
        {"placement_id": "P1", "checked": at("2026-02-01 08:00")},
        {"placement_id": "P1", "checked": at("2026-02-01 12:00")},
        {"placement_id": "P1", "checked": at("2026-02-01 12:01")},  # after the end
        {"placement_id": "P2", "checked": at("2026-03-30 23:00")},  # ongoing placement: fine
    ])
    found = problems(builder, tmp_path)
    assert refs(found) == ["Checks!B2", "Checks!B5"]
    assert set(found["severity"]) == {"warning"} and set(found["code"]) == {"outside_placement"}
    assert problem_at(found, "Checks!B5")["value"] == "2026-02-01 12:01"
