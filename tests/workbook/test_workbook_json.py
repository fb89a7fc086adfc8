"""`auditor validate --format json`: the shape documented in docs/validation-json.md."""

from __future__ import annotations

import json
import re
from pathlib import Path

from builders import at

DOC = Path(__file__).resolve().parents[2] / "docs" / "validation-json.md"
TOP = {"schema_version", "file", "valid", "errors", "warnings", "problems"}
PROBLEM = {"severity", "code", "sheet", "cell", "column", "row", "value", "expected", "message", "ref"}


def run(cli, path: Path) -> tuple[int, dict]:
    result = cli("validate", path, "--format", "json")
    return result.exit_code, json.loads(result.stdout)


def test_a_valid_inspection(cli, valid_inspection):
    code, report = run(cli, valid_inspection)
    assert code == 0
    assert report == {
        "schema_version": "1", "file": str(valid_inspection), "valid": True, "errors": 0, "warnings": 0,
        "problems": [],
    }


def test_problems_have_every_documented_field(cli, builder, tmp_path):
    path = builder.sheet("Intake", [
        {"detainee_id": "A1", "arrival": at("2026-01-05 08:00"), "date_of_birth": "03/04/1990"},
    ]).sheet("Checks", [{"placement_id": "P1", "checked": at("2026-01-06 09:00")}]).xlsx(tmp_path / "i.xlsx")
    code, report = run(cli, path)
    assert code == 1
    assert set(report) == TOP
    assert (report["valid"], report["errors"], report["warnings"]) == (False, 1, 1)
    assert all(set(p) == PROBLEM for p in report["problems"])
    assert report["problems"] == [
        {
            "severity": "error", "code": "bad_date", "sheet": "Intake", "cell": "C2",
            "column": "date_of_birth", "row": 2, "value": "03/04/1990",
            "expected": "a date (an Excel date or YYYY-MM-DD)",
            "message": "ambiguous date: write it as YYYY-MM-DD (or use an Excel date); 03/04/2026 could be "
                       "3 April or March 4, so it is never guessed",
            "ref": "Intake!C2",
        },
        {
            "severity": "warning", "code": "missing_sheet", "sheet": "Checks", "cell": None, "column": None,
            "row": None, "value": None, "expected": "",
            "message": "Checks refers to Placements by placement_id, but there is no Placements sheet; "
                       "the Checks rows cannot be used",
            "ref": "Checks",
        },
    ]


def test_warnings_alone_leave_the_input_valid(cli, builder, tmp_path):
    path = builder.sheet("Intake", [
        {"detainee_id": "A1", "arrival": at("2026-01-05 08:00"), "notes": "x"},
    ]).xlsx(tmp_path / "i.xlsx")
    code, report = run(cli, path)
    assert (code, report["valid"], report["errors"], report["warnings"]) == (0, True, 0, 1)


def test_problems_are_ordered_errors_first_then_by_sheet_and_row(cli, builder, tmp_path):
    path = builder.facility(aor="XX").sheet("Housing", [
        {"unit_id": "A", "rated_capacity": -1, "population": 1},
    ]).sheet("Intake", [
        {"detainee_id": "A1", "arrival": at("2026-01-05 08:00"), "sex": "Q", "notes": "x"},
        {"detainee_id": None, "arrival": at("2026-01-05 08:00")},
    ]).xlsx(tmp_path / "i.xlsx")
    _, report = run(cli, path)
    assert [p["ref"] for p in report["problems"]] == [
        "Facility!B5", "Intake!C2", "Intake!A3", "Housing!B2", "Intake!D1",
    ]


def test_the_document_describes_every_field_and_every_code_the_code_can_report():
    text = DOC.read_text()
    for name in TOP | PROBLEM:
        assert f"`{name}`" in text, name
    source = "\n".join(
        p.read_text() for p in (Path(__file__).resolve().parents[2] / "auditor" / "workbook").glob("*.py")
    )
    codes = set(re.findall(r'code="([a-z_]+)"', source))
    codes |= set(re.findall(r'problem\(\s*"([a-z_]+)"', source))
    codes |= {
        "not_a_number", "not_a_whole_number", "not_a_boolean", "bad_date", "not_allowed", "out_of_range",
        "duplicate", "required",
    }
    missing = sorted(c for c in codes if f"`{c}`" not in text)
    assert not missing, f"codes not documented in {DOC.name}: {missing}"
