"""Validation says what was meant: the nearest allowed value, column or sheet; and the three
findings of issue 17 (records after the inspection, 13/02/2026, a state's name for its code)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from builders import InspectionBuilder, day, problem_at

from auditor import glossary
from auditor.contracts.problems import cell_problems
from auditor.core import validate_inspection
from auditor.workbook import declarations as decl
from auditor.workbook import suggest, zones
from auditor.workbook.inspection import load
from auditor.workbook.suggest import closest, hint


def problems(builder: InspectionBuilder, tmp_path: Path) -> pd.DataFrame:
    return load(builder.xlsx(tmp_path / "inspection.xlsx")).problems.frame


def test_a_value_outside_a_closed_list_names_the_nearest(builder, tmp_path):
    builder.sheet(
        "Placements",
        [
            {"placement_id": "P1", "detainee_id": "A1", "kind": "hold room", "start": "2026-02-01 10:00"},
            {"placement_id": "P2", "detainee_id": "A1", "kind": "Holdroom", "start": "2026-02-02 10:00"},
            {"placement_id": "P3", "detainee_id": "A1", "kind": "quarantine", "start": "2026-02-03 10:00"},
            {
                "placement_id": "P4",
                "detainee_id": "A1",
                "kind": "hold-room",
                "start": "2026-02-04 10:00",
                "suicide_risk": "Yess",
            },
        ],
    )
    found = problems(builder, tmp_path)
    assert problem_at(found, "Placements!C2")["message"] == (
        "not one of the allowed values; did you mean 'hold-room'?"
    )
    assert problem_at(found, "Placements!C3")["message"] == (
        "not one of the allowed values; did you mean 'hold-room'?"
    )
    assert problem_at(found, "Placements!C4")["message"] == "not one of the allowed values"  # nothing near
    bad_bool = problem_at(found, "Placements!E5")
    assert (bad_bool["code"], bad_bool["message"]) == (
        "not_a_boolean",
        "not TRUE/FALSE, Yes/No, Y/N or 1/0; did you mean 'Yes'?",
    )


def test_a_facility_value_names_the_nearest(builder, tmp_path):
    found = problems(
        builder.facility(
            detention_standard="NDS 2019", facility_type="Service Processing Center", aor="Atlanta"
        ),
        tmp_path,
    )
    assert problem_at(found, "Facility!B7")["message"] == (
        "not one of the allowed values; did you mean 'NDS-2019' (National Detention Standards 2019)?"
    )
    assert problem_at(found, "Facility!B4")["message"] == (
        "not one of the allowed values; did you mean 'SPC' (Service Processing Center (ICE-owned))?"
    )
    assert (
        problem_at(found, "Facility!B5")["message"]
        == "not one of the allowed values; did you mean 'ATL' (Atlanta)?"
    )


def test_a_state_written_out_is_refused_and_its_code_named(builder, tmp_path):
    found = problem_at(problems(builder.facility(state="Arizona"), tmp_path), "Facility!B6")
    assert (found["severity"], found["code"], found["value"]) == ("error", "not_allowed", "Arizona")
    assert found["message"] == "not one of the allowed values; did you mean 'AZ' (Arizona)?"
    misspelt = problem_at(problems(builder.facility(state="Pensylvania"), tmp_path), "Facility!B6")
    assert misspelt["message"] == "not one of the allowed values; did you mean 'PA' (Pennsylvania)?"


def test_a_state_code_in_lower_case_is_read(builder, tmp_path):
    loaded = load(builder.facility(state="az").xlsx(tmp_path / "inspection.xlsx"))
    assert loaded.problems.frame.empty
    assert loaded.inspection.facility["state"] == "AZ"


def test_the_state_codes_are_those_the_time_zones_know():
    assert set(decl.STATES) == set(zones.STATE_ZONES) | set(zones.SPLIT_STATES)
    assert set(decl.STATES) == set(glossary.glossary()["states"])
    assert len(decl.STATES) == 56


def test_an_unknown_column_names_the_nearest_by_name_or_label(builder, tmp_path):
    builder.sheet(
        "Intake",
        [{"detainee_id": "A1", "Arival": "2026-02-01 10:00", "Medical screning": None, "Shoe size": 9}],
    )
    found = problems(builder, tmp_path)
    assert problem_at(found, "Intake!B1")["message"] == (
        "column 'Arival' is not part of the Intake sheet; it was kept but is not used; "
        "did you mean 'arrival' (Arrival (book-in))?"
    )
    assert problem_at(found, "Intake!C1")["message"] == (
        "column 'Medical screning' is not part of the Intake sheet; it was kept but is not used; "
        "did you mean 'medical_screening' (Medical screening)?"
    )
    assert problem_at(found, "Intake!D1")["message"] == (
        "column 'Shoe size' is not part of the Intake sheet; it was kept but is not used"
    )


def test_an_unknown_facility_field_names_the_nearest(builder, tmp_path):
    found = problem_at(problems(builder.facility(inspection_typ="full"), tmp_path), "Facility!A17")
    assert found["message"] == (
        "'inspection_typ' is not a Facility field; it was not used; "
        "did you mean 'inspection_type' (Inspection type)?"
    )


def test_an_unknown_sheet_names_the_nearest(builder, tmp_path):
    path = builder.xlsx(tmp_path / "inspection.xlsx")
    book = openpyxl.load_workbook(path)
    book.create_sheet("Grievences").append(["grievance_id"])
    book.create_sheet("Notes").append(["anything"])
    book.save(path)
    found = load(path).problems.frame
    unknown = found[found["code"] == "unknown_sheet"].set_index("sheet")["message"]
    assert unknown["Grievences"] == (
        "sheet 'Grievences' is not part of the inspection workbook; it was not read; "
        "did you mean 'Grievances'?"
    )
    assert unknown["Notes"] == "sheet 'Notes' is not part of the inspection workbook; it was not read"


def test_a_checklist_id_names_the_nearest_requirement(builder, tmp_path):
    builder.sheet(
        "Checklist",
        [
            {"requirement_id": "FS-STORGE", "finding": "compliant"},
            {"requirement_id": "NOT-A-REQUIREMENT", "finding": "compliant"},
        ],
    )
    found = validate_inspection(builder.xlsx(tmp_path / "inspection.xlsx")).problems.frame
    assert problem_at(found, "Checklist!A2")["message"] == (
        "not an observation requirement of this facility's edition; did you mean 'FS-STORAGE'?"
    )
    assert problem_at(found, "Checklist!A3")["message"] == (
        "not an observation requirement of this facility's edition"
    )


def test_the_example_sheet_and_the_lists_are_never_read(builder, tmp_path):
    path = builder.xlsx(tmp_path / "inspection.xlsx")
    book = openpyxl.load_workbook(path)
    book.create_sheet("Example").append(["Intake"])
    book.create_sheet("Lists").append(["requirement_id"])
    book.save(path)
    assert load(path).problems.frame.empty


# ---------------------------------------------------------------------------- the three findings


def test_records_ending_after_the_inspection_are_an_error_at_the_inspection_end(builder, tmp_path):
    # the builder's inspection ends 2026-04-09; the records it claims to review run to 30 April
    found = problem_at(
        problems(builder.facility(review_period_end=day("2026-04-30")), tmp_path), "Facility!B12"
    )
    assert (found["severity"], found["code"], found["column"], found["value"]) == (
        "error",
        "out_of_order",
        "inspection_end",
        "2026-04-09",
    )
    assert found["message"] == (
        "the records reviewed cannot end after the inspection: inspection_end is earlier than "
        "review_period_end (2026-04-30)"
    )
    assert problems(builder.facility(review_period_end=day("2026-04-09")), tmp_path).empty  # the same day


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("13/02/2026", "not in the form YYYY-MM-DD; did you mean '2026-02-13'?"),  # a day over 12
        ("02/13/2026", "not in the form YYYY-MM-DD; did you mean '2026-02-13'?"),  # a month first
        ("2026/02/13", "not in the form YYYY-MM-DD; did you mean '2026-02-13'?"),  # the year first
        ("04/04/2026", "not in the form YYYY-MM-DD; did you mean '2026-04-04'?"),  # either way the same
        ("31/02/2026", "not a real calendar date or time of day"),
        ("13/13/2026", "not a real calendar date or time of day"),
        (
            "03/04/2026",
            "ambiguous date: write it as YYYY-MM-DD (or use an Excel date); "
            "03/04/2026 could be 3 April or March 4, so it is never guessed",
        ),
    ],
)
def test_a_slashed_date_is_called_ambiguous_only_when_it_is(builder, tmp_path, text, message):
    builder.sheet("Intake", [{"detainee_id": "A1", "arrival": "2026-01-05 08:00", "date_of_birth": text}])
    found = problem_at(problems(builder, tmp_path), "Intake!C2")
    assert (found["code"], found["value"], found["message"]) == ("bad_date", text, message)


def test_a_slashed_date_and_time_names_its_iso_form(builder, tmp_path):
    builder.sheet("Intake", [{"detainee_id": "A1", "arrival": "13/02/2026 9:05"}])
    found = problem_at(problems(builder, tmp_path), "Intake!B2")
    assert found["message"] == "not in the form YYYY-MM-DD; did you mean '2026-02-13 09:05'?"


# ---------------------------------------------------------------------------- the matcher


def test_closest_suggests_only_what_is_near():
    assert closest("Deficent", ("compliant", "deficient", "not-applicable")) == "deficient"
    assert closest("NOT APPLICABLE", ("compliant", "deficient", "not-applicable")) == "not-applicable"
    assert closest("banana", ("compliant", "deficient", "not-applicable")) is None
    assert closest("", ("compliant",)) is None
    assert hint("compliant", ("compliant",)) == ""  # the value itself: nothing to suggest
    assert hint(dt.date(2026, 1, 1), ("compliant",)) == ""


def test_only_so_many_distinct_wrong_values_are_matched(monkeypatch):
    # a hostile column of a million different wrong values must not cost a million matches
    monkeypatch.setattr(suggest, "MAX_DISTINCT", 2)
    values = pd.Series(["hold room", "Holdroom", "hold room", "hold_room"], dtype=object)
    frame = cell_problems(
        sheet="Placements",
        column="kind",
        letter="C",
        rows=[2, 3, 4, 5],
        values=values,
        code="not_allowed",
        message="not one of the allowed values",
    )
    messages = suggest.with_suggestions(frame)["message"].tolist()
    meant = "not one of the allowed values; did you mean 'hold-room'?"
    assert messages == [meant, meant, meant, "not one of the allowed values"]  # the third distinct: none
