"""Hostile containers are refused before any parser opens them; normal workbooks pass untouched.

Every hostile file is made here, small, with zipfile and struct: a cell at XFD1048576 (which
makes calamine ask for about 512 GiB), zip bombs, a bad CRC, too many parts, an ODS whose one
filled cell is repeated a hundred million times, .xls files whose sector chains loop or leave the
file. Each expected message is written out: the limits behind it are worked out in the comments.
"""

from __future__ import annotations

import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl.utils import get_column_letter
from test_workbook_ods_xls import write_ods, write_xls

from auditor.errors import WorkbookError
from auditor.workbook.container import Limits, check_container, every_sheet, inspection_limits
from auditor.workbook.declarations import INTAKE
from auditor.workbook.sniff import sniff

# Intake, the widest sheet, may fill its own columns and a margin of 64 more (21 columns gave 85, the
# last being CG); the contract keeps growing, so the width is read from it and the letter from openpyxl.
INTAKE_WIDTH = len(INTAKE.columns) + 64
LAST, BEYOND = get_column_letter(INTAKE_WIDTH), get_column_letter(INTAKE_WIDTH + 1)
INTAKE_LIMIT = f"far outside its {len(INTAKE.columns)} columns (a sheet may fill up to column {LAST})"
# Facility holds field and value: 2 columns, so 66, the last being BN (2×26+14).
FACILITY_LIMIT = "far outside its 2 columns (a sheet may fill up to column BN)"

HEADER = '<row r="1"><c r="A1" t="inlineStr"><is><t>detainee_id</t></is></c></row>'
FAR = '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'


