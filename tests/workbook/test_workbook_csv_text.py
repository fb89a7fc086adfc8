"""CSV folders in every encoding and line end Excel and friends save, read to the same cells.

One small inspection (an accented facility name, a multi-line remark, a bad cell at Intake!C3)
is written as UTF-8 with LF, then re-encoded by hand; every variant must give the same Facility
fields, the same typed Intake rows and the same problem at the same cell.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from builders import InspectionBuilder, at, refs, sha256

from auditor.errors import WorkbookError
from auditor.safe_cells import csv_frame, csv_text, csv_unquote
from auditor.workbook.inspection import load
from auditor.workbook.text_files import decode_text

NAME = "Centre Démonstration Ñandú"  # é, Ñ and ú exist in cp1252 too


def intake(**cells: object) -> dict[str, object]:
    return {"detainee_id": "A000000001", "arrival": at("2026-01-05 08:00"), **cells}


def folder_as(tmp_path: Path, label: str, encode: Callable[[str], bytes]) -> Path:
    """The inspection's CSVs, their UTF-8 text re-encoded by `encode`."""
    builder = InspectionBuilder().facility(facility_name=NAME)
    builder.sheet("Intake", [intake(sex="F"), intake(detainee_id="A000000002", sex="Q")])
    folder = builder.csv(tmp_path / label)
    for file in folder.glob("*.csv"):
        text = file.read_bytes().decode("utf-8")
        assert "\r" not in text  # the builder writes LF: the variants below are the only CRs
        file.write_bytes(encode(text))
    return folder


ENCODINGS: dict[str, Callable[[str], bytes]] = {
    "utf-8": lambda t: t.encode("utf-8"),
    "utf-8 BOM": lambda t: codecs.BOM_UTF8 + t.encode("utf-8"),
    "utf-16 LE BOM": lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le"),
    "utf-16 BE BOM": lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"),
    "utf-32 LE BOM": lambda t: codecs.BOM_UTF32_LE + t.encode("utf-32-le"),
    "utf-32 BE BOM": lambda t: codecs.BOM_UTF32_BE + t.encode("utf-32-be"),
    "CR": lambda t: t.replace("\n", "\r").encode("utf-8"),
    "CRLF": lambda t: t.replace("\n", "\r\n").encode("utf-8"),
    "UTF-16 and CR": lambda t: codecs.BOM_UTF16_LE + t.replace("\n", "\r").encode("utf-16-le"),
}


@pytest.mark.parametrize("label", list(ENCODINGS))
def test_every_encoding_and_line_end_reads_the_same_cells(tmp_path, label):
    expected = load(folder_as(tmp_path, "reference", ENCODINGS["utf-8"]))
    result = load(folder_as(tmp_path, "variant", ENCODINGS[label]))

    assert result.inspection.facility["facility_name"] == NAME
    assert refs(result.problems.frame) == ["Intake!C3"]  # sex Q, the second record: row 3
    assert "not_utf8" not in set(result.problems.frame["code"])
    pd.testing.assert_frame_equal(result.inspection.sheets["Intake"], expected.inspection.sheets["Intake"])
    assert list(result.inspection.sheets["Intake"].index) == [2, 3]


def test_cp1252_is_read_with_a_warning_naming_the_file(tmp_path):
    folder = folder_as(tmp_path, "cp1252", lambda t: t.encode("cp1252"))
    assert b"D\xe9monstration" in (folder / "Facility.csv").read_bytes()  # é as the single byte 0xE9

    result = load(folder)

    assert result.inspection.facility["facility_name"] == NAME
    warnings = result.problems.frame[result.problems.frame["code"] == "not_utf8"]
    assert list(warnings["sheet"]) == ["Facility"]  # Intake.csv is ASCII: valid UTF-8 as it is
    assert set(warnings["severity"]) == {"warning"}
    assert (
        warnings["message"].iloc[0].startswith("Facility.csv is not UTF-8 text; it was read as Windows-1252")
    )
    assert refs(result.problems.frame, severity="error") == ["Intake!C3"]


