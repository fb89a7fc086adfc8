"""Read an inspection: a workbook (.xlsx, .xlsm, .xls, .ods) or a folder of CSVs.

The result is raw text: every cell as a trimmed string or missing, indexed by the Excel row
number the inspector sees, with the column letter of every column. Nothing is typed or
guessed here (parse.py does that); nothing is dropped without a Problem saying so.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import operator
import os
import pickle
import stat
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, SupportsIndex

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from auditor import glossary, untrusted
from auditor.contracts.problems import cell_problems, problem, ref_problems
from auditor.errors import AuditorError, WorkbookError
from auditor.safe_cells import csv_unquote
from auditor.workbook import declarations as decl
from auditor.workbook.cells import column_letter, split_ref
from auditor.workbook.container import Inflated, check_container
from auditor.workbook.headers import canonical
from auditor.workbook.sniff import sniff
from auditor.workbook.suggest import header_hint, sheet_hint
from auditor.workbook.text_files import decode_text
from auditor.workbook.xlsx_scan import Chunks, SheetScan, part_chunks, scan_sheet


def _lean_memory_pool() -> None:
    """Arrow's jemalloc pool rather than its default (mimalloc), which keeps the pages it freed: a
    100k-admission audit peaked at 619 MB with mimalloc, 492 MB with jemalloc. A pool chosen in
    ARROW_DEFAULT_MEMORY_POOL is kept; a build without jemalloc keeps its default."""
    if "ARROW_DEFAULT_MEMORY_POOL" not in os.environ:
        with contextlib.suppress(NotImplementedError, pa.ArrowNotImplementedError):
            pa.set_memory_pool(pa.jemalloc_memory_pool())


_lean_memory_pool()

IGNORED_SHEETS = {"readme", "example", "lists"}  # the template's own documentation, example and lists
KIND_NAMES = {"xlsx": "an .xlsx", "ods": "an .ods", "xls": "an .xls"}
SHARED_STRINGS = "xl/sharedstrings.xml"  # as the container check keeps parts: lower-cased
# Inflated sheet XML kept from the container check for the scan; a workbook whose loaded sheets
# inflate to more (hundreds of MB: the reader needs memory too) has the rest inflated again.
KEEP_INFLATED = 256 << 20
# A workbook file's bytes are held whole while it is read (and fastexcel copies them): over this, the
# reader's 2 GiB would not do. Spreadsheet XML compresses about 10 times: this is gigabytes of cells.
MAX_FILE_BYTES = 512 << 20


@dataclass
class RawSheet:
    name: str  # declared name (Intake) or, for an unknown sheet, the name found
    source: str  # the sheet name or CSV file name as found
    frame: pd.DataFrame  # text cells, index = Excel row number, columns = declared names where known
    letters: dict[str, str]  # column → its letter
    header_row: int = 1


@dataclass
class RawWorkbook:
    path: Path
    format: str
    sheets: dict[str, RawSheet]
    facility: pd.DataFrame | None  # Facility fields: index field, columns value / row
    problems: list[pd.DataFrame] = field(default_factory=list)
    sha256: str = ""
    inputs: list[tuple[str, str]] = field(default_factory=list)  # (name, sha256) of every file read
    sources: dict[str, str] = field(default_factory=dict)  # declared sheet → sheet or CSV file read
    # a workbook file's bytes as read: the annotated copy is made from them, never from the file again
    data: bytes = field(default=b"", repr=False)

    def __reduce_ex__(self, protocol: SupportsIndex) -> tuple[Any, ...]:
        """The file's bytes out of band (protocol 5), as the sheets' cells are: in band they were
        copied into the pickle and out of it again (19 MB for a 200,000-row workbook)."""
        state = {part.name: getattr(self, part.name) for part in fields(self)}
        if operator.index(protocol) >= 5 and self.data:
            state["data"] = pickle.PickleBuffer(self.data)
        return (_unpickle_book, (state,))


def _unpickle_book(state: dict[str, Any]) -> RawWorkbook:
    data = state["data"]
    if not isinstance(data, bytes):  # a buffer handed back as a memoryview or bytearray
        state = {**state, "data": bytes(data)}
    return RawWorkbook(**state)


# What a reader may do with each sheet as soon as it is read (parse it and drop its text: then only
# one sheet's text is ever held): given the book so far (its Facility fields are read first) and the
# sheet, it returns what is kept of the sheet.
EachSheet = Callable[[RawWorkbook, RawSheet], RawSheet]


def read(path: str | Path) -> RawWorkbook:
    """Read a workbook or CSV folder into raw text sheets; raise WorkbookError if it is unreadable.

    The file is untrusted: it is read in a bounded child process (auditor.untrusted).
    """
    return untrusted.run(read_here, Path(path), what=str(path))


def read_many(paths: list[Path]) -> list[RawWorkbook]:
    """Several workbooks or CSV folders read in one bounded child (an importer's own folders):
    one fork rather than one per folder."""
    return untrusted.run(_read_all, list(paths), what=f"{len(paths)} inspections")


def _read_all(paths: list[Path]) -> list[RawWorkbook]:
    return [read_here(path) for path in paths]


def warm_up() -> None:
    """Read a small packaged inspection once: a warm reader child (the web app's) does this while it
    waits, so that the first real file it gets pays none of the readers' first-use costs."""
    from auditor.paths import data_dir

    read_here(data_dir("sample_data") / "cedar-flats-spc" / "inspection.xlsx")


def read_here(path: Path, each: EachSheet | None = None) -> RawWorkbook:
    """`read` in this process, with no limits: only for a process that is already bounded.

    A workbook file is opened once: its bytes (within the bounded child's memory limit) are what
    is sniffed, checked, hashed, scanned and read, and what the annotated copy is made from. The
    Facility sheet is read first; `each` is given every other sheet once read (after its own read
    problems) and the sheet becomes what it returns.
    """
    if path.is_dir():
        return _read_csv_folder(path, each)
    data = _file_bytes(path)
    return _read_workbook(path, sniff(path, data), data, each)


def _file_bytes(path: Path) -> bytes:
    """The whole file, from one open. A pipe or a device (/dev/zero, a FIFO no one writes to) is
    refused before it is read: it could block or never end; a file over MAX_FILE_BYTES is refused
    before the reader's memory limit would stop it with a vaguer message."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # a FIFO's open would wait for a writer
    except FileNotFoundError:
        raise WorkbookError(f"{path}: no such file or folder") from None
    except OSError as exc:
        raise WorkbookError(f"{path}: the file cannot be read ({exc.strerror or exc})") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise WorkbookError(f"{path}: not a file (a device or a pipe); give the workbook file itself")
        if info.st_size > MAX_FILE_BYTES:
            raise WorkbookError(
                f"{path}: the file is {info.st_size / (1 << 20):,.0f} MiB, more than the "
                f"{MAX_FILE_BYTES >> 20:,} MiB an inspection file may be"
            )
        try:
            data = handle.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            raise WorkbookError(f"{path}: the file cannot be read ({exc.strerror or exc})") from None
    if len(data) > MAX_FILE_BYTES:  # it grew while it was read
        raise WorkbookError(f"{path}: the file grew past {MAX_FILE_BYTES >> 20:,} MiB while it was read")
    return data


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# ---------------------------------------------------------------------------- workbook files


def _read_workbook(
    path: Path, kind: str, data: bytes | None = None, each: EachSheet | None = None
) -> RawWorkbook:
    if data is None:
        data = _file_bytes(path)

    # sizes, checksums, how far cells reach, before any parser; the sheets' XML it inflates is
    # kept for the scan below, which then inflates nothing again
    kept = check_container(path, kind, data=data, keep=KEEP_INFLATED if kind == "xlsx" else 0)
    with reader_errors(f"{path}: the workbook cannot be opened"):
        reader = _open_bytes(path, kind, data)
        names = list(reader.sheet_names)
    book = RawWorkbook(path=path, format=kind, sheets={}, facility=None, data=data)
    # Unknown sheets are never loaded: they can be huge and are not used.
    pairs = _facility_first(
        [(source, declared) for source, declared in _match_sheets(names, book.problems) if declared]
    )
    starts = _CalamineStarts(path, kind, data)
    # The hash and the XML scan run in a thread while fastexcel (which releases the GIL) reads.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="xlsx-scan") as pool:
        digest = pool.submit(_sha256, data)
        scans = _start_scans(pool, data, kept, pairs) if kind == "xlsx" else {}
        try:
            for source, declared in pairs:
                _read_sheet(book, reader, source, declared, scans.get(source), starts)
                _hand_over(book, declared, each)
        finally:
            for future in scans.values():
                future.cancel()
        book.sha256 = digest.result()
    book.inputs = [(path.name, book.sha256)]
    book.sources = _in_order(book.sources, names)
    return book


def _facility_first(pairs: list[tuple[str, decl.Sheet]]) -> list[tuple[str, decl.Sheet]]:
    """The sheets to read, the Facility sheet first (whose time zone parsing the others needs)."""
    return sorted(pairs, key=lambda pair: not pair[1].keyvalue)  # stable: the others keep their order


def _in_order(sources: dict[str, str], found: list[str]) -> dict[str, str]:
    """The sheets read, in the order the workbook (or folder) has them, whatever order they were read in."""
    rank = {name: i for i, name in enumerate(found)}
    return dict(sorted(sources.items(), key=lambda item: rank.get(item[1], len(rank))))


def _hand_over(book: RawWorkbook, declared: decl.Sheet, each: EachSheet | None) -> None:
    if each is not None and declared.name in book.sheets:
        book.sheets[declared.name] = each(book, book.sheets[declared.name])


def _open_bytes(path: Path, kind: str, data: bytes, opener: Callable[[bytes], Any] | None = None) -> Any:
    """A reader of the bytes (fastexcel's, or `opener`'s). Given bytes, calamine tries each format it
    knows in turn and, when none opens them, says only "Cannot detect file format": the file is
    `kind` by its bytes (sniff), so a part of it is damaged, and that is what the inspector is told."""
    import fastexcel

    try:
        return (opener or fastexcel.read_excel)(data)
    except Exception as exc:  # the library's own error types
        if "Cannot detect file format" not in str(exc):
            raise
    raise WorkbookError(
        f"{path}: the workbook is damaged: it is {KIND_NAMES.get(kind, kind)} file, but a part the "
        "reader needs cannot be read; open it in Excel or LibreOffice and save it again"
    )


def _read_sheet(
    book: RawWorkbook,
    reader: Any,
    source: str,
    declared: decl.Sheet,
    scan_future: Future[SheetScan | None] | None,
    starts: _CalamineStarts,
) -> None:
    with reader_errors(f"{book.path}: sheet {source!r} cannot be read"):
        sheet = reader.load_sheet(source, header_row=None, dtypes="string")
        table = sheet.to_arrow()
        columns = sheet.available_columns()
        visible = sheet.visible
    if visible != "visible":
        book.problems.append(
            problem(
                "hidden_sheet",
                f"sheet {source!r} is hidden in the workbook; it was read all the same",
                sheet=declared.name,
                severity="warning",
            )
        )
    letters = [column_letter(c.absolute_index) for c in columns]
    scan = scan_future.result() if scan_future is not None else None
    if scan is not None and _same_first_row(scan, table, letters):
        first_row = scan.first_row
    else:  # no scan (.xls, .ods) or it disagrees with the reader: ask calamine (slower, exact)
        first_row = starts.first_row(source)
    _add_sheet(book, declared, source, _trim(table), letters, first_row)
    if scan is not None:
        _scan_problems(book, declared, scan)


@contextmanager
def reader_errors(what: str) -> Iterator[None]:
    """Around every call into a reader library (fastexcel, calamine, openpyxl) on an untrusted file.

    On a damaged file they raise their own error types and whatever their Python side lets through
    (zipfile.BadZipFile, KeyError for a missing part, UnicodeDecodeError, XML ParseError,
    struct.error, ...). Each becomes the one-line WorkbookError `{what} ({the error's first line})`
    here, where the file is named; escaping, the bounded reader could only call it a crash. Our
    own errors and running out of memory or stack (the bounded reader's limits) pass unchanged; a
    Rust panic is no Exception and passes too, for the bounded reader to report.
    """
    try:
        yield
    except (AuditorError, MemoryError, RecursionError):
        raise
    except Exception as exc:  # the calls inside are the library's: what it raises is the file's fault
        raise WorkbookError(f"{what} ({_short(exc)})") from None


def _short(exc: Exception) -> str:
    # a KeyError's str() is its key's repr ('"There is no item named …"'): show the key's text
    text = str(exc.args[0]) if isinstance(exc, KeyError) and exc.args else str(exc)
    text = text.strip().splitlines()[0] if text.strip() else type(exc).__name__
    return text[:200]


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _start_scans(
    pool: ThreadPoolExecutor, data: bytes, kept: Inflated, pairs: list[tuple[str, decl.Sheet]]
) -> dict[str, Future[SheetScan | None]]:
    """Scan each loaded sheet's XML as the container check kept it (inflated again from `data` only
    when it was too large to keep). A sheet whose part workbook.xml does not name is not scanned:
    the scan is a refinement, never required."""
    strings = kept.parts.get(SHARED_STRINGS)

    def shared_strings() -> Iterable[bytes]:
        return strings if strings is not None else part_chunks(data, SHARED_STRINGS)

    scans = {}
    for source, declared in pairs:
        member = kept.sheets.get(source)
        if member is not None:
            chunks = kept.chunks(member)
            xml = chunks if chunks is not None else part_chunks(data, member)
            scans[source] = pool.submit(_scan_or_none, xml, shared_strings, declared)
    return scans


def _scan_or_none(xml: Iterable[bytes], shared_strings: Chunks, declared: decl.Sheet) -> SheetScan | None:
    try:
        return scan_sheet(xml, shared_strings, lambda header: _numeric_letters(header, declared))
    except Exception:  # damaged XML the reader coped with: fall back to calamine
        return None


def _same_first_row(scan: SheetScan, table: pa.Table, letters: list[str]) -> bool:
    """Does the scan's first row hold values in the same columns as the reader's first row?"""
    if table.num_rows == 0:
        return True
    found = {letter for i, letter in enumerate(letters) if table.column(i)[0].is_valid}
    return found == {letter for letter, text in scan.first_cells.items() if text is not None}


class _CalamineStarts:
    """Where each sheet's used range starts, from calamine (opened once, only when needed)."""

    def __init__(self, path: Path, kind: str, data: bytes) -> None:
        self.path, self.kind, self.data = path, kind, data
        self.workbook: Any = None

    def first_row(self, source: str) -> int:
        import python_calamine

        # calamine reads parts fastexcel did not need (an .ods manifest): they may be damaged
        with reader_errors(f"{self.path}: the workbook cannot be opened"):
            if self.workbook is None:
                self.workbook = _open_bytes(
                    self.path,
                    self.kind,
                    self.data,
                    lambda data: python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data)),
                )
            start = self.workbook.get_sheet_by_name(source).start
        return int(start[0]) + 1 if start else 1


