"""How far a sheet's filled cells reach, checked while its XML streams past.

calamine, under fastexcel, allocates the whole rectangle from the first filled cell to the last:
one value at XFD1048576 asks for about 512 GiB. The declared `<dimension>` is not what counts
(ICE's files declare A1:XFC1041 on a few columns) and neither are empty styled cells
(`<c r="XFD5" s="3"/>`): only cells holding something. Each checker is fed the inflated XML in
chunks and raises WorkbookError at the first filled cell beyond its sheet's limit.

    FastCells      an .xlsx sheet written as Excel writes it: two regex searches per chunk prove
                   that every cell that may hold something has a reference within the limit
                   and at most six digits; anything else (a far or odd reference, a cell
                   without one, a prefixed element, another encoding) sends the sheet to
    SheetCells     the exact count: expat, through defusedxml, tracking every cell's position
    OdsCells       an .ods content.xml: rows and cells with their repeat counts (the ODS bomb is
                   a filled cell repeated a billion times)
    Merges         merged ranges, in every sheet: openpyxl makes an object per merged cell
    SharedStrings  the count xl/sharedStrings.xml declares, against the strings it holds
"""

from __future__ import annotations

import functools
import re
import xml.sax
from collections.abc import Callable
from xml.sax.handler import ContentHandler

from defusedxml import DefusedXmlException
from defusedxml.expatreader import DefusedExpatParser

from auditor.errors import WorkbookError
from auditor.workbook.cells import column_letter
from auditor.workbook.prefilter import may_hold_odd_cell, may_match

MAX_ROWS = 1_048_576  # Excel's last row
MAX_COLUMNS = 16_384  # Excel's last column (XFD)
LONGEST_TAG = 1 << 20  # a tag longer than this is not Excel's writing: count exactly

_PREFIXED_CELL = re.compile(rb":c[\s/>]")
_MERGE = re.compile(rb'mergeCell\s[^>]*?\bref\s*=\s*["\']\s*([A-Za-z]+[0-9]+):([A-Za-z]+[0-9]+)')
_UNIQUE_COUNT = re.compile(rb'sst\s[^>]*?\buniqueCount\s*=\s*["\']\s*([0-9]+)')
MAX_MERGED_CELLS = 100_000  # merged cells per sheet; a title merges a dozen
SST_SLACK = 100_000  # shared strings declared beyond those present (2.4 MB of reserve at most)
_REF = re.compile(r"([A-Za-z]{1,9})([0-9]{1,18})")


class ExtentError(WorkbookError):
    """A filled cell beyond what its sheet may hold, or a sheet no reader could parse (no path yet)."""


def where(column: int, row: int) -> str:
    """`XFD1048576` for a cell Excel can address, else `row 5, column 100,000,000`."""
    if column <= MAX_COLUMNS and row <= MAX_ROWS:
        return f"{column_letter(column - 1)}{row}"
    return f"row {row:,}, column {column:,}"


def check_cell(sheet: str, columns: int, limit: int, column: int, row: int) -> None:
    """Raise if a filled cell at 1-based (column, row) is beyond the sheet's limit."""
    if column > limit:
        raise ExtentError(
            f"sheet {sheet!r} has a filled cell at {where(column, row)}, far outside its {columns} "
            f"columns (a sheet may fill up to column {column_letter(limit - 1)}); delete what lies "
            "beyond the table, or copy the table into a new workbook"
        )
    if row > MAX_ROWS:
        raise ExtentError(
            f"sheet {sheet!r} has a filled cell at {where(column, row)}, beyond Excel's last row "
            f"{MAX_ROWS:,}; no workbook Excel writes has one"
        )


