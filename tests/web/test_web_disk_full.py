"""A full disk: the upload that cannot be stored answers 507 and leaves nothing half-written; every
page, sign-in and sign-out go on working. The disk is made full by the write paths raising what a
full disk raises: ENOSPC from the file system, "database or disk is full" from SQLite."""

from __future__ import annotations

import errno
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi import FastAPI
from webclient import Client, run

from auditor.db import Database
from auditor.service import files
from auditor.service.accounts import User
from auditor.web.auth import SpareSessions


def _full_disk_database(monkeypatch: pytest.MonkeyPatch) -> None:
    @contextmanager
    def write(self: Database) -> Iterator[sqlite3.Connection]:
        raise sqlite3.OperationalError("database or disk is full")
        yield  # pragma: no cover - a generator, as the real one

    monkeypatch.setattr(Database, "write", write)


def _leftovers(app: FastAPI) -> tuple[list[Path], list[Path]]:
    """(files under uploads/ other than .incoming, files in uploads/.incoming)."""
    uploads = app.state.web.workspace.uploads_dir
    incoming = uploads / ".incoming"
    stored = [p for p in uploads.iterdir() if p.is_file()]
    return stored, sorted(incoming.iterdir()) if incoming.is_dir() else []


def test_an_upload_the_disk_cannot_hold_answers_507_and_nothing_is_kept(
    app: FastAPI, workbooks, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_write = files.Incoming.write

    def half_then_full(self: files.Incoming, chunk: bytes) -> None:
        real_write(self, chunk[: len(chunk) // 2])  # part of the bytes reach the disk, then it is full
        raise OSError(errno.ENOSPC, "No space left on device")

    async def scenario() -> None:
        async with Client(app) as ines:
            await ines.sign_in("ines")
            monkeypatch.setattr(files.Incoming, "write", half_then_full)
            page = await ines.upload(workbooks.small_2026)
            assert page.status_code == 507
            assert "The server&#39;s disk is full" in page.text
            answer = await ines.api_upload(workbooks.small_2026)
            assert answer.status_code == 507
            assert answer.json()["status"] == 507
            assert answer.json()["error"].startswith("the server's disk is full, so nothing could be saved")
            monkeypatch.undo()
            assert (await ines.get("/api/uploads")).json()["uploads"] == []
            assert _leftovers(app) == ([], [])
            # Room again: the same file is stored and audited.
            again = await ines.api_upload(workbooks.small_2026)
            assert again.status_code in (200, 201, 202), again.text
            assert len(_leftovers(app)[0]) == 1

    run(scenario())


def test_a_flush_that_fails_at_fsync_removes_the_partial_file(
    app: FastAPI, workbooks, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    async def scenario() -> None:
        async with Client(app) as ines:
            await ines.sign_in("ines")
            monkeypatch.setattr(files.os, "fsync", full)
            answer = await ines.api_upload(workbooks.small_2026)
            monkeypatch.undo()
            assert answer.status_code == 507
            assert _leftovers(app) == ([], [])
            assert (await ines.get("/api/uploads")).json()["uploads"] == []

    run(scenario())


def test_write_durably_leaves_the_old_file_or_the_new_one(tmp_path: Path, monkeypatch) -> None:
    target = files.write_durably(tmp_path / "report.pdf", b"old")
    monkeypatch.setattr(files.os, "fsync", lambda fd: (_ for _ in ()).throw(OSError(errno.ENOSPC, "full")))
    with pytest.raises(OSError):
        files.write_durably(target, b"new, never whole")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.pdf"]


def test_pages_and_signing_in_and_out_work_while_the_database_is_full(
    app: FastAPI, workbooks, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def scenario() -> None:
        async with Client(app) as ada, Client(app) as ines:
            await ada.sign_in("ada")
            assert (await ada.upload(workbooks.small_2026)).status_code == 303
            _full_disk_database(monkeypatch)
            # Signed in before: every page still reads.
            for url in ("/", "/uploads", "/uploads/1", "/facilities", "/facilities/ATL-SPC-0001", "/waivers"):
                page = await ada.get(url)
                assert page.status_code == 200, (url, page.status_code, page.text[:300])
            assert (await ada.get("/api/uploads")).json()["uploads"][0]["status"] == "audited"
            # Signing in while nothing can be written: the session lives in memory.
            await ines.sign_in("ines")
            assert (await ines.get("/")).status_code == 200
            api = await ines.post("/api/session", json={"name": "ines", "password": "ines-password"})
            assert api.status_code == 200 and api.json()["user"]["name"] == "ines"
            ines.csrf = api.json()["csrf_token"]  # a new session: the one before it has ended
            # A change answers 507 with the reason, on pages and in the API.
            waiver = {"requirement_id": "FS-HOT-HOLD", "facility_id": "*", "justification": "x"}
            waiver["expires"] = "2030-01-01"
            refused = await ada.api("POST", "/api/waivers", json=waiver)
            assert refused.status_code == 507 and "disk is full" in refused.json()["error"]
            upload = await ada.upload(workbooks.small_2025)
            assert upload.status_code == 507 and "disk is full" in upload.text
            # Signing out while nothing can be written still ends the session.
            out = await ada.form("/logout")
            assert out.status_code == 303
            assert (await ada.get("/api/session")).status_code == 401
            assert (await ada.get("/")).headers["location"] == "/login"
            ines_out = await ines.api("DELETE", "/api/session")
            assert ines_out.status_code == 200
            assert (await ines.get("/api/session")).status_code == 401

    run(scenario())
    # Nothing of the refused upload reached the database.
    with app.state.web.db.read() as conn:
        assert conn.execute("SELECT count(*) FROM uploads").fetchone()[0] == 1


def test_the_wal_files_stay_while_the_server_runs(app: FastAPI) -> None:
    """SQLite deletes -wal and -shm when its last connection closes; a request that has to create
    -shm again fails on a full disk, reads included ("disk I/O error"). The app holds one open."""

    async def scenario() -> None:
        async with Client(app) as ines:
            await ines.sign_in("ines")
            assert (await ines.get("/")).status_code == 200

    run(scenario())
    database = app.state.web.workspace.database
    assert Path(f"{database}-wal").exists() and Path(f"{database}-shm").exists()


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 3 MB tmpfs of its own (needs root and mount rights, as CI has here): a disk that really fills."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)], capture_output=True, check=False
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace').strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _fill(disk: Path) -> Path:
    filler = disk / "filler"
    with filler.open("wb", buffering=0) as handle:  # unbuffered: nothing left to flush on close
        try:
            while True:
                handle.write(b"\0" * 65536)
                handle.flush()
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
    return filler


def test_a_disk_that_really_fills(make_app, workbooks, small_disk: Path) -> None:
    """The same promises on a real full disk: SQLite and the file system raising what they raise."""
    app = make_app(small_disk / "data")

    async def scenario() -> None:
        async with Client(app) as ada, Client(app) as ines:
            await ada.sign_in("ada")
            filler = _fill(small_disk)
            for url in ("/", "/uploads", "/facilities", "/waivers", "/api/uploads"):
                assert (await ada.get(url)).status_code == 200, url
            await ines.sign_in("ines")
            assert (await ines.get("/api/session")).json()["user"]["name"] == "ines"
            answer = await ines.api_upload(workbooks.small_2026)
            assert answer.status_code == 507
            assert _leftovers(app) == ([], [])
            filler.unlink()
            again = await ines.api_upload(workbooks.small_2026)
            assert again.status_code == 201, again.text

    run(scenario())


def test_sessions_kept_in_memory_expire_and_are_dropped() -> None:
    spare = SpareSessions()
    ines = User(1, "ines", "inspector", "csrf")
    spare.start("old", ines, "2000-01-01T00:00:00Z")
    assert spare.user("old") is None  # expired
    spare.start("new", ines, "2999-01-01T00:00:00Z")
    assert set(spare.active) == {"new"}  # the expired one is gone
    assert spare.user("new") == ines
    spare.end("new", written=False)  # signed out while the database could not be written
    assert spare.active == {} and spare.revoked == {"new"}