def _numeric_letters(header: dict[str, str | None], declared: decl.Sheet) -> tuple[str, ...]:
    """The columns whose header names a number column (where text cells are worth a warning)."""
    if declared.keyvalue:
        return ()
    numeric = {c.name for c in declared.columns if c.kind in (decl.Kind.INT, decl.Kind.NUMBER)}
    return tuple(
        letter
        for letter, text in header.items()
        if text is not None and _canonical(declared, text) in numeric
    )


def _scan_problems(book: RawWorkbook, declared: decl.Sheet, scan: SheetScan) -> None:
    sheet = book.sheets.get(declared.name)
    names = {letter: name for name, letter in sheet.letters.items()} if sheet else {}
    if scan.merged:
        book.problems.append(
            ref_problems(
                sheet=declared.name,
                refs=[ref.split(":")[0] for ref in scan.merged],
                code="merged_cells",
                severity="warning",
                columns=names,
                message=[
                    f"merged cells {ref}: only the first cell keeps its value; unmerge them and "
                    "fill every cell"
                    for ref in scan.merged
                ],
            )
        )
    if scan.formulas_without_value:
        book.problems.append(
            ref_problems(
                sheet=declared.name,
                refs=scan.formulas_without_value,
                code="formula_without_value",
                columns=names,
                message="a formula with no saved result; open the workbook in Excel and save it, "
                "or type the value",
                expected="a value (the formula's result was never saved)",
            )
        )
    if scan.errors:
        book.problems.append(
            ref_problems(
                sheet=declared.name,
                refs=list(scan.errors),
                code="error_value",
                columns=names,
                values=list(scan.errors.values()),
                message=[
                    f"the cell shows the Excel error {value}; fix the formula or type the value"
                    for value in scan.errors.values()
                ],
            )
        )
    if scan.text_in_numeric and sheet is not None:
        book.problems += _numbers_as_text(sheet, declared, scan.text_in_numeric, names)