@functools.cache
def odd_cell(limit: int) -> re.Pattern[bytes]:
    """A cell that may hold something and whose first attribute is not a reference within `limit`
    columns (702, ZZ, when more) and 999,999 rows.

    Every cell Excel writes for such a sheet passes (`<c r="B7" s="1">`), and so does an empty
    styled cell anywhere (`<c r="XFC9" s="55"/>`, as in ICE's files); a cell without a reference,
    with another first attribute or another spelling is odd, not necessarily wrong.
    """
    capped = max(1, min(limit, 702))
    letters = [b"[A-" + bytes([64 + min(capped, 26)]) + b"]"]
    full, rest = divmod(max(capped - 26, 0), 26)
    if full:
        letters.append(b"[A-" + bytes([64 + full]) + b"][A-Z]")
    if rest:
        letters.append(bytes([65 + full]) + b"[A-" + bytes([64 + rest]) + b"]")
    return re.compile(rb'<c(?=[\s/>])(?! r="(?:' + b"|".join(letters) + rb')[0-9]{1,6}")(?![^>]*/>)')


class Windows:
    """Hands `search` each chunk's complete tags, in place, up to its last tag start; the tag cut
    there is searched whole with the next chunk."""

    def __init__(self) -> None:
        self.carry = b""

    def feed(self, chunk: bytes) -> None:
        first = chunk.find(b"<")
        if first < 0:
            self.carry += chunk
            if len(self.carry) > LONGEST_TAG:
                self.too_long()
            return
        self.search(self.carry + chunk[:first], 0, first + len(self.carry))
        last = chunk.rfind(b"<")
        self.search(chunk, first, last)
        self.carry = chunk[last:]

    def close(self) -> None:
        self.search(self.carry, 0, len(self.carry))
        self.carry = b""

    def too_long(self) -> None:
        """Over a megabyte without a tag: what was carried is searched as it is."""
        self.close()

    def search(self, data: bytes, start: int, end: int) -> None:
        raise NotImplementedError


class FastCells(Windows):
    """Does this sheet look as Excel writes it? (Then no cell is beyond its limit.)"""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.odd_cell, self.limit = odd_cell(limit), limit
        self.first = True
        self.odd = False

    def feed(self, chunk: bytes) -> None:
        if self.odd:
            return
        if self.first:
            self.first = False
            # another encoding (UTF-16) or a DTD: leave it to the exact parser
            head = chunk[:4096].lstrip(b"\xef\xbb\xbf")
            if not head.startswith(b"<") or b"<!DOCTYPE" in chunk[:4096]:
                self.odd = True
                return
        super().feed(chunk)

    def passed(self) -> bool:
        """True when the sheet passed; False when it needs the exact count."""
        self.close()
        return not self.odd

    def too_long(self) -> None:
        self.odd = True

    def search(self, data: bytes, start: int, end: int) -> None:
        # Arrow's one pass first: it rules out most windows at a fraction of the regexes' cost
        if not self.odd and start < end and may_hold_odd_cell(data, start, end, self.limit):
            self.odd = bool(self.odd_cell.search(data, start, end) or _PREFIXED_CELL.search(data, start, end))


class Merges(Windows):
    """Merged ranges: openpyxl (the annotated copy) makes an object for every merged cell, so
    `A1:XFD1048576` asks for 17 billion of them."""

    def __init__(self, sheet: str) -> None:
        super().__init__()
        self.sheet = sheet
        self.cells = 0

    def search(self, data: bytes, start: int, end: int) -> None:
        if not may_match("mergeCell", data, start, end):  # Arrow's literal search: the usual answer
            return
        for match in _MERGE.finditer(data, start, end):
            first = _ref(self.sheet, match.group(1).decode())
            last = _ref(self.sheet, match.group(2).decode())
            self.cells += (abs(last[0] - first[0]) + 1) * (abs(last[1] - first[1]) + 1)
            if self.cells > MAX_MERGED_CELLS:
                raise ExtentError(
                    f"sheet {self.sheet!r} merges {self.cells:,} cells (the range "
                    f"{match.group(1).decode()}:{match.group(2).decode()} among them); a workbook merges a "
                    f"few cells for a title: unmerge them (the limit is {MAX_MERGED_CELLS:,})"
                )


