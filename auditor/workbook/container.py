"""Check a workbook's container before any parser opens it: sizes, checksums, how far cells reach.

The readers (calamine under fastexcel, openpyxl) trust what a file declares: one filled cell at
XFD1048576 makes calamine allocate about 512 GiB and abort; a zip part can inflate a thousandfold;
an .xls sector chain can loop. `check_container` runs first, in the reading process, streams
every part it reads (nothing is inflated whole, no declared size is trusted: a part that inflates
past what it declares is stopped there) and turns what no normal workbook holds into one
WorkbookError line naming the part, the sheet and the cell. Given the file's bytes (`data`), it
opens nothing; asked to (`keep`), it keeps the XML of the sheets the reader loads and the shared
strings, as inflated here, for the reader's own scan (xlsx_scan), within a budget.

Limits (module constants; docs/security.md lists them):

    MAX_ENTRIES      2,000      parts in a zip (.xlsx, .xlsm, .ods). An inspection workbook has
                                about 25; more is an archive, not a workbook.
    MAX_PART_BYTES   1 GiB      inflated size of one part, as declared and as streamed. A sheet
                                that large cannot be read within the reader's 2 GiB anyway.
    MAX_TOTAL_BYTES  2 GiB      inflated size of all parts together, declared.
    MAX_RATIO        100        inflated : compressed, for a part over RATIO_FLOOR. Spreadsheet
                                XML compresses 5–20:1; a zip bomb about 1,000:1.
    RATIO_FLOOR      8 MiB      parts smaller than this may be as repetitive as they like.
    MAX_INDEX_BYTES  16 MiB     xl/workbook.xml and its relationships, parsed whole (defusedxml)
                                to find each sheet's part; they list sheets, a few KB.
    COLUMN_MARGIN    64         columns a sheet may fill beyond the ones the workbook contract
                                (declarations.py) gives it: notes, a blank column or two.
    MAX_ROWS         1,048,576  rows a sheet may fill: Excel's last row.
    MAX_MERGED_CELLS 100,000    merged cells per sheet, every sheet: openpyxl (the annotated copy)
                                makes an object for each, and A1:XFD1048576 is 17 billion.
    SST_SLACK        100,000    shared strings xl/sharedStrings.xml may declare (uniqueCount)
                                beyond those it holds: calamine reserves room for every one, and
                                uniqueCount="4000000000" in a 400-byte file asks for 96 GB.
    MAX_XLS_ROWS     65,536     rows an .xls sheet may declare (DIMENSIONS) and fill; the format's
    MAX_XLS_COLUMNS  256        own limits (biff.py): calamine sizes its grids from these records.
    (.xls chains)    none       every sector a chain reaches is visited once (ole.py): a loop, an
                                overlap or a sector outside the file is refused.

Which sheets are checked: those of the inspection contract (its columns plus the margin; Facility
has two: field and value). fastexcel loads only the sheets it is asked for (read.py asks only for
those), so an unknown .xlsx sheet's cells are not checked (its merged ranges are: openpyxl loads
every sheet); calamine parses every table of an .ods when it opens it, so there an unknown sheet
gets the widest contract sheet's limit. The declared `<dimension ref=…>` is neither trusted nor
rejected: calamine does not allocate from it, and ICE's own files declare A1:XFC1041 on six
columns. Every XML part (.xml, .rels, .vml: what the readers parse) is inflated as a stream and
its CRC verified; other parts (pictures, vbaProject.bin) only have their declared sizes checked.
An .xls file's compound-file chains are walked by auditor.workbook.ole, and its Workbook
stream's records checked by auditor.workbook.biff (at most 65,536 rows and 256 columns, as the
format allows: calamine sizes its grids from them).
"""

from __future__ import annotations

import contextlib
import io
import os
import posixpath
import queue
import re
import struct
import threading
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Protocol

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from isal import isal_zlib as zlib  # zlib's interface, three times as fast: a normal workbook barely pays

from auditor.errors import WorkbookError
from auditor.workbook import declarations as decl
from auditor.workbook.biff import check_biff
from auditor.workbook.extent import (
    MAX_MERGED_CELLS,
    MAX_ROWS,
    ExtentError,
    FastCells,
    Merges,
    OdsCells,
    SharedStrings,
    SheetCells,
)
from auditor.workbook.ole import check_ole