def _numbers_as_text(
    sheet: RawSheet, declared: decl.Sheet, refs: list[str], names: dict[str, str]
) -> list[pd.DataFrame]:
    """A warning for each number typed as text (text that is no number is parse's error)."""
    cells = pd.DataFrame([split_ref(ref) for ref in refs], columns=["letter", "row"])
    out = []
    for letter, group in cells.groupby("letter", sort=False):
        column = names.get(str(letter))
        if column is None or column not in declared.column_names:
            continue
        rows = pd.Index(group["row"])
        rows = rows[rows.isin(sheet.frame.index)]
        values = sheet.frame.loc[rows, column].astype("string")
        # only text that is a valid value here: text that is not is parse's error, not a warning
        from auditor.workbook.parse import parse_column

        parsed, bad, _ = parse_column(values, declared.column(column))
        ok = parsed.notna() & ~(bad if bad is not None else False)
        rows = rows[ok.to_numpy(dtype=bool, na_value=False)]
        if len(rows):
            out.append(
                cell_problems(
                    sheet=declared.name,
                    column=column,
                    letter=str(letter),
                    rows=rows,
                    values=sheet.frame.loc[rows, column],
                    code="number_as_text",
                    severity="warning",
                    message="a number stored as text; it was read as a number, but check the cell",
                )
            )
    return out


