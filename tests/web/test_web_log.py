"""The action log through the web app: a scripted morning, then exactly the entries it must leave,
with who, what, facility, inspection and address; /activity filters them; nothing changes them."""

from __future__ import annotations

import sqlite3

import httpx
import pytest
from fastapi import FastAPI
from webclient import PASSWORDS, Client, run, upload_id

from auditor.service.action_log import entries

HOME = "127.0.0.1"  # httpx's ASGI transport gives every request this client address


def test_a_scripted_session_leaves_exactly_these_entries(app: FastAPI, workbooks) -> None:
    fixture = max(e["id"] for e in entries(app.state.web.db))  # the accounts the fixture made

    async def scenario() -> None:
        async with Client(app) as ines, Client(app) as ada:
            await ines.sign_in("ines")
            await ada.sign_in("ada")
            wrong = await ada.post("/api/session", json={"name": "ivan", "password": "not ivan's password"})
            assert wrong.status_code == 401
            created = await ada.form(
                "/waivers",
                requirement_id="FS-HOT-HOLD",
                facility_id="FIC-CDF-0002",
                justification="Steam table replaced next month.",
                approved_by="A. Delgado, FOD",
                expires="2026-09-30",
            )
            assert created.status_code == 303
            assert (await ada.form("/waivers/1/revoke")).status_code == 303
            upload = upload_id(await ada.upload(workbooks.small_2026))
            assert (await ada.get(f"/uploads/{upload}/results.json")).status_code == 200
            assert (await ada.get(f"/api/uploads/{upload}/results")).status_code == 200
            assert (await ada.get(f"/uploads/{upload}/report.pdf")).status_code == 200
            assert (await ines.form("/logout")).status_code == 303

    run(scenario())
    got = [
        (e["user_name"], e["action"], e["target"], e["facility_id"], e["inspection_id"], e["address"])
        for e in reversed(entries(app.state.web.db))
        if e["id"] > fixture
    ]
    small = ("ATL-SPC-0001", "INSP-2026-0001")
    assert got == [
        ("ines", "signin", "ines", None, None, HOME),
        ("ada", "signin", "ada", None, None, HOME),
        ("ivan", "signin.failed", "ivan", None, None, HOME),
        ("ada", "waiver.create", "waiver 1", "FIC-CDF-0002", None, HOME),
        ("ada", "waiver.revoke", "waiver 1", "FIC-CDF-0002", None, HOME),
        ("ada", "upload.store", "upload 1", None, None, HOME),
        ("ada", "upload.audited", "upload 1", *small, None),  # by a processing worker: no request
        ("ada", "download.results", "upload 1", *small, HOME),
        ("ada", "download.results", "upload 1", *small, HOME),
        ("ada", "download.report", "upload 1", *small, HOME),
        ("ines", "signout", "ines", None, None, HOME),
    ]


def test_activity_filters_by_facility_user_and_day_in_words(app: FastAPI) -> None:
    db = app.state.web.db
    with db.write() as conn:  # entries on three days, written as the log writes them, then dated
        db.log(conn, "ada", "waiver.create", "waiver 1", "FS-HOT-HOLD at *", facility_id="*")
        db.log(conn, "ines", "upload.audited", "upload 1", facility_id="FIC-CDF-0002", inspection_id="I-1")
        db.log(conn, "ivan", "upload.audited", "upload 2", facility_id="FIC-SPC-0001", inspection_id="I-2")
    first = max(e["id"] for e in entries(db)) - 2  # after the fixture's three accounts
    _date(
        db,
        {first: "2026-03-01T09:00:00Z", first + 1: "2026-03-02T23:59:59Z", first + 2: "2026-03-03T00:00:00Z"},
    )

    async def scenario() -> None:
        async with Client(app) as ada, Client(app) as ines:
            await ada.sign_in("ada")
            await ines.sign_in("ines")
            page = await ada.get("/activity", params={"facility": "FIC-CDF-0002"})
            assert page.status_code == 200
            # The facility's own entry and the waiver for every facility; not FIC-SPC-0001's.
            assert "upload 1" in page.text and "waiver 1" in page.text and "upload 2" not in page.text
            assert ">audited<" in page.text and ">created<" in page.text  # words, not codes
            page = await ada.get("/activity", params={"who": "IVAN"})
            assert "upload 2" in page.text and "upload 1" not in page.text
            page = await ada.get("/activity", params={"since": "2026-03-02", "until": "2026-03-02"})
            assert "upload 1" in page.text and "upload 2" not in page.text and "waiver 1" not in page.text
            bad = await ada.get("/activity", params={"since": "2026-03-05", "until": "2026-03-01"})
            assert bad.status_code == 422 and "since 2026-03-05 is after until 2026-03-01" in bad.text
            bad = await ada.get("/activity", params={"since": "yesterday"})
            assert bad.status_code == 422 and "&#39;yesterday&#39; is not a date (YYYY-MM-DD)" in bad.text
            assert (await ines.get("/activity")).status_code == 403  # administrators only

    run(scenario())


