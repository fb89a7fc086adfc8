"""The same inspection as a workbook and as a CSV folder reads the same, problems included."""

from __future__ import annotations

import pandas as pd
from builders import at, refs

from auditor.workbook.inspection import load


def spoiled(builder):
    """The valid inspection with one problem of each family."""
    rows = builder.sheets
    rows["Intake"].loc[0, "sex"] = "Q"  # not allowed: Intake!C2
    rows["Intake"].loc[1, "date_of_birth"] = "03/04/1985"  # ambiguous: Intake!D3
    rows["Intake"].loc[2, "release"] = at("2026-02-01 06:45")  # before arrival: Intake!Q4
    rows["Housing"].loc[1, "population"] = "20.5"  # not whole: Housing!E3
    rows["Checks"].loc[2, "placement_id"] = "P-404"  # unknown placement: Checks!A4
    rows["Checks"].loc[0, "checked"] = at("2026-03-02 10:01")  # after its placement: Checks!B2
    rows["Checklist"].loc[1, "remarks"] = None  # deficient without remarks: Checklist!D3
    rows["FoodTemps"].loc[0, "temp_f"] = 300  # out of range: FoodTemps!E2
    return builder.facility(inspection_end="2026-04-01")  # before the start: Facility!B12


def test_xlsx_and_csv_give_identical_problems_and_typed_frames(valid_builder, tmp_path):
    builder = spoiled(valid_builder)
    from_xlsx = load(builder.xlsx(tmp_path / "inspection.xlsx"))
    from_csv = load(builder.csv(tmp_path / "inspection-csv"))

    assert refs(from_xlsx.problems.frame) == [
        "Facility!B12", "Intake!C2", "Intake!D3", "Intake!Q4", "Housing!E3", "Checks!A4",
        "FoodTemps!E2", "Checklist!D3", "Checks!B2",
    ]
    pd.testing.assert_frame_equal(from_xlsx.problems.frame, from_csv.problems.frame)

    assert from_xlsx.inspection.facility == from_csv.inspection.facility
    assert from_xlsx.inspection.letters == from_csv.inspection.letters
    assert set(from_xlsx.inspection.sheets) == set(from_csv.inspection.sheets) == set(builder.sheets)
    for name, frame in from_xlsx.inspection.sheets.items():
        pd.testing.assert_frame_equal(frame, from_csv.inspection.sheets[name], obj=name)


def test_valid_xlsx_and_csv_are_both_clean(valid_inspection, valid_csv_inspection):
    for path in (valid_inspection, valid_csv_inspection):
        loaded = load(path)
        assert loaded.problems.frame.empty, loaded.problems.frame.to_string()
        assert loaded.valid


def test_typed_columns_have_the_declared_dtypes(valid_inspection):
    sheets = load(valid_inspection).inspection.sheets
    dtypes = {
        ("Intake", "arrival"): "datetime64[us]", ("Intake", "date_of_birth"): "datetime64[us]",
        ("Intake", "acute_condition"): "boolean", ("Intake", "sex"): "string",
        ("Housing", "population"): "Int64", ("FoodTemps", "temp_f"): "Float64",
        ("Checklist", "requirement_id"): "string",
    }
    assert {key: str(sheets[key[0]][key[1]].dtype) for key in dtypes} == dtypes
    assert list(sheets["Intake"].index) == [2, 3, 4]
    assert sheets["Intake"].at[2, "date_of_birth"] == pd.Timestamp("1990-04-01")