def _match_sheets(names: list[str], problems: list[pd.DataFrame]) -> list[tuple[str, decl.Sheet | None]]:
    """Pair the sheets found with the declared ones (case and spaces ignored)."""
    declared = {decl.normalise_name(s.name): s for s in decl.SHEETS}
    found: dict[str, str] = {}
    pairs = []
    for name in names:
        key = decl.normalise_name(name)
        if key in declared:
            if key in found:
                raise WorkbookError(
                    f"two sheets are both {declared[key].name!r}: {found[key]!r} and {name!r}; keep one"
                )
            found[key] = name
            pairs.append((name, declared[key]))
        elif key in IGNORED_SHEETS:
            continue
        else:
            pairs.append((name, None))
            problems.append(
                problem(
                    "unknown_sheet",
                    f"sheet {name!r} is not part of the inspection workbook; it was not read"
                    + sheet_hint(name),
                    sheet=name,
                    severity="warning",
                )
            )
    return pairs


def _canonical(declared: decl.Sheet, header: str) -> str | None:
    return canonical(declared, header)  # its field name or its label, as the template writes it


def _trim(table: pa.Table) -> pa.Table:
    """Trim every cell and turn blank ones into missing values (vectorised, in Arrow).

    Column by column, each column as read let go once trimmed (when the caller no longer holds the
    table), and copied only when a cell changes: at 1M admissions the Checks sheet's two columns
    are 600 MB, and trimming them whole (a copy, then another for the blanks) held three times that."""
    columns = table.columns
    names = [str(i) for i in range(len(columns))]
    del table
    for i, column in enumerate(columns):
        columns[i] = None  # type: ignore[call-overload]  # the list no longer holds it: freed once trimmed
        columns[i] = _trimmed(column)
        del column
    return pa.table(columns, names=names)


