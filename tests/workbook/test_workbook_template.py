"""The blank template: complete, helpful to fill in, and valid once filled in."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from auditor.workbook import declarations as decl
from auditor.workbook.cells import column_letter


@pytest.fixture
def template(cli, tmp_path) -> Path:
    out = tmp_path / "blank.xlsx"
    result = cli("template", out)
    assert result.exit_code == 0, result.output
    return out


def validations(ws: Worksheet) -> list[tuple[str, object]]:
    """(cell range, validation) of every data validation of a sheet."""
    return [(str(ref), dv) for dv in ws.data_validations.dataValidation for ref in dv.sqref.ranges]


def covering(ws: Worksheet, cell: str) -> list[object]:
    return [dv for dv in ws.data_validations.dataValidation if cell in dv.sqref]


def test_every_declared_sheet_and_column_is_in_the_template(template):
    book = openpyxl.load_workbook(template)
    assert book.sheetnames == ["README", *[s.name for s in decl.SHEETS]]
    for sheet in decl.SHEETS:
        if sheet.keyvalue:
            continue
        ws = book[sheet.name]
        assert [c.value for c in ws[1]] == sheet.column_names, sheet.name
        assert ws.freeze_panes == "A2", sheet.name


def test_every_header_has_an_input_message(template):
    book = openpyxl.load_workbook(template)
    for sheet in decl.SHEETS:
        if sheet.keyvalue:
            continue
        ws = book[sheet.name]
        for index, column in enumerate(sheet.columns):
            header = f"{column_letter(index)}1"
            messages = [dv for dv in covering(ws, header) if dv.showInputMessage and dv.prompt]
            assert len(messages) == 1, f"{sheet.name}!{header}"
            assert column.description in messages[0].prompt
            assert messages[0].promptTitle == column.name[:32]


def test_every_enum_and_bool_column_has_a_dropdown(template):
    book = openpyxl.load_workbook(template)
    checked = 0
    for sheet in decl.SHEETS:
        if sheet.keyvalue:
            continue
        ws = book[sheet.name]
        for index, column in enumerate(sheet.columns):
            if column.kind not in (decl.Kind.ENUM, decl.Kind.BOOL):
                continue
            lists = [dv for dv in covering(ws, f"{column_letter(index)}2") if dv.type == "list"]
            assert len(lists) == 1, f"{sheet.name}.{column.name}"
            choices = column.choices or ("TRUE", "FALSE")
            assert lists[0].formula1 == '"' + ",".join(choices) + '"'
            assert f"{column_letter(index)}5000" in lists[0].sqref  # far down the sheet too
            checked += 1
    assert checked == 26  # 14 enum + 12 bool columns across the table sheets


def test_facility_enums_have_dropdowns_beside_their_names(template):
    ws = openpyxl.load_workbook(template)["Facility"]
    rows = {ws.cell(row=r, column=1).value: r for r in range(2, ws.max_row + 1)}
    for column in decl.FACILITY.columns:
        if column.choices:
            lists = [dv for dv in covering(ws, f"B{rows[column.name]}") if dv.type == "list"]
            assert len(lists) == 1 and lists[0].formula1 == '"' + ",".join(column.choices) + '"'


def test_facility_field_names_are_in_column_a(template):
    ws = openpyxl.load_workbook(template)["Facility"]
    assert ws.freeze_panes == "A2"
    assert [ws.cell(row=1, column=c).value for c in (1, 2)] == ["field", "value"]
    names = [ws.cell(row=r, column=1).value for r in range(2, 2 + len(decl.FACILITY.columns))]
    assert names == decl.FACILITY.column_names
    assert all(ws.cell(row=r, column=2).value is None for r in range(2, 2 + len(names)))


def test_the_readme_describes_every_column(template):
    ws = openpyxl.load_workbook(template)["README"]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    header = rows.index(["sheet", "column", "type", "required", "allowed values / range", "meaning"])
    described = {(r[0], r[1]): r for r in rows[header + 1:]}
    expected = {(s.name, c.name) for s in decl.SHEETS for c in s.columns}
    assert set(described) == expected
    assert described[("FoodTemps", "temp_f")][2:5] == ["number", "yes", "≥ -40 and ≤ 250"]
    assert described[("Intake", "sex")][4] == "F, M, X"


def fill(path: Path, out: Path) -> Path:
    """Fill the template in as an inspector would: values under the template's own headers."""
    book = openpyxl.load_workbook(path)
    facility = book["Facility"]
    values = {
        "facility_id": "ATL-SPC-0001", "facility_name": "Fictional SPC", "facility_type": "SPC",
        "aor": "ATL", "state": "GA", "detention_standard": "PBNDS-2011", "rated_capacity": 600,
        "inspection_id": "INSP-2026-0001", "inspection_type": "full",
        "inspection_start": dt.datetime(2026, 4, 6), "inspection_end": dt.datetime(2026, 4, 9),
        "review_period_start": dt.datetime(2026, 1, 1), "review_period_end": dt.datetime(2026, 3, 31),
    }
    for row in range(2, facility.max_row + 1):
        name = facility.cell(row=row, column=1).value
        if name in values:
            facility.cell(row=row, column=2, value=values[name])
    rows = {
        "Intake": [{"detainee_id": "A000000001", "arrival": dt.datetime(2026, 1, 5, 8, 0), "sex": "F",
                    "housing_unit": "A-1", "acute_condition": "FALSE",
                    "medical_screening": dt.datetime(2026, 1, 5, 9, 30)}],
        "Housing": [{"unit_id": "A-1", "rated_capacity": 40, "population": 31, "unit_type": "general"}],
        "Checklist": [{"requirement_id": "FS-STORAGE", "finding": "deficient", "remarks": "pallets"}],
        "SafetyLog": [{"date": dt.datetime(2026, 2, 1), "area": "A-1", "event": "fire-drill"}],
    }
    for sheet, records in rows.items():
        ws = book[sheet]
        letters = {cell.value: cell.column for cell in ws[1]}
        for offset, record in enumerate(records, start=2):
            for name, value in record.items():
                ws.cell(row=offset, column=letters[name], value=value)
    book.save(out)
    return out


def test_the_filled_in_template_validates_clean(template, cli, tmp_path):
    filled = fill(template, tmp_path / "filled.xlsx")
    result = cli("validate", filled, "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["valid"], report["errors"], report["warnings"]) == (True, 0, 0), report["problems"]


def test_the_blank_template_names_each_missing_facility_value(template, cli):
    result = cli("validate", template, "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    required = [c.name for c in decl.FACILITY.columns if c.required]
    assert [(p["code"], p["column"]) for p in report["problems"]] == [("required", n) for n in required]
    rows = {c.name: i for i, c in enumerate(decl.FACILITY.columns, start=2)}
    assert [p["ref"] for p in report["problems"]] == [f"Facility!B{rows[n]}" for n in required]