MiB = 1 << 20
GiB = 1 << 30
MAX_ENTRIES = 2_000
MAX_PART_BYTES = 1 * GiB
MAX_TOTAL_BYTES = 2 * GiB
MAX_RATIO = 100
RATIO_FLOOR = 8 * MiB
MAX_INDEX_BYTES = 16 * MiB
COLUMN_MARGIN = 64
IGNORED_SHEETS = {"readme"}  # the template's own documentation sheet (read.py skips it too)

CHUNK = 4 * MiB  # inflated bytes handed to a checker at a time
XML_PARTS = (".xml", ".rels", ".vml")  # the parts a reader parses; pictures and the like are not

__all__ = [
    "COLUMN_MARGIN",
    "MAX_MERGED_CELLS",
    "MAX_ROWS",
    "Inflated",
    "check_container",
    "every_sheet",
    "inspection_limits",
]

Limits = Callable[[str], tuple[int, int] | None]


def inspection_limits(sheet: str) -> tuple[int, int] | None:
    """(the sheet's columns, the last column it may fill) in the inspection contract; None if unknown."""
    key = decl.normalise_name(sheet)
    declared = next((s for s in decl.SHEETS if decl.normalise_name(s.name) == key), None)
    if declared is None:
        return None
    columns = 2 if declared.keyvalue else len(declared.columns)
    return columns, columns + COLUMN_MARGIN


def every_sheet(columns: int) -> Limits:
    """The same limit for every sheet, for workbooks with no contract (ICE's rosters and SRMS
    export fill at most 79 columns; 256 leaves room and keeps calamine's grid small)."""
    return lambda sheet: (columns, columns)


def _widest(limits: Limits) -> tuple[int, int]:
    """The limit for a sheet the reader parses although the contract does not know it."""
    return max((limits(s.name) or (0, 0) for s in decl.SHEETS), key=lambda pair: pair[1])


@dataclass
class Inflated:
    """What the check inflated and kept for the reader, so that no sheet is inflated twice: the XML
    of each .xlsx sheet the reader loads and the shared strings, in chunks, within a budget."""

    sheets: dict[str, str] = field(default_factory=dict)  # sheet name → its part (lower-cased)
    parts: dict[str, list[bytes]] = field(default_factory=dict)  # part (lower-cased) → its chunks

    def chunks(self, part: str) -> list[bytes] | None:
        """The part's inflated chunks, handed over once (None when they were not kept)."""
        return self.parts.pop(part.lower(), None)


def check_container(
    path: Path, kind: str, limits: Limits = inspection_limits, *, data: bytes | None = None, keep: int = 0
) -> Inflated:
    """Raise WorkbookError if the workbook at `path` (sniffed as `kind`) is no normal workbook.

    kind: 'xlsx' (also .xlsm), 'ods' or 'xls'; anything else is not a container and passes.
    limits: for a sheet name, (its columns, the last column it may fill), or None for a sheet the
    reader never loads.
    data: the file's bytes, when the caller has read them (then the file is not opened again).
    keep: how many inflated bytes to keep for the caller (an .xlsx's loaded sheets and shared
    strings, whole parts only; 0 keeps nothing): the same XML need not be inflated again.
    """
    kept = Inflated()
    if kind == "xls":
        stream = check_ole(path, data)
        try:
            check_biff(stream, limits)
        except ExtentError as exc:
            raise WorkbookError(f"{path}: {exc}") from None
        return kept
    if kind not in ("xlsx", "ods"):
        return kept
    source: BinaryIO = io.BytesIO(data) if data is not None else path.open("rb")
    try:
        archive = zipfile.ZipFile(source)
    except Exception as exc:  # zipfile raises several kinds for a damaged directory
        source.close()
        raise WorkbookError(f"{path}: the workbook is damaged or truncated ({exc})") from None
    budget = _Budget(keep)
    with archive, source as handle:
        infos = archive.infolist()
        _check_declared(path, infos)
        sheets = _xlsx_sheets(path, archive, infos, limits) if kind == "xlsx" else {}
        kept.sheets = {sheet: part for part, (sheet, _) in sheets.items()}
        ods_limits = _ods_limits(limits)
        for info in infos:
            name = info.filename.lower()
            if not name.endswith(XML_PARTS):
                continue
            if kind == "ods" and info.filename == "content.xml":
                _count(path, handle, info, OdsCells(ods_limits))
            elif name in sheets:
                sheet, limit = sheets[name]
                chunks = _check_sheet(path, handle, info, sheet, limit, budget if limit else None)
                if chunks is not None:
                    kept.parts[name] = chunks
            elif kind == "xlsx" and name.endswith("sharedstrings.xml"):
                chunks = budget.start(info)
                checker = SharedStrings(info.filename)
                _count(path, handle, info, checker, _no_dtd(path, info, _keeping(checker.feed, chunks)))
                if chunks is not None:
                    kept.parts[name] = chunks
            else:
                _stream(path, handle, info, _no_dtd(path, info, lambda chunk: None))
    return kept


