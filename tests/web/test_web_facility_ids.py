"""Facility ids follow one rule (auditor.workbook.ids) at every entry point: the upload's Facility
sheet (the problem names the cell), a roster, URLs, the API's waivers and `--facility`."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from builders import InspectionBuilder
from fastapi import FastAPI
from typer.testing import CliRunner
from webclient import Client, run, upload_id

from auditor.cli import app as cli_app
from auditor.contracts.roster import Facility, Roster
from auditor.errors import WorkbookError
from auditor.registry import list_registry, save_roster
from auditor.workbook.ids import FACILITY_ID_MAX, facility_id_problem, is_facility_id

GOOD = ["ATL-SPC-0001", "ICE-GA-31815-STEWART-DETENTION-CENTER", "fic_usms.0004", "7", "A" * FACILITY_ID_MAX]
BAD = {
    "a/b": "it contains '/'",
    "../etc": "it starts with '.'",
    ".hidden": "it starts with '.'",
    "-x": "it starts with '-'",
    "ATL SPC": "it contains ' '",
    "a?b#c": "it contains '#' '?'",
    "é1": "it starts with 'é'",
    "x\x00": "it contains '\\x00'",
    "": "it is empty",
    "A" * (FACILITY_ID_MAX + 1): f"it has {FACILITY_ID_MAX + 1} characters",
}


@pytest.mark.parametrize("value", GOOD)
def test_ids_within_the_rule(value: str) -> None:
    assert is_facility_id(value) and facility_id_problem(value) is None


@pytest.mark.parametrize("value", sorted(BAD))
def test_ids_outside_the_rule_say_why(value: str) -> None:
    assert not is_facility_id(value)
    assert facility_id_problem(value) == (
        f"not a usable facility id ({BAD[value]}): use 1 to 128 letters (A-Z, a-z), digits, '-', '_' "
        "or '.', starting with a letter or digit"
    )


def test_an_upload_naming_a_bad_id_is_invalid_at_its_cell(app: FastAPI, tmp_path: Path) -> None:
    book = InspectionBuilder().with_valid_sheets().facility(facility_id="ATL/SPC 0001")
    path = book.xlsx(tmp_path / "slash.xlsx")

    async def scenario() -> None:
        async with Client(app) as ines:
            await ines.sign_in("ines")
            page = await ines.upload(path)
            detail = (await ines.get(f"/api/uploads/{upload_id(page)}")).json()
            assert detail["upload"]["status"] == "invalid"
            problems = detail["validation"]["problems"]
            found = [p for p in problems if p["code"] == "not_an_id"]
            assert [(p["sheet"], p["cell"], p["value"]) for p in found] == [
                ("Facility", "B2", "ATL/SPC 0001")
            ]
            assert found[0]["message"].startswith("not a usable facility id (it contains ' ' '/')")
            assert (await ines.get("/api/facilities")).json()["facilities"] == []

    run(scenario())


def test_urls_and_the_api_refuse_ids_outside_the_rule(app: FastAPI) -> None:
    async def scenario() -> None:
        async with Client(app) as ada:
            await ada.sign_in("ada")
            for url in ("/facilities/.hidden", "/api/facilities/.hidden", "/api/registry/a%20b"):
                answer = await ada.get(url)
                assert answer.status_code == 404, url
            waiver = {"requirement_id": "FS-HOT-HOLD", "facility_id": "a/b", "justification": "j"}
            refused = await ada.api("POST", "/api/waivers", json={**waiver, "expires": "2030-01-01"})
            assert refused.status_code == 400
            assert "facility: not a usable facility id (it contains '/')" in refused.json()["error"]
            every = await ada.api(
                "POST", "/api/waivers", json={**waiver, "facility_id": "*", "expires": "2030-01-01"}
            )
            assert every.status_code == 201

    run(scenario())


def test_a_roster_with_a_bad_id_is_refused_whole(app: FastAPI) -> None:
    def facility(facility_id: str, name: str) -> dict[str, object]:
        blank = dict.fromkeys(f.name for f in dataclasses.fields(Facility))
        return {**blank, "facility_id": facility_id, "name": name, "last_inspection_status": "none", "row": 2}

    roster = Roster.from_dict(
        {
            "source": {"file": "made-up.json", "sha256": "0" * 64, "data_date": "2026-01-01"},
            "facilities": [facility("ICE-GA-31815-STEWART", "Stewart"), facility("ICE/../x", "Slash")],
        }
    )
    with pytest.raises(
        WorkbookError, match=r"made-up.json: facility 2 \('Slash'\): not a usable facility id"
    ):
        save_roster(app.state.web.db, roster)
    assert list_registry(app.state.web.db) == []


def test_cli_facility_option_follows_the_rule(tmp_path: Path) -> None:
    done = CliRunner().invoke(
        cli_app, ["template", str(tmp_path / "t.xlsx"), "--facility", "../x", "--data", str(tmp_path / "d")]
    )
    assert done.exit_code == 2
    assert "not a usable facility id (it starts with '.')" in done.output
    assert not (tmp_path / "t.xlsx").exists()
