"""A waivers CSV is decoded as every CSV the project reads (workbook/text_files.decode_text):
byte-order marks (UTF-8, UTF-16, UTF-32), strict UTF-8, else Windows-1252 with a warning carried
into the results; CR, LF or CRLF line ends; bytes that are no text are one ConfigError line."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest

from auditor.configs.waivers import load_waivers
from auditor.contracts.results import Result
from auditor.engine.waivers import WaiverEntry, apply_waivers
from auditor.errors import ConfigError

HEADER = "requirement_id,facility_id,justification,approved_by,expires"
ROWS = [
    "FS-COLD-HOLD,SPC-0001,Cooler on order.,J. Peña,2026-06-30",
    "GS-LOG,*,Log kept on paper meanwhile.,Zoë Ândré,2026-12-31",
]
EXPECTED = [
    WaiverEntry("FS-COLD-HOLD", "SPC-0001", "Cooler on order.", "J. Peña", dt.date(2026, 6, 30)),
    WaiverEntry("GS-LOG", "*", "Log kept on paper meanwhile.", "Zoë Ândré", dt.date(2026, 12, 31)),
]


def _write(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "waivers.csv"
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("encoding", "bom", "newline"),
    [
        ("utf-8", b"", "\n"),
        ("utf-8", b"\xef\xbb\xbf", "\r\n"),  # Excel's "CSV UTF-8"
        ("utf-16-le", b"\xff\xfe", "\r\n"),  # Excel's "Unicode text"
        ("utf-16-be", b"\xfe\xff", "\n"),
        ("utf-32-le", b"\xff\xfe\x00\x00", "\n"),
        ("utf-8", b"", "\r"),  # classic Mac line ends
    ],
)
def test_every_text_encoding_with_a_mark_reads_the_same_waivers(tmp_path, encoding, bom, newline) -> None:
    data = bom + newline.join([HEADER, *ROWS, ""]).encode(encoding)
    waivers = load_waivers(_write(tmp_path, data))
    assert waivers.entries == EXPECTED
    assert waivers.warnings == []
    assert waivers.sha256 == hashlib.sha256(data).hexdigest()  # of the file's bytes, as given


def test_windows_1252_is_read_with_a_warning_that_reaches_the_results(tmp_path) -> None:
    data = "\r\n".join([HEADER, *ROWS, ""]).encode("cp1252")  # Excel's "CSV (Comma delimited)"
    assert b"J. Pe\xf1a" in data  # ñ is one byte, not UTF-8
    waivers = load_waivers(_write(tmp_path, data))
    assert waivers.entries == EXPECTED
    warning = (
        "waivers.csv is not UTF-8 text; it was read as Windows-1252 (Excel's CSV default): check "
        "accented names, or save it as 'CSV UTF-8 (Comma delimited)'"
    )
    assert waivers.warnings == [warning]
    deficient = Result(
        "FS-COLD-HOLD", "deficient", priority=False, repeat=False, population=1, violations=1, evidence=[]
    )
    summary = apply_waivers([deficient], waivers, "SPC-0001", dt.date(2026, 4, 9))
    assert deficient.status == "waived"
    assert summary["warnings"] == [warning]


def test_a_utf8_file_has_no_warnings_key_in_the_results(tmp_path) -> None:
    waivers = load_waivers(_write(tmp_path, "\n".join([HEADER, *ROWS, ""]).encode()))
    summary = apply_waivers([], waivers, "SPC-0001", dt.date(2026, 4, 9))
    assert "warnings" not in summary  # results written before stay as they were


def test_utf16_without_a_mark_is_a_config_error_naming_the_line(tmp_path) -> None:
    path = _write(tmp_path, "\n".join([HEADER, *ROWS, ""]).encode("utf-16-le"))
    with pytest.raises(ConfigError) as caught:
        load_waivers(path)
    assert str(caught.value) == (
        f"{path}: NUL byte at line 1: not a text CSV (UTF-16 or UTF-32 without a byte-order mark?); "
        "save it as 'CSV UTF-8 (Comma delimited)'"
    )


def test_bytes_neither_utf8_nor_windows_1252_are_a_config_error(tmp_path) -> None:
    # 0x81 is undefined in Windows-1252 and cannot start a UTF-8 character: line 3, byte 60 + 1 + 58 + 1 + 12
    data = "\n".join([HEADER, ROWS[0], ""]).encode() + b"GS-LOG,*,Log\x81,J. Rivera,2026-12-31\n"
    at = data.index(b"\x81")
    assert at == 132
    path = _write(tmp_path, data)
    with pytest.raises(ConfigError) as caught:
        load_waivers(path)
    assert str(caught.value) == (
        f"{path}: line 3, byte {at} (0x81) is neither UTF-8 nor Windows-1252 text; "
        "save it as 'CSV UTF-8 (Comma delimited)'"
    )


def test_a_bad_row_after_cr_line_ends_names_its_line(tmp_path) -> None:
    data = "\r".join([HEADER, *ROWS, "NO-SUCH-THING,*,x,J. Rivera,2026-06-30", ""]).encode()
    path = _write(tmp_path, data)
    with pytest.raises(ConfigError) as caught:
        load_waivers(path)
    assert str(caught.value) == (
        f"{path}:4: waiver 3: requirement_id: there is no requirement 'NO-SUCH-THING' in any edition"
    )
