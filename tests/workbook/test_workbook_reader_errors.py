"""What a reader library raises on a damaged file is a one-line WorkbookError where the library is
called (auditor.workbook.read.reader_errors), never an exception the bounded reader can only
report as "the reader failed"."""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

import fastexcel
import pytest
import python_calamine
from rosters import NORTH, write_roster

from auditor.errors import ReadLimitError, WorkbookError
from auditor.imports.table import open_table
from auditor.workbook.annotate import annotate
from auditor.workbook.inspection import load
from auditor.workbook.read import reader_errors


def _raise(error: BaseException) -> None:
    with reader_errors("book.xlsx: the workbook cannot be read"):
        raise error


@pytest.mark.parametrize(
    ("error", "shown"),
    [
        (python_calamine.XmlError("cannot decode input using UTF-8"), "cannot decode input using UTF-8"),
        (fastexcel.CalamineError("calamine error: Xlsx error: bad"), "calamine error: Xlsx error: bad"),
        (zipfile.BadZipFile("Bad CRC-32 for file 'xl/styles.xml'"), "Bad CRC-32 for file 'xl/styles.xml'"),
        # a KeyError's str() is the repr of its key: the message shows the key's own text
        (
            KeyError("There is no item named 'xl/styles.xml' in the archive"),
            "There is no item named 'xl/styles.xml' in the archive",
        ),
        (struct.error("unpack requires a buffer of 8 bytes"), "unpack requires a buffer of 8 bytes"),
        (
            UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte"),
            "'utf-8' codec can't decode byte 0xff in position 0: invalid start byte",
        ),
        (ValueError("first line\nsecond line"), "first line"),  # one line, always
        (IndexError(), "IndexError"),  # no text: the error's kind says what failed
    ],
)
def test_a_library_error_becomes_one_workbook_error_line(error: Exception, shown: str) -> None:
    with pytest.raises(WorkbookError) as caught:
        _raise(error)
    assert type(caught.value) is WorkbookError
    assert str(caught.value) == f"book.xlsx: the workbook cannot be read ({shown})"


@pytest.mark.parametrize(
    "error",
    [
        WorkbookError("book.xlsx: sheet 'Intake' is not well-formed XML"),  # ours, already one line
        ReadLimitError("book.xlsx: reading this file takes longer than 120 s"),
        MemoryError(),  # the bounded reader reports these as its memory limit
        RecursionError(),  # and as a file nested too deeply
        KeyboardInterrupt(),  # not an Exception, as a Rust panic is not: the bounded reader's to report
    ],
)
def test_our_errors_and_the_limits_pass_unchanged(error: BaseException) -> None:
    with pytest.raises(type(error)) as caught:
        _raise(error)
    assert caught.value is error


def _rewrite_part(source: Path, target: Path, part: str, change) -> Path:
    with zipfile.ZipFile(source) as inside, zipfile.ZipFile(target, "w") as out:
        for item in inside.infolist():
            data = inside.read(item.filename)
            out.writestr(item, change(data) if item.filename == part else data, item.compress_type)
    return target


def test_a_roster_whose_sheet_is_not_utf8_is_one_line(tmp_path: Path) -> None:
    """calamine opens the roster, then raises XmlError reading the sheet's cells (bytes 40-42 of
    its XML are 0xC3, which starts a 2-byte UTF-8 sequence that never ends)."""
    roster = write_roster(tmp_path / "roster.xlsx", [NORTH])
    damaged = _rewrite_part(
        roster, tmp_path / "damaged.xlsx", "xl/worksheets/sheet2.xml", lambda d: d[:40] + b"\xc3" * 3 + d[43:]
    )
    with pytest.raises(WorkbookError) as caught:
        open_table(damaged, "Facilities")
    assert not isinstance(caught.value, ReadLimitError)
    assert str(caught.value) == (
        f"{damaged}: sheet 'Facilities FY27' cannot be read (cannot decode input using UTF-8: invalid "
        "utf-8 sequence of 1 bytes from index 40)"
    )


def test_annotating_an_xlsx_whose_styles_openpyxl_cannot_parse_is_one_line(valid_builder, tmp_path):
    """fastexcel reads the cells without xl/styles.xml's damage; openpyxl, copying the workbook
    for the annotated copy, parses every part and raised ParseError."""
    source = valid_builder.sheet("Intake", []).xlsx(tmp_path / "source.xlsx")
    damaged = _rewrite_part(
        source, tmp_path / "damaged.xlsx", "xl/styles.xml", lambda d: d[:40] + b"<" + d[40:]
    )
    loaded = load(damaged)
    with pytest.raises(WorkbookError) as caught:
        annotate(loaded.raw, loaded.problems, tmp_path / "annotated.xlsx")
    assert not isinstance(caught.value, ReadLimitError)
    assert str(caught.value) == (
        f"{damaged}: the workbook cannot be opened (XML declaration not well-formed: line 1, column 37)"
    )
    assert not (tmp_path / "annotated.xlsx").exists()


def test_annotating_an_ods_damaged_since_it_was_read_uses_the_bytes_read(valid_builder, tmp_path):
    """The annotated copy of an .ods is rebuilt from the bytes that were read (RawWorkbook.data),
    not from the file again: the file cut in half since then changes nothing in the copy."""
    from openpyxl import load_workbook
    from test_workbook_ods_xls import write_ods

    path = write_ods(valid_builder, tmp_path / "inspection.ods")
    loaded = load(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    out = annotate(loaded.raw, loaded.problems, tmp_path / "annotated.xlsx")
    copy = load_workbook(out)
    facility = loaded.raw.facility
    assert facility is not None
    assert copy["Facility"]["B2"].value == facility.loc[copy["Facility"]["A2"].value, "value"]
    assert copy["Intake"].max_row == loaded.raw.sheets["Intake"].frame.index.max()


def test_a_zip_whose_part_name_is_not_utf8_is_named_as_damaged(valid_builder, tmp_path):
    """Found by the fuzz: a name flagged UTF-8 in the zip directory that is not UTF-8 makes
    zipfile raise UnicodeDecodeError while the file's kind is being decided."""
    source = valid_builder.xlsx(tmp_path / "source.xlsx")
    named = tmp_path / "named.xlsx"
    with zipfile.ZipFile(source) as inside, zipfile.ZipFile(named, "w") as out:
        for item in inside.infolist():
            out.writestr(item, inside.read(item.filename))
        out.writestr("xl/caf\u00e9.xml", b"<x/>")  # a non-ASCII name: written as UTF-8, flagged so
    damaged = tmp_path / "damaged.xlsx"
    damaged.write_bytes(named.read_bytes().replace("caf\u00e9".encode(), b"caf\xc3\x28"))  # é → 0xC3 (
    with pytest.raises(WorkbookError) as caught:
        load(damaged)
    assert not isinstance(caught.value, ReadLimitError)
    assert str(caught.value) == (
        f"{damaged}: the workbook is damaged or truncated ('utf-8' codec can't decode byte 0xc3 in "
        "position 6: invalid continuation byte)"
    )
