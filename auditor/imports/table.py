"""Find a table in someone else's sheet: the sheet by name pattern, the header row under banners.

Only the sheet's used range is read (python-calamine), never its declared dimension: one ICE
workbook declares 16,383 columns on a sheet that uses 6.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from python_calamine import CalamineWorkbook

from auditor import untrusted
from auditor.errors import WorkbookError
from auditor.imports.profile import fold
from auditor.workbook.cells import column_letter
from auditor.workbook.container import check_container, every_sheet
from auditor.workbook.read import file_sha256, reader_errors
from auditor.workbook.sniff import sniff

ROSTER_COLUMNS = 256  # ICE's rosters and SRMS export fill at most 79 columns


@dataclass
class Table:
    file: Path
    sha256: str
    sheet: str
    rows: list[list[Any]]  # the used range; rows[i][j] is Excel row first_row + i, column first_col + j
    first_row: int  # Excel row number of rows[0]
    first_col: int  # 0-based column of rows[i][0]

    def ref(self, index: int, column: int) -> str:
        """`'Facilities FY26'!E12` for rows[index][column]."""
        name = self.sheet if re.fullmatch(r"\w+", self.sheet) else "'" + self.sheet.replace("'", "''") + "'"
        return f"{name}!{column_letter(self.first_col + column)}{self.first_row + index}"

    def excel_row(self, index: int) -> int:
        return self.first_row + index


def open_table(path: str | Path, sheet_pattern: str) -> Table:
    """The first sheet whose name matches `sheet_pattern`, as cell values (read in a bounded child)."""
    return untrusted.run(_open_table_here, Path(path), sheet_pattern, what=str(path))


def _open_table_here(path: Path, sheet_pattern: str) -> Table:
    kind = sniff(path)
    if kind == "csv-folder":
        raise WorkbookError(f"{path}: a folder; give the workbook itself")
    check_container(path, kind, every_sheet(ROSTER_COLUMNS))
    with reader_errors(f"{path}: the workbook cannot be read"):
        book = CalamineWorkbook.from_path(str(path))
    names = [n for n in book.sheet_names if re.search(sheet_pattern, n)]
    if not names:
        raise WorkbookError(
            f"{path}: no sheet named like {sheet_pattern!r}; its sheets are "
            + ", ".join(repr(n) for n in book.sheet_names)
        )
    # calamine parses a sheet's XML only now, when its cells are asked for
    with reader_errors(f"{path}: sheet {names[0]!r} cannot be read"):
        sheet = book.get_sheet_by_name(names[0])
        rows = [list(row) for row in sheet.to_python(skip_empty_area=False)]  # from A1, refs stay true
    return Table(path, file_sha256(path), names[0], rows, 1, 0)


def find_header(table: Table, first_cell: str, must_include: list[str], within: int) -> int:
    """Index of the header row: its first cell reads `first_cell` and it names every `must_include`."""
    wanted = {fold(h) for h in must_include}
    for index, row in enumerate(table.rows[:within]):
        cells = {fold(v) for v in row if isinstance(v, str)}
        if row and fold(row[0]) == fold(first_cell) and wanted <= cells:
            return index
    raise WorkbookError(
        f"{table.file}: sheet {table.sheet!r} has no header row starting {first_cell!r} with "
        f"{', '.join(must_include)} in its first {within} rows"
    )


def header_positions(header: list[Any]) -> dict[str, int]:
    """Folded header text → column index (the first, when a header repeats)."""
    positions: dict[str, int] = {}
    for index, value in enumerate(header):
        if isinstance(value, str) and value.strip():
            positions.setdefault(fold(value), index)
    return positions


def column_of(positions: dict[str, int], headers: list[str]) -> int | None:
    """The column of the first of `headers` (spellings of one field) that the header row has."""
    return next((positions[fold(h)] for h in headers if fold(h) in positions), None)


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
