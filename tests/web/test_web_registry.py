"""ICE's roster in the web app: an administrator imports it from the facilities page, everyone
signed in reads it and downloads a workbook pre-filled from it; inspectors cannot import."""

from __future__ import annotations

import hashlib
import io
import subprocess
from pathlib import Path

import openpyxl
from fastapi import FastAPI
from rosters import (
    FAMILY,
    FAMILY_ID,
    FEDERAL,
    FEDERAL_ID,
    NORTH,
    NORTH_ID,
    SOUTH,
    SOUTH_ID,
    TRICKY,
    TRICKY_ID,
    changed,
    write_roster,
)
from webclient import Client, run, upload_id

from auditor.registry import list_registry
from auditor.workbook import declarations as decl
from auditor.workbook.headers import canonical


def _facility_sheet(content: bytes) -> dict[str, object]:
    """Field → value; column A shows each field's label (its name is the cell's comment)."""
    sheet = openpyxl.load_workbook(io.BytesIO(content))["Facility"]
    return {
        canonical(decl.FACILITY, row[0].value) or row[0].value: row[1].value
        for row in sheet.iter_rows(min_row=2, max_col=2)
    }


def test_admin_imports_and_an_inspector_starts_an_inspection_from_it(app: FastAPI, tmp_path: Path) -> None:
    roster = write_roster(tmp_path / "FY27 roster.xlsx", [NORTH, SOUTH, FAMILY, FEDERAL])

    async def scenario() -> None:
        async with Client(app) as ines, Client(app) as ada:
            await ines.sign_in("ines")
            await ada.sign_in("ada")
            empty = await ines.get("/facilities")
            assert "No roster imported yet: an administrator imports" in empty.text
            assert 'action="/facilities/roster"' not in empty.text  # no import form for inspectors

            imported = await ada.upload(roster, url="/facilities/roster")
            assert imported.status_code == 303
            assert imported.headers["location"] == "/facilities?done=roster-imported"
            page = await ada.get(imported.headers["location"])
            assert "ICE&#39;s roster is imported" in page.text
            assert "<td>4</td>" in page.text.replace(' class="num"', "")  # 4 facilities, 4 added
            assert "FY27 roster.xlsx" in page.text

            listing = await ines.get("/facilities")
            assert listing.status_code == 200
            for text in ("SOUTH PROCESSING CENTER", "DILLEY FAMILY CENTER", "USMS IGA", "Meets Standards"):
                assert text in listing.text
            assert f'href="/facilities/{SOUTH_ID}"' in listing.text
            assert "none reported" in listing.text  # FEDERAL PRISON: ICE reports no inspection

            detail = await ines.get(f"/facilities/{SOUTH_ID}")
            assert detail.status_code == 200
            assert "In ICE's roster" in detail.text and "2 BORDER RD, LAREDO, TX, 78041" in detail.text
            assert (
                f'href="/facilities/{SOUTH_ID}/prefilled.xlsx">Download a pre-filled workbook' in detail.text
            )
            assert "Inspections over time" not in detail.text  # nothing uploaded here yet

            download = await ines.get(f"/facilities/{SOUTH_ID}/prefilled.xlsx")
            assert download.status_code == 200
            assert download.headers["content-type"].startswith("application/vnd.openxmlformats")
            assert f'filename="{SOUTH_ID}-inspection.xlsx"' in download.headers["content-disposition"]
            values = _facility_sheet(download.content)
            assert (values["facility_name"], values["facility_type"], values["detention_standard"]) == (
                "SOUTH PROCESSING CENTER",
                "SPC",
                "PBNDS-2011",
            )
            assert (values["facility_id"], values["aor"], values["state"]) == (SOUTH_ID, "HLG", "TX")

            federal = await ines.get(f"/facilities/{FEDERAL_ID}")  # BOP, N/A standard: left to choose
            assert "facility_type, detention_standard left for you to choose" in federal.text
            values = _facility_sheet((await ines.get(f"/facilities/{FEDERAL_ID}/prefilled.xlsx")).content)
            assert (values["facility_name"], values["facility_type"], values["detention_standard"]) == (
                "FEDERAL PRISON",
                None,
                None,
            )

            assert (await ines.get("/facilities/ICE-XX-00000-NOWHERE/prefilled.xlsx")).status_code == 404
            assert (await ines.get("/facilities/ICE-XX-00000-NOWHERE")).status_code == 404

    run(scenario())


