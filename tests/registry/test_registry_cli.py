"""`auditor facilities import --data`, `auditor facilities list` and `auditor template --facility`,
through the real command line (typer's CliRunner)."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
from rosters import FAMILY_ID, FEDERAL, FEDERAL_ID, NORTH, NORTH_ID, SOUTH_ID, write_roster

from auditor.workbook.declarations import FACILITY
from auditor.workbook.headers import canonical


def test_import_without_data_saves_nothing(cli, rosters, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = cli("facilities", "import", rosters[0])
    assert result.exit_code == 0, result.output
    assert "NORTH JAIL" in result.stdout and "Registry" not in result.output
    assert not (tmp_path / "auditor-data").exists()


def test_import_with_data_saves_and_prints_the_counts(cli, rosters, tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = cli("facilities", "import", rosters[0], "--data", data)
    assert first.exit_code == 0, first.output
    assert "NORTH JAIL" in first.stdout  # the roster is still shown
    assert f"Registry of {data}: 2 added, 0 updated, 0 unchanged, 0 not overwritten" in first.stdout

    later = cli("facilities", "import", rosters[1], "--data", data, "--format", "json")
    assert later.exit_code == 0, later.output
    assert json.loads(later.stdout)["source"]["file"] == "FY28.xlsx"  # stdout stays pure JSON
    assert "1 added, 1 updated, 1 unchanged, 0 not overwritten" in later.stderr

    again = cli("facilities", "import", rosters[0], "--data", data, "-o", tmp_path / "out.txt")
    assert "0 added, 0 updated, 0 unchanged, 2 not overwritten" in again.stdout


def test_list_shows_the_registry(cli, rosters, tmp_path: Path) -> None:
    data = tmp_path / "data"
    for path in rosters:
        assert cli("facilities", "import", path, "--data", data).exit_code == 0
    listed = cli("facilities", "list", "--data", data)
    assert listed.exit_code == 0, listed.output
    assert (
        "3 facilities in the registry" in listed.stdout and "FY28.xlsx, data of 2028-01-05" in listed.stdout
    )
    lines = listed.stdout.splitlines()
    assert [line.split()[0] for line in lines[2:]] == [FAMILY_ID, NORTH_ID, SOUTH_ID]
    north = next(line for line in lines if line.startswith(NORTH_ID))
    assert north.split() == [
        NORTH_ID,
        "NORTH",
        "JAIL",
        "ME",
        "BOS",
        "USMS",
        "IGA",
        "NDS-2019",
        "2026-03-05",
        "Fail",
    ]

    only = cli("facilities", "list", "--data", data, "--aor", "HLG", "--format", "json")
    assert [f["facility_id"] for f in json.loads(only.stdout)["facilities"]] == [SOUTH_ID]


def test_list_without_a_registry_is_an_error(cli, tmp_path: Path) -> None:
    result = cli("facilities", "list", "--data", tmp_path / "none")
    assert result.exit_code == 1
    assert "no facility registry in" in result.stderr and "Traceback" not in result.output
    assert not (tmp_path / "none").exists()


def test_template_prefilled_from_the_registry(cli, rosters, tmp_path: Path) -> None:
    data = tmp_path / "data"
    cli("facilities", "import", rosters[1], "--data", data)
    out = tmp_path / "family.xlsx"
    result = cli("template", out, "--facility", FAMILY_ID, "--data", data)
    assert result.exit_code == 0, result.output
    assert f"Inspection workbook for {FAMILY_ID}" in result.stdout
    sheet = openpyxl.load_workbook(out)["Facility"]
    rows = sheet.iter_rows(min_row=2, max_col=2)
    values = {canonical(FACILITY, row[0].value): row[1].value for row in rows}  # column A: labels
    assert [values[k] for k in ("facility_id", "facility_name", "facility_type", "aor", "state")] == [
        FAMILY_ID,
        "DILLEY FAMILY CENTER",
        "FRC",
        "SNA",
        "TX",
    ]
    assert values["detention_standard"] is None  # ICE's "FRS" names no revision: not guessed


def test_template_for_an_unknown_facility_exits_1(cli, rosters, tmp_path: Path) -> None:
    data = tmp_path / "data"
    cli("facilities", "import", rosters[0], "--data", data)
    out = tmp_path / "x.xlsx"
    result = cli("template", out, "--facility", "ICE-XX-00000-NOWHERE", "--data", data)
    assert result.exit_code == 1
    assert "no facility 'ICE-XX-00000-NOWHERE' in the registry" in result.stderr
    assert not out.exists()
    without = cli("template", out, "--facility", NORTH_ID, "--data", tmp_path / "empty")
    assert without.exit_code == 1 and "no facility registry in" in without.stderr


def test_template_without_facility_is_still_blank(cli, tmp_path: Path) -> None:
    result = cli("template", tmp_path / "blank.xlsx")
    assert result.exit_code == 0 and "Blank inspection workbook" in result.stdout
    sheet = openpyxl.load_workbook(tmp_path / "blank.xlsx")["Facility"]
    assert all(row[1].value is None for row in sheet.iter_rows(min_row=2, max_col=2))


def test_list_counts_only_the_newest_rosters_facilities_as_current(cli, rosters, tmp_path: Path) -> None:
    data = tmp_path / "data"
    older = write_roster(tmp_path / "FY26.xlsx", [NORTH, FEDERAL], year="FY26", data_date="01/02/2026")
    for path in (*rosters, older):  # the oldest imported last
        assert cli("facilities", "import", path, "--data", data).exit_code == 0
    listed = cli("facilities", "list", "--data", data)
    said = " ".join(listed.stdout.split())
    assert "3 facilities in the registry" in said
    assert "(newest roster: FY28.xlsx, data of 2028-01-05); 1 more no longer listed, kept as history" in said
    federal = next(line for line in listed.stdout.splitlines() if line.startswith(FEDERAL_ID))
    assert "FEDERAL PRISON (no longer listed)" in federal
