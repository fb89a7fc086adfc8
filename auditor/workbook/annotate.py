"""An annotated copy of the inspector's workbook: every bad cell highlighted, with a comment.

The input is never modified, and a workbook file is not read again: its copy is made from the
bytes the reader read (RawWorkbook.data). An .xlsx is copied as it is; a CSV folder, .xls or
.ods is rebuilt cell for cell from what was read, every value as text (so `=1+1` typed in a CSV
stays text). A `Problems` sheet at the front lists every problem with a link to its cell, so
sheet-level problems (a missing column) are not lost either.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from auditor import untrusted
from auditor.contracts.problems import Problems
from auditor.errors import WorkbookError
from auditor.safe_cells import append_row, set_value
from auditor.workbook.read import RawWorkbook, cell_table, reader_errors

FILLS = {
    "error": PatternFill("solid", fgColor="F8B4B4"),
    "warning": PatternFill("solid", fgColor="FDE68A"),
}
SUMMARY_SHEET = "Problems"


def annotate(raw: RawWorkbook, problems: Problems, out: str | Path) -> Path:
    """Write a copy of the input with its problems marked; returns the path written.

    openpyxl loads the whole (untrusted) input: that happens in a bounded child process.
    """
    return untrusted.run(_annotate_here, raw, problems, Path(out), what=str(raw.path))


def _annotate_here(raw: RawWorkbook, problems: Problems, out: Path) -> Path:
    inputs = [Path(raw.path).resolve()]
    if Path(raw.path).is_dir():
        inputs += [(Path(raw.path) / name).resolve() for name, _ in raw.inputs]
    if out.resolve() in inputs:
        raise WorkbookError(f"{out}: the annotated copy must not overwrite the input; choose another name")
    book, names = workbook_copy(raw)
    frame = problems.frame
    for (sheet, cell), group in frame[frame["cell"].notna()].groupby(["sheet", "cell"], sort=False):
        if sheet not in names:
            continue
        _mark(book[names[sheet]], str(cell), group)
    _summary(book, problems, names)
    out.parent.mkdir(parents=True, exist_ok=True)
    book.save(out)
    return out


def _mark(ws: Worksheet, ref: str, group: pd.DataFrame) -> None:
    """Fill and comment one cell; a cell inside a merged range is marked on the range's first cell."""
    target = ws[ref]
    prefix = ""
    if isinstance(target, MergedCell):
        anchor = next(r for r in ws.merged_cells.ranges if ref in r)
        target, prefix = ws.cell(anchor.min_row, anchor.min_col), f"{ref}: "
    error = (group["severity"] == "error").any()
    text = "\n".join(prefix + _comment_line(rec) for _, rec in group.iterrows())
    if isinstance(target, Cell) and target.comment is not None:  # already marked (a merged range)
        text = target.comment.text + "\n" + text
        error = error or target.fill == FILLS["error"]
    target.fill = FILLS["error" if error else "warning"]
    target.comment = Comment(text[:2000], "auditor", width=320, height=120)


def _comment_line(rec: pd.Series) -> str:
    line = f"{rec['severity'].upper()}: {rec['message']}"
    if rec["expected"]:
        line += f". Expected {rec['expected']}"
    return line


def workbook_copy(raw: RawWorkbook) -> tuple[Workbook, dict[str, str]]:
    """The copy and, for each declared sheet that was read, its title in the copy."""
    if raw.format == "xlsx":
        # from the bytes that were read and checked, never the file again (which may have changed)
        with reader_errors(f"{raw.path}: the workbook cannot be opened"):  # parts fastexcel never read
            book = load_workbook(io.BytesIO(raw.data), keep_vba=Path(raw.path).suffix.lower() == ".xlsm")
        return book, {name: source for name, source in raw.sources.items() if source in book.sheetnames}
    return _rebuild(raw), {name: name for name in raw.sources}


def _rebuild(raw: RawWorkbook) -> Workbook:
    """A new workbook holding every cell of the sheets that were read, as text, where it was."""
    book = Workbook()
    book.remove(book.active)
    for name in raw.sources:
        table, columns, first_row = cell_table(raw, name)
        ws = book.create_sheet(name)
        for array, col in zip(table.columns, columns, strict=True):
            for offset, value in enumerate(array.to_pylist()):
                if value is not None and value != "":
                    set_value(ws.cell(row=first_row + offset, column=col + 1), value)
    return book


def _summary(book: Workbook, problems: Problems, names: dict[str, str]) -> None:
    title = SUMMARY_SHEET
    while title in book.sheetnames:  # never replace a sheet of the inspector's
        title = f"{title} (auditor)" if title == SUMMARY_SHEET else title + "+"
    ws = book.create_sheet(title, 0)
    ws.append(["severity", "sheet", "cell", "column", "value", "problem", "expected"])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for rec in problems.records():
        append_row(
            ws,
            [
                rec["severity"],
                rec["sheet"],
                rec["cell"],
                rec["column"],
                None if rec["value"] is None else str(rec["value"]),
                rec["message"],
                rec["expected"],
            ],
        )
        if rec["cell"] and rec["sheet"] in names:
            link = ws.cell(row=ws.max_row, column=3)
            quoted = names[rec["sheet"]].replace("'", "''")
            link.hyperlink = f"#'{quoted}'!{rec['cell']}"
            link.font = Font(color="1D4ED8", underline="single")
        ws.cell(row=ws.max_row, column=1).fill = FILLS.get(rec["severity"], FILLS["warning"])
    for letter, width in zip("ABCDEFG", (9, 12, 8, 22, 22, 70, 40), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    book.active = 0