class _Budget:
    """Inflated bytes the check may still keep: a part is kept whole or not at all."""

    def __init__(self, left: int) -> None:
        self.left = left

    def start(self, info: zipfile.ZipInfo) -> list[bytes] | None:
        """A list to gather the part's chunks in, or None when its declared size is over budget
        (the size is also a ceiling: _inflate stops a part that inflates past it)."""
        if info.file_size > self.left:
            return None
        self.left -= info.file_size
        return []


_PROLOG = re.compile(rb"(?:\s+|<\?.*?\?>|<!--.*?-->)*", re.DOTALL)


def _no_dtd(path: Path, info: zipfile.ZipInfo, feed: Callable[[bytes], None]) -> Callable[[bytes], None]:
    """`feed`, after a look at the part's prolog: a DTD's entities (a billion laughs) are refused here,
    where it is named, rather than left to a reader (calamine, reading bytes, then says only that
    it cannot tell the file's format). Sheets and an .ods's content are parsed by defusedxml."""
    first = True

    def check(chunk: bytes) -> None:
        nonlocal first
        if first:
            first = False
            head = chunk.removeprefix(b"\xef\xbb\xbf")
            at = _PROLOG.match(head).end()  # type: ignore[union-attr]
            # a DOCTYPE naming only an external DTD (OpenOffice's manifests) declares nothing: the
            # readers fetch nothing; an internal subset `[...]` is where entities are declared
            subset, end = head.find(b"[", at), head.find(b">", at)
            if head.startswith(b"<!DOCTYPE", at) and subset >= 0 and (end < 0 or subset < end):
                raise WorkbookError(
                    f"{path}: part {info.filename} declares a DTD or XML entities; no spreadsheet does"
                )
        feed(chunk)

    return check


def _keeping(feed: Callable[[bytes], None], chunks: list[bytes] | None) -> Callable[[bytes], None]:
    if chunks is None:
        return feed

    def both(chunk: bytes) -> None:
        feed(chunk)
        chunks.append(chunk)

    return both


def _ods_limits(limits: Limits) -> Callable[[str], tuple[int, int]]:
    widest = _widest(limits)
    return lambda name: limits(name) or widest


def _check_sheet(
    path: Path,
    handle: BinaryIO,
    info: zipfile.ZipInfo,
    sheet: str,
    limit: tuple[int, int] | None,
    budget: _Budget | None = None,
) -> list[bytes] | None:
    """Merged ranges in every sheet (openpyxl loads them all); the cells of a sheet the reader
    loads: the fast look first, the exact count only for a sheet not written as Excel writes it.
    Returns the sheet's inflated chunks when the budget kept them."""
    merges = Merges(sheet)
    if limit is None:
        _count(path, handle, info, merges)
        return None
    fast = FastCells(limit[1])
    chunks = budget.start(info) if budget is not None else None

    def feed(chunk: bytes) -> None:
        fast.feed(chunk)
        merges.feed(chunk)

    _count(path, handle, info, merges, _keeping(feed, chunks))
    if not fast.passed():
        exact = SheetCells(sheet, *limit)
        if chunks is None:
            _count(path, handle, info, exact)
        else:  # what was kept is fed again: the part is not inflated a second time
            try:
                for chunk in chunks:
                    exact.feed(chunk)
                exact.close()
            except ExtentError as exc:
                raise WorkbookError(f"{path}: {exc}") from None
    return chunks


