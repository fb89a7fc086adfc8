"""What the fast reader does not tell: one streaming pass over a sheet's XML.

fastexcel gives values, not where the used range starts, which cells are merged, which
formulas were saved without a result, which cells hold an error (#N/A) or which numbers were
typed as text. A regex pass over the inflated sheet XML, in chunks, finds those in a fraction
of the read time and never looks at the declared range (`<dimension ref="A1:XFC1041"/>`), which
can be far larger than the data. The chunks are those the container check inflated and kept
(auditor.workbook.container), so a sheet is inflated once; a sheet too large to keep is inflated
again here, from the bytes already read.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from auditor.workbook.prefilter import may_match

CHUNK = 1 << 22
OVERLAP = 4096

_P = rb"(?:\w+:)?"  # an optional namespace prefix (<x:c>), which some writers use
_FIRST_VALUE = re.compile(rb"<" + _P + rb'c r="[A-Z]{1,3}(\d+)"[^>]*?(?<!/)>\s*<' + _P + rb"(?:v|is|f)\b")
_MERGE = re.compile(rb"<" + _P + rb'mergeCell ref="([A-Z]{1,3}\d+(?::[A-Z]{1,3}\d+)?)"')
_FORMULA_NO_VALUE = re.compile(
    rb"<" + _P + rb'c r="([A-Z]{1,3}\d+)"([^>]*?)>\s*<' + _P + rb"f\b[^>]*?(?:/>|>[^<]*</" + _P + rb"f>)"
    rb"\s*(<" + _P + rb"v\s*/>|<" + _P + rb"v></" + _P + rb"v>)?\s*</" + _P + rb"c>"
)
_ERROR_VALUE = re.compile(
    rb"<"
    + _P
    + rb'c r="([A-Z]{1,3}\d+)"[^>]*?\bt="e"[^>]*>(?:(?!</'
    + _P
    + rb"c>).){0,2000}?<"
    + _P
    + rb"v>([^<]*)</",
    re.DOTALL,
)
_CELL = re.compile(rb"<" + _P + rb'c r="([A-Z]{1,3})\d+"([^>]*?)(?:/>|>(.*?)</' + _P + rb"c>)", re.DOTALL)
_TEXT = re.compile(rb"<" + _P + rb"t(?:\s[^>]*)?>([^<]*)</" + _P + rb"t>")
_VALUE = re.compile(rb"<" + _P + rb"v>([^<]*)</" + _P + rb"v>")
_SHARED_ITEM = re.compile(rb"<" + _P + rb"si>(.*?)</" + _P + rb"si>", re.DOTALL)


@dataclass
class SheetScan:
    first_row: int = 1  # 1-based row of the first cell holding a value
    merged: list[str] = field(default_factory=list)
    formulas_without_value: list[str] = field(default_factory=list)
    text_in_numeric: list[str] = field(default_factory=list)  # header cells included
    errors: dict[str, str] = field(default_factory=dict)  # cell → Excel error shown (#N/A, #DIV/0!)
    first_cells: dict[str, str | None] = field(default_factory=dict)  # letter → text of the first row


def part_chunks(data: bytes, part: str) -> Iterator[bytes]:
    """A part of the .xlsx whose bytes are `data`, inflated in chunks (name compared without case):
    for a part the container check did not keep."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        name = next((n for n in archive.namelist() if n.lower() == part.lower()), None)
        if name is None:
            return
        with archive.open(name) as stream:
            yield from iter(lambda: stream.read(CHUNK), b"")


def _unescape(text: str) -> str:
    return (
        text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", '"')
        .replace("&apos;", "'")
        .replace("&amp;", "&")
    )


Chunks = Callable[[], Iterable[bytes]]


def scan_sheet(
    chunks: Iterable[bytes],
    shared_strings: Chunks = tuple,
    numeric_letters: tuple[str, ...] | Callable[[dict[str, str | None]], tuple[str, ...]] = (),
) -> SheetScan:
    """Go through one sheet's inflated XML, in chunks, and note the facts fastexcel does not report.

    shared_strings: the chunks of xl/sharedStrings.xml (asked for only if the header needs them).
    numeric_letters: the columns where text is worth a warning, or a function choosing them
    from the first row's texts (so the scan can run before the reader has seen the header).
    """
    result = SheetScan()
    first_row = None
    seen: dict[tuple[int, str], str] = {}
    numeric = None
    state = _ChunkState()
    tail = b""
    for chunk in chunks:
        data = tail + chunk
        if first_row is None:
            match = _FIRST_VALUE.search(data)
            if match:
                first_row = int(match.group(1))
                state.prefixed = re.search(rb"<\w+:(?:worksheet|sheetData)\b", data) is not None
                result.first_cells = _row_cells(data, first_row, shared_strings)
                choose = numeric_letters if callable(numeric_letters) else None
                numeric = _numeric_pattern(choose(result.first_cells) if choose else numeric_letters)
        _scan_chunk(data, numeric, seen, state)
        tail = data[-OVERLAP:]
    result.first_row = first_row or 1
    for (kind, ref), value in sorted(seen.items(), key=lambda item: (item[0][0], _order(item[0][1]))):
        if kind == 3:
            result.errors[ref] = value
        else:
            (result.formulas_without_value, result.text_in_numeric, result.merged)[kind].append(ref)
    return result