def error_line(cli, path: Path) -> str:
    """`auditor validate PATH`: exit 1 and one line on stderr, no traceback, the input untouched."""
    before = {file.name: sha256(file) for file in path.glob("*.csv")}
    result = cli("validate", path)
    assert {file.name: sha256(file) for file in path.glob("*.csv")} == before
    assert result.exit_code == 1, (result.exit_code, result.output, result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_bytes_neither_utf8_nor_cp1252_are_a_clear_error(cli, tmp_path):
    folder = folder_as(tmp_path, "bad", lambda t: t.encode("utf-8"))
    intake_csv = folder / "Intake.csv"
    lines = intake_csv.read_bytes().split(b"\n")
    lines[2] = lines[2] + b",\x81"  # 0x81: undefined in cp1252, invalid in UTF-8
    intake_csv.write_bytes(b"\n".join(lines))
    at_byte = len(b"\n".join(lines[:2])) + 1 + len(lines[2]) - 1

    line = error_line(cli, folder)

    assert line.startswith(f"error: {intake_csv}: line 3, byte {at_byte} (0x81) is neither UTF-8 nor ")
    assert line.endswith("save it as 'CSV UTF-8 (Comma delimited)'")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (codecs.BOM_UTF8 + b"a,b\n\xe9", "Intake.csv: line 2, byte 7 (0xE9) is not valid UTF-8 text"),
        (
            codecs.BOM_UTF16_LE + "a,b\n".encode("utf-16-le") + b"\x00\xdc",
            "line 2, byte 10 (0x00) is not valid",
        ),
        (codecs.BOM_UTF16_LE + b"a\x00b", "line 1, byte 4 (0x62) is not valid UTF-16-LE text"),
        (
            "a,b\nc,d\n".encode("utf-16-le"),
            "Intake.csv: NUL byte at line 1: not a text CSV (UTF-16 or UTF-32",
        ),
    ],
    ids=["BOM says UTF-8", "UTF-16 lone surrogate", "odd UTF-16 length", "UTF-16 without a BOM"],
)
def test_a_byte_order_mark_is_binding_and_nul_bytes_are_refused(cli, tmp_path, raw, message):
    folder = folder_as(tmp_path, "bom", lambda t: t.encode("utf-8"))
    (folder / "Intake.csv").write_bytes(raw)
    assert message in error_line(cli, folder)


def test_line_ends_inside_a_quoted_cell_do_not_shift_the_rows(tmp_path):
    builder = InspectionBuilder()
    builder.sheet(
        "Intake", [intake(sex="F", housing_unit="A-1\nannex"), intake(detainee_id="A000000002", sex="Q")]
    )
    reference = load(builder.csv(tmp_path / "lf"))
    folder = builder.csv(tmp_path / "cr")
    intake_csv = folder / "Intake.csv"
    intake_csv.write_bytes(intake_csv.read_bytes().replace(b"\n", b"\r"))

    result = load(folder)

    assert refs(reference.problems.frame) == refs(result.problems.frame) == ["Intake!C3"]
    assert result.inspection.sheets["Intake"].at[2, "housing_unit"] == "A-1\nannex"
    pd.testing.assert_frame_equal(result.inspection.sheets["Intake"], reference.inspection.sheets["Intake"])


def test_decode_text_keeps_lf_and_crlf_and_turns_lone_cr_into_lf():
    assert decode_text(b"a,b\r\n1,2\r\n", "x.csv").text == "a,b\r\n1,2\r\n"
    assert decode_text(b"a,b\n1,2\n", "x.csv").data == b"a,b\n1,2\n"
    mixed = decode_text(b"a,b\r1,2\r\n3,4\n5,6", "x.csv")
    assert mixed.text == "a,b\n1,2\n3,4\n5,6" and mixed.data == b"a,b\n1,2\n3,4\n5,6"
    assert mixed.encoding == "utf-8" and mixed.warning is None


def test_decode_text_reports_the_encoding_it_found():
    found = {
        label: decode_text(encode("é,1\n"), "x.csv").encoding
        for label, encode in ENCODINGS.items()
        if "BOM" in label
    }
    assert found == {
        "utf-8 BOM": "utf-8",
        "utf-16 LE BOM": "utf-16-le",
        "utf-16 BE BOM": "utf-16-be",
        "utf-32 LE BOM": "utf-32-le",
        "utf-32 BE BOM": "utf-32-be",
    }
    assert decode_text(b"\xe9,1\n", "x.csv").encoding == "cp1252"
    with pytest.raises(WorkbookError, match=r"^x\.csv: line 1, byte 0 \(0x81\) is neither UTF-8 nor"):
        decode_text(b"\x81", "x.csv")


# ---------------------------------------------------------------------------- writing CSVs

QUOTING = {  # value → what a CSV cell holds (hand-written: Excel's leading apostrophe or nothing)
    "=1+1": "'=1+1",
    "+cmd|' /C calc'!A0": "'+cmd|' /C calc'!A0",
    "-cmd": "'-cmd",
    "-2+3": "'-2+3",  # a formula in Excel, not a number
    "@SUM(A1)": "'@SUM(A1)",
    "\tx": "'\tx",
    "\rx": "'\rx",
    "-": "'-",
    "'=x": "''=x",  # already quoted: one more, so that reading takes exactly one off
    "-5": "-5",  # plain numbers: Excel reads them as numbers, never as formulas
    "+3.25": "+3.25",
    "-.5e-3": "-.5e-3",
    "O'Brien": "O'Brien",
    "'hello": "'hello",
    "a=b": "a=b",
    "": "",
}


