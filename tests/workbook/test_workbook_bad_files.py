"""Files that are not what they claim, or are messy: one readable line or a Problem, never a traceback.

Everything goes through the real CLI (`auditor validate`), and no input is ever modified.
"""

from __future__ import annotations

import json
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from builders import at, sha256

from auditor.workbook.inspection import load


def error_line(cli, path: Path) -> str:
    """`auditor validate PATH`'s one-line error: exit code 1, one line on stderr, no traceback
    anywhere, and the input left as it was."""
    before = sha256(path)
    result = cli("validate", path)
    assert sha256(path) == before, "the input was modified"
    assert result.exit_code == 1, (result.exit_code, result.output, result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def validate_json(cli, path: Path) -> dict:
    before = sha256(path)
    result = cli("validate", path, "--format", "json")
    assert sha256(path) == before, "the input was modified"
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def by_ref(report: dict) -> dict[str, dict]:
    return {p["ref"]: p for p in report["problems"]}


# ---------------------------------------------------------------------------- not workbooks


def test_a_csv_renamed_xlsx_is_named_as_text(cli, tmp_path):
    path = tmp_path / "intake.xlsx"
    path.write_text("detainee_id,arrival\nA1,2026-01-05 08:00\n")
    line = error_line(cli, path)
    assert line.startswith(f"error: {path}: this is a text (CSV) file, not an Excel workbook")


def test_a_pdf_renamed_xlsx_is_named_as_a_pdf(cli, tmp_path):
    path = tmp_path / "inspection.xlsx"
    path.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n")
    assert error_line(cli, path) == f"error: {path}: this is a PDF document, not a workbook"


def test_an_empty_file_is_named_as_empty(cli, tmp_path):
    path = tmp_path / "inspection.xlsx"
    path.write_bytes(b"")
    assert error_line(cli, path) == f"error: {path}: the file is empty"


def test_a_truncated_workbook_is_named_as_damaged(cli, valid_inspection, tmp_path):
    path = tmp_path / "truncated.xlsx"
    data = valid_inspection.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    line = error_line(cli, path)
    assert line.startswith(f"error: {path}: the workbook is damaged or truncated")


def test_a_workbook_with_a_damaged_sheet_is_one_line_too(cli, valid_inspection, tmp_path):
    path = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(valid_inspection) as source, zipfile.ZipFile(path, "w") as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet2.xml":
                data = data[: len(data) // 2]  # the Intake sheet's XML cut mid-element
            out.writestr(item, data)
    line = error_line(cli, path)
    assert line.startswith(f"error: {path}: ")


def test_a_zip_that_is_not_a_workbook_is_named(cli, tmp_path):
    path = tmp_path / "archive.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("notes.txt", "hello")
    assert error_line(cli, path) == (
        f"error: {path}: a ZIP archive that is not an Excel or OpenDocument workbook"
    )


def compound_file(*streams: str) -> bytes:
    """A minimal OLE compound file (as Office writes an encrypted workbook) holding empty streams."""
    end, free, fat_sector, no_stream = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16)
    header += struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + bytes(6)
    header += struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
    header += struct.pack("<109I", 0, *[free] * 108)
    fat = struct.pack("<128I", fat_sector, end, *[free] * 126)

    def entry(name: str, kind: int, child: int = no_stream, right: int = no_stream) -> bytes:
        encoded = (name + "\0").encode("utf-16-le")
        return (
            encoded.ljust(64, b"\0") + struct.pack("<HBB", len(encoded), kind, 1)
            + struct.pack("<III", no_stream, right, child) + bytes(16 + 4 + 16)
            + struct.pack("<IQ", end, 0)
        )

    names = sorted(streams, key=lambda n: (len(n), n.upper()))
    entries = entry("Root Entry", 5, child=1)
    for i, name in enumerate(names, start=1):
        entries += entry(name, 2, right=i + 1 if i < len(names) else no_stream)
    directory = entries.ljust(512, b"\0")
    return header + fat + directory


def test_an_encrypted_workbook_is_named_as_password_protected(cli, tmp_path):
    path = tmp_path / "locked.xlsx"
    data = compound_file("EncryptionInfo", "EncryptedPackage")
    assert len(data) == 3 * 512 and data[512:516] == struct.pack("<I", 0xFFFFFFFD)
    path.write_bytes(data)
    line = error_line(cli, path)
    assert line.startswith(f"error: {path}: the workbook is password-protected (encrypted)")


def test_an_office_file_that_is_no_workbook_is_named(cli, tmp_path):
    path = tmp_path / "letter.xls"
    path.write_bytes(compound_file("WordDocument"))
    assert "not a workbook" in error_line(cli, path)


def test_a_workbook_without_a_facility_sheet_is_named(cli, tmp_path):
    path = tmp_path / "no-facility.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Intake"
    book.active.append(["detainee_id", "arrival"])
    book.save(path)
    line = error_line(cli, path)
    assert line.startswith(f"error: {path}: there is no Facility sheet")


def test_a_folder_without_csv_files_is_named(cli, tmp_path):
    folder = tmp_path / "empty"
    folder.mkdir()
    line = error_line(cli, folder)
    assert line.startswith(f"error: {folder}: the folder holds no CSV files")


# ---------------------------------------------------------------------------- messy workbooks


@pytest.fixture
def housing_workbook(builder, tmp_path) -> Path:
    """Housing: unit_id A, rated_capacity B, population C; rows 2–4."""
    return builder.sheet("Housing", [
        {"unit_id": "A-1", "rated_capacity": 40, "population": 31},
        {"unit_id": "B-1", "rated_capacity": 20, "population": 12},
        {"unit_id": "C-1", "rated_capacity": 10, "population": 2},
    ]).xlsx(tmp_path / "housing.xlsx")


def edit(path: Path, change) -> Path:
    book = openpyxl.load_workbook(path)
    change(book)
    book.save(path)
    return path


def test_a_formula_without_a_saved_result_is_an_error_at_its_cell(cli, housing_workbook):
    def formula(book):
        book["Housing"]["B3"] = "=10*2"  # openpyxl saves no result, as a generated file would

    report = validate_json(cli, edit(housing_workbook, formula))
    problem = by_ref(report)["Housing!B3"]
    assert (problem["severity"], problem["code"], problem["column"], problem["row"]) == (
        "error", "formula_without_value", "rated_capacity", 3,
    )
    assert report["errors"] == 1


def test_an_excel_error_value_is_an_error_at_its_cell(cli, housing_workbook):
    def error(book):
        book["Housing"]["C4"] = "#DIV/0!"  # openpyxl stores this as an error cell

    problem = by_ref(validate_json(cli, edit(housing_workbook, error)))["Housing!C4"]
    assert (problem["code"], problem["value"]) == ("error_value", "#DIV/0!")


def test_a_number_stored_as_text_is_a_warning_and_still_read(cli, housing_workbook):
    def as_text(book):
        book["Housing"]["C2"] = "31"

    path = edit(housing_workbook, as_text)
    report = validate_json(cli, path)
    assert report["valid"] and report["errors"] == 0
    problem = by_ref(report)["Housing!C2"]
    assert (problem["severity"], problem["code"], problem["value"]) == ("warning", "number_as_text", "31")
    assert load(path).inspection.sheets["Housing"].at[2, "population"] == 31


def test_merged_cells_are_a_warning(cli, housing_workbook):
    def merge(book):
        book["Housing"].merge_cells("B4:C4")

    report = validate_json(cli, edit(housing_workbook, merge))
    problem = by_ref(report)["Housing!B4"]
    assert (problem["severity"], problem["code"]) == ("warning", "merged_cells")
    assert problem["message"].startswith("merged cells B4:C4")
    assert by_ref(report)["Housing!C4"]["code"] == "required"  # the merged-away population


def test_a_hidden_sheet_is_a_warning_and_still_read(cli, housing_workbook):
    def hide(book):
        book["Housing"].sheet_state = "hidden"

    report = validate_json(cli, edit(housing_workbook, hide))
    assert [(p["severity"], p["code"], p["ref"]) for p in report["problems"]] == [
        ("warning", "hidden_sheet", "Housing")
    ]


def test_a_duplicate_header_through_the_cli(cli, housing_workbook):
    def duplicate(book):
        book["Housing"]["D1"] = "Population"
        book["Housing"]["D2"] = 99

    report = validate_json(cli, edit(housing_workbook, duplicate))
    assert (by_ref(report)["Housing!D1"]["code"], report["valid"]) == ("duplicate_header", False)


def test_a_sheet_declaring_a_huge_range_reads_only_its_cells(builder, tmp_path):
    small = builder.sheet("Intake", [
        {"detainee_id": "A1", "arrival": at("2026-01-05 08:00"), "sex": "F"},
        {"detainee_id": "A2", "arrival": at("2026-01-06 08:00"), "sex": "Q"},
    ]).xlsx(tmp_path / "small.xlsx")
    path = tmp_path / "huge-range.xlsx"
    with zipfile.ZipFile(small) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet2.xml":
                assert b'<dimension ref="A1:C3"/>' in data
                data = data.replace(b'<dimension ref="A1:C3"/>', b'<dimension ref="A1:XFC1041"/>')
            out.writestr(item, data)
    result = load(path)
    frame = result.inspection.sheets["Intake"]
    assert list(frame.columns) == ["detainee_id", "arrival", "sex"] and list(frame.index) == [2, 3]
    assert [(p["code"], p["cell"]) for p in result.problems.records()] == [("not_allowed", "C3")]


# ---------------------------------------------------------------------------- exit codes


def test_exit_codes_valid_invalid_and_usage(cli, valid_inspection, builder, tmp_path):
    assert cli("validate", valid_inspection).exit_code == 0
    invalid = builder.facility(aor="XXX").xlsx(tmp_path / "invalid.xlsx")
    assert cli("validate", invalid).exit_code == 1
    missing = cli("validate", tmp_path / "missing.xlsx")
    assert missing.exit_code == 2 and "does not exist" in missing.stderr
    assert cli("validate").exit_code == 2


def test_the_installed_command_reports_one_line_and_exit_code(tmp_path):
    path = tmp_path / "inspection.xlsx"
    path.write_text("not,a,workbook\n")
    run = subprocess.run(
        [sys.executable, "-m", "auditor.cli", "validate", str(path)],
        capture_output=True, text=True, timeout=120,
    )
    assert run.returncode == 1
    assert run.stderr.strip().splitlines() == [
        f"error: {path}: this is a text (CSV) file, not an Excel workbook; save it from Excel as "
        "'Excel Workbook (.xlsx)' or put the CSVs in a folder named after the sheets"
    ]
    assert "Traceback" not in run.stdout + run.stderr


def test_a_binary_workbook_is_named(cli, tmp_path):
    path = tmp_path / "inspection.xlsb"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("xl/workbook.bin", b"\x83\x01\x00")
    assert error_line(cli, path) == (
        f"error: {path}: an Excel binary workbook (.xlsb); save it from Excel as 'Excel Workbook (.xlsx)'"
    )
