"""OpenDocument (.ods) and legacy Excel (.xls) inspections read as the .xlsx of the same rows.

Both are written here with the writers inspectors' tools use (odfpy through pandas; xlwt), real
dates as dates, so the reader's calamine path and row numbers are what is tested.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
from builders import refs

from auditor.workbook.inspection import load


def write_ods(builder, path: Path) -> Path:
    with pd.ExcelWriter(path, engine="odf") as writer:
        facility = pd.DataFrame({"field": list(builder.fields), "value": list(builder.fields.values())})
        facility.astype(object).to_excel(writer, sheet_name="Facility", index=False)
        for name, frame in builder.sheets.items():
            frame.to_excel(writer, sheet_name=name, index=False)
    return path


def write_xls(builder, path: Path) -> Path:
    import xlwt

    book = xlwt.Workbook()
    styles = {
        "datetime": xlwt.easyxf(num_format_str="yyyy-mm-dd hh:mm"),
        "date": xlwt.easyxf(num_format_str="yyyy-mm-dd"),
    }

    def put(sheet, row: int, col: int, value) -> None:
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            return
        if isinstance(value, dt.datetime | pd.Timestamp):
            stamp = pd.Timestamp(value).to_pydatetime()
            sheet.write(row, col, stamp, styles["date" if stamp.time() == dt.time() else "datetime"])
        elif isinstance(value, dt.date):
            sheet.write(row, col, dt.datetime(value.year, value.month, value.day), styles["date"])
        else:
            sheet.write(row, col, value)

    facility = book.add_sheet("Facility")
    facility.write(0, 0, "field")
    facility.write(0, 1, "value")
    for row, (name, value) in enumerate(builder.fields.items(), start=1):
        facility.write(row, 0, name)
        put(facility, row, 1, value)
    for name, frame in builder.sheets.items():
        sheet = book.add_sheet(name)
        for col, column in enumerate(frame.columns):
            sheet.write(0, col, column)
            for row, value in enumerate(frame[column].tolist(), start=1):
                put(sheet, row, col, value)
    book.save(str(path))
    return path


def test_valid_ods_and_xls_read_as_the_xlsx(valid_builder, tmp_path: Path) -> None:
    from_xlsx = load(valid_builder.xlsx(tmp_path / "inspection.xlsx"))
    for path in (
        write_ods(valid_builder, tmp_path / "inspection.ods"),
        write_xls(valid_builder, tmp_path / "i.xls"),
    ):
        loaded = load(path)
        assert loaded.raw.format == path.suffix.lstrip(".")
        assert loaded.problems.frame.empty, loaded.problems.frame.to_string()
        assert loaded.inspection.facility == from_xlsx.inspection.facility
        for name, frame in from_xlsx.inspection.sheets.items():
            pd.testing.assert_frame_equal(loaded.inspection.sheets[name], frame, check_dtype=False, obj=name)


def test_a_bad_cell_in_ods_and_xls_is_named_by_its_cell(valid_builder, tmp_path: Path) -> None:
    valid_builder.sheets["Intake"].loc[1, "sex"] = "Q"  # Intake!C3
    valid_builder.sheets["Housing"].loc[0, "population"] = "many"  # Housing!E2
    for path in (
        write_ods(valid_builder, tmp_path / "bad.ods"),
        write_xls(valid_builder, tmp_path / "bad.xls"),
    ):
        problems = load(path).problems
        assert refs(problems.frame) == ["Intake!C3", "Housing!E2"], path.suffix


def test_an_annotated_copy_of_an_ods_marks_the_bad_cell(valid_builder, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from auditor.workbook.annotate import annotate

    valid_builder.sheets["Intake"].loc[1, "sex"] = "Q"
    loaded = load(write_ods(valid_builder, tmp_path / "bad.ods"))
    copy = load_workbook(annotate(loaded.raw, loaded.problems, tmp_path / "annotated.xlsx"))
    assert copy["Intake"]["C3"].value == "Q"
    assert "not one of the allowed values" in copy["Intake"]["C3"].comment.text
    assert copy["Intake"]["A2"].value == valid_builder.sheets["Intake"].loc[0, "detainee_id"]