def test_an_inspector_cannot_import(app: FastAPI, tmp_path: Path) -> None:
    roster = write_roster(tmp_path / "FY27.xlsx", [NORTH])

    async def scenario() -> None:
        async with Client(app) as ines:
            await ines.sign_in("ines")
            refused = await ines.upload(roster, url="/facilities/roster")
            assert refused.status_code == 403
        assert list_registry(app.state.web.db) == []
        assert not [p for p in app.state.web.workspace.rosters_dir.iterdir() if p.is_file()]

    run(scenario())


def test_import_needs_the_csrf_token(app: FastAPI, tmp_path: Path) -> None:
    roster = write_roster(tmp_path / "FY27.xlsx", [NORTH])

    async def scenario() -> None:
        async with Client(app) as ada:
            await ada.sign_in("ada")
            refused = await ada.upload(roster, url="/facilities/roster", csrf=False)
            assert refused.status_code == 403 and "expired" in refused.text
        assert list_registry(app.state.web.db) == []
        assert not [p for p in app.state.web.workspace.rosters_dir.iterdir() if p.is_file()]

    run(scenario())


def test_import_is_size_limited(make_app, tmp_path: Path) -> None:
    app = make_app(max_upload_bytes=4096)
    roster = write_roster(tmp_path / "FY27.xlsx", [NORTH])
    assert roster.stat().st_size > 4096

    async def scenario() -> None:
        async with Client(app) as ada:
            await ada.sign_in("ada")
            too_big = await ada.upload(roster, url="/facilities/roster")
            assert too_big.status_code == 413 and "upload limit of 4 KB" in too_big.text
        assert list_registry(app.state.web.db) == []
        assert not [p for p in app.state.web.workspace.rosters_dir.iterdir() if p.is_file()]

    run(scenario())


def test_a_file_that_is_not_a_roster_is_refused_and_logged(app: FastAPI, tmp_path: Path, workbooks) -> None:
    async def scenario() -> None:
        async with Client(app) as ada:
            await ada.sign_in("ada")
            refused = await ada.upload(workbooks.small_2026, name="inspection.xlsx", url="/facilities/roster")
            assert refused.status_code == 422
            assert "The roster was not imported: inspection.xlsx: no sheet named like" in refused.text
            assert str(app.state.web.settings.data_dir) not in refused.text  # no server paths shown
            log = (await ada.get("/api/audit-log")).json()["entries"]
            assert (log[0]["action"], log[0]["user_name"], log[0]["target"]) == (
                "registry.refused",
                "ada",
                "inspection.xlsx",
            )
            assert (await ada.get("/api/uploads")).json()["uploads"] == []  # a roster is not an inspection
        assert list_registry(app.state.web.db) == []

    run(scenario())


