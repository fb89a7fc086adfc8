"""The blank template: complete, guiding (labels, dropdowns, an example), and valid once filled in."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from auditor import glossary
from auditor.workbook import declarations as decl
from auditor.workbook.cells import column_letter
from auditor.workbook.parse import parse_column
from auditor.workbook.template import EXAMPLES, observation_ids, write_template

BOOLS = ["Yes", "No", "TRUE", "FALSE", "Y", "N", "1", "0"]


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    return write_template(tmp_path_factory.mktemp("template") / "blank.xlsx")


@pytest.fixture(scope="module")
def book(template) -> openpyxl.Workbook:
    return openpyxl.load_workbook(template)


def covering(ws: Worksheet, cell: str) -> list[object]:
    return [dv for dv in ws.data_validations.dataValidation if cell in dv.sqref]


def dropdown(ws: Worksheet, cell: str) -> list[str]:
    """The values a cell's dropdown offers, read back from the saved workbook (inline or a range)."""
    lists = [dv for dv in covering(ws, cell) if dv.type == "list"]
    assert len(lists) == 1, cell
    formula = lists[0].formula1
    if formula.startswith('"'):
        return formula.strip('"').split(",")
    sheet, cells = formula.split("!")
    first, last = cells.replace("$", "").split(":")
    source = ws.parent[sheet]
    return [c.value for (c,) in source[f"{first}:{last}"]]


def test_every_sheet_and_column_is_there_headed_by_its_label(book):
    assert book.sheetnames == ["README", *[s.name for s in decl.SHEETS], "Example", "Lists"]
    assert book["Lists"].sheet_state == "hidden"
    for sheet in decl.SHEETS:
        if sheet.keyvalue:
            continue
        ws = book[sheet.name]
        labels = [glossary.field_label(sheet.name, c.name) for c in sheet.columns]
        assert [c.value for c in ws[1]] == labels, sheet.name
        assert ws.freeze_panes == "A2", sheet.name
        for cell, column in zip(ws[1], sheet.columns, strict=True):
            assert cell.comment.text.startswith(f"Field name: {column.name}\n"), cell.coordinate
    assert [c.value for c in book["Intake"][1]][:3] == ["Detainee ID", "Arrival (book-in)", "Sex"]
    # required headers are told apart without colour: underlined (and yellow)
    assert [c.font.underline for c in book["Intake"][1]][:3] == ["single", "single", None]
    assert book["FoodTemps"]["E1"].value == "Temperature (°F)"


def test_every_header_has_an_input_message(book):
    for sheet in decl.SHEETS:
        if sheet.keyvalue:
            continue
        ws = book[sheet.name]
        for index, column in enumerate(sheet.columns):
            header = f"{column_letter(index)}1"
            messages = [dv for dv in covering(ws, header) if dv.showInputMessage and dv.prompt]
            assert len(messages) == 1, f"{sheet.name}!{header}"
            assert column.description in messages[0].prompt
            assert messages[0].promptTitle == glossary.field_label(sheet.name, column.name)[:32]


def test_every_closed_list_has_its_dropdown(book):
    checked = 0
    for sheet in decl.SHEETS:
        if sheet.keyvalue:
            continue
        ws = book[sheet.name]
        for index, column in enumerate(sheet.columns):
            letter = column_letter(index)
            if column.kind is decl.Kind.ENUM:
                assert dropdown(ws, f"{letter}2") == list(column.choices), f"{sheet.name}.{column.name}"
            elif column.kind is decl.Kind.BOOL:
                assert dropdown(ws, f"{letter}2") == BOOLS, f"{sheet.name}.{column.name}"
            else:
                continue
            assert dropdown(ws, f"{letter}5000") == dropdown(ws, f"{letter}2")  # far down the sheet too
            checked += 1
    enums = sum(c.kind is decl.Kind.ENUM for s in decl.SHEETS if not s.keyvalue for c in s.columns)
    bools = sum(c.kind is decl.Kind.BOOL for s in decl.SHEETS if not s.keyvalue for c in s.columns)
    assert checked == enums + bools and enums >= 13 and bools >= 11