def _trimmed(column: pa.ChunkedArray) -> pa.ChunkedArray:
    if not pa.types.is_string(column.type) and not pa.types.is_large_string(column.type):
        column = pc.cast(column, pa.string())
    trimmed = column
    if _may_have_spaces_around(column):
        trimmed = pc.utf8_trim_whitespace(column)
        if pc.sum(pc.binary_length(trimmed)).as_py() == pc.sum(pc.binary_length(column)).as_py():
            trimmed = column  # no cell had spaces around it (trimming only shortens): keep the cells as read
    del column
    blank = pc.equal(pc.binary_length(trimmed), 0)
    if not pc.any(blank).as_py():
        return trimmed
    return pc.if_else(blank, pa.scalar(None, pa.string()), trimmed)


def _may_have_spaces_around(column: pa.ChunkedArray | pa.Array) -> bool:
    """False when no cell starts or ends with a byte that may begin or end whitespace: the first and
    last bytes of every cell, read from Arrow's buffers (trimming copies every cell, 2.5 ms a column
    of 200,000). Control bytes, the space and every non-ASCII byte (U+00A0 and other Unicode spaces)
    count as may; a null slot's bytes, if it has any, too."""
    wide = pa.types.is_large_string(column.type)
    for chunk in column.chunks if isinstance(column, pa.ChunkedArray) else [column]:
        if len(chunk) == 0:
            continue
        _, offsets, data = chunk.buffers()
        ends = np.frombuffer(offsets, dtype=np.int64 if wide else np.int32)[chunk.offset :][: len(chunk) + 1]
        starts, stops = ends[:-1], ends[1:]
        filled = stops > starts
        if data is None or not filled.any():
            continue
        cells = np.frombuffer(data, dtype=np.uint8)
        edges = np.concatenate([cells[starts[filled]], cells[stops[filled] - 1]])
        if ((edges <= 0x20) | (edges >= 0x7F)).any():
            return True
    return False


