"""Hostile workbooks: far cells, zip and XML bombs, bad checksums, truncation, huge sheets,
.ods repeat bombs and .xls files whose sector chains loop or leave the file."""

from __future__ import annotations

import datetime as dt
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

from builders import InspectionBuilder
from zips import (
    FACILITY_HEADER,
    ODS_HEADER,
    SHEET_NS,
    Part,
    deflate,
    laughs,
    ods,
    ods_cell,
    part,
    repeated_part,
    text_cell,
    worksheet,
    write_zip,
    xlsx_parts,
)

MiB = 1 << 20
GiB = 1 << 30


def xfd1048576(folder: Path, sheet: str = "Facility") -> Path:
    """The critical file (issue 14): 1.5 KB, one filled cell at Excel's last row and column."""
    far = f'<row r="1048576">{text_cell("XFD1048576", "x")}</row>'
    return write_zip(folder / "xfd1048576.xlsx", xlsx_parts({sheet: worksheet(FACILITY_HEADER + far)}))


def valid_xlsx(folder: Path, name: str = "valid.xlsx") -> Path:
    return InspectionBuilder().with_valid_sheets().xlsx(folder / name)


def _replace_parts(source: Path, target: Path, replaced: dict[str, Part]) -> Path:
    """A copy of a real .xlsx with some parts swapped for hostile ones."""
    with zipfile.ZipFile(source) as archive:
        parts = [
            replaced.get(info.filename) or part(info.filename, archive.read(info.filename))
            for info in archive.infolist()
        ]
    return write_zip(target, parts)


def bomb_zeros(folder: Path) -> Path:
    """The Intake sheet: 3.5 GiB of zeros deflated to about 3.5 MB, its size declared honestly."""
    bomb = repeated_part("xl/worksheets/sheet2.xml", b"", bytes(64 * 1024), 56 * 1024, b"")
    return _replace_parts(valid_xlsx(folder, "src.xlsx"), folder / "bomb-zeros.xlsx", {bomb.name: bomb})


ROW = b'<row><c t="inlineStr"><is><t>lol</t></is></c></row>'