class _Checker(Protocol):
    def feed(self, chunk: bytes) -> None: ...
    def close(self) -> None: ...


def _count(
    path: Path,
    handle: BinaryIO,
    info: zipfile.ZipInfo,
    checker: _Checker,
    feed: Callable[[bytes], None] | None = None,
) -> None:
    """Stream the part through `feed` (the checker's own by default), then close the checker."""
    try:
        _stream(path, handle, info, feed or checker.feed)
        checker.close()
    except ExtentError as exc:
        raise WorkbookError(f"{path}: {exc}") from None


def _check_declared(path: Path, infos: list[zipfile.ZipInfo]) -> None:
    """What the zip's directory declares: the number of parts, their sizes and ratios."""
    if len(infos) > MAX_ENTRIES:
        raise WorkbookError(
            f"{path}: the workbook holds {len(infos):,} parts; a workbook holds a few dozen "
            f"(the limit is {MAX_ENTRIES:,})"
        )
    total = 0
    for info in infos:
        if info.file_size > MAX_PART_BYTES:
            raise WorkbookError(
                f"{path}: part {info.filename} declares {_size(info.file_size)} once inflated; "
                f"a workbook's parts are at most a few hundred MB (the limit is {_size(MAX_PART_BYTES)})"
            )
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            ratio = info.file_size // max(info.compress_size, 1)
            raise WorkbookError(
                f"{path}: part {info.filename} inflates {ratio:,} times ({_size(info.compress_size)} to "
                f"{_size(info.file_size)}), a zip bomb; spreadsheet XML compresses about 10 times "
                f"(the limit is {MAX_RATIO})"
            )
        total += info.file_size
    if total > MAX_TOTAL_BYTES:
        raise WorkbookError(
            f"{path}: the workbook's parts declare {_size(total)} once inflated; the limit is "
            f"{_size(MAX_TOTAL_BYTES)}"
        )