# ---------------------------------------------------------------------------- CSV folders


def _read_csv_folder(folder: Path, each: EachSheet | None = None) -> RawWorkbook:
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() == ".csv")
    book = RawWorkbook(path=folder, format="csv-folder", sheets={}, facility=None)
    if not files:
        raise WorkbookError(f"{folder}: the folder holds no CSV files (expected Facility.csv, Intake.csv, …)")
    pairs = _match_sheets([p.stem for p in files], book.problems)
    # read Facility first; the inputs and their digest keep the folder's order
    order = sorted(range(len(pairs)), key=lambda i: not (pairs[i][1] is not None and pairs[i][1].keyvalue))
    inputs: dict[int, tuple[str, str]] = {}
    for i in order:
        name, declared = pairs[i]
        file = next(p for p in files if p.stem == name)
        data = _file_bytes(file)  # once: hashed and parsed from the same bytes
        inputs[i] = (file.name, _sha256(data))
        if declared is None:
            continue
        read = [_csv_table(file, book.problems, declared.name, data)]
        data = b""  # the file's bytes are not needed once parsed (at 1M admissions, 500 MB of Checks)
        table = _trim(read.pop())  # no name holds the table as read: each column is freed once trimmed
        letters = [column_letter(n) for n in range(table.num_columns)]
        blank = _leading_blank_rows(table)  # as in a workbook, the header is the first filled row
        _add_sheet(book, declared, file.name, table.slice(blank), letters, first_row=blank + 1)
        del table
        _hand_over(book, declared, each)
    book.inputs = [inputs[i] for i in range(len(pairs))]
    digest = hashlib.sha256()
    for name, sha in book.inputs:
        digest.update(f"{name}\0{sha}\n".encode())
    book.sha256 = digest.hexdigest()
    book.sources = _in_order(book.sources, [p.name for p in files])
    return book


def _leading_blank_rows(table: pa.Table) -> int:
    filled = None
    for column in table.columns:
        valid = pc.is_valid(column)
        filled = valid if filled is None else pc.or_(filled, valid)
    if filled is None:
        return 0
    first = pc.index(filled, True).as_py()
    return table.num_rows if first < 0 else first


def _csv_table(
    file: Path, problems: list[pd.DataFrame], sheet: str = "", data: bytes | None = None
) -> pa.Table:
    # BOMs, strict UTF-8 else cp1252, CR → LF
    decoded = decode_text(file.read_bytes() if data is None else data, str(file))
    if decoded.warning:
        problems.append(problem("not_utf8", decoded.warning, sheet=sheet or file.stem, severity="warning"))
    utf8 = decoded.data
    width = _csv_width(_first_line(utf8), file)
    del decoded  # its text (as large as the file) is not held while Arrow parses the bytes
    table = _parsed_csv(utf8, width, file)
    # `'=x` is how a CSV keeps text from being a formula (safe_cells.csv_text): the cell is `=x`
    if not _may_start_with_apostrophe(utf8):  # most files: skip the scan of every column
        return table
    return pa.table([csv_unquote(c) for c in table.columns], names=table.column_names)


def _may_start_with_apostrophe(data: bytes, look: int = 1000) -> bool:
    """False when no cell can start with an apostrophe: memchr-speed, no parsing. Past `look`
    apostrophes (O'Brien, O'Neil, …) it stops looking and says True: the column scan decides."""
    at = data.find(b"'")
    for _ in range(look):
        if at < 0:
            return False
        if at == 0 or data[at - 1] in b',\n"':  # first in a cell, quoted or not
            return True
        at = data.find(b"'", at + 1)
    return at >= 0


