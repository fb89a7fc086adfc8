"""Check an .xls Workbook stream's records before calamine sizes its cell grids from them.

calamine trusts two things in an .xls sheet: its DIMENSIONS record (4,294,967,295 rows declared
in a 6 KB file asks for 11 PB) and the column of every cell record (one cell at column 65,535,
which the format's 16 bits allow, asks for 125 GB). Both abort the process. An .xls sheet holds
at most 65,536 rows and 256 columns (IV); a record beyond that is refused, naming the sheet, and
a filled cell of a sheet the contract knows is held to that sheet's limit, as in an .xlsx. Each
record is looked at once: the check is linear in the stream.
"""

from __future__ import annotations

import struct
from collections.abc import Callable

from auditor.workbook.extent import ExtentError, check_cell, where

MAX_XLS_ROWS = 65_536
MAX_XLS_COLUMNS = 256

BOF, BOUNDSHEET, DIMENSIONS = 0x0809, 0x0085, 0x0200
MULRK, MULBLANK, BLANK = 0x00BD, 0x00BE, 0x0201
# records that are one cell, starting with its row and column (u16 each): FORMULA, RSTRING,
# LABELSST, NUMBER, LABEL, BOOLERR, RK; BLANK is a styled empty cell
CELLS = {0x0006, 0x00D6, 0x00FD, 0x0203, 0x0204, 0x0205, 0x027E, BLANK}


def check_biff(stream: bytes, limits: Callable[[str], tuple[int, int] | None]) -> None:
    """Raise ExtentError for a DIMENSIONS record or a cell beyond what an .xls sheet holds."""
    names = _sheet_names(stream)
    sheet = ""
    limit: tuple[int, int] | None = None
    position = 0
    end = len(stream)
    while position + 4 <= end:
        kind, length = struct.unpack_from("<HH", stream, position)
        body = position + 4
        if body + length > end:
            break  # a record cut short: the reader says the file is damaged
        if kind == BOF and position in names:
            sheet = names[position]
            limit = limits(sheet)
        elif kind == DIMENSIONS and sheet:
            _dimensions(sheet, stream[body : body + length])
        elif (kind in CELLS or kind in (MULRK, MULBLANK)) and length >= 4 and sheet:
            row, first = struct.unpack_from("<HH", stream, body)
            last = first
            if kind in (MULRK, MULBLANK) and length >= 6:
                last = struct.unpack_from("<H", stream, body + length - 2)[0]
            column = max(first, last) + 1
            if column > MAX_XLS_COLUMNS:
                raise ExtentError(
                    f"sheet {sheet!r} has a cell at row {row + 1:,}, column {column:,}; an .xls sheet has at "
                    f"most {MAX_XLS_COLUMNS} columns (IV)"
                )
            if limit is not None and kind not in (BLANK, MULBLANK):
                check_cell(sheet, limit[0], limit[1], column, row + 1)
        position = body + length


def _dimensions(sheet: str, body: bytes) -> None:
    if len(body) >= 14:  # BIFF8: first row, last row + 1 (u32), first column, last column + 1
        _, rows, _, columns = struct.unpack_from("<IIHH", body)
    elif len(body) >= 8:  # BIFF5: the same in 16 bits
        _, rows, _, columns = struct.unpack_from("<HHHH", body)
    else:
        return
    if rows > MAX_XLS_ROWS or columns > MAX_XLS_COLUMNS:
        raise ExtentError(
            f"sheet {sheet!r} declares {rows:,} rows and {columns:,} columns (to {where(columns, rows)}); "
            f"an .xls sheet holds at most {MAX_XLS_ROWS:,} rows and {MAX_XLS_COLUMNS} columns"
        )


def _sheet_names(stream: bytes) -> dict[int, str]:
    """Where each sheet's records start → its name, from the BOUNDSHEET records."""
    names: dict[int, str] = {}
    position = 0
    biff8 = True
    while position + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, position)
        body = stream[position + 4 : position + 4 + length]
        if kind == BOF and position == 0 and len(body) >= 2:
            biff8 = struct.unpack_from("<H", body)[0] >= 0x0600
        elif kind == BOUNDSHEET and len(body) >= 7:
            offset, count = struct.unpack_from("<IxxB", body)
            if biff8 and len(body) >= 8:
                wide = body[7] & 1
                raw = body[8 : 8 + count * (2 if wide else 1)]
                names[offset] = raw.decode("utf-16-le" if wide else "latin-1", errors="replace")
            else:
                names[offset] = body[7 : 7 + count].decode("latin-1", errors="replace")
        elif kind == 0x000A:  # EOF of the workbook globals: the sheets follow
            break
        position += 4 + length
    return names
