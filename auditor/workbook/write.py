"""Write an inspection (Facility fields and typed sheets) as an .xlsx workbook or a CSV folder.

Used by the sample-data and synthetic generators and by test fixtures, so that every input the
project makes goes through the same code an inspector's file would have come out of.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from auditor.safe_cells import csv_frame
from auditor.workbook import declarations as decl

DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
EXCEL_ROWS = 1_048_576
# A fixed creation date keeps generated workbooks byte-for-byte reproducible (same seed, same file).
CREATED = dt.datetime(2026, 1, 1)
DATE_FORMAT = "yyyy-mm-dd"


def write_inspection(
    path: str | Path,
    facility: Mapping[str, Any],
    sheets: Mapping[str, pd.DataFrame],
    *,
    csv: bool | None = None,
    notice: str | None = None,
) -> Path:
    """Write to `path`: a folder of CSVs when csv is true (or path has no suffix), else .xlsx.

    `notice` (e.g. "fictional data") goes in a README sheet, or a README.txt beside the CSVs;
    the reader ignores both.
    """
    path = Path(path)
    if csv is None:
        csv = path.suffix == ""
    too_long = [name for name, frame in sheets.items() if len(frame) >= EXCEL_ROWS]
    if too_long and not csv:
        raise ValueError(f"{', '.join(too_long)} exceed Excel's {EXCEL_ROWS:,} rows: write a CSV folder")
    if csv:
        written = _write_csv(path, facility, sheets)
        if notice:
            (path / "README.txt").write_text(notice + "\n", encoding="utf-8")
        return written
    return _write_xlsx(path, facility, sheets, notice)


def _kinds(sheet: str, frame: pd.DataFrame) -> dict[str, decl.Kind]:
    declared = decl.SHEETS_BY_NAME.get(sheet)
    known = {c.name: c.kind for c in declared.columns} if declared else {}
    return {c: known.get(c, decl.Kind.TEXT) for c in frame.columns}


def _write_xlsx(
    path: Path, facility: Mapping[str, Any], sheets: Mapping[str, pd.DataFrame], notice: str | None = None
) -> Path:
    import xlsxwriter

    path.parent.mkdir(parents=True, exist_ok=True)
    book = xlsxwriter.Workbook(
        str(path),
        {
            "constant_memory": True,
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
        },
    )
    formats = {
        decl.Kind.DATETIME: book.add_format({"num_format": DATETIME_FORMAT}),
        decl.Kind.DATE: book.add_format({"num_format": DATE_FORMAT}),
        "time": book.add_format({"num_format": "hh:mm"}),
    }
    book.set_properties({"created": CREATED})
    bold = book.add_format({"bold": True})
    if notice:
        readme = book.add_worksheet("README")
        readme.set_column(0, 0, 120)
        readme.write_string(0, 0, notice, bold)
    sheet = book.add_worksheet("Facility")
    sheet.write_row(0, 0, ["field", "value"], bold)
    sheet.set_column(0, 0, 26)
    sheet.set_column(1, 1, 40)
    for row, (name, value) in enumerate(facility.items(), start=1):
        sheet.write_string(row, 0, name)
        kind = decl.FACILITY.column(name).kind if name in decl.FACILITY.column_names else decl.Kind.TEXT
        _write_cell(sheet, row, 1, value, kind, formats)
    for name, frame in sheets.items():
        sheet = book.add_worksheet(name)
        kinds = _kinds(name, frame)
        sheet.write_row(0, 0, list(frame.columns), bold)
        sheet.freeze_panes(1, 0)
        for col, column in enumerate(frame.columns):
            sheet.set_column(col, col, 18 if kinds[column] is decl.Kind.DATETIME else 14)
        columns = [frame[c].astype(object).where(frame[c].notna(), None).tolist() for c in frame.columns]
        column_kinds = [kinds[c] for c in frame.columns]
        for offset, values in enumerate(zip(*columns, strict=True), start=1):
            for col, value in enumerate(values):
                if value is not None:
                    _write_cell(sheet, offset, col, value, column_kinds[col], formats)
    book.close()
    return path


def _write_cell(sheet, row: int, col: int, value: Any, kind: decl.Kind, formats: dict) -> None:
    if value is None:
        return
    if isinstance(value, bool):
        sheet.write_boolean(row, col, value)
    elif isinstance(value, dt.time):  # a time of day alone: Excel keeps it as a fraction of day 0
        sheet.write_datetime(row, col, value, formats["time"])
    elif isinstance(value, dt.date):  # datetime and Timestamp too
        stamp = pd.Timestamp(value).to_pydatetime()
        date_kind = decl.Kind.DATE if kind is decl.Kind.DATE else decl.Kind.DATETIME
        sheet.write_datetime(row, col, stamp, formats[date_kind])
    elif isinstance(value, int | float):
        sheet.write_number(row, col, value)
    else:
        sheet.write_string(row, col, str(value))


def _write_csv(folder: Path, facility: Mapping[str, Any], sheets: Mapping[str, pd.DataFrame]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    fields = pd.DataFrame({"field": list(facility), "value": [_text(v) for v in facility.values()]})
    csv_frame(fields).to_csv(folder / "Facility.csv", index=False)  # `=x` written `'=x`: never a formula
    for name, frame in sheets.items():
        out = pd.DataFrame(index=frame.index)
        kinds = _kinds(name, frame)
        for column in frame.columns:
            out[column] = _column_text(frame[column], kinds[column])
        csv_frame(out).to_csv(folder / f"{name}.csv", index=False)
    return folder


def _column_text(series: pd.Series, kind: decl.Kind) -> pd.Series:
    """Typed values as the text an inspector's CSV holds; text (even bad text) is kept as it is."""
    pattern = "%Y-%m-%d" if kind is decl.Kind.DATE else "%Y-%m-%d %H:%M"
    if pd.api.types.is_datetime64_any_dtype(series):
        text = series.dt.strftime(pattern)
        seconds = (series.dt.second != 0).to_numpy() & (kind is not decl.Kind.DATE)
        text[seconds] = series[seconds].dt.strftime(pattern + ":%S")
        return text
    if pd.api.types.is_bool_dtype(series):
        return series.map({True: "TRUE", False: "FALSE"}, na_action="ignore")
    return series.map(lambda v: _text(v, pattern), na_action="ignore")


def _text(value: Any, pattern: str = "%Y-%m-%d %H:%M") -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        return value.strftime(pattern + (":%S" if value.second and "%M" in pattern else ""))
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # 38.0 is written 38, as Excel shows it
    return str(value)