def _parsed_csv(raw: bytes, width: int, file: Path) -> pa.Table:
    """The CSV's cells as text, from its UTF-8 bytes and the columns of its first line."""
    if width == 0:
        return _ragged_csv(raw.decode("utf-8"), file)
    try:
        # Arrow's parser (multi-threaded) with every column as text: typing is parse.py's job.
        return pacsv.read_csv(
            io.BytesIO(raw),
            read_options=pacsv.ReadOptions(autogenerate_column_names=True),
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types={f"f{i}": pa.string() for i in range(width)},
                quoted_strings_can_be_null=False,
                strings_can_be_null=False,
            ),
        ).rename_columns([str(i) for i in range(width)])
    except (pa.ArrowInvalid, pa.ArrowKeyError):
        # a blank first line or rows of different lengths (as Excel writes them): slower, exact
        return _ragged_csv(raw.decode("utf-8"), file)  # the bytes are the decoded text's UTF-8


def _first_line(data: bytes) -> str:
    """The first line of UTF-8 text, its line end included (the text need not be decoded whole)."""
    end = data.find(b"\n")
    return data[: end + 1 if end >= 0 else len(data)].decode("utf-8")


def _csv_width(text: str, file: Path) -> int:
    """Columns in the first line (0 when it is blank)."""
    try:
        first = next(csv.reader(io.StringIO(text)), [])
    except csv.Error as exc:  # e.g. a first-line cell over csv's field limit
        raise WorkbookError(f"{file}: not a well-formed CSV file ({_short(exc)})") from None
    return len(first) if any(cell.strip() for cell in first) else 0


def _ragged_csv(text: str, file: Path) -> pa.Table:
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error as exc:
        raise WorkbookError(f"{file}: not a well-formed CSV file ({_short(exc)})") from None
    width = max((len(row) for row in rows), default=0)
    columns = [[row[i] if i < len(row) else "" for row in rows] for i in range(width)]
    return pa.table([pa.array(c, pa.string()) for c in columns], names=[str(i) for i in range(width)])


# ---------------------------------------------------------------------------- headers


def _add_sheet(
    book: RawWorkbook, declared: decl.Sheet, source: str, table: pa.Table, letters: list[str], first_row: int
) -> None:
    book.sources[declared.name] = source
    if declared.keyvalue:
        book.facility = _facility_fields(book, declared, table, letters, first_row)
        return
    if table.num_rows == 0:
        book.problems.append(
            problem(
                "empty_sheet",
                f"sheet {source!r} is empty; it is treated as missing",
                sheet=declared.name,
                severity="warning",
            )
        )
        return
    header = [table.column(i)[0].as_py() for i in range(table.num_columns)]
    body = table.slice(1)
    rows = pd.RangeIndex(first_row + 1, first_row + 1 + body.num_rows)
    keep: list[int] = []
    names: list[str] = []
    seen: dict[str, str] = {}
    for i, (text, letter) in enumerate(zip(header, letters, strict=True)):
        column = body.column(i)
        if text is None:
            if column.null_count < len(column):
                book.problems.append(
                    problem(
                        "no_header",
                        f"column {letter} has values but no header; it was not read",
                        sheet=declared.name,
                        cell=f"{letter}{first_row}",
                        row=first_row,
                        severity="warning",
                        expected="a column name in the header row",
                    )
                )
            continue
        name = _canonical(declared, text) or str(text)
        if name in seen:
            book.problems.append(
                problem(
                    "duplicate_header",
                    f"the header {text!r} appears twice ({seen[name]}{first_row} and "
                    f"{letter}{first_row}); keep one column",
                    sheet=declared.name,
                    cell=f"{letter}{first_row}",
                    row=first_row,
                    value=text,
                    column=name,
                )
            )
            continue
        seen[name] = letter
        if name not in declared.column_names:
            book.problems.append(
                problem(
                    "unknown_column",
                    f"column {text!r} is not part of the {declared.name} sheet; it was kept but is not used"
                    + header_hint(text, declared),
                    sheet=declared.name,
                    cell=f"{letter}{first_row}",
                    row=first_row,
                    value=text,
                    severity="warning",
                    column=str(text),
                )
            )
        keep.append(i)
        names.append(name)
    frame = (
        pa.table([body.column(i) for i in keep], names=names).to_pandas()
        if keep
        else pd.DataFrame(index=range(body.num_rows))
    )
    frame.index = rows
    empty = frame.isna().all(axis=1).to_numpy() if len(frame.columns) else np.ones(len(rows), bool)
    if empty.any():  # fully empty rows are skipped; the others keep their Excel row numbers
        frame = frame[~empty]
    sheet = RawSheet(
        name=declared.name,
        source=source,
        frame=frame,
        letters={n: seen[n] for n in names},
        header_row=first_row,
    )
    for column in declared.columns:
        if column.required and column.name not in sheet.letters:
            label = glossary.field_label(declared.name, column.name)
            book.problems.append(
                problem(
                    "missing_column",
                    f"the required column {column.name!r} ({label}) is missing from the header row",
                    sheet=declared.name,
                    column=column.name,
                    row=first_row,
                    expected=f"a column headed {label} or {column.name}",
                )
            )
    book.sheets[declared.name] = sheet


