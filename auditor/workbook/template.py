"""The blank inspection workbook, generated from the sheet declarations.

Every sheet has its headers, a frozen header row, column widths, date formats, dropdowns for
every enum and boolean, and an input message on each header and cell saying what goes there.
A README sheet describes every column; the Facility sheet has its field names filled in, and
its values too when given (a new inspection pre-filled from the facility registry).
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from auditor import __version__
from auditor.safe_cells import set_value
from auditor.workbook import declarations as decl
from auditor.workbook.cells import column_letter
from auditor.workbook.declarations import Column, Kind

LAST_ROW = 50_000
HEADER_FILL = PatternFill("solid", fgColor="1F3A5F")
HEADER_FONT = Font(bold=True, color="FFFFFF")
REQUIRED_FONT = Font(bold=True, color="FFD166")
NUMBER_FORMATS = {Kind.DATE: "yyyy-mm-dd", Kind.DATETIME: "yyyy-mm-dd hh:mm"}
BOOL_CHOICES = ("TRUE", "FALSE")


def write_template(path: str | Path, values: dict[str, str] | None = None) -> Path:
    """Write the blank inspection workbook to `path` (.xlsx); `values` fill the Facility sheet's
    column B by field name (empty values are left blank)."""
    path = Path(path)
    values = values or {}
    unknown = sorted(set(values) - set(decl.FACILITY.column_names))
    if unknown:
        raise ValueError(f"not fields of the Facility sheet: {', '.join(unknown)}")
    book = Workbook()
    readme = book.active
    readme.title = "README"
    _readme(readme)
    _facility(book.create_sheet(decl.FACILITY.name), values)
    for sheet in decl.SHEETS:
        if not sheet.keyvalue:
            _table(book.create_sheet(sheet.name), sheet)
    book.active = 1
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def prompt(column: Column) -> str:
    """The input message of a column: what goes there (Excel allows 255 characters)."""
    text = f"{column.description} Expected: {column.expected}."
    if column.required:
        text = "Required. " + text
    return text[:255]


def _validation(column: Column) -> DataValidation:
    choices = column.choices or (BOOL_CHOICES if column.kind is Kind.BOOL else ())
    if choices:
        dv = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True)
    elif column.kind in (Kind.DATE, Kind.DATETIME):
        dv = DataValidation(type="date", operator="greaterThan", formula1="1", allow_blank=True)
    elif column.kind in (Kind.INT, Kind.NUMBER):
        low = column.minimum if column.minimum is not None else -1e9
        high = column.maximum if column.maximum is not None else 1e9
        dv = DataValidation(
            type="whole" if column.kind is Kind.INT else "decimal",
            operator="between",
            formula1=_number(low),
            formula2=_number(high),
            allow_blank=True,
        )
    else:
        dv = DataValidation(allow_blank=True)
    dv.showInputMessage = True
    dv.promptTitle = column.name[:32]
    dv.prompt = prompt(column)
    if dv.type:
        dv.showErrorMessage = True
        dv.errorTitle = "Not valid here"
        dv.error = f"{column.name}: expected {column.expected}."[:255]
    return dv


def _number(value: float) -> str:
    """A bound as Excel formula text: 0 and 1000000000, never 0.0 or 1e+09."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _header_message(column: Column) -> DataValidation:
    dv = DataValidation(allow_blank=True, showInputMessage=True)
    dv.promptTitle = column.name[:32]
    dv.prompt = prompt(column)
    return dv


def _table(ws: Worksheet, sheet: decl.Sheet) -> None:
    for index, column in enumerate(sheet.columns):
        letter = column_letter(index)
        cell = ws.cell(row=1, column=index + 1, value=column.name)
        cell.fill = HEADER_FILL
        cell.font = REQUIRED_FONT if column.required else HEADER_FONT
        ws.column_dimensions[letter].width = max(column.width, len(column.name) + 2)
        if column.kind in NUMBER_FORMATS:
            ws.column_dimensions[letter].number_format = NUMBER_FORMATS[column.kind]
        header = _header_message(column)
        header.add(f"{letter}1")
        ws.add_data_validation(header)
        body = _validation(column)
        body.add(f"{letter}2:{letter}{LAST_ROW}")
        ws.add_data_validation(body)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{column_letter(len(sheet.columns) - 1)}1"


def _facility(ws: Worksheet, values: dict[str, str]) -> None:
    for index, text in enumerate(("field", "value")):
        cell = ws.cell(row=1, column=index + 1, value=text)
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
    ws.column_dimensions["A"].width = 26
    ws.column_dimensions["B"].width = 40
    ws.column_dimensions["C"].width = 70
    for row, column in enumerate(decl.FACILITY.columns, start=2):
        name = ws.cell(row=row, column=1, value=column.name)
        if column.required:
            name.font = Font(bold=True)
        ws.cell(row=row, column=3, value=prompt(column)).alignment = Alignment(wrap_text=False)
        if column.kind in NUMBER_FORMATS:
            ws.cell(row=row, column=2).number_format = NUMBER_FORMATS[column.kind]
        if values.get(column.name):
            set_value(ws.cell(row=row, column=2), values[column.name])  # ICE's text stays text
        dv = _validation(column)
        dv.add(f"B{row}")
        ws.add_data_validation(dv)
    ws.freeze_panes = "A2"


def _readme(ws: Worksheet) -> None:
    ws.append([f"Inspection workbook — blank template (auditor {__version__})"])
    ws["A1"].font = Font(bold=True, size=14)
    for line in (
        "Fill in the Facility sheet (column B) and every sheet you have records for; leave out "
        "sheets you do not have (the requirements that need them are reported as not assessed).",
        "One row per record, headers in row 1. Dates: Excel dates or YYYY-MM-DD; date and time: "
        "YYYY-MM-DD HH:MM. Yes/No cells: TRUE/FALSE, Yes/No, Y/N or 1/0. An empty cell means "
        "'not recorded'.",
        "Check the workbook with: auditor validate WORKBOOK.xlsx (add --annotate OUT.xlsx for a "
        "copy with every problem highlighted).",
        "",
    ):
        ws.append([line])
    ws.append(["sheet", "column", "type", "required", "allowed values / range", "meaning"])
    header_row = ws.max_row
    for cell in ws[header_row]:
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
    for row in documentation_rows():
        ws.append(row)
    for letter, width in zip("ABCDEF", (14, 28, 10, 10, 44, 90), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = f"A{header_row + 1}"


def documentation_rows() -> list[list[str]]:
    """One row per column of every sheet: the column reference of the contract."""
    rows = []
    for sheet in decl.SHEETS:
        for column in sheet.columns:
            allowed = ", ".join(column.choices) if column.choices else ""
            if column.kind is Kind.BOOL:
                allowed = "TRUE/FALSE, Yes/No, Y/N, 1/0"
            if column.minimum is not None:
                allowed = f"≥ {column.minimum:g}"
                if column.maximum is not None:
                    allowed += f" and ≤ {column.maximum:g}"
            rows.append(
                [
                    sheet.name,
                    column.name,
                    column.kind.value,
                    "yes" if column.required else "",
                    allowed,
                    column.description,
                ]
            )
    return rows