@dataclass
class _ChunkState:
    prefixed: bool = False  # the XML uses a namespace prefix (<x:c>): look for <x:f> too
    formulas: bool = False  # a formula was seen: look for formulas in every later chunk


def _numeric_pattern(letters: tuple[str, ...]) -> re.Pattern[bytes] | None:
    if not letters:
        return None
    return re.compile(
        rb"<" + _P + rb'c r="((?:' + b"|".join(x.encode() for x in letters) + rb')(\d+))"'
        rb'[^>]*?\bt="(?:s|str|inlineStr)"'
    )


def _row_cells(data: bytes, row: int, shared_strings: Chunks) -> dict[str, str | None]:
    """Column letter → text of each cell of one row (the header), read from the sheet XML."""
    start = re.search(rb"<" + _P + rb'row\b[^>]*?\br="' + str(row).encode() + rb'"[^>]*>', data)
    if not start:
        return {}
    end = re.compile(rb"</" + _P + rb"row>").search(data, start.end())
    if not end:
        return {}
    cells: dict[str, str | None] = {}
    shared: dict[str, int] = {}
    for letter, attrs, inner in _CELL.findall(data[start.end() : end.start()]):
        kind = re.search(rb'\bt="([^"]*)"', attrs)
        kind = kind.group(1) if kind else b"n"
        value = _VALUE.search(inner or b"")
        if kind == b"inlineStr":
            cells[letter.decode()] = _unescape(b"".join(_TEXT.findall(inner)).decode(errors="replace"))
        elif kind == b"s" and value:
            shared[letter.decode()] = int(value.group(1))
        elif value:
            cells[letter.decode()] = _unescape(value.group(1).decode(errors="replace"))
    if shared:
        strings = _shared_strings(shared_strings(), max(shared.values()))
        cells.update({k: strings[i] if i < len(strings) else None for k, i in shared.items()})
    return cells


def _shared_strings(chunks: Iterable[bytes], last: int) -> list[str]:
    """The shared strings up to index `last`, from the part's chunks (headers usually come first)."""
    strings: list[str] = []
    buffer = b""
    for chunk in chunks:
        if len(strings) > last:
            break
        buffer += chunk
        consumed = 0
        for match in _SHARED_ITEM.finditer(buffer):
            strings.append(_unescape(b"".join(_TEXT.findall(match.group(1))).decode(errors="replace")))
            consumed = match.end()
        buffer = buffer[consumed:]
    return strings


def _scan_chunk(
    data: bytes, numeric: re.Pattern[bytes] | None, seen: dict[tuple[int, str], str], state: _ChunkState
) -> None:
    # Each test reads the whole chunk: long, rare patterns only. A formula with text ends in
    # </f>; a shared formula without text (<f t="shared" si="0"/>) comes after its first cell's.
    # The tests are Arrow's literal searches (prefilter): `in` went through the 150 MB of a
    # 200,000-row sheet at a third of their speed. `f>` rules out both ends of a formula at once.
    state.formulas = state.formulas or (
        may_match("f>", data) and (b"</f>" in data or (state.prefixed and b":f>" in data))
    )
    if state.formulas:
        for ref, attrs, _ in _FORMULA_NO_VALUE.findall(data):
            # Excel saves a formula whose result is empty text as t="str" with an empty <v>.
            if b't="str"' not in attrs and b't="e"' not in attrs:
                seen[(0, ref.decode())] = ""
    if numeric is not None:
        for ref, *_ in numeric.findall(data):
            seen[(1, ref.decode())] = ""
    if may_match("mergeCell ", data):
        for ref in _MERGE.findall(data):
            seen[(2, ref.decode())] = ""
    if may_match('t="e"', data):
        for ref, value in _ERROR_VALUE.findall(data):
            seen[(3, ref.decode())] = _unescape(value.decode(errors="replace"))


def _order(ref: str) -> tuple[int, int, str]:
    """Cells in row order, then column order (A2 before A10, Z1 before AA1)."""
    start = ref.split(":")[0]
    letters = start.rstrip("0123456789")
    return int(start[len(letters) :] or 0), len(letters), letters
