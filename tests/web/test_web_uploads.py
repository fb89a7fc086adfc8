"""Nothing uploaded is lost: stored (fsynced, recorded) before it is read, kept when it is not a
workbook or its audit fails, resumed after a crash, all there after a restart, twenty at once."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
from builders import InspectionBuilder
from fastapi import FastAPI
from webclient import PASSWORDS, Client, run, upload_id

from auditor.service import processing, store


def _stored(app: FastAPI) -> list[Path]:
    return sorted(p for p in app.state.web.workspace.uploads_dir.iterdir() if p.is_file())


def test_a_file_over_the_limit_is_refused_with_a_clear_message(make_app, workbooks) -> None:
    app = make_app(max_upload_bytes=8 * 1024)
    assert workbooks.small_2026.stat().st_size > 8 * 1024

    async def scenario() -> None:
        async with Client(app) as ines:
            await ines.sign_in("ines")
            page = await ines.upload(workbooks.small_2026)
            assert page.status_code == 413
            assert "File too large" in page.text
            assert "larger than the upload limit of 8 KB" in page.text
            answer = await ines.api_upload(workbooks.small_2026)
            assert answer.status_code == 413
            assert answer.json()["error"].startswith("The file is larger than the upload limit of 8 KB")
            assert (await ines.get("/api/uploads")).json()["uploads"] == []
        assert _stored(app) == []
        assert list((app.state.web.workspace.uploads_dir / ".incoming").iterdir()) == []

    run(scenario())


def test_the_limit_is_enforced_while_streaming(make_app) -> None:
    """A 64 MB body against a 64 KB limit: the server stops reading long before the end."""
    app = make_app(max_upload_bytes=64 * 1024)
    sent = 0

    async def body() -> AsyncIterator[bytes]:
        nonlocal sent
        head = b'--XyZ\r\nContent-Disposition: form-data; name="file"; filename="big.xlsx"\r\n\r\n'
        yield head
        for _ in range(1024):
            sent += 65536
            yield b"PK" + b"\0" * 65534
        yield b"\r\n--XyZ--\r\n"

    async def scenario() -> None:
        async with Client(app) as ines:
            await ines.sign_in("ines")
            answer = await ines.post(
                "/api/uploads",
                content=body(),
                headers={"content-type": "multipart/form-data; boundary=XyZ", "X-CSRF-Token": ines.csrf},
            )
            assert answer.status_code == 413
            # Declared too large: refused before reading anything.
            declared = await ines.post(
                "/uploads",
                content=b"x",
                headers={"content-type": "multipart/form-data; boundary=XyZ", "content-length": str(1 << 30)},
            )
            assert declared.status_code == 413

    run(scenario())
    assert sent <= 1024 * 1024, f"the server read {sent} bytes of a body over its limit"
    assert _stored(app) == []


def test_a_pdf_named_xlsx_is_refused_but_stored_and_listed(app: FastAPI, workbooks) -> None:
    async def scenario() -> None:
        async with Client(app) as ines:
            await ines.sign_in("ines")
            upload = upload_id(await ines.upload(workbooks.pdf, "inspection.xlsx"))
            page = await ines.get(f"/uploads/{upload}")
            assert "This file was not accepted" in page.text
            assert "This is a PDF document, not a workbook." in page.text
            assert str(app.state.web.settings.data_dir) not in page.text  # no server paths in messages
            listed = (await ines.get("/api/uploads")).json()["uploads"]
            assert [(u["id"], u["status"], u["original_name"]) for u in listed] == [
                (upload, "rejected", "inspection.xlsx")
            ]
            assert "Not accepted" in (await ines.get("/uploads")).text
            original = await ines.get(f"/uploads/{upload}/original")
            assert original.content == workbooks.pdf.read_bytes()
        sha = hashlib.sha256(workbooks.pdf.read_bytes()).hexdigest()
        assert _stored(app) == [app.state.web.workspace.uploads_dir / sha]

    run(scenario())


def test_twenty_simultaneous_uploads_all_land(make_app, tmp_path: Path) -> None:
    app = make_app(wait_seconds=0)  # answer as soon as each file is stored
    books = [
        InspectionBuilder(inspection_id=f"INSP-2026-{n:04d}")
        .with_valid_sheets()
        .xlsx(tmp_path / f"b{n}.xlsx")
        for n in range(20)
    ]

    async def scenario() -> list[int]:
        async with Client(app) as ines:
            await ines.sign_in("ines")
            answers = await asyncio.gather(*(ines.upload(book) for book in books))
            return [upload_id(answer) for answer in answers]

    ids = run(scenario())
    assert len(set(ids)) == 20
    app.state.web.processor.idle(timeout=300)
    rows = [store.get_upload(app.state.web.db, i) for i in ids]
    assert [r["status"] for r in rows] == ["audited"] * 20
    assert sorted(r["inspection_id"] for r in rows) == [f"INSP-2026-{n:04d}" for n in range(20)]
    for row, book in zip(rows, books, strict=True):
        assert row["sha256"] == hashlib.sha256(book.read_bytes()).hexdigest()
        assert (app.state.web.workspace.uploads_dir / row["sha256"]).read_bytes() == book.read_bytes()


def _audit_breaks(source: Path, waivers: object) -> object:
    """checking.check with an engine that breaks, in the upload's child (which ends with it)."""
    import auditor.core
    from auditor.service import checking

    def broken(*args, **kwargs):
        raise RuntimeError("the engine broke")

    auditor.core.audit_loaded = broken
    return checking.check(source, waivers)


