"""Writing input text into spreadsheets without letting it become a formula.

Text an inspector typed (`=HYPERLINK(...)`, `+cmd|...`, `@SUM(...)`, `-2+3`) must stay text in
every workbook the auditor writes. Cells are typed as strings explicitly and, when they start
like a formula, carry Excel's quote prefix (shown as a leading apostrophe) so that neither
Excel nor a CSV round-trip turns them back into one.
"""

from __future__ import annotations

from typing import Any

from openpyxl.cell.cell import Cell

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_START)


def csv_text(value: Any) -> Any:
    """A value for a CSV people open in Excel: formula-like text gets Excel's leading apostrophe."""
    if isinstance(value, str) and looks_like_formula(value):
        return "'" + value
    return value


def set_value(cell: Cell, value: Any) -> None:
    """Put a value in a cell; text always stays text."""
    if value is None:
        cell.value = None
        return
    if isinstance(value, bool | int | float):
        cell.value = value
        return
    text = str(value)
    cell.value = text
    cell.data_type = "s"
    if looks_like_formula(text):
        cell.quotePrefix = True


def append_row(ws, values: list[Any]) -> int:
    """Append a row of values through set_value; returns the new row number."""
    row = ws.max_row + 1 if ws.max_row > 1 or ws.cell(1, 1).value is not None else 1
    for col, value in enumerate(values, start=1):
        set_value(ws.cell(row=row, column=col), value)
    return row