class SharedStrings(Windows):
    """xl/sharedStrings.xml: calamine reserves room for `uniqueCount` strings before reading one,
    so `uniqueCount="4000000000"` in a 400-byte file asks for 96 GB. The count may not exceed
    the strings the part holds (plus SST_SLACK, for writers that count loosely)."""

    def __init__(self, part: str) -> None:
        super().__init__()
        self.part = part
        self.declared: int | None = None
        self.found = 0

    def search(self, data: bytes, start: int, end: int) -> None:
        if self.declared is None:
            match = _UNIQUE_COUNT.search(data, start, end)
            if match:
                digits = match.group(1)
                self.declared = int(digits) if len(digits) < 19 else 10**18
        self.found += sum(data.count(tag, start, end) for tag in (b"<si>", b"<si ", b":si>", b":si "))

    def close(self) -> None:
        super().close()
        if self.declared is not None and self.declared > self.found + SST_SLACK:
            raise ExtentError(
                f"part {self.part} declares {self.declared:,} shared strings but holds {self.found:,}; "
                "it was not read (the reader would reserve room for every declared one)"
            )


class _Parser(DefusedExpatParser):
    """defusedxml's expat reader (no DTD, no entities, nothing external), its element events sent
    straight to the counter with plain dict attributes: SAX's wrapping of every element would
    triple the time of the exact count."""

    def __init__(self, counter: _Counting) -> None:
        super().__init__(forbid_dtd=True)
        self.counter = counter

    def reset(self) -> None:
        super().reset()
        expat = self._parser  # xml.sax.expatreader's pyexpat parser, with defusedxml's handlers set
        expat.buffer_text = True
        expat.StartElementHandler = self.counter.startElement
        expat.EndElementHandler = self.counter.endElement
        expat.CharacterDataHandler = self.counter.characters


class _Counting(ContentHandler):
    """Counts cells from the element events of a defusedxml parser."""

    def __init__(self) -> None:
        super().__init__()
        self.parser = _Parser(self)

    def feed(self, chunk: bytes) -> None:
        self._parse(self.parser.feed, chunk)

    def close(self) -> None:
        self._parse(lambda _: self.parser.close(), b"")

    def _parse(self, step: Callable[[bytes], None], chunk: bytes) -> None:
        try:
            step(chunk)
        except DefusedXmlException:
            raise ExtentError(f"{self.what()} declares a DTD or XML entities; no spreadsheet does") from None
        except xml.sax.SAXParseException as exc:
            raise ExtentError(
                f"{self.what()} is not well-formed XML ({exc.getMessage()}, line {exc.getLineNumber()})"
            ) from None
        except (LookupError, UnicodeError) as exc:  # an encoding expat does not know, or wrong bytes for it
            raise ExtentError(f"{self.what()} is not readable XML ({exc})") from None

    def what(self) -> str:
        raise NotImplementedError


def _local(name: str) -> str:
    return name.rpartition(":")[2]


def _ref(sheet: str, text: str) -> tuple[int, int]:
    """(column, row), 1-based, of an A1 reference; longer ones than Excel's stay exact here."""
    match = _REF.fullmatch(text.strip())
    if not match or int(match.group(2)) == 0:
        raise ExtentError(f"sheet {sheet!r} has a cell whose reference {text[:20]!r} is not a cell (A1)")
    letters, digits = match.groups()
    return _column(letters), int(digits)


@functools.lru_cache(maxsize=1024)
def _column(letters: str) -> int:
    column = 0
    for letter in letters.upper():
        column = column * 26 + ord(letter) - 64
    return column


def _row(sheet: str, text: str) -> int:
    text = text.strip()
    if not text.isdigit() or int(text[:19]) == 0:
        raise ExtentError(f"sheet {sheet!r} has a row whose number {text[:20]!r} is not a row number")
    return int(text) if len(text) < 19 else 10**18