def test_a_failing_audit_leaves_the_upload_listed_with_its_error(
    app: FastAPI, workbooks, monkeypatch
) -> None:
    from auditor.service import checking

    monkeypatch.setattr(checking, "check", _audit_breaks)  # the child runs it (by name: this module's)

    async def scenario() -> None:
        async with Client(app) as ines, Client(app) as ada:
            await ines.sign_in("ines")
            await ada.sign_in("ada")
            upload = upload_id(await ines.upload(workbooks.small_2026))
            row = (await ines.get(f"/api/uploads/{upload}")).json()["upload"]
            assert row["status"] == "failed"
            assert "RuntimeError: the engine broke" in row["message"]
            page = await ines.get(f"/uploads/{upload}")
            assert "Checking this upload failed" in page.text and "the engine broke" in page.text

            monkeypatch.undo()  # fixed: the administrator checks it again
            assert (await ada.form(f"/uploads/{upload}/reprocess")).status_code == 303
            assert (await ines.get(f"/api/uploads/{upload}")).json()["upload"]["status"] == "audited"

    run(scenario())


def test_an_upload_interrupted_by_a_crash_is_processed_at_the_next_start(
    make_app, workbooks, monkeypatch
) -> None:
    app = make_app(wait_seconds=0)
    # The "crash": the server stores and records the upload, then dies before processing it.
    monkeypatch.setattr(processing.Processor, "submit", lambda self, upload_id: _never())

    async def scenario() -> int:
        async with Client(app) as ines:
            await ines.sign_in("ines")
            return upload_id(await ines.upload(workbooks.small_2026))

    upload = run(scenario())
    assert store.get_upload(app.state.web.db, upload)["status"] == "received"
    monkeypatch.undo()

    restarted = make_app(wait_seconds=0)
    restarted.state.web.processor.idle(timeout=120)
    assert store.get_upload(restarted.state.web.db, upload)["status"] == "audited"

    # An upload whose checking was interrupted twice is given up on, visibly, never run again: a
    # file that killed the server must not kill it at every restart.
    with restarted.state.web.db.write() as conn:
        conn.execute("UPDATE uploads SET status = 'processing', attempts = 2 WHERE id = ?", (upload,))
    again = make_app(wait_seconds=0)
    row = store.get_upload(again.state.web.db, upload)
    assert row["status"] == "failed" and "interrupted 2 times" in row["message"]
    again.state.web.processor.idle(timeout=120)
    assert store.get_upload(make_app(wait_seconds=0).state.web.db, upload)["status"] == "failed"


