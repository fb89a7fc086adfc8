"""The Sample sheet written into a copy of the inspector's workbook: one row per drawn record, with
a Yes/No dropdown for what the review found. The input is never modified."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from auditor import untrusted
from auditor.errors import WorkbookError
from auditor.safe_cells import set_value
from auditor.sampling.draw import Draw
from auditor.workbook import declarations as decl
from auditor.workbook.annotate import workbook_copy
from auditor.workbook.cells import column_letter
from auditor.workbook.read import RawWorkbook
from auditor.workbook.template import prompt

HEADER_FILL = PatternFill("solid", fgColor="1F3A5F")
HEADER_FONT = Font(bold=True, color="FFFFFF")
TO_FILL = PatternFill("solid", fgColor="FFF4CC")  # the two columns the inspector fills in
FILLED_IN = ("compliant", "note")


def record_keys(raw: RawWorkbook, draw: Draw) -> list[str | None]:
    """Each drawn record's key as written in its sheet (its key columns, else its unique or required
    ones), joined by " · ", for finding its file; None where the sheet has no such cell filled."""
    declared = decl.sheet(draw.sheet)
    names = list(declared.key) or [c.name for c in declared.columns if c.unique]
    names = names or [c.name for c in declared.columns if c.required]
    frame = raw.sheets[draw.sheet].frame
    cells = frame.loc[draw.rows, [n for n in names if n in frame.columns]].astype("string")
    return [
        " · ".join(str(v) for v in values if pd.notna(v) and v != "") or None
        for values in cells.itertuples(index=False)
    ]


def write_sample(raw: RawWorkbook, draw: Draw, out: Path) -> Path:
    """Write a copy of the workbook read as `raw` with the Sample sheet of `draw` added; openpyxl
    loads the whole (untrusted) input, so this happens in a bounded child process."""
    return untrusted.run(_write_here, raw, draw, Path(out), what=str(raw.path))


def _write_here(raw: RawWorkbook, draw: Draw, out: Path) -> Path:
    inputs = [Path(raw.path).resolve()]
    if Path(raw.path).is_dir():
        inputs += [(Path(raw.path) / name).resolve() for name, _ in raw.inputs]
    if out.resolve() in inputs:
        raise WorkbookError(f"{out}: the sampled copy must not overwrite the input; choose another name")
    book, _ = workbook_copy(raw)
    ws = book.create_sheet(decl.SAMPLE.name)
    columns = decl.SAMPLE.columns
    for index, column in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=index, value=column.name)
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        ws.column_dimensions[column_letter(index - 1)].width = max(column.width, len(column.name) + 2)
        tip = DataValidation(allow_blank=True, showInputMessage=True, promptTitle=column.name[:32])
        tip.prompt = prompt(column)
        tip.add(cell.coordinate)
        ws.add_data_validation(tip)
    design = draw.design
    for offset, (row, key) in enumerate(zip(draw.rows, record_keys(raw, draw), strict=True), start=2):
        values = {
            "population_sheet": draw.sheet,
            "sheet_row": int(row),
            "population": draw.population,
            "confidence": design.confidence,
            "margin": design.margin,
            "expected_rate": design.expected_rate,
            "seed": draw.seed,
        }
        for index, column in enumerate(columns, start=1):
            cell = ws.cell(row=offset, column=index)
            if column.name in values:
                cell.value = values[column.name]
            elif column.name == "record_key" and key is not None:
                set_value(cell, key)  # the inspector's text stays text, never a formula
            elif column.name == "method":
                set_value(cell, draw.method)
            elif column.name in FILLED_IN:
                cell.fill = TO_FILL
    last = max(2, len(draw.rows) + 1)
    found = DataValidation(type="list", formula1='"Yes,No"', allow_blank=True, showInputMessage=True)
    found.promptTitle, found.prompt = "compliant", prompt(decl.SAMPLE.column("compliant"))
    found.showErrorMessage, found.error = True, "Yes, No, or empty while not reviewed."
    letter = column_letter(decl.SAMPLE.column_names.index("compliant"))
    found.add(f"{letter}2:{letter}{last}")
    ws.add_data_validation(found)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{column_letter(len(columns) - 1)}{last}"
    book.active = book.sheetnames.index(ws.title)
    out.parent.mkdir(parents=True, exist_ok=True)
    book.save(out)
    return out
