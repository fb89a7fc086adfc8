"""Writing input text into spreadsheets without letting it become a formula.

Text an inspector typed (`=HYPERLINK(...)`, `+cmd|...`, `@SUM(...)`, `-2+3`) must stay text in
every workbook the auditor writes. Cells are typed as strings explicitly and, when they start
like a formula, carry Excel's quote prefix (shown as a leading apostrophe) so that neither
Excel nor a CSV round-trip turns them back into one.

A CSV has no cell types, so there the apostrophe is written into the text: `'=cmd`, which Excel
shows as the text `=cmd`. A plain number (`-5`, `+3.2`, `-1e3`) is left alone: Excel reads it
as a number, never as a formula, and the engine must read it back as that number. Our own CSV
reader removes the apostrophe again (`csv_unquote`), exactly where `csv_text` would have added
it, so what the project writes reads back to the same values; text that already starts with
apostrophes before a formula character gets one more, so the round trip is exact for it too.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_START = "[" + "".join({"-": r"\-", "\t": r"\t", "\r": r"\r"}.get(c, c) for c in FORMULA_START) + "]"
# Text a CSV cell needs the apostrophe for: formula-like, or already quoted before a formula start.
QUOTE_NEEDED = "^'*" + _START
QUOTED = "^'+" + _START  # what csv_text wrote: one apostrophe too many before a formula start
PLAIN_NUMBER = r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?"
_QUOTE_NEEDED = re.compile(QUOTE_NEEDED)
_PLAIN_NUMBER = re.compile(PLAIN_NUMBER)


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_START)


def csv_text(value: Any) -> Any:
    """A value for a CSV people open in Excel: formula-like text gets Excel's leading apostrophe."""
    if isinstance(value, str) and _QUOTE_NEEDED.match(value) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def csv_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """`csv_text` on every text cell of a frame (vectorised per column); the frame is not changed."""
    out = frame.copy()
    for name in out.columns:
        column = out[name]
        if not (pd.api.types.is_object_dtype(column) or pd.api.types.is_string_dtype(column)):
            continue  # numbers, dates and booleans are written as values, never as formulas
        text = column.astype("string")
        quote = text.str.match(QUOTE_NEEDED).fillna(False).to_numpy(dtype=bool)
        if quote.any():
            quote &= ~text.str.fullmatch(PLAIN_NUMBER).fillna(False).to_numpy(dtype=bool)
            values = column.to_numpy(dtype=object, copy=True)
            values[quote] = ["'" + str(v) for v in values[quote]]
            out[name] = pd.Series(values, index=out.index, dtype=column.dtype)
    return out


def csv_unquote(column: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """Undo `csv_text` on a column of CSV text: one leading apostrophe off where it added one."""
    if not pc.any(pc.starts_with(column, "'")).as_py():  # cheap test first: most columns have none
        return column
    quoted = pc.match_substring_regex(column, QUOTED)
    return pc.if_else(quoted, pc.utf8_slice_codeunits(column, 1), column)


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