def _stream(path: Path, handle: BinaryIO, info: zipfile.ZipInfo, feed: Callable[[bytes], None]) -> None:
    """Feed a part's chunks to `feed`; a big part is inflated in a thread meanwhile (zlib lets go
    of the GIL), so a normal workbook pays for the inflating or the checking, not both."""
    if info.file_size <= 2 * CHUNK:
        for chunk in _inflate(path, handle, info):
            feed(chunk)
        return
    chunks: queue.Queue[bytes | BaseException | None] = queue.Queue(maxsize=2)
    stop = threading.Event()

    def put(item: bytes | BaseException | None) -> bool:
        """Hand over one item; False once the reading side has stopped (it wants no more)."""
        while not stop.is_set():
            with contextlib.suppress(queue.Full):
                chunks.put(item, timeout=0.1)
                return True
        return False

    def produce() -> None:
        try:
            for chunk in _inflate(path, handle, info):
                if not put(chunk):
                    return
            put(None)
        except BaseException as exc:  # handed to the reading side, which raises it
            put(exc)

    worker = threading.Thread(target=produce, name="container-inflate", daemon=True)
    worker.start()
    try:
        while (item := chunks.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            feed(item)
    finally:
        stop.set()
        worker.join()


def _inflate(path: Path, handle: BinaryIO, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """A part's bytes in chunks, straight from the file, never past its declared size, CRC checked."""
    name = info.filename
    if info.flag_bits & 1:
        raise WorkbookError(f"{path}: part {name} is encrypted; save the workbook without a password")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise WorkbookError(
            f"{path}: part {name} is compressed with method {info.compress_type}; Excel and LibreOffice "
            "write only 'stored' or 'deflated' parts"
        )
    local = b""
    if 0 <= info.header_offset < handle.seek(0, os.SEEK_END):  # a file or the bytes read from it
        handle.seek(info.header_offset)
        local = handle.read(30)
    if len(local) < 30 or local[:4] != b"PK\x03\x04":
        raise WorkbookError(f"{path}: the workbook is damaged: part {name} is not where the zip says")
    name_length, extra_length = struct.unpack("<HH", local[26:30])
    handle.seek(info.header_offset + 30 + name_length + extra_length)
    inflater = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    left = info.compress_size
    size = 0
    crc = 0
    pending = b""
    while True:
        if not pending:
            if left <= 0:
                break
            pending = handle.read(min(MiB, left))
            if not pending:
                break  # the file ends early: the size and CRC checks below say so
            left -= len(pending)
        if inflater is None:
            out, pending = pending, b""
        else:
            try:
                out = inflater.decompress(pending, CHUNK)  # at most CHUNK, however well it compresses
            except zlib.error:
                raise WorkbookError(
                    f"{path}: the workbook is damaged: part {name} cannot be inflated; open it in Excel "
                    "and save it again"
                ) from None
            pending = inflater.unconsumed_tail
        size += len(out)
        if size > info.file_size:
            raise WorkbookError(
                f"{path}: part {name} inflates to more than the {_size(info.file_size)} it declares "
                "(a zip bomb, or a damaged file); it was not read"
            )
        crc = zlib.crc32(out, crc)
        if out:
            yield out
        if inflater is not None and inflater.eof:
            break
    if size != info.file_size or crc != info.CRC:
        raise WorkbookError(
            f"{path}: the workbook is damaged: part {name} does not match its checksum; open it in "
            "Excel and save it again"
        )


def _size(count: int) -> str:
    if count >= GiB:
        return f"{count / GiB:,.1f} GiB"
    if count >= MiB:
        return f"{count / MiB:,.1f} MiB"
    return f"{count:,} bytes"


# ---------------------------------------------------------------------------- which part is which sheet


def _xlsx_sheets(
    path: Path, archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], limits: Limits
) -> dict[str, tuple[str, tuple[int, int] | None]]:
    """Worksheet part, lower-cased → (its sheet, (columns, column limit) or None for a sheet never
    loaded). Names are compared without case, as a reader may find a part.

    A worksheet part that workbook.xml does not name is checked with the widest limit: what
    calamine would make of an odd package is not guessed.
    """
    named = _sheet_parts(path, archive)
    parts: dict[str, tuple[str, tuple[int, int] | None]] = {}
    for sheet, part in named.items():
        found = limits(sheet) if decl.normalise_name(sheet) not in IGNORED_SHEETS else None
        if part.lower() not in parts or found is not None:
            parts[part.lower()] = (sheet, found)
    widest = _widest(limits)
    for info in infos:
        name = info.filename.lower()
        if name.startswith("xl/worksheets/") and name.endswith(".xml") and name not in parts:
            parts[name] = (info.filename, widest)
    return parts


def _sheet_parts(path: Path, archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → its part, from xl/workbook.xml and its relationships ({} when unreadable)."""
    try:
        workbook = fromstring(_small(path, archive, "xl/workbook.xml"), forbid_dtd=True)
        rels = fromstring(_small(path, archive, "xl/_rels/workbook.xml.rels"), forbid_dtd=True)
    except DefusedXmlException:
        raise WorkbookError(
            f"{path}: xl/workbook.xml or its relationships declare a DTD or XML entities; no spreadsheet does"
        ) from None
    except Exception:  # missing, damaged or not XML: the stream pass or the reader says what
        return {}  # every worksheet part then gets the widest limit
    targets = {}
    for element in rels.iter():
        if _local(element.tag) == "Relationship" and element.get("Id") and element.get("Target"):
            target = element.get("Target", "").replace("\\", "/")
            full = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
            targets[element.get("Id", "")] = posixpath.normpath(full)
    parts = {}
    for element in workbook.iter():
        if _local(element.tag) != "sheet":
            continue
        rid = next((v for k, v in element.attrib.items() if _local(k) == "id"), None)
        if element.get("name") is not None and rid in targets:
            parts[element.get("name", "")] = targets[rid]
    return parts


def _small(path: Path, archive: zipfile.ZipFile, name: str) -> bytes:
    info = archive.getinfo(name)
    if info.file_size > MAX_INDEX_BYTES:
        raise WorkbookError(
            f"{path}: part {name} declares {_size(info.file_size)}; it lists the sheets and is a few KB "
            f"(the limit is {_size(MAX_INDEX_BYTES)})"
        )
    return archive.read(name)  # zipfile stops at the declared size and checks the CRC


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]