def test_the_yes_no_dropdown_offers_exactly_what_the_parser_reads(book):
    values, bad, _ = parse_column(pd.Series(BOOLS, dtype="string"), decl.INTAKE.column("acute_condition"))
    assert not bad.any()
    assert list(values) == [True, False] * 4
    assert dropdown(book["Intake"], "P2") == BOOLS  # acute_condition
    readme = [c.value for (c,) in book["README"].iter_rows(max_col=1)]
    assert any("Yes/No, TRUE/FALSE, Y/N or 1/0 (any case)" in (line or "") for line in readme)


def test_the_checklist_offers_the_observation_requirements(book, tmp_path):
    ws = book["Checklist"]
    every = observation_ids()
    assert dropdown(ws, "A2") == every and dropdown(ws, "A49999") == every
    # PBNDS-2011 has two more than NDS-2019 (18): its accreditation and its key and lock control,
    # which NDS 2019 eliminated
    assert len(every) == 20 and "FS-STORAGE" in every
    # a workbook pre-filled for one edition offers that edition's requirements only
    ws = openpyxl.load_workbook(write_template(tmp_path / "nds.xlsx", {"detention_standard": "NDS-2019"}))
    assert dropdown(ws["Checklist"], "A2") == observation_ids("NDS-2019")
    assert len(observation_ids("NDS-2019")) == 18
    assert {"KLC-KEY-CONTROL", "MC-ACCREDITATION"} & set(observation_ids("NDS-2019")) == set()


def test_the_facility_sheet_offers_states_and_editions(book):
    ws = book["Facility"]
    rows = {ws.cell(row=r, column=1).value: r for r in range(2, ws.max_row + 1)}
    for column in decl.FACILITY.columns:
        if column.choices:
            label = glossary.field_label("Facility", column.name)
            assert dropdown(ws, f"B{rows[label]}") == list(column.choices), column.name
    assert dropdown(ws, f"B{rows['State']}")[:3] == ["AK", "AL", "AR"]
    assert len(dropdown(ws, f"B{rows['State']}")) == 56  # 50 states, DC and 5 territories
    assert dropdown(ws, f"B{rows['Detention standard']}") == ["PBNDS-2011", "NDS-2019", "NDS-2025"]


def test_facility_labels_are_in_column_a_with_the_field_names_in_comments(book):
    ws = book["Facility"]
    assert ws.freeze_panes == "A2"
    assert [ws.cell(row=1, column=c).value for c in (1, 2, 3, 4)] == [
        "Field",
        "Value",
        "What goes there",
        "Example",
    ]
    cells = [ws.cell(row=r, column=1) for r in range(2, 2 + len(decl.FACILITY.columns))]
    assert [c.value for c in cells] == [
        glossary.field_label("Facility", n) for n in decl.FACILITY.column_names
    ]
    assert [c.comment.text.split("\n")[0] for c in cells] == [
        f"Field name: {n}" for n in decl.FACILITY.column_names
    ]
    assert all(ws.cell(row=r, column=2).value is None for r in range(2, 2 + len(cells)))
    assert ws["D2"].value == "FIC-CDF-0002"  # the example beside the facility id


def test_the_readme_describes_every_column(book):
    rows = [[c.value for c in row] for row in book["README"].iter_rows()]
    header = rows.index(["sheet", "column", "label", "type", "required", "allowed values / range", "meaning"])
    described = {(r[0], r[1]): r for r in rows[header + 1 :]}
    assert set(described) == {(s.name, c.name) for s in decl.SHEETS for c in s.columns}
    assert described[("FoodTemps", "temp_f")][2:6] == ["Temperature (°F)", "number", "yes", "≥ -40 and ≤ 250"]
    assert described[("Intake", "sex")][5] == "F, M, X"


def example_rows(book: openpyxl.Workbook) -> dict[str, dict[str, object]]:
    """The Example sheet read back: sheet name → {label: value} of its one example row."""
    ws = book["Example"]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    out = {}
    for i, row in enumerate(rows):
        if row and row[0] in decl.SHEETS_BY_NAME and i + 2 < len(rows):
            out[row[0]] = {
                label: value for label, value in zip(rows[i + 1], rows[i + 2], strict=True) if label
            }
    return out