def test_a_later_roster_updates_and_the_log_says_who(app: FastAPI, tmp_path: Path) -> None:
    first = write_roster(tmp_path / "FY27.xlsx", [NORTH, SOUTH])
    later = write_roster(
        tmp_path / "FY28.xlsx",
        [changed(NORTH, Last_Final_Rating="Fail"), SOUTH, FAMILY],
        data_date="01/05/2028",
    )

    async def scenario() -> None:
        async with Client(app) as ada:
            await ada.sign_in("ada")
            for path in (first, later):
                assert (await ada.upload(path, url="/facilities/roster")).status_code == 303
            log = [
                e
                for e in (await ada.get("/api/audit-log")).json()["entries"]
                if e["action"] == "registry.import"
            ]
            assert [(e["user_name"], e["target"]) for e in log] == [
                ("ada", "FY28.xlsx"),
                ("ada", "FY27.xlsx"),
            ]
            assert log[0]["detail"].endswith(": 1 added, 1 updated, 1 unchanged, 0 older")
            north = (await ada.get(f"/api/registry/{NORTH_ID}")).json()["facility"]
            assert (north["final_rating"], north["rating_outcome"], north["source_file"]) == (
                "Fail",
                "fail",
                "FY28.xlsx",
            )
            # both files are kept on disk, by content; the registry points at the later one
            stored = {p.name for p in app.state.web.workspace.rosters_dir.iterdir() if p.is_file()}
            assert stored == {_sha(first), _sha(later)}
            assert north["source_sha256"] == _sha(later)

    run(scenario())


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_api_lists_and_filters_the_registry(app: FastAPI, tmp_path: Path) -> None:
    roster = write_roster(tmp_path / "FY27.xlsx", [NORTH, SOUTH, FAMILY])

    async def scenario() -> None:
        async with Client(app) as ines, Client(app) as ada:
            await ines.sign_in("ines")
            await ada.sign_in("ada")
            await ada.upload(roster, url="/facilities/roster")
            everything = (await ines.get("/api/registry")).json()
            assert [f["facility_id"] for f in everything["facilities"]] == [FAMILY_ID, NORTH_ID, SOUTH_ID]
            only = (await ines.get("/api/registry", params={"aor": "SNA"})).json()["facilities"]
            assert [f["facility_id"] for f in only] == [FAMILY_ID]
            family = (await ines.get(f"/api/registry/{FAMILY_ID}")).json()["facility"]
            assert family["prefill"] == {
                "facility_id": FAMILY_ID,
                "facility_name": "DILLEY FAMILY CENTER",
                "facility_type": "FRC",
                "aor": "SNA",
                "state": "TX",
                "detention_standard": "",
            }
            assert (family["facility_type_label"], family["detention_standard_label"]) == ("FAMILY", "FRS")
            missing = await ines.get("/api/registry/ICE-XX-00000-NOWHERE")
            assert missing.status_code == 404 and missing.json()["ok"] is False

            page = await ines.get("/facilities", params={"aor": "SNA"})
            assert "DILLEY FAMILY CENTER" in page.text and "NORTH JAIL" not in page.text
            assert '<option value="SNA" selected>' in page.text

    run(scenario())


def test_ice_text_is_escaped_and_stays_text(app: FastAPI, tmp_path: Path) -> None:
    roster = write_roster(tmp_path / "FY27.xlsx", [TRICKY])

    async def scenario() -> None:
        async with Client(app) as ada:
            await ada.sign_in("ada")
            await ada.upload(roster, url="/facilities/roster")
            for url in ("/facilities", f"/facilities/{TRICKY_ID}"):
                page = await ada.get(url)
                assert "<b>JAIL</b>" not in page.text and "&lt;b&gt;JAIL&lt;/b&gt;" in page.text
            download = await ada.get(f"/facilities/{TRICKY_ID}/prefilled.xlsx")
            cell = openpyxl.load_workbook(io.BytesIO(download.content))["Facility"]["B3"]
            assert cell.value.startswith("=HYPERLINK") and cell.data_type == "s" and cell.quotePrefix

    run(scenario())