def _never():
    import concurrent.futures

    return concurrent.futures.Future()


def test_a_restarted_server_keeps_users_sessions_uploads_and_results(make_app, workbooks) -> None:
    first = make_app()

    async def before() -> tuple[int, int, httpx.Cookies]:
        async with Client(first) as ines:
            await ines.sign_in("ines")
            bad = upload_id(await ines.upload(workbooks.pine_hollow_bad))
            good = upload_id(await ines.upload(workbooks.small_2026))
            return bad, good, ines.http.cookies

    bad, good, cookies = run(before())
    first.state.web.processor.idle(timeout=120)
    first.state.web.close()

    second = make_app()  # a new app on the same data folder

    async def after() -> None:
        async with Client(second) as ines:
            ines.http.cookies = cookies  # the session survives the restart
            assert (await ines.get("/api/session")).json()["user"]["name"] == "ines"
            uploads = {u["id"]: u for u in (await ines.get("/api/uploads")).json()["uploads"]}
            assert uploads[bad]["status"] == "invalid" and uploads[good]["status"] == "audited"
            assert "Intake!B3" in (await ines.get(f"/uploads/{bad}")).text
            assert (await ines.get(f"/uploads/{bad}/annotated.xlsx")).status_code == 200
            assert "Does Not Meet Standards" in (await ines.get(f"/uploads/{good}")).text
            facilities = (await ines.get("/api/facilities")).json()["facilities"]
            assert {f["facility_id"] for f in facilities} == {"ATL-SPC-0001", "FIC-USMS-0004"}
        async with Client(second) as ada:
            answer = await ada.post("/api/session", json={"name": "ada", "password": PASSWORDS["ada"]})
            assert answer.status_code == 200

    run(after())


def test_malformed_or_cut_short_uploads_are_refused_and_nothing_is_kept(app: FastAPI) -> None:
    multipart = {"content-type": "multipart/form-data; boundary=XyZ"}
    head = b'--XyZ\r\nContent-Disposition: form-data; name="file"; filename="a.xlsx"\r\n\r\nPK\x03\x04'

    async def scenario() -> None:
        async with Client(app) as ines:
            await ines.sign_in("ines")
            headers = {**multipart, "X-CSRF-Token": ines.csrf}
            cut_short = await ines.post("/api/uploads", content=head, headers=headers)
            assert cut_short.status_code == 400 and "cut short" in cut_short.json()["error"]
            garbage = await ines.post("/api/uploads", content=b"not multipart at all", headers=headers)
            assert garbage.status_code == 400 and "well-formed" in garbage.json()["error"]
            two = await ines.post(
                "/api/uploads",
                files=[("file", ("a.xlsx", b"PK")), ("file", ("b.xlsx", b"PK"))],
                headers={"X-CSRF-Token": ines.csrf},
            )
            assert two.status_code == 400 and two.json()["error"] == "send one file per upload"
            empty = await ines.post("/uploads", data={"csrf_token": ines.csrf}, files={"file": ("", b"")})
            assert empty.status_code == 400 and "Choose a workbook to upload" in empty.text
            assert (await ines.get("/api/uploads")).json()["uploads"] == []
        assert _stored(app) == []

    run(scenario())


def test_a_workbook_over_a_megabyte_is_accepted_up_to_the_upload_limit(make_app, tmp_path) -> None:
    """Routes inside FastAPI's included routers carry their own body limit: an upload is held to the
    upload limit (50 MB by default), not to the 1 MB every other request has."""
    from auditor.generate.synthetic import write_synthetic

    (book,) = write_synthetic(tmp_path, 1, 4000, seed=3)
    assert book.stat().st_size > 1024 * 1024
    app = make_app()

    async def scenario() -> None:
        async with Client(app) as ines:
            await ines.sign_in("ines")
            page = await ines.upload(book)
            assert page.status_code in (200, 303), page.text[:300]
            answer = await ines.api_upload(book)
            assert answer.status_code == 201, answer.text[:300]

    run(scenario())