class SheetCells(_Counting):
    """Every filled cell of an .xlsx sheet, with or without its `r` reference, against the limit."""

    def __init__(self, sheet: str, columns: int, limit: int) -> None:
        super().__init__()
        self.sheet, self.columns, self.limit = sheet, columns, limit
        self.row = 0
        self.column = 0
        self.cell: tuple[int, int] | None = None
        self.filled = False

    def what(self) -> str:
        return f"sheet {self.sheet!r}"

    def startElement(self, name: str, attrs: dict[str, str]) -> None:
        if self.cell is not None:
            self.filled = True  # <v>, <is>, <f>: the cell holds something
            return
        if name == "row" or name.endswith(":row"):
            ref = attrs.get("r")  # calamine reads `r` by that exact name
            self.row = self.row + 1 if ref is None else _row(self.sheet, ref)
            self.column = 0
        elif name == "c" or name.endswith(":c"):
            ref = attrs.get("r")
            self.column, row = (self.column + 1, max(self.row, 1)) if ref is None else _ref(self.sheet, ref)
            self.cell = (self.column, row)
            self.filled = False

    def characters(self, content: str) -> None:
        if self.cell is not None and not self.filled and content.strip():
            self.filled = True

    def endElement(self, name: str) -> None:
        if self.cell is not None and (name == "c" or name.endswith(":c")):
            if self.filled:
                check_cell(self.sheet, self.columns, self.limit, *self.cell)
            self.cell = None


class OdsCells(_Counting):
    """Every filled cell of every table in an .ods content.xml, repeats counted, against its limit.

    limits(name) gives (declared columns, column limit) for a table.
    """

    def __init__(self, limits: Callable[[str], tuple[int, int]]) -> None:
        super().__init__()
        self.limits = limits
        self.sheet = ""
        self.columns, self.limit = 0, MAX_COLUMNS
        self.depth = 0  # > 0 inside a cell: a table there (rare) is counted as the cell's content
        self.row = 0  # rows before the current one
        self.column = 0  # columns before the current cell
        self.repeat_rows = 1
        self.row_filled = False
        self.repeat_columns = 1
        self.filled = False

    def what(self) -> str:
        return "content.xml (the sheets)"

    def startElement(self, name: str, attrs: dict[str, str]) -> None:
        if self.depth:
            self.depth += 1
            self.filled = True
            return
        local = _local(name)
        if local == "table":
            self.sheet = _attr(attrs, "name") or ""
            self.columns, self.limit = self.limits(self.sheet)
            self.row = 0
        elif local == "table-row":
            self.repeat_rows = _count(attrs, "number-rows-repeated")
            self.row_filled = False
            self.column = 0
        elif local in ("table-cell", "covered-table-cell"):
            self.depth = 1
            self.repeat_columns = _count(attrs, "number-columns-repeated")
            self.filled = _attr(attrs, "value-type") is not None

    def characters(self, content: str) -> None:
        if self.depth and not self.filled and content.strip():
            self.filled = True

    def endElement(self, name: str) -> None:
        if self.depth > 1:
            self.depth -= 1
            return
        local = _local(name)
        if self.depth == 1 and local in ("table-cell", "covered-table-cell"):
            self.depth = 0
            self.column += self.repeat_columns
            if self.filled:
                check_cell(self.sheet, self.columns, self.limit, self.column, self.row + 1)
                self.row_filled = True
        elif local == "table-row":
            self.row += self.repeat_rows
            if self.row_filled:
                check_cell(self.sheet, self.columns, self.limit, 1, self.row)


def _attr(attrs: dict[str, str], local: str) -> str | None:
    """An attribute by its local name, whatever its prefix (`table:name`, `r`)."""
    for key, value in attrs.items():
        if _local(key) == local:
            return value
    return None


def _count(attrs: dict[str, str], local: str) -> int:
    text = _attr(attrs, local)
    if text is None:
        return 1
    text = text.strip()
    if not text.isdigit():
        return 1
    return int(text) if len(text) < 19 else 10**18  # int() refuses thousands of digits