def test_a_facility_both_in_the_roster_and_uploaded_shows_both(
    app: FastAPI, tmp_path: Path, workbooks
) -> None:
    # The small inspection's facility is ATL-SPC-0001; a roster naming that id puts both on one page.
    roster = write_roster(tmp_path / "FY27.xlsx", [NORTH])

    async def scenario() -> None:
        async with Client(app) as ines, Client(app) as ivan, Client(app) as ada:
            await ines.sign_in("ines")
            await ivan.sign_in("ivan")
            await ada.sign_in("ada")
            upload_id(await ines.upload(workbooks.small_2026))
            await ada.upload(roster, url="/facilities/roster")
            with app.state.web.db.write() as conn:  # the same facility under the inspection's id
                conn.execute("UPDATE registry SET facility_id = 'ATL-SPC-0001'")
            page = await ines.get("/facilities/ATL-SPC-0001")
            assert "In ICE's roster" in page.text and "Inspections over time" in page.text
            # another inspector sees ICE's facts, never ines's inspections
            theirs = await ivan.get("/facilities/ATL-SPC-0001")
            assert theirs.status_code == 200
            assert "In ICE's roster" in theirs.text and "INSP-2026-0001" not in theirs.text

    run(scenario())


def test_the_web_portfolio_starts_from_the_imported_roster(app: FastAPI, tmp_path: Path) -> None:
    roster = write_roster(tmp_path / "FY27.xlsx", [NORTH, SOUTH, FAMILY])

    async def scenario() -> None:
        async with Client(app) as ada:
            await ada.sign_in("ada")
            assert (await ada.get("/portfolio.pdf")).status_code == 404  # nothing audited, no roster
            assert (await ada.upload(roster, url="/facilities/roster")).status_code == 303
            page = await ada.get("/facilities")
            assert 'name="as_of"' in page.text and "these detention standards govern" in page.text
            portfolio = await ada.get("/portfolio.pdf?as_of=2026-12-01")
            assert portfolio.status_code == 200 and portfolio.content.startswith(b"%PDF")
            (tmp_path / "web.pdf").write_bytes(portfolio.content)
            bad = await ada.get("/portfolio.pdf?as_of=01/12/2026")
            assert bad.status_code == 400 and "YYYY-MM-DD" in bad.text

    run(scenario())
    text = " ".join(
        subprocess.run(
            ["pdftotext", str(tmp_path / "web.pdf"), "-"], capture_output=True, text=True
        ).stdout.split()
    )
    # NORTH (USMS IGA) and SOUTH (SPC) are counted; DILLEY, a family center, is listed apart
    assert "2 facilities these standards govern" in text and "As of 2026-12-01 · 2 of the 3" in text
    assert "1 of 2 facilities have no inspection that ended on or after 2025-12-01" in text
    assert "DILLEY FAMILY CENTER" in text and "SOUTH PROCESSING CENTER" in text


def test_the_api_imports_a_roster_and_refuses_what_is_not_one(
    app: FastAPI, tmp_path: Path, workbooks
) -> None:
    first = write_roster(tmp_path / "FY27.xlsx", [NORTH, SOUTH])
    later = write_roster(tmp_path / "FY28.xlsx", [changed(NORTH, Last_Final_Rating="Fail"), SOUTH, FAMILY],
                         year="FY28", data_date="01/05/2028")  # fmt: skip

    async def scenario() -> None:
        async with Client(app) as ada, Client(app) as ines:
            await ada.sign_in("ada")
            await ines.sign_in("ines")
            assert (await ines.api_upload(first, url="/api/registry")).status_code == 403
            made = await ada.api_upload(first, url="/api/registry")
            assert made.status_code == 201
            assert {k: made.json()["import"][k] for k in ("file", "facilities", "added")} == {
                "file": "FY27.xlsx",
                "facilities": 2,
                "added": 2,
            }
            again = (await ada.api_upload(later, url="/api/registry")).json()["import"]
            assert (again["added"], again["updated"], again["unchanged"], again["older"]) == (1, 1, 1, 0)
            refused = await ada.api_upload(workbooks.small_2026, name="inspection.xlsx", url="/api/registry")
            assert refused.status_code == 422
            assert (
                refused.json()["ok"] is False
                and "inspection.xlsx: no sheet named like" in refused.json()["error"]
            )
            no_token = await ada.post("/api/registry", files={"file": ("FY27.xlsx", first.read_bytes())})
            assert no_token.status_code == 403

    run(scenario())
    assert len(list_registry(app.state.web.db)) == 3
