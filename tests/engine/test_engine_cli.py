"""`auditor audit` end to end: a workbook written by the project's writer, read back and evaluated."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from click.testing import Result as CliResult
from typer.testing import CliRunner

from auditor.cli import app
from auditor.standards.load import load_edition

if TYPE_CHECKING:
    from conftest import Workbook

Sample = dict[str, list[dict[str, Any]]]


def run(*args: str | Path) -> CliResult:
    return CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture
def sample_xlsx(tmp_path: Path, workbook: Workbook, sample: Sample) -> Path:
    return workbook(tmp_path / "inspection.xlsx", **sample)


def test_audit_json_has_the_contract_fields(sample_xlsx: Path) -> None:
    done = run("audit", sample_xlsx, "--format", "json")
    assert done.exit_code == 0, done.output
    data = json.loads(done.stdout)
    assert data["schema_version"] == "2"
    assert {"facility_id", "facility_name", "facility_type", "detention_standard"} <= set(data["facility"])
    assert data["facility"]["facility_id"] == "SPC-0001"
    assert data["inspection"]["inspection_id"] == "INS-2026-0001"
    assert (data["inspection"]["inspection_start"], data["inspection"]["inspection_end"]) == (
        "2026-04-06",
        "2026-04-09",
    )
    assert data["standards"]["edition"] == "PBNDS-2011"
    assert data["standards"]["catalogue_version"] == "2026.11.0"
    assert len(data["standards"]["sha256"]) == 64
    assert [i["name"] for i in data["inputs"]] == ["inspection.xlsx"]
    assert all(len(i["sha256"]) == 64 for i in data["inputs"])
    summary_keys = {"requirements_assessed", "compliant", "deficient", "not_assessed", "not_applicable",
                    "waived", "priority_deficiencies", "repeat_deficiencies", "rating"}  # fmt: skip
    assert summary_keys <= set(data["summary"])
    assert (data["summary"]["rating"], data["summary"]["decided"]) == ("Incomplete", 26)
    assert data["summary"]["areas_of_concern"] == 1  # POP-CAPACITY
    assert len(data["results"]) == len(load_edition("PBNDS-2011").requirements)  # every one, once
    for result in data["results"]:
        assert {
            "requirement_id",
            "status",
            "priority",
            "repeat",
            "population",
            "violations",
            "evidence",
        } <= set(result)
        for item in result["evidence"]:
            assert {"sheet", "row", "cells", "detail"} <= set(item)
    screen = next(r for r in data["results"] if r["requirement_id"] == "MC-INTAKE-SCREEN")
    assert (screen["status"], screen["priority"], screen["population"], screen["violations"]) == (
        "deficient",
        True,
        2,
        1,
    )
    assert screen["evidence"][0]["sheet"] == "Intake" and screen["evidence"][0]["row"] == 2
    assert screen["evidence"][0]["detail"] == "medical_screening 13 h after arrival (limit 12 hours)"
    assert "A100000001" not in done.stdout


def test_audit_json_to_a_file(sample_xlsx: Path, tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    done = run("audit", sample_xlsx, "--format", "json", "--output", out)
    assert done.exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["summary"]["deficient"] == 11


def test_audit_text_summary_names_the_rating(sample_xlsx: Path) -> None:
    done = run("audit", sample_xlsx)
    assert done.exit_code == 0
    assert "Rating: Incomplete" in done.stdout  # 26 of 60 decided: the sample lacks four sheets
    assert "MC-INTAKE-SCREEN" in done.stdout


def test_fail_on_priority_exits_3(sample_xlsx: Path) -> None:
    assert run("audit", sample_xlsx, "--format", "json", "--fail-on", "priority").exit_code == 3
    assert run("audit", sample_xlsx, "--fail-on", "deficient").exit_code == 3


def test_fail_on_priority_exits_3_only_for_a_priority_deficiency(tmp_path: Path, workbook: Workbook) -> None:
    path = workbook(tmp_path / "clean.xlsx", FoodTemps=[
        {"recorded": "2026-02-01 08:00", "location": "Kitchen", "kind": "cold-holding", "temp_f": 45}
    ])  # fmt: skip
    # 45 °F breaks FS-COLD-HOLD, a priority requirement; a cool hot-holding reading breaks FS-HOT-HOLD,
    # which is not one
    assert run("audit", path, "--fail-on", "priority").exit_code == 3
    path = workbook(tmp_path / "cleaner.xlsx", FoodTemps=[
        {"recorded": "2026-02-01 08:00", "location": "Kitchen", "kind": "hot-holding", "temp_f": 120}
    ])  # fmt: skip
    assert run("audit", path, "--fail-on", "priority").exit_code == 0
    assert run("audit", path, "--fail-on", "deficient").exit_code == 3


def test_invalid_workbook_exits_1_and_evaluates_nothing(
    tmp_path: Path, workbook: Workbook, sample: Sample
) -> None:
    sample["Intake"][0]["sex"] = "Q"
    path = workbook(tmp_path / "bad.xlsx", **sample)
    done = run("audit", path, "--format", "json")
    assert done.exit_code == 1
    data = json.loads(done.stdout)
    assert data["valid"] is False and "results" not in data
    assert any(p["ref"] == "Intake!C2" for p in data["problems"])
    text = run("audit", path)
    assert text.exit_code == 1
    assert "Nothing was evaluated" in text.stderr


def test_an_edition_without_standards_files_names_the_editions_that_exist(
    tmp_path: Path, workbook: Workbook
) -> None:
    path = workbook(tmp_path / "old.xlsx", edition="PBNDS-2008")
    done = run("audit", path)
    assert done.exit_code == 1
    output = " ".join((done.stdout + done.stderr).split())
    assert "Facility!B7" in output and "PBNDS-2008" in output
    assert "one of PBNDS-2011, NDS-2019, NDS-2025" in output
    assert "Nothing was evaluated" in output


def test_the_editions_a_workbook_may_name_are_those_with_standards_files() -> None:
    """The template's dropdown offers exactly the editions validation accepts."""
    from auditor.standards.load import available_editions
    from auditor.workbook import declarations as decl

    assert sorted(decl.EDITIONS) == available_editions()