def _facility_fields(
    book: RawWorkbook, declared: decl.Sheet, table: pa.Table, letters: list[str], first_row: int
) -> pd.DataFrame:
    """The Facility sheet's field/value pairs, with the row of each field."""
    if table.num_columns < 1 or table.num_rows == 0:
        raise WorkbookError(f"{book.path}: the Facility sheet is empty")
    if letters[0] != "A":
        first_letter = letters[0]
        raise WorkbookError(
            f"{book.path}: the Facility sheet must hold field names in column A and values in "
            f"column B (its first filled column is {first_letter})"
        )
    fields = table.column(0).to_pylist()
    has_values = table.num_columns > 1 and letters[1] == "B"
    values = table.column(1).to_pylist() if has_values else [None] * len(fields)
    records: dict[str, tuple[str | None, int]] = {}
    for offset, (text, value) in enumerate(zip(fields, values, strict=True)):
        row = first_row + offset
        if text is None:
            if value is not None:
                book.problems.append(
                    problem(
                        "no_field_name",
                        "a value with no field name in column A; it was not read",
                        sheet=declared.name,
                        cell=f"B{row}",
                        row=row,
                        value=value,
                        severity="warning",
                    )
                )
            continue
        if decl.normalise_name(text) in ("field", "fields") and offset == 0:
            continue  # the header row
        name = _canonical(declared, str(text))
        if name is None:
            book.problems.append(
                problem(
                    "unknown_field",
                    f"{text!r} is not a Facility field; it was not used{header_hint(text, declared)}",
                    sheet=declared.name,
                    cell=f"A{row}",
                    row=row,
                    value=text,
                    severity="warning",
                )
            )
            continue
        if name in records:
            book.problems.append(
                problem(
                    "duplicate_field",
                    f"the field {name!r} appears twice (rows {records[name][1]} and {row}); keep one",
                    sheet=declared.name,
                    cell=f"A{row}",
                    row=row,
                    value=text,
                    column=name,
                )
            )
            continue
        records[name] = (value, row)
    index = pd.Index(list(records), name="field", dtype=object)
    return pd.DataFrame(
        {
            "value": pd.Series([v for v, _ in records.values()], index=index, dtype=object),
            "row": pd.Series([r for _, r in records.values()], index=index, dtype="int64"),
        },
    )


def cell_table(book: RawWorkbook, name: str) -> tuple[pa.Table, list[int], int]:
    """A sheet's cells as read, untrimmed: (table of text, 0-based column of each, first row).

    For rebuilding a CSV folder, .xls or .ods input as a workbook cell for cell (the annotated
    copy); an .xlsx input is copied as it is instead.
    """
    source = book.sources[name]
    if book.format == "csv-folder":
        table = _csv_table(book.path / source, [])
        return table, list(range(table.num_columns)), 1
    import fastexcel

    # from the bytes that were read, checked and validated: never the file again, which may have
    # changed since
    with reader_errors(f"{book.path}: sheet {source!r} cannot be read"):
        sheet = fastexcel.read_excel(book.data).load_sheet(source, header_row=None, dtypes="string")
        columns = [c.absolute_index for c in sheet.available_columns()]
        table = sheet.to_arrow()
    return table, columns, _CalamineStarts(book.path, book.format, book.data).first_row(source)


__all__ = ["RawSheet", "RawWorkbook", "cell_problems", "cell_table", "read", "read_many", "reader_errors"]