def test_the_example_sheet_has_one_row_under_every_sheets_labels(book):
    examples = example_rows(book)
    assert set(examples) == {s.name for s in decl.SHEETS if not s.keyvalue}
    assert examples["Intake"]["Arrival (book-in)"] == "2026-02-02 09:15"
    assert examples["Checks"] == {"Placement ID": "P-0001", "Checked at": "2026-02-20 18:30"}


def test_the_example_filled_into_the_template_with_labels_as_headers_validates_clean(
    book, template, cli, tmp_path
):
    """The round trip: template → the Example row under each sheet's labels → validate: no problem."""
    filled = openpyxl.load_workbook(template)
    facility = filled["Facility"]
    for row in range(2, facility.max_row + 1):
        example = facility.cell(row=row, column=4).value
        if example is not None:
            facility.cell(row=row, column=2, value=example)
    assert set(EXAMPLES) == set(decl.SHEETS_BY_NAME), "every sheet needs its example row in template.EXAMPLES"
    for sheet, values in example_rows(book).items():
        ws = filled[sheet]
        letters = {cell.value: cell.column for cell in ws[1]}
        for label, value in values.items():
            if value is not None:
                ws.cell(row=2, column=letters[label], value=value)
    filled.save(tmp_path / "filled.xlsx")
    result = cli("validate", tmp_path / "filled.xlsx", "--format", "json")
    report = json.loads(result.stdout)
    assert (report["valid"], report["errors"], report["warnings"]) == (True, 0, 0), report["problems"]
    assert result.exit_code == 0
    audit = cli("audit", tmp_path / "filled.xlsx", "--format", "json")
    results = {r["requirement_id"]: r for r in json.loads(audit.stdout)["results"]}
    assert results["EHS-FIRE-PLAN"]["status"] == "deficient"  # the example Checklist row was read
    assert results["MC-INTAKE-SCREEN"]["population"] == 1  # and the example Intake row


def fill(path: Path, out: Path) -> Path:
    """Fill the template in as an inspector would: values under the template's own headers."""
    book = openpyxl.load_workbook(path)
    facility = book["Facility"]
    values = {
        "Facility ID": "ATL-SPC-0001",
        "Facility name": "Fictional SPC",
        "Facility type": "SPC",
        "Area of responsibility (AOR)": "ATL",
        "State": "ga",
        "Detention standard": "PBNDS-2011",
        "Rated capacity": 600,
        "Inspection ID": "INSP-2026-0001",
        "Inspection type": "full",
        "Inspection start": dt.datetime(2026, 4, 6),
        "Inspection end": dt.datetime(2026, 4, 9),
        "Review period start": dt.datetime(2026, 1, 1),
        "Review period end": dt.datetime(2026, 3, 31),
    }
    for row in range(2, facility.max_row + 1):
        name = facility.cell(row=row, column=1).value
        if name in values:
            facility.cell(row=row, column=2, value=values[name])
    rows = {
        "Intake": [
            {
                "Detainee ID": "A000000001",
                "Arrival (book-in)": dt.datetime(2026, 1, 5, 8, 0),
                "Sex": "F",
                "Housing unit": "A-1",
                "Acute condition on arrival": "n",
                "Medical screening": dt.datetime(2026, 1, 5, 9, 30),
            }
        ],
        "Housing": [{"Unit ID": "A-1", "Rated capacity": 40, "Population": 31, "Unit type": "general"}],
        "Checklist": [{"Requirement ID": "FS-STORAGE", "Finding": "deficient", "Remarks": "pallets"}],
        "SafetyLog": [{"Day": dt.datetime(2026, 2, 1), "Unit or area": "A-1", "Event": "fire-drill"}],
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


def test_the_cli_writes_the_template(cli, tmp_path):
    result = cli("template", tmp_path / "out.xlsx")
    assert result.exit_code == 0, result.output
    assert openpyxl.load_workbook(tmp_path / "out.xlsx")["Intake"]["B1"].value == "Arrival (book-in)"