def test_audit_with_tailoring_waivers_and_previous_results(tmp_path: Path, sample_xlsx: Path) -> None:
    previous = tmp_path / "previous.json"
    assert run("audit", sample_xlsx, "--format", "json", "--output", previous).exit_code == 0
    tailoring = tmp_path / "tailoring.yml"
    tailoring.write_text(
        "facility_id: SPC-0001\napproved_by: J. Rivera\nreason: Contract terms.\n"
        "overrides:\n  MC-INTAKE-SCREEN:\n    limit: {hours: 14}\n",
        encoding="utf-8",
    )
    waivers = tmp_path / "waivers.csv"
    waivers.write_text(
        "requirement_id,facility_id,justification,approved_by,expires\n"
        "FS-COLD-HOLD,SPC-0001,Cooler on order.,J. Rivera,2026-12-31\n",
        encoding="utf-8",
    )
    done = run("audit", sample_xlsx, "--format", "json", "--tailoring", tailoring, "--waivers", waivers,
               "--previous", previous)  # fmt: skip
    assert done.exit_code == 0, done.output
    data = json.loads(done.stdout)
    by_id = {r["requirement_id"]: r for r in data["results"]}
    assert by_id["MC-INTAKE-SCREEN"]["status"] == "compliant"  # 13 h meets the tailored 14 h
    assert by_id["MC-INTAKE-SCREEN"]["threshold"]["tailored"] is True
    assert (by_id["FS-COLD-HOLD"]["status"], by_id["FS-COLD-HOLD"]["repeat"]) == ("waived", True)
    assert by_id["AR-JUVENILE"]["repeat"] is True
    # 11 deficient before; now 9 deficient (MC-INTAKE-SCREEN tailored away, FS-COLD-HOLD waived), all repeats
    assert (data["summary"]["deficient"], data["summary"]["repeat_deficiencies"]) == (9, 9)
    assert data["tailoring"]["overrides"]["MC-INTAKE-SCREEN"]["default"] == (
        "medical_screening within 12 hours of arrival"
    )
    assert data["waivers"]["applied"] == ["FS-COLD-HOLD"]
    assert data["previous"]["resolved"] == ["MC-INTAKE-SCREEN"]


def test_previous_results_of_another_facility_exit_2_with_a_message(
    tmp_path: Path, sample_xlsx: Path
) -> None:
    previous = tmp_path / "previous.json"
    run("audit", sample_xlsx, "--format", "json", "--output", previous)
    data = json.loads(previous.read_text(encoding="utf-8"))
    data["facility"]["facility_id"] = "CDF-0002"
    previous.write_text(json.dumps(data), encoding="utf-8")
    done = run("audit", sample_xlsx, "--previous", previous)
    assert done.exit_code == 2  # a usage error (ConfigError)
    assert "the previous results are for facility CDF-0002, not SPC-0001" in " ".join(done.stderr.split())