def test_the_log_cannot_be_changed_through_the_database_the_app_uses(app: FastAPI) -> None:
    db = app.state.web.db

    async def scenario() -> None:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://t") as http:
            answer = await http.post("/api/session", json={"name": "ada", "password": PASSWORDS["ada"]})
            assert answer.status_code == 200

    fixture = len(entries(db))
    run(scenario())
    before = entries(db)
    for statement in ("UPDATE audit_log SET user_name = 'ivan'", "DELETE FROM audit_log"):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"), db.write() as conn:
            conn.execute(statement)
    assert entries(db) == before and len(before) == fixture + 1 and before[0]["action"] == "signin"


def _date(db, stamps: dict[int, str]) -> None:
    """Give test entries chosen times: the log refuses UPDATE, so this test lifts its trigger for
    the moment (in one transaction, put back before it commits)."""
    with db.write() as conn:
        (trigger,) = conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'audit_log_no_update'"
        ).fetchone()
        conn.execute("DROP TRIGGER audit_log_no_update")
        for entry, at in stamps.items():
            conn.execute("UPDATE audit_log SET at = ? WHERE id = ?", (at, entry))
        conn.execute(trigger)


def test_the_api_reads_the_log_with_the_same_filters(app: FastAPI) -> None:
    db = app.state.web.db
    with db.write() as conn:
        db.log(conn, "ines", "upload.audited", "upload 1", facility_id="FIC-CDF-0002", inspection_id="I-1")
        db.log(conn, "ivan", "upload.audited", "upload 2", facility_id="FIC-SPC-0001", inspection_id="I-2")

    async def scenario() -> None:
        async with Client(app) as ada:
            await ada.sign_in("ada")
            answer = await ada.get("/api/audit-log", params={"facility": "FIC-SPC-0001"})
            assert answer.status_code == 200
            assert [
                (e["user_name"], e["what"], e["target"], e["inspection_id"]) for e in answer.json()["entries"]
            ] == [("ivan", "audited", "upload 2", "I-2")]
            answer = await ada.get("/api/audit-log", params={"who": "ada", "limit": 1})
            assert [(e["action"], e["address"]) for e in answer.json()["entries"]] == [("signin", HOME)]
            bad = await ada.get("/api/audit-log", params={"until": "31/12/2026"})
            assert bad.status_code == 400
            assert bad.json()["error"] == "until: '31/12/2026' is not a date (YYYY-MM-DD)"

    run(scenario())


def test_auditor_log_names_every_kind_of_action_a_session_takes(app: FastAPI, workbooks) -> None:
    """Issue 15: after a session through the web app, `auditor log --data DIR --format json` shows
    sign-ins (both kinds), account changes, assignments, waivers, uploads, audits, a refused upload,
    downloads, a sign-off and a sign-out, each with who did it."""
    import json

    from typer.testing import CliRunner

    from auditor.cli import app as cli
    from auditor.service import store

    web = app.state.web

    async def scenario() -> None:
        async with Client(app) as ines, Client(app) as ada, Client(app) as ivan:
            await ines.sign_in("ines")
            await ada.sign_in("ada")
            await ivan.sign_in("ivan")
            wrong = await ada.post("/api/session", json={"name": "ines", "password": "not ines's password"})
            assert wrong.status_code == 401
            password = "a reviewer's long password"
            added = await ada.form("/users", name="rita", role="reviewer", password=password, repeat=password)
            assert added.status_code == 303
            assigned = await ada.form("/assignments", user="rita", facilities="ATL-SPC-0001")
            assert assigned.status_code == 303
            waiver = await ada.form(
                "/waivers",
                requirement_id="FS-HOT-HOLD",
                facility_id="ATL-SPC-0001",
                justification="Steam table replaced next month.",
                approved_by="A. Delgado, FOD",
                expires="2026-09-30",
            )
            assert waiver.status_code == 303
            assert (await ada.form("/waivers/1/revoke")).status_code == 303
            upload = upload_id(await ines.upload(workbooks.small_2026))
            assert (await ines.get(f"/uploads/{upload}/report.pdf")).status_code == 200
            await ivan.upload(workbooks.small_2026)  # ATL-SPC-0001 is not ivan's: refused
            inspection = store.get_upload(web.db, upload)["inspection"]
            signed = await ada.form(f"/inspections/{inspection}/signoff", confirm="yes", upload=str(upload))
            assert signed.status_code == 303, signed.text
            assert (await ines.form("/logout")).status_code == 303

    run(scenario())
    done = CliRunner().invoke(cli, ["log", "--data", str(web.workspace.data_dir), "--format", "json"])
    assert done.exit_code == 0, done.output
    found = {(e["user_name"], e["action"]) for e in json.loads(done.stdout)["entries"]}
    assert {
        ("ines", "signin"),
        ("ines", "signin.failed"),
        ("ada", "user.add"),
        ("ada", "assignment.add"),
        ("ada", "waiver.create"),
        ("ada", "waiver.revoke"),
        ("ines", "upload.store"),
        ("ines", "upload.audited"),
        ("ines", "download.report"),
        ("ivan", "access.refused"),
        ("ada", "inspection.signoff"),
        ("ines", "signout"),
    } <= found, found