@pytest.mark.parametrize(("value", "written"), list(QUOTING.items()))
def test_csv_text_quotes_formula_like_text_and_leaves_numbers(value, written):
    assert csv_text(value) == written
    frame = pd.DataFrame({"text": [value, None], "number": [-5, 7]})
    quoted = csv_frame(frame)
    assert quoted["text"].iloc[0] == written and pd.isna(quoted["text"].iloc[1])
    assert quoted["number"].tolist() == [-5, 7]
    assert frame["text"].iloc[0] == value  # the caller's frame is left as it was


def test_csv_unquote_takes_off_exactly_what_csv_text_added():
    values = [*QUOTING, None]
    quoted = pa.array([None if v is None else csv_text(v) for v in values], pa.string())
    assert csv_unquote(quoted).to_pylist() == values
    assert csv_text(-5) == -5 and csv_text(None) is None  # numbers written as numbers stay numbers


def test_a_written_csv_folder_quotes_formulas_and_reads_back_the_same_values(tmp_path):
    ids = ["=1+1", "-cmd", "'=x", "O'Brien", "@A1", "-5"]
    builder = InspectionBuilder().facility(facility_name='=HYPERLINK("http://x")', lead_inspector="-Pat")
    builder.sheet("Intake", [intake(detainee_id=i, sex="F") for i in ids])
    builder.sheet("FoodTemps", [{"temp_f": -5.5}])
    folder = builder.csv(tmp_path / "folder")

    intake_cells = [row[0] for row in csv.reader(io.StringIO((folder / "Intake.csv").read_text()))]
    assert intake_cells == ["detainee_id", "'=1+1", "'-cmd", "''=x", "O'Brien", "'@A1", "-5"]
    facility = dict(csv.reader(io.StringIO((folder / "Facility.csv").read_text())))
    assert (facility["facility_name"], facility["lead_inspector"]) == ('\'=HYPERLINK("http://x")', "'-Pat")
    assert "-5.5" in (folder / "FoodTemps.csv").read_text().splitlines()[1].split(",")

    loaded = load(folder)
    assert loaded.inspection.sheets["Intake"]["detainee_id"].tolist() == ids
    assert loaded.inspection.facility["facility_name"] == '=HYPERLINK("http://x")'
    assert loaded.inspection.facility["lead_inspector"] == "-Pat"
    assert loaded.inspection.sheets["FoodTemps"]["temp_f"].tolist() == [-5.5]


def test_an_inspectors_apostrophes_are_kept_and_only_a_quoting_one_comes_off(tmp_path):
    # 1,200 names with an apostrophe inside: past the reader's quick look, the columns are scanned
    names = [f"O'Brien {i}" for i in range(1200)]
    folder = (
        InspectionBuilder()
        .sheet("Intake", [intake(detainee_id=n, sex="F") for n in names])
        .csv(tmp_path / "f")
    )
    intake_csv = folder / "Intake.csv"
    intake_csv.write_text(intake_csv.read_text() + "'=x,2026-01-05 08:00,F\n'hello,2026-01-05 08:00,F\n")

    ids = load(folder).inspection.sheets["Intake"]["detainee_id"]

    assert ids.tolist() == [*names, "=x", "'hello"]  # as Excel shows `'=x`; `'hello` was not quoting
    assert list(ids.index[-2:]) == [1202, 1203]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_utf16_csv_given_as_a_file_is_named_as_text(cli, tmp_path, suffix):
    path = tmp_path / f"Intake{suffix}"
    path.write_bytes(ENCODINGS["utf-16 LE BOM"]("detainee_id,arrival\n"))
    result = cli("validate", path)
    assert result.exit_code == 1 and "Traceback" not in result.output
    expected = "a single CSV file" if suffix == ".csv" else "this is a text (CSV) file, not an Excel workbook"
    assert result.stderr.strip().startswith(f"error: {path}: {expected}")


def test_a_first_line_cell_over_the_csv_field_limit_is_a_clear_error(cli, tmp_path):
    folder = folder_as(tmp_path, "wide", lambda t: t.encode("utf-8"))
    (folder / "Intake.csv").write_text("detainee_id," + "x" * 200_000 + "\nA1,2026-01-05 08:00\n")
    line = error_line(cli, folder)
    reason = "not a well-formed CSV file (field larger than field limit (131072))"
    assert line == f"error: {folder / 'Intake.csv'}: {reason}"
