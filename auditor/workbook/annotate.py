"""An annotated copy of the inspector's workbook: every bad cell highlighted, with a comment.

The input file is never modified. A `Problems` sheet at the front lists every problem with a
link to its cell, so sheet-level problems (a missing column) are not lost either.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill

from auditor.safe_cells import append_row, set_value
from auditor.workbook.problems import Problems
from auditor.workbook.read import RawWorkbook

FILLS = {
    "error": PatternFill("solid", fgColor="F8B4B4"),
    "warning": PatternFill("solid", fgColor="FDE68A"),
}
SUMMARY_SHEET = "Problems"


def annotate(raw: RawWorkbook, problems: Problems, out: str | Path) -> Path:
    """Write a copy of the input with its problems marked; returns the path written."""
    out = Path(out)
    if out.resolve() == Path(raw.path).resolve():
        raise ValueError("the annotated copy must not overwrite the input")
    book = _copy(raw)
    names = {name: sheet.source for name, sheet in raw.sheets.items()}
    names["Facility"] = _facility_sheet(book)
    frame = problems.frame
    for (sheet, cell), group in frame[frame["cell"].notna()].groupby(["sheet", "cell"], sort=False):
        title = names.get(sheet, sheet)
        if title not in book.sheetnames:
            continue
        target = book[title][cell]
        first = group.iloc[0]
        target.fill = FILLS[first["severity"]]
        text = "\n".join(_comment_line(rec) for _, rec in group.iterrows())
        target.comment = Comment(text[:2000], "auditor", width=320, height=120)
    _summary(book, frame, names)
    out.parent.mkdir(parents=True, exist_ok=True)
    book.save(out)
    return out


def _comment_line(rec: pd.Series) -> str:
    line = f"{rec['severity'].upper()}: {rec['message']}"
    if rec["expected"]:
        line += f". Expected {rec['expected']}"
    return line


def _copy(raw: RawWorkbook) -> Workbook:
    if raw.format == "xlsx":
        keep_vba = Path(raw.path).suffix.lower() == ".xlsm"
        return load_workbook(raw.path, keep_vba=keep_vba)
    return _from_raw(raw)  # CSV folders, .xls and .ods: rebuilt as text, cell for cell


def _from_raw(raw: RawWorkbook) -> Workbook:
    from auditor.workbook.cells import column_index

    book = Workbook()
    facility = book.active
    facility.title = "Facility"
    facility.append(["field", "value"])
    if raw.facility is not None:
        for field, rec in raw.facility.iterrows():
            set_value(facility.cell(row=int(rec["row"]), column=1), field)
            set_value(facility.cell(row=int(rec["row"]), column=2), rec["value"])
    for name, sheet in raw.sheets.items():
        ws = book.create_sheet(sheet.source if raw.format != "csv-folder" else name)
        for column, letter in sheet.letters.items():
            col = column_index(letter) + 1
            set_value(ws.cell(row=sheet.header_row, column=col), column)
            for row, value in sheet.frame[column].dropna().items():
                set_value(ws.cell(row=int(row), column=col), value)
    return book


def _facility_sheet(book: Workbook) -> str:
    for title in book.sheetnames:
        if title.strip().casefold() == "facility":
            return title
    return "Facility"


def _summary(book: Workbook, frame: pd.DataFrame, names: dict[str, str]) -> None:
    if SUMMARY_SHEET in book.sheetnames:
        del book[SUMMARY_SHEET]
    ws = book.create_sheet(SUMMARY_SHEET, 0)
    ws.append(["severity", "sheet", "cell", "column", "value", "problem", "expected"])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for _, rec in frame.iterrows():
        append_row(ws, [
            rec["severity"], rec["sheet"], rec["cell"], rec["column"],
            None if rec["value"] is None else str(rec["value"]), rec["message"], rec["expected"],
        ])
        if rec["cell"] and rec["sheet"] in names:
            link = ws.cell(row=ws.max_row, column=3)
            link.hyperlink = f"#'{names[rec['sheet']]}'!{rec['cell']}"
            link.font = Font(color="1D4ED8", underline="single")
        ws.cell(row=ws.max_row, column=1).fill = FILLS.get(rec["severity"], FILLS["warning"])
    for letter, width in zip("ABCDEFG", (9, 12, 8, 22, 22, 70, 40), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    book.active = 0