def _rows_bomb(size: int, name: str = "xl/worksheets/sheet2.xml") -> Part:
    head = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{SHEET_NS}"><sheetData>'.encode()
    return repeated_part(name, head, ROW, size // len(ROW), b"</sheetData></worksheet>")


def bomb_rows(folder: Path) -> Path:
    """The Intake sheet: 17 million rows of real XML (900 MiB) deflated about a thousandfold."""
    bomb = _rows_bomb(900 * MiB)
    return _replace_parts(valid_xlsx(folder, "src.xlsx"), folder / "bomb-rows.xlsx", {bomb.name: bomb})


def bomb_rows_alone(folder: Path, sheet: str) -> Path:
    """A workbook of one sheet, named `sheet`, that is the rows bomb."""
    parts = xlsx_parts({sheet: worksheet("")})
    bomb = _rows_bomb(900 * MiB, "xl/worksheets/sheet1.xml")
    return write_zip(folder / "bomb-rows.xlsx", [bomb if p.name == bomb.name else p for p in parts])


def bomb_understated(folder: Path) -> Path:
    """The same rows bomb, but its headers claim the part inflates to 10 KB."""
    bomb = _rows_bomb(900 * MiB)
    lying = Part(bomb.name, bomb.data, bomb.size, bomb.crc, declared=10_000)
    return _replace_parts(
        valid_xlsx(folder, "src.xlsx"), folder / "bomb-understated.xlsx", {bomb.name: lying}
    )


def bomb_many_parts(folder: Path) -> Path:
    """300 parts of 7.5 MiB each (under the per-part ratio floor): 2.2 GiB in all."""
    parts = xlsx_parts({"Facility": worksheet(FACILITY_HEADER)})
    zeros = repeated_part("x", b"", bytes(64 * 1024), 120, b"")
    parts += [Part(f"xl/media/image{i}.bin", zeros.data, zeros.size, zeros.crc) for i in range(300)]
    return write_zip(folder / "bomb-many-parts.xlsx", parts)


def too_many_parts(folder: Path) -> Path:
    parts = xlsx_parts({"Facility": worksheet(FACILITY_HEADER)})
    parts += [part(f"xl/media/n{i}.txt", b"") for i in range(5_000)]
    return write_zip(folder / "too-many-parts.xlsx", parts)


def laughs_in_sheet(folder: Path) -> Path:
    rows = FACILITY_HEADER + f'<row r="2">{text_cell("A2", "facility_id")}{text_cell("B2", "&lol10;")}</row>'
    sheet = worksheet(rows, head=laughs())
    return write_zip(folder / "laughs-sheet.xlsx", xlsx_parts({"Facility": sheet}))


def laughs_in_shared_strings(folder: Path) -> Path:
    rows = FACILITY_HEADER + '<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" t="s"><v>1</v></c></row>'
    strings = (
        f'<?xml version="1.0" encoding="UTF-8"?>{laughs().replace("worksheet", "sst")}'
        f'<sst xmlns="{SHEET_NS}" '
        'count="2" uniqueCount="2"><si><t>facility_id</t></si><si><t>&lol10;</t></si></sst>'
    )
    return write_zip(
        folder / "laughs-shared-strings.xlsx", xlsx_parts({"Facility": worksheet(rows)}, strings)
    )


def crc_mismatch(folder: Path) -> Path:
    """A real workbook whose Intake part's CRC-32 is off by one, in both headers."""
    source = valid_xlsx(folder, "src.xlsx")
    with zipfile.ZipFile(source) as archive:
        raw = archive.read("xl/worksheets/sheet2.xml")
    wrong = Part("xl/worksheets/sheet2.xml", deflate(raw), len(raw), zlib.crc32(raw) ^ 1)
    return _replace_parts(source, folder / "crc-mismatch.xlsx", {wrong.name: wrong})


def truncated(folder: Path) -> Path:
    data = valid_xlsx(folder, "src.xlsx").read_bytes()
    path = folder / "truncated.xlsx"
    path.write_bytes(data[: len(data) // 2])
    return path


def empty_file(folder: Path) -> Path:
    path = folder / "empty.xlsx"
    path.write_bytes(b"")
    return path


def sparse_gigabyte(folder: Path) -> Path:
    """A real workbook's bytes, then zeros to 1 GiB (sparse: no disk): no zip end record anywhere."""
    path = folder / "sparse-1gb.xlsx"
    path.write_bytes(valid_xlsx(folder, "src.xlsx").read_bytes())
    with path.open("r+b") as handle:
        handle.truncate(GiB)
    return path


WIDE_COLUMNS = 16_000


def wide_sheet(folder: Path) -> Path:
    """A valid inspection whose Intake sheet declares and fills 16,000 columns (A1:WNU4)."""
    import xlsxwriter

    path = folder / "wide-16000.xlsx"
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    facility = book.add_worksheet("Facility")
    facility.write_row(0, 0, ["field", "value"])
    for row, (name, value) in enumerate(_facility_text().items(), start=1):
        facility.write_row(row, 0, [name, value])
    intake = book.add_worksheet("Intake")
    intake.write_row(0, 0, ["detainee_id", "arrival", *[f"note_{i}" for i in range(WIDE_COLUMNS - 2)]])
    for row in range(1, 4):
        intake.write_row(row, 0, [f"A00000000{row}", "2026-01-05 08:00", *(["x"] * (WIDE_COLUMNS - 2))])
    book.close()
    return path


def _facility_text() -> dict[str, str]:
    builder = InspectionBuilder()
    return {k: v.isoformat() if isinstance(v, dt.date) else str(v) for k, v in builder.fields.items()}


def ods_columns_bomb(folder: Path) -> Path:
    """One filled cell repeated a billion times across (calamine would allocate every one)."""
    cell = ods_cell("x", ' table:number-columns-repeated="1000000000"')
    row = f"<table:table-row>{cell}</table:table-row>"
    return ods(folder / "columns-bomb.ods", {"Facility": ODS_HEADER + row})


def ods_rows_bomb(folder: Path) -> Path:
    """A filled 1,000-cell row repeated a million times: a billion cells."""
    cells = ods_cell("x", ' table:number-columns-repeated="1000"')
    row = f'<table:table-row table:number-rows-repeated="1000000">{cells}</table:table-row>'
    return ods(folder / "rows-bomb.ods", {"Facility": ODS_HEADER + row})


def valid_xls(path: Path, first_sheet: str = "Facility") -> Path:
    """A valid inspection as legacy Excel (xlwt): Facility and Intake, dates as dates."""
    import xlwt

    builder = InspectionBuilder().with_valid_sheets("Intake")
    book = xlwt.Workbook()
    date_style = xlwt.easyxf(num_format_str="yyyy-mm-dd hh:mm")

    def put(sheet, row: int, col: int, value: object) -> None:
        if value is None:
            return
        if isinstance(value, dt.date):
            stamp = (
                value if isinstance(value, dt.datetime) else dt.datetime(value.year, value.month, value.day)
            )
            sheet.write(row, col, stamp, date_style)
        else:
            sheet.write(row, col, value)

    facility = book.add_sheet(first_sheet)
    facility.write(0, 0, "field")
    facility.write(0, 1, "value")
    for row, (name, value) in enumerate(builder.fields.items(), start=1):
        facility.write(row, 0, name)
        put(facility, row, 1, value)
    for name, frame in builder.sheets.items():
        sheet = book.add_sheet(name)
        for col, column in enumerate(frame.columns):
            sheet.write(0, col, column)
            for row, value in enumerate(frame[column].tolist(), start=1):
                put(sheet, row, col, value)
    book.save(str(path))
    return path


def _ole(data: bytes) -> tuple[int, int, list[int]]:
    """(offset of the Workbook directory entry, offset of the first FAT sector, the FAT) of an
    xlwt file: 512-byte sectors, one FAT sector, the directory in its first sector chain."""
    entry = data.index("Workbook".encode("utf-16-le") + b"\0\0")
    fat_offset = (struct.unpack_from("<I", data, 0x4C)[0] + 1) * 512
    return entry, fat_offset, list(struct.unpack_from("<128I", data, fat_offset))


def xls_fat_loop(folder: Path, first_sheet: str = "Facility") -> Path:
    """The Workbook stream's second sector leads back to its first: a chain that never ends."""
    path = valid_xls(folder / "fat-loop.xls", first_sheet)
    data = bytearray(path.read_bytes())
    entry, fat_offset, fat = _ole(data)
    start = struct.unpack_from("<I", data, entry + 0x74)[0]
    struct.pack_into("<I", data, fat_offset + 4 * fat[start], start)
    path.write_bytes(bytes(data))
    return path


def xls_out_of_range(folder: Path) -> Path:
    """The Workbook stream's chain jumps to sector 0x00FFFFF0, far past the end of the file."""
    path = valid_xls(folder / "out-of-range.xls")
    data = bytearray(path.read_bytes())
    entry, fat_offset, _ = _ole(data)
    start = struct.unpack_from("<I", data, entry + 0x74)[0]
    struct.pack_into("<I", data, fat_offset + 4 * start, 0x00FFFFF0)
    path.write_bytes(bytes(data))
    return path


def xls_fat_count(folder: Path) -> Path:
    """The header declares 2**31 FAT sectors in a 10 KB file."""
    path = valid_xls(folder / "fat-count.xls")
    data = bytearray(path.read_bytes())
    struct.pack_into("<I", data, 0x2C, 1 << 31)
    path.write_bytes(bytes(data))
    return path


def _with_openpyxl(folder: Path, name: str, change) -> Path:
    """A valid inspection changed by openpyxl (writing only: nothing hostile is opened here)."""
    from openpyxl import load_workbook

    book = load_workbook(valid_xlsx(folder, "src.xlsx"))
    change(book)
    book.save(folder / name)
    return folder / name


def unknown_sheet_far_cell(folder: Path) -> Path:
    """A valid inspection plus a "Notes" sheet filled at XFD1048576: unknown sheets are never read."""

    def add(book) -> None:
        book.create_sheet("Notes")["XFD1048576"] = "x"

    return _with_openpyxl(folder, "unknown-sheet-far-cell.xlsx", add)


def last_row(folder: Path) -> Path:
    """A valid inspection with one Intake cell in Excel's last row, within Intake's columns."""

    def add(book) -> None:
        book["Intake"]["A1048576"] = "A000009999"

    return _with_openpyxl(folder, "last-row.xlsx", add)


def deep_xml(folder: Path) -> Path:
    """The Facility sheet nests 200,000 elements inside its sheetData."""
    rows = FACILITY_HEADER + "<x>" * 200_000 + "</x>" * 200_000
    return write_zip(folder / "deep-xml.xlsx", xlsx_parts({"Facility": worksheet(rows)}))


def missing_part(folder: Path) -> Path:
    """The workbook lists a Facility sheet whose part is not in the zip."""
    parts = [p for p in xlsx_parts({"Facility": worksheet(FACILITY_HEADER)}) if "worksheets" not in p.name]
    return write_zip(folder / "missing-part.xlsx", parts)


def facility_rows(name: str, rows: str) -> Callable[[Path], Path]:
    """A maker of a minimal workbook whose Facility sheet holds its header and these rows (XML)."""

    def make(folder: Path) -> Path:
        return write_zip(folder / f"{name}.xlsx", xlsx_parts({"Facility": worksheet(FACILITY_HEADER + rows)}))

    return make


ODD_CELLS = {  # name: (the rows, what the reader must say)
    "row-zero": ('<row r="2"><c r="A0"><v>1</v></c></row>', r"Range is missing the expected row component"),
    "column-16385": (
        '<row r="2"><c r="XFE2"><v>1</v></c></row>',
        r"sheet 'Facility' has a filled cell at row 2, column 16,385",  # one past XFD
    ),
    "row-1e11": (
        '<row r="99999999999"><c r="A99999999999"><v>1</v></c></row>',
        r"filled cell at row 99,999,999,999, column 1, beyond Excel's last row 1,048,576",
    ),
    "negative-row": (
        '<row r="-5"><c r="A-5"><v>1</v></c></row>',
        r"a row whose number '-5' is not a row number",
    ),
    "shared-string-999": (
        '<row r="2"><c r="A2" t="s"><v>999</v></c></row>',
        r"Cell string index not found in shared strings table",
    ),
    "error-value": ('<row r="2"><c r="A2" t="e"><v>#BOGUS!</v></c></row>', r"Unsupported cell error value"),
    "cell-type-zz": ('<row r="2"><c r="A2" t="zz"><v>1</v></c></row>', r"Unknown cell 't' attribute"),
}


def last_row_last_column(folder: Path) -> Path:
    """One Intake cell at CG1048576: inside every container limit (column 85 = 21 + the margin of 64,
    Excel's last row), yet a grid of 85 × 1,048,576 cells (about 2.8 GB) to a reader."""

    def add(book) -> None:
        book["Intake"]["CG1048576"] = "x"

    return _with_openpyxl(folder, "last-row-last-column.xlsx", add)


XXE = '<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def xxe_in_sheet(folder: Path) -> Path:
    """An external entity: a reader that resolved it would put /etc/passwd in a cell."""
    rows = FACILITY_HEADER + f'<row r="2">{text_cell("A2", "facility_id")}{text_cell("B2", "&xxe;")}</row>'
    return write_zip(folder / "xxe-sheet.xlsx", xlsx_parts({"Facility": worksheet(rows, head=XXE)}))


def ods_laughs(folder: Path) -> Path:
    row = f"<table:table-row>{ods_cell('facility_id')}{ods_cell('&lol10;')}</table:table-row>"
    return ods(folder / "laughs.ods", {"Facility": ODS_HEADER + row}, head=laughs())


def ods_xxe(folder: Path) -> Path:
    row = f"<table:table-row>{ods_cell('facility_id')}{ods_cell('&xxe;')}</table:table-row>"
    return ods(folder / "xxe.ods", {"Facility": ODS_HEADER + row}, head=XXE)