def xlsx(path: Path, sheets: dict[str, str], dimension: str = "", after: str = "", strings: str = "") -> Path:
    """A minimal .xlsx: each sheet's <sheetData> content as given (sheet1.xml, sheet2.xml, …),
    `after` it in every sheet, and xl/sharedStrings.xml when `strings` is given."""
    names = list(sheets)
    workbook = (
        '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
        'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships"><sheets>'
        + "".join(f'<sheet name="{n}" sheetId="{i}" r:id="rId{i}"/>' for i, n in enumerate(names, 1))
        + "</sheets></workbook>"
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
        'package/2006/relationships">'
        + "".join(
            f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            f'relationships/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, len(names) + 1)
        )
        + "</Relationships>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr("xl/_rels/workbook.xml.rels", rels)
        for i, name in enumerate(names, 1):
            archive.writestr(
                f"xl/worksheets/sheet{i}.xml",
                '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                f'spreadsheetml/2006/main">{dimension}<sheetData>{sheets[name]}</sheetData>{after}</worksheet>',
            )
        if strings:
            archive.writestr("xl/sharedStrings.xml", strings)
    return path


def refusal(path: Path) -> str:
    """check_container's one-line message, without the path in front."""
    return refusal_with(path, inspection_limits)


def refusal_with(path: Path, limits: Limits) -> str:
    with pytest.raises(WorkbookError) as caught:
        check_container(path, sniff(path), limits)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: ")
    return message.removeprefix(f"{path}: ")


# ---------------------------------------------------------------------------- cells far away


def test_one_filled_cell_at_xfd1048576_is_refused_by_sheet_and_cell(tmp_path):
    path = xlsx(tmp_path / "far.xlsx", {"Facility": "", "Intake": HEADER + FAR})
    assert refusal(path) == (
        f"sheet 'Intake' has a filled cell at XFD1048576, {INTAKE_LIMIT}; delete what lies beyond "
        "the table, or copy the table into a new workbook"
    )


def test_the_reader_never_sees_the_far_cell(tmp_path):
    """Wired into read: the message, not an abort (run apart, so a regression fails this test
    instead of killing the test run)."""
    path = xlsx(tmp_path / "far.xlsx", {"Facility": "", "Intake": HEADER + FAR})
    code = (
        "import sys, resource\n"
        "from pathlib import Path\n"
        "resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))\n"
        "from auditor.workbook.read import _read_workbook\n"
        "from auditor.errors import WorkbookError\n"
        "try:\n"
        "    _read_workbook(Path(sys.argv[1]), 'xlsx')\n"
        "except WorkbookError as exc:\n"
        "    print(exc)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().startswith(f"{path}: sheet 'Intake' has a filled cell at XFD1048576")


def test_a_filled_cell_just_beyond_the_margin_is_refused_and_the_last_one_within_passes(tmp_path):
    within = xlsx(
        tmp_path / "within.xlsx", {"Intake": HEADER + f'<row r="2"><c r="{LAST}2"><v>1</v></c></row>'}
    )
    check_container(within, "xlsx")
    beyond = xlsx(
        tmp_path / "beyond.xlsx", {"Intake": HEADER + f'<row r="2"><c r="{BEYOND}2"><v>1</v></c></row>'}
    )
    assert refusal(beyond).startswith(f"sheet 'Intake' has a filled cell at {BEYOND}2, {INTAKE_LIMIT}")


def test_a_row_beyond_excels_last_is_refused(tmp_path):
    path = xlsx(tmp_path / "rows.xlsx", {"Checks": '<row r="1048577"><c r="A1048577"><v>1</v></c></row>'})
    assert refusal(path) == (
        "sheet 'Checks' has a filled cell at row 1,048,577, column 1, beyond Excel's last row "
        "1,048,576; no workbook Excel writes has one"
    )


def test_a_huge_declared_dimension_and_empty_styled_cells_far_away_pass(tmp_path):
    # as ICE's own files: A1:XFC1041 declared, styled empty cells out to XFC, data in a few columns
    empty = '<row r="1048576"><c r="XFD1048576" s="3"/><c r="XFC1048576" s="3"></c></row>'
    path = xlsx(
        tmp_path / "wide.xlsx", {"Intake": HEADER + empty}, dimension='<dimension ref="A1:XFD1048576"/>'
    )
    check_container(path, "xlsx")


def test_an_unknown_xlsx_sheet_is_never_loaded_so_not_checked(tmp_path):
    """fastexcel parses only the sheets read.py asks for: the far cell in Notes costs nothing."""
    facility = '<row r="1"><c r="A1" t="inlineStr"><is><t>facility_id</t></is></c></row>'
    path = xlsx(tmp_path / "notes.xlsx", {"Facility": facility, "Notes": FAR})
    check_container(path, "xlsx")
    code = (
        "import sys, resource\n"
        "from pathlib import Path\n"
        "resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))\n"
        "from auditor.workbook.read import _read_workbook\n"
        "book = _read_workbook(Path(sys.argv[1]), 'xlsx')\n"
        "print(sorted(book.sources), book.facility.index.tolist())\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "['Facility'] ['facility_id']"


def test_cells_without_references_are_counted_exactly(tmp_path):
    # one filled cell more than the limit, without `r`, in row 2: the last is column BEYOND
    cells = "".join(f"<c><v>{i}</v></c>" for i in range(INTAKE_WIDTH + 1))
    path = xlsx(tmp_path / "norefs.xlsx", {"Intake": HEADER + f'<row r="2">{cells}</row>'})
    assert refusal(path).startswith(f"sheet 'Intake' has a filled cell at {BEYOND}2, {INTAKE_LIMIT}")
    last = f"<c><v>{INTAKE_WIDTH}</v></c>"
    fewer = xlsx(tmp_path / "fewer.xlsx", {"Intake": HEADER + f'<row r="2">{cells[: -len(last)]}</row>'})
    check_container(fewer, "xlsx")


def test_a_sheet_part_named_in_another_case_is_still_checked(tmp_path):
    path = xlsx(tmp_path / "case.xlsx", {"Checks": HEADER + '<row r="2"><c r="BO2"><v>1</v></c></row>'})
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    parts["XL/Worksheets/Sheet1.xml"] = parts.pop("xl/worksheets/sheet1.xml")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            out.writestr(name, data)
    # Checks: 2 columns, so up to BN (2×26+14); BO is one beyond
    assert refusal(path).startswith("sheet 'Checks' has a filled cell at BO2, far outside its 2 columns")


def test_a_prefixed_far_cell_is_found_too(tmp_path):
    far = '<x:row xmlns:x="urn:x" r="3"><x:c r="ZZ3"><x:v>1</x:v></x:c></x:row>'
    path = xlsx(tmp_path / "prefixed.xlsx", {"Intake": HEADER + far})
    assert refusal(path).startswith(f"sheet 'Intake' has a filled cell at ZZ3, {INTAKE_LIMIT}")


def test_a_sheet_declaring_entities_is_refused(tmp_path):
    laughs = '<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    path = tmp_path / "laughs.xlsx"
    xlsx(path, {"Intake": HEADER})
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    parts["xl/worksheets/sheet1.xml"] = sheet.replace("?><worksheet", "?>" + laughs + "<worksheet").encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            out.writestr(name, data)
    assert refusal(path) == "sheet 'Intake' declares a DTD or XML entities; no spreadsheet does"


def test_a_sheet_merging_17_billion_cells_is_refused_even_unknown(tmp_path):
    # openpyxl, for the annotated copy, loads every sheet and makes an object per merged cell
    merges = '<mergeCells count="2"><mergeCell ref="A1:J1"/><mergeCell ref="A1:XFD1048576"/></mergeCells>'
    path = xlsx(tmp_path / "merged.xlsx", {"Notes": HEADER}, after=merges)
    assert refusal(path) == (
        "sheet 'Notes' merges 17,179,869,194 cells (the range A1:XFD1048576 among them); a workbook "
        "merges a few cells for a title: unmerge them (the limit is 100,000)"
    )  # 16,384 × 1,048,576 = 17,179,869,184, and the 10 of A1:J1
    title = xlsx(
        tmp_path / "title.xlsx", {"Intake": HEADER}, after='<mergeCells><mergeCell ref="A1:J1"/></mergeCells>'
    )
    check_container(title, "xlsx")


def shared_strings(unique: int) -> str:
    return (
        '<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'count="1" uniqueCount="{unique}"><si><t>detainee_id</t></si></sst>'
    )


def test_shared_strings_declaring_billions_are_refused(tmp_path):
    # calamine reserves uniqueCount × 24 bytes first: 96 GB here, for one string
    path = xlsx(tmp_path / "sst.xlsx", {"Intake": HEADER}, strings=shared_strings(4_000_000_000))
    assert refusal(path) == (
        "part xl/sharedStrings.xml declares 4,000,000,000 shared strings but holds 1; it was not read "
        "(the reader would reserve room for every declared one)"
    )


def test_shared_strings_may_overcount_by_the_slack(tmp_path):
    # one string held: 100,001 declared is within the slack of 100,000, 100,002 is not
    check_container(
        xlsx(tmp_path / "loose.xlsx", {"Intake": HEADER}, strings=shared_strings(100_001)), "xlsx"
    )
    path = xlsx(tmp_path / "over.xlsx", {"Intake": HEADER}, strings=shared_strings(100_002))
    assert refusal(path).startswith("part xl/sharedStrings.xml declares 100,002 shared strings but holds 1;")


# ---------------------------------------------------------------------------- zip bombs and damage


def _patch_sizes(path: Path, member: str, *, size: int | None = None, crc: int | None = None) -> None:
    """Rewrite what the zip declares for one part, in its local header and its central entry."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(member)
        central = archive.start_dir
    while data[central + 46 : central + 46 + len(member.encode())] != member.encode():
        assert data[central : central + 4] == b"PK\x01\x02"
        name_length, extra_length, comment_length = struct.unpack_from("<HHH", data, central + 28)
        central += 46 + name_length + extra_length + comment_length
    for at in (info.header_offset + 14, central + 16):  # the CRC, then both sizes
        if crc is not None:
            struct.pack_into("<I", data, at, crc)
        if size is not None:
            struct.pack_into("<I", data, at + 8, size)
    path.write_bytes(bytes(data))


def test_a_part_inflating_past_its_declared_size_is_stopped(tmp_path):
    # 20 MB of one repeated row declared as 1,000 bytes: the streaming stops at 1,000
    path = xlsx(tmp_path / "bomb.xlsx", {"Intake": HEADER + "<row/>" * 3_500_000})
    _patch_sizes(path, "xl/worksheets/sheet1.xml", size=1000)
    assert refusal(path) == (
        "part xl/worksheets/sheet1.xml inflates to more than the 1,000 bytes it declares "
        "(a zip bomb, or a damaged file); it was not read"
    )


def test_a_part_declaring_a_huge_size_is_refused_before_inflating(tmp_path):
    path = xlsx(tmp_path / "huge.xlsx", {"Intake": HEADER})
    _patch_sizes(path, "xl/worksheets/sheet1.xml", size=3 << 30)
    assert refusal(path) == (
        "part xl/worksheets/sheet1.xml declares 3.0 GiB once inflated; a workbook's parts are at "
        "most a few hundred MB (the limit is 1.0 GiB)"
    )


def test_a_part_compressed_a_thousandfold_is_refused(tmp_path):
    path = xlsx(tmp_path / "ratio.xlsx", {"Intake": HEADER + "<row/>" * 3_500_000})
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    ratio = info.file_size // info.compress_size
    assert ratio > 100  # deflate packs a repeated tag about 1,000 times
    assert refusal(path).startswith(f"part xl/worksheets/sheet1.xml inflates {ratio:,} times (")


def test_a_crc_mismatch_is_refused(tmp_path, valid_inspection):
    path = tmp_path / "crc.xlsx"
    path.write_bytes(valid_inspection.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("xl/styles.xml")
    _patch_sizes(path, "xl/styles.xml", crc=info.CRC ^ 1)
    assert refusal(path) == (
        "the workbook is damaged: part xl/styles.xml does not match its checksum; open it in Excel "
        "and save it again"
    )


def test_too_many_parts_are_refused(tmp_path):
    path = xlsx(tmp_path / "many.xlsx", {"Intake": HEADER})
    with zipfile.ZipFile(path, "a") as archive:
        for i in range(2_000):
            archive.writestr(f"xl/media/{i}.txt", "")
    # 4 package parts + 1 sheet + 2,000 added
    assert (
        refusal(path) == "the workbook holds 2,005 parts; a workbook holds a few dozen (the limit is 2,000)"
    )


# ---------------------------------------------------------------------------- .ods


def ods(path: Path, tables: dict[str, str], head: str = "") -> Path:
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>' + head + "<office:document-content "
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>'
        + "".join(f'<table:table table:name="{n}">{rows}</table:table>' for n, rows in tables.items())
        + "</office:spreadsheet></office:body></office:document-content>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        archive.writestr("content.xml", content)
    return path


def text(value: str, repeat: str = "") -> str:
    return f'<table:table-cell office:value-type="string"{repeat}><text:p>{value}</text:p></table:table-cell>'


ODS_HEADER = f"<table:table-row>{text('field')}{text('value')}</table:table-row>"


def test_an_ods_cell_repeated_a_hundred_million_times_is_refused(tmp_path):
    repeat = ' table:number-columns-repeated="100000000"'
    bomb = f"<table:table-row>{text('x', repeat)}</table:table-row>"
    path = ods(tmp_path / "bomb.ods", {"Facility": ODS_HEADER + bomb})
    assert refusal(path).startswith(
        f"sheet 'Facility' has a filled cell at row 2, column 100,000,000, {FACILITY_LIMIT}"
    )


def test_an_ods_row_repeated_past_excels_last_is_refused(tmp_path):
    rows = f'<table:table-row table:number-rows-repeated="2000000">{text("x")}</table:table-row>'
    path = ods(tmp_path / "rows.ods", {"Facility": ODS_HEADER + rows})
    # the header row, then 2,000,000 filled rows: the last is row 2,000,001
    assert refusal(path).startswith(
        "sheet 'Facility' has a filled cell at row 2,000,001, column 1, beyond Excel's"
    )


def test_an_unknown_ods_sheet_is_parsed_so_it_gets_the_widest_limit(tmp_path):
    # 200 empty cells then a filled one: column 201 is GS (7×26+19); Intake, the widest, stops well before
    empty = '<table:table-cell table:number-columns-repeated="200"/>'
    far = f"<table:table-row>{empty}{text('x')}</table:table-row>"
    path = ods(tmp_path / "notes.ods", {"Facility": ODS_HEADER, "Notes": far})
    assert refusal(path).startswith(f"sheet 'Notes' has a filled cell at GS1, {INTAKE_LIMIT}")


def test_libreoffices_trailing_empty_repeats_pass(tmp_path):
    trailing = (
        '<table:table-row table:number-rows-repeated="1048574">'
        '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>'
    )
    path = ods(tmp_path / "trailing.ods", {"Facility": ODS_HEADER + trailing})
    check_container(path, "ods")


def test_an_ods_declaring_entities_is_refused(tmp_path):
    path = ods(tmp_path / "laughs.ods", {"Facility": ODS_HEADER}, head='<!DOCTYPE x [<!ENTITY a "b">]>')
    assert refusal(path) == "content.xml (the sheets) declares a DTD or XML entities; no spreadsheet does"


# ---------------------------------------------------------------------------- .xls


def _directory_entry(data: bytes, name: str) -> int:
    """Offset of a directory entry in an .xls whose directory fits in its first sector chain."""
    raw = name.encode("utf-16-le")
    offset = data.index(raw + b"\0\0")
    assert (offset - 512) % 128 == 0
    return offset


def _fat(data: bytes) -> tuple[int, list[int]]:
    """(offset of the first FAT sector, the FAT), for a 512-byte-sector file with one FAT sector."""
    first = struct.unpack_from("<I", data, 0x4C)[0]
    offset = (first + 1) * 512
    return offset, list(struct.unpack_from("<128I", data, offset))


def test_an_xls_whose_workbook_chain_loops_is_refused(tmp_path, valid_builder):
    path = write_xls(valid_builder, tmp_path / "loop.xls")
    data = bytearray(path.read_bytes())
    entry = _directory_entry(data, "Workbook")
    start = struct.unpack_from("<I", data, entry + 0x74)[0]
    fat_offset, fat = _fat(data)
    second = fat[start]
    struct.pack_into("<I", data, fat_offset + 4 * second, start)  # the second sector leads back
    path.write_bytes(bytes(data))
    assert refusal(path) == (
        f"the .xls file is damaged: the chain of the stream 'Workbook' loops or overlaps another "
        f"(sector {start:,}); open it in Excel and save it again (as 'Excel Workbook (.xlsx)')"
    )


def test_an_xls_stream_starting_outside_the_file_is_refused(tmp_path, valid_builder):
    path = write_xls(valid_builder, tmp_path / "outside.xls")
    data = bytearray(path.read_bytes())
    struct.pack_into("<I", data, _directory_entry(data, "Workbook") + 0x74, 999_999)
    path.write_bytes(bytes(data))
    assert refusal(path) == (
        "the .xls file is damaged: the chain of the stream 'Workbook' points outside the file "
        "(sector 999,999); open it in Excel and save it again (as 'Excel Workbook (.xlsx)')"
    )


def test_an_xls_stream_declaring_more_than_its_chain_is_refused(tmp_path, valid_builder):
    path = write_xls(valid_builder, tmp_path / "size.xls")
    data = bytearray(path.read_bytes())
    entry = _directory_entry(data, "Workbook")
    struct.pack_into("<I", data, entry + 0x78, 4_000_000_000)
    path.write_bytes(bytes(data))
    assert refusal(path).startswith(
        "the .xls file is damaged: the stream 'Workbook' declares 4,000,000,000 bytes but its sectors hold "
    )


def small_xls(path: Path, far_column: int = 1) -> Path:
    """An .xls Facility sheet: field/value, one field, and a value in 0-based `far_column`."""
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("Facility")
    sheet.write(0, 0, "field")
    sheet.write(0, 1, "value")
    sheet.write(1, 0, "facility_id")
    sheet.write(1, far_column, "ATL-1")
    book.save(str(path))
    return path


def test_an_xls_declaring_four_billion_rows_is_refused(tmp_path):
    # calamine sizes the sheet's grid from its DIMENSIONS record: 11 PB for this one
    path = small_xls(tmp_path / "dims.xls")
    data = bytearray(path.read_bytes())
    at = data.index(b"\x00\x02\x0e\x00")  # the DIMENSIONS record, 14 bytes long
    struct.pack_into("<IIHH", data, at + 4, 0, 0xFFFFFFFF, 0, 0xFFFF)
    path.write_bytes(bytes(data))
    assert refusal(path) == (
        "sheet 'Facility' declares 4,294,967,295 rows and 65,535 columns (to row 4,294,967,295, column "
        "65,535); an .xls sheet holds at most 65,536 rows and 256 columns"
    )


def test_an_xls_cell_at_column_65536_is_refused(tmp_path):
    # the format's 16-bit column allows 65,535 (0-based); calamine would ask for 125 GB
    path = small_xls(tmp_path / "column.xls")
    data = bytearray(path.read_bytes())
    at = data.index(b"\xfd\x00\x0a\x00")  # the first LABELSST record: the cell A1
    struct.pack_into("<HH", data, at + 4, 59_999, 0xFFFF)
    path.write_bytes(bytes(data))
    assert refusal(path) == (
        "sheet 'Facility' has a cell at row 60,000, column 65,536; an .xls sheet has at most 256 columns (IV)"
    )


def test_an_xls_filled_cell_beyond_its_sheets_limit_is_refused(tmp_path):
    # column 100 (CV: 3×26+22) is a valid .xls column, but Facility may fill no further than BN
    path = small_xls(tmp_path / "wide.xls", far_column=99)
    assert refusal(path).startswith(f"sheet 'Facility' has a filled cell at CV2, {FACILITY_LIMIT}")
    check_container(small_xls(tmp_path / "narrow.xls", far_column=65), "xls")  # BN2: the last allowed


# ---------------------------------------------------------------------------- normal workbooks pass


def test_valid_xlsx_ods_and_xls_pass(tmp_path, valid_inspection, valid_builder):
    check_container(valid_inspection, "xlsx")
    check_container(write_ods(valid_builder, tmp_path / "valid.ods"), "ods")
    check_container(write_xls(valid_builder, tmp_path / "valid.xls"), "xls")


@pytest.mark.realdata
def test_ices_own_files_pass_even_checked_as_known_sheets(realdata):
    """ICE's rosters and SRMS export declare A1:XFC1041 and style empty cells out to XFC: all
    their sheets, checked with a limit of 16,384 columns, pass (checksums, sizes, ratios too)."""
    files = sorted(realdata.glob("*.xlsx"))
    assert files
    for path in files:
        check_container(path, "xlsx", every_sheet(16_384))
        check_container(path, "xlsx", every_sheet(256))  # as a roster import would check them
        check_container(path, "xlsx")


def test_every_sheet_holds_rosters_to_one_limit(tmp_path):
    path = xlsx(
        tmp_path / "roster.xlsx", {"Facilities FY26": HEADER + '<row r="9"><c r="IW9"><v>1</v></c></row>'}
    )
    # column 257, IW (9×26+23), one beyond IV; and the roster's sheet is checked though unknown
    assert refusal_with(path, every_sheet(256)).startswith(
        "sheet 'Facilities FY26' has a filled cell at IW9, far outside its 256 columns"
    )
    check_container(path, "xlsx", every_sheet(257))


# ---------------------------------------------------------------------------- defusedxml


def _with_dtd(path: Path, part: str) -> Path:
    """The workbook at `path` with an entity declared and used in one XML part."""
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    xml = parts[part].decode()
    body = xml[xml.index("?>") + 2 :] if xml.startswith("<?xml") else xml
    parts[part] = ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "entity">]>' + body).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            out.writestr(name, data)
    return path


def test_a_workbook_part_declaring_entities_is_refused(tmp_path):
    path = _with_dtd(xlsx(tmp_path / "dtd.xlsx", {"Intake": HEADER}), "xl/workbook.xml")
    assert refusal(path) == (
        "xl/workbook.xml or its relationships declare a DTD or XML entities; no spreadsheet does"
    )


def test_openpyxl_parses_through_defusedxml(tmp_path, valid_inspection):
    """openpyxl (the annotated copy) uses defusedxml when it is installed: an entity is refused."""
    import openpyxl
    from defusedxml import DefusedXmlException

    path = tmp_path / "entity.xlsx"
    path.write_bytes(valid_inspection.read_bytes())
    _with_dtd(path, "xl/styles.xml")
    with pytest.raises(ValueError, match="could not read stylesheet") as caught:
        openpyxl.load_workbook(path)
    assert isinstance(caught.value.__cause__, DefusedXmlException)  # the stdlib would expand it


# ---------------------------------------------------------------------------- whatever the bytes


def test_an_encoding_expat_does_not_know_is_one_line(tmp_path):
    path = xlsx(tmp_path / "encoding.xlsx", {"Intake": HEADER + "<row><c><v>1</v></c></row>"})
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"].replace(b"UTF-8", b"TF-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            out.writestr(name, data)
    assert refusal(path) == "sheet 'Intake' is not readable XML (unknown encoding: TF-8)"


TOKENS = [b"<c>", b'<c r="XFD1">', b"<v>1</v>", b"</c>", b'r="', b"1048577", b"<!DOCTYPE x>", b"&x;"]
TOKENS += [b'table:number-columns-repeated="99999999999999999999"', b'office:value-type="float"']
TOKENS += [b'<x:c r="A1">', b"\x00", b'<mergeCell ref="A1:XFD9"/>', b'uniqueCount="99"', b"<", b'"']


@pytest.mark.parametrize("kind", ["xlsx", "ods", "xls"])
def test_mutated_workbooks_pass_or_give_one_line(tmp_path, valid_builder, kind):
    """200 seeded mutations of a valid workbook, in its XML (re-zipped honestly) or its raw bytes:
    each passes or is refused with a WorkbookError, never another exception."""
    import random

    valid = {"xlsx": valid_builder.xlsx, "ods": lambda p: write_ods(valid_builder, p)}
    valid["xls"] = lambda p: write_xls(valid_builder, p)
    source = valid[kind](tmp_path / f"valid.{kind}").read_bytes()
    parts = {}
    if kind != "xls":
        with zipfile.ZipFile(tmp_path / f"valid.{kind}") as archive:
            parts = {name: archive.read(name) for name in archive.namelist()}
    rng = random.Random(14)
    path = tmp_path / f"mutated.{kind}"
    for _ in range(200):
        if parts and rng.random() < 0.5:
            mutated = dict(parts)
            name = rng.choice([n for n in parts if n.endswith(".xml")])
            data = bytearray(parts[name])
            at = rng.randrange(len(data) + 1)
            data[at:at] = rng.choice(TOKENS)
            mutated[name] = bytes(data)
            with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
                for part, content in mutated.items():
                    out.writestr(part, content)
        else:
            data = bytearray(source)
            for _ in range(rng.choice([1, 4, 16])):
                at = rng.randrange(len(data))
                data[at : at + 4] = rng.choice(
                    [b"\xff\xff\xff\xff", b"\0\0\0\0", b"\xfe\xff\xff\xff", b"\x7f"]
                )
            path.write_bytes(bytes(data))
        try:
            check_container(path, kind)
        except WorkbookError as exc:
            assert "\n" not in str(exc)
