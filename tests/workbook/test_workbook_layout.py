"""How sheets, headers, rows and columns are found, and the Facility sheet's own rules.

Cell references must be the ones the inspector sees in Excel, whatever the layout: empty rows
above the header, an empty column A, blank rows between records.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from builders import REMOVE, InspectionBuilder, at, day, problem_at, refs

from auditor.workbook.inspection import load


def intake(**cells: object) -> dict[str, object]:
    return {"detainee_id": "A000000001", "arrival": at("2026-01-05 08:00"), **cells}


def edited(path: Path, edit: Callable[[openpyxl.Workbook], None]) -> Path:
    """The builder's workbook changed by hand with openpyxl (as an inspector's Excel would)."""
    book = openpyxl.load_workbook(path)
    edit(book)
    book.save(path)
    return path


# ---------------------------------------------------------------------------- headers


def test_headers_match_ignoring_case_spaces_underscores_and_hyphens(builder, tmp_path):
    builder.sheet("Intake", [{
        " Detainee ID ": "A1", "ARRIVAL": at("2026-01-05 08:00"), "Date-Of-Birth": "1990-02-30",
        "housing unit": "A-1",
    }])
    result = load(builder.xlsx(tmp_path / "i.xlsx"))
    assert list(result.inspection.sheets["Intake"].columns) == [
        "detainee_id", "arrival", "date_of_birth", "housing_unit",
    ]
    assert result.inspection.letters["Intake"] == {
        "detainee_id": "A", "arrival": "B", "date_of_birth": "C", "housing_unit": "D",
    }
    found = problem_at(result.problems.frame, "Intake!C2")  # reported by its declared name
    assert (found["code"], found["column"]) == ("bad_date", "date_of_birth")


def test_an_unknown_column_is_kept_as_text_and_warned_about(builder, tmp_path):
    builder.sheet("Intake", [intake(notes="arrived by bus", sex="F")])
    result = load(builder.xlsx(tmp_path / "i.xlsx"))
    found = problem_at(result.problems.frame, "Intake!C1")
    assert (found["severity"], found["code"], found["value"]) == ("warning", "unknown_column", "notes")
    frame = result.inspection.sheets["Intake"]
    assert list(frame.columns) == ["detainee_id", "arrival", "notes", "sex"]
    assert frame.at[2, "notes"] == "arrived by bus"
    assert result.valid


def test_a_duplicate_header_is_an_error_and_the_second_column_is_not_read(builder, tmp_path):
    path = builder.sheet("Intake", [intake(sex="F", other="M")]).xlsx(tmp_path / "i.xlsx")

    def rename(book: openpyxl.Workbook) -> None:
        book["Intake"]["D1"] = "Sex"

    result = load(edited(path, rename))
    found = problem_at(result.problems.frame, "Intake!D1")
    assert (found["code"], found["value"]) == ("duplicate_header", "Sex")
    assert found["message"] == "the header 'Sex' appears twice (C1 and D1); keep one column"
    assert list(result.inspection.sheets["Intake"]["sex"]) == ["F"]


def test_a_column_with_values_but_no_header_is_warned_about(builder, tmp_path):
    path = builder.sheet("Intake", [intake(sex="F")]).xlsx(tmp_path / "i.xlsx")

    def orphan(book: openpyxl.Workbook) -> None:
        book["Intake"]["E2"] = "stray"

    found = problem_at(load(edited(path, orphan)).problems.frame, "Intake!E1")
    assert (found["severity"], found["code"]) == ("warning", "no_header")


# ---------------------------------------------------------------------------- sheets


def test_sheet_names_match_ignoring_case_and_spaces(builder, tmp_path):
    builder.sheet(" intake ", [intake(sex="Q")]).sheet("USE OF FORCE", [
        {"incident_id": "U1", "occurred": at("2026-02-01 10:00"), "kind": "immediate"},
    ])
    result = load(builder.xlsx(tmp_path / "i.xlsx"))
    assert set(result.inspection.sheets) == {"Intake", "UseOfForce"}
    assert refs(result.problems.frame) == ["Intake!C2"]  # reported under the declared name
    assert result.raw.sources["Intake"] == " intake "


def test_csv_file_names_match_ignoring_case(builder, tmp_path):
    builder.sheet("intake", [intake(sex="Q")])
    result = load(builder.csv(tmp_path / "folder"))
    assert refs(result.problems.frame) == ["Intake!C2"]


def test_two_sheets_with_the_same_declared_name_are_refused(builder, tmp_path):
    from auditor.errors import WorkbookError

    builder.sheet("Intake", [intake()]).sheet("INTAKE ", [intake()])
    with pytest.raises(WorkbookError, match="two sheets are both 'Intake'"):
        load(builder.xlsx(tmp_path / "i.xlsx"))


def test_an_unknown_sheet_is_warned_about_and_not_read(builder, tmp_path):
    builder.sheet("Visitors", [{"name": "someone"}])
    result = load(builder.xlsx(tmp_path / "i.xlsx"))
    assert result.problems.frame[["severity", "code", "sheet"]].to_dict("records") == [
        {"severity": "warning", "code": "unknown_sheet", "sheet": "Visitors"}
    ]
    assert result.inspection.sheets == {}


# ---------------------------------------------------------------------------- rows and columns


def test_empty_rows_are_skipped_but_later_rows_keep_their_excel_numbers(builder, tmp_path):
    builder.sheet("Intake", [
        intake(sex="F"), {}, {}, intake(detainee_id="A2", sex="Q"), {}, intake(detainee_id="A3", sex="M"),
    ])
    result = load(builder.xlsx(tmp_path / "i.xlsx"))
    assert list(result.inspection.sheets["Intake"].index) == [2, 5, 7]
    assert refs(result.problems.frame) == ["Intake!C5"]


def test_a_header_below_empty_rows_gives_the_right_row_numbers(builder, tmp_path):
    builder.sheet("Intake", [intake(sex="F"), intake(detainee_id="A2", sex="Q")])
    path = builder.xlsx(tmp_path / "i.xlsx")

    def push_down(book: openpyxl.Workbook) -> None:
        book["Intake"].insert_rows(1, amount=3)  # the header moves to row 4

    result = load(edited(path, push_down))
    assert list(result.inspection.sheets["Intake"].index) == [5, 6]
    assert refs(result.problems.frame) == ["Intake!C6"]


def test_an_empty_column_a_gives_the_right_letters(builder, tmp_path):
    path = builder.sheet("Intake", [intake(sex="Q")]).xlsx(tmp_path / "i.xlsx")

    def push_right(book: openpyxl.Workbook) -> None:
        book["Intake"].insert_cols(1, amount=2)  # detainee_id moves to column C

    result = load(edited(path, push_right))
    assert result.inspection.letters["Intake"] == {"detainee_id": "C", "arrival": "D", "sex": "E"}
    assert refs(result.problems.frame) == ["Intake!E2"]


def test_blank_lines_above_a_csv_header_give_the_right_row_numbers(builder, tmp_path):
    folder = builder.sheet("Intake", [intake(sex="Q")]).csv(tmp_path / "folder")
    text = (folder / "Intake.csv").read_text()
    (folder / "Intake.csv").write_text("\n,,\n" + text)
    assert refs(load(folder).problems.frame) == ["Intake!C4"]


def test_cells_are_trimmed_and_blank_text_is_empty(builder, tmp_path):
    builder.sheet("Intake", [intake(detainee_id="  A1  ", sex="   ")])
    result = load(builder.xlsx(tmp_path / "i.xlsx"))
    frame = result.inspection.sheets["Intake"]
    assert frame.at[2, "detainee_id"] == "A1" and pd.isna(frame.at[2, "sex"])


# ---------------------------------------------------------------------------- Facility


def facility_problems(builder: InspectionBuilder, tmp_path: Path) -> pd.DataFrame:
    return load(builder.xlsx(tmp_path / "i.xlsx")).problems.frame


# Rows of the valid Facility sheet: the header in row 1, then the fields in this order.
ROW = {
    "facility_id": 2, "facility_name": 3, "facility_type": 4, "aor": 5, "state": 6,
    "detention_standard": 7, "rated_capacity": 8, "inspection_id": 9, "inspection_type": 10,
    "inspection_start": 11, "inspection_end": 12, "review_period_start": 13, "review_period_end": 14,
}


def test_the_valid_facility_is_read_typed(builder, tmp_path):
    result = load(builder.xlsx(tmp_path / "i.xlsx"))
    assert result.valid and result.problems.frame.empty
    facility = result.inspection.facility
    assert facility["rated_capacity"] == 600
    assert facility["review_period_start"] == day("2026-01-01")
    assert facility["inspection_end"] == day("2026-04-09")
    assert result.inspection.facility_rows["aor"] == ROW["aor"]


def test_a_missing_required_field_is_an_error(builder, tmp_path):
    found = facility_problems(builder.facility(aor=REMOVE), tmp_path)
    assert found[["code", "sheet", "column", "cell"]].to_dict("records") == [
        {"code": "required", "sheet": "Facility", "column": "aor", "cell": None}
    ]
    assert "add a row with it in column A" in found.at[0, "message"]


def test_a_field_without_a_value_is_an_error_at_its_value_cell(builder, tmp_path):
    found = problem_at(facility_problems(builder.facility(inspection_id=None), tmp_path), "Facility!B9")
    assert (found["code"], found["column"]) == ("required", "inspection_id")


@pytest.mark.parametrize(
    ("field", "value", "code", "text"),
    [
        ("facility_type", "PRISON", "not_allowed", "PRISON"),
        ("detention_standard", "PBNDS-2099", "not_allowed", "PBNDS-2099"),
        ("rated_capacity", -1, "out_of_range", "-1"),
        ("rated_capacity", "lots", "not_a_number", "lots"),
        ("inspection_start", "04/06/2026", "bad_date", "04/06/2026"),
    ],
)
def test_bad_field_values(builder, tmp_path, field, value, code, text):
    found = facility_problems(builder.facility(**{field: value}), tmp_path)
    found = problem_at(found, f"Facility!B{ROW[field]}")
    assert (found["code"], found["column"], found["value"]) == (code, field, text)


def test_a_bad_field_value_is_not_used(builder, tmp_path):
    result = load(builder.facility(detention_standard="PBNDS-2099").xlsx(tmp_path / "i.xlsx"))
    assert result.inspection.facility["detention_standard"] is None


def test_an_inspection_ending_before_it_starts_is_an_error(builder, tmp_path):
    found = problem_at(
        facility_problems(builder.facility(inspection_end=day("2026-04-05")), tmp_path), "Facility!B12"
    )
    assert (found["code"], found["value"], found["message"]) == (
        "out_of_order", "2026-04-05",
        "the inspection cannot end before it starts: inspection_end is earlier than inspection_start "
        "(2026-04-06)",
    )


def test_a_review_period_ending_before_it_starts_is_an_error(builder, tmp_path):
    found = problem_at(
        facility_problems(builder.facility(review_period_start=day("2026-04-01")), tmp_path), "Facility!B14"
    )
    assert found["code"] == "out_of_order" and found["column"] == "review_period_end"


def test_an_unknown_field_is_a_warning(builder, tmp_path):
    found = problem_at(facility_problems(builder.facility(fax_number="555-0100"), tmp_path), "Facility!A17")
    assert (found["severity"], found["code"], found["value"]) == ("warning", "unknown_field", "fax_number")


def test_a_duplicate_field_is_an_error(builder, tmp_path):
    folder = builder.csv(tmp_path / "folder")
    with (folder / "Facility.csv").open("a") as handle:
        handle.write("aor,BOS\n")
    found = load(folder).problems.frame
    assert refs(found) == ["Facility!A17"]
    assert (found.at[0, "code"], found.at[0, "message"]) == (
        "duplicate_field", "the field 'aor' appears twice (rows 5 and 17); keep one",
    )


def test_facility_field_names_match_ignoring_case_and_spaces(builder, tmp_path):
    fields = {name.upper().replace("_", " "): value for name, value in builder.fields.items()}
    builder.fields = fields
    result = load(builder.xlsx(tmp_path / "i.xlsx"))
    assert result.valid and result.inspection.facility["aor"] == "ATL"


def test_a_csv_with_rows_of_different_lengths_is_read(builder, tmp_path):
    folder = builder.sheet("Intake", [intake(sex="F")]).csv(tmp_path / "folder")
    with (folder / "Intake.csv").open("a") as handle:
        handle.write("A2,2026-01-06 09:00,M,extra\n")  # one field more than the header
    result = load(folder)
    assert list(result.inspection.sheets["Intake"]["sex"]) == ["F", "M"]
    found = problem_at(result.problems.frame, "Intake!D1")
    assert (found["severity"], found["code"]) == ("warning", "no_header")
