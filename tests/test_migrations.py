"""Versioned schema migrations: a data folder written by the release before them opens with nothing lost.

The fixture `fixtures/datadir-v1/auditor.sql` is the database of a data folder that release
(commit 689375d) wrote with its own functions, dumped as SQL text; `make_fixture.py` beside it is
the script that made it and says how to run it again. Its rows, counted by hand from the dump:
3 users (ines and ivan inspectors, ada administrator, passwords `<name>-password`), 1 session,
2 inspections of ATL-SPC-0001, 3 uploads (1 and 2 audited, 3 invalid: version 2 of inspection 2),
22 findings (8 of upload 1, 14 of upload 2), 2 waivers (the second revoked), 2 roster imports,
3 registry facilities (NORTH JAIL rated Fail by the newer roster), 15 lines of the audit log and
the meta row `schema_version` = 1. That release wrote no PRAGMA user_version: it reads 0.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import threading
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import httpx
import pytest

from auditor import migrations
from auditor.db import SCHEMA_VERSION, Database
from auditor.migrations import LATEST, STEPS, SchemaError, m0001_initial, migrate, schema_version
from auditor.registry import list_imports, list_registry, registry_facility
from auditor.web import Settings, create_app

DATABASE = "auditor.sqlite3"  # its name in the data folder, in release 1 as now
DUMP = Path(__file__).parent / "fixtures" / "datadir-v1" / "auditor.sql"
V1_COUNTS = {
    "audit_log": 15,
    "findings": 22,
    "inspections": 2,
    "meta": 1,
    "registry": 3,
    "registry_imports": 2,
    "sessions": 1,
    "uploads": 3,
    "users": 3,
    "waivers": 2,
}


def load_v1(folder: Path) -> Path:
    """A data folder holding the release-1 database, restored from its dump; returns the database."""
    folder.mkdir(parents=True, exist_ok=True)
    database = folder / DATABASE
    conn = sqlite3.connect(database)
    try:
        conn.executescript(DUMP.read_text(encoding="utf-8"))
    finally:
        conn.close()
    return database


def tables(database: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in a stable order."""
    conn = sqlite3.connect(database)
    try:
        names = [
            r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        ]
        return {name: sorted(conn.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr) for name in names}
    finally:
        conn.close()


def schema(database: Path) -> list[tuple[str, str, str, str]]:
    conn = sqlite3.connect(database)
    try:
        return sorted(conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall())
    finally:
        conn.close()


def version(database: Path) -> int:
    conn = sqlite3.connect(database)
    try:
        return schema_version(conn)
    finally:
        conn.close()


def dump(database: Path) -> str:
    conn = sqlite3.connect(database)
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


# ---------------------------------------------------------------------------- the release-1 folder


def test_the_fixture_is_a_release_1_database_without_a_version(tmp_path: Path) -> None:
    database = load_v1(tmp_path / "data")
    assert version(database) == 0
    assert {name: len(rows) for name, rows in tables(database).items()} == V1_COUNTS


def test_a_release_1_folder_opens_at_the_current_version_with_every_row(tmp_path: Path) -> None:
    database = load_v1(tmp_path / "data")
    before = tables(database)
    Database(database)
    assert version(database) == LATEST == SCHEMA_VERSION
    after = tables(database)
    assert {name: len(rows) for name, rows in after.items()} == {
        **V1_COUNTS,
        "sign_in_failures": 0,
        "signoffs": 0,
        "cap_items": 0,
        "cap_responses": 0,
        "assignments": 0,
    }
    # Not one value changed; the uploads gained migration 2's four headline columns, unknown (this
    # folder kept no results files), the log migration 3's facility, inspection and address (unknown),
    # the session its last use (when it started), and the meta row says the version.
    grown = (
        *("uploads", "meta", "audit_log", "sessions", "sign_in_failures", "signoffs"),
        *("cap_items", "cap_responses", "assignments"),
    )
    unchanged = {name: rows for name, rows in after.items() if name not in grown}
    assert unchanged == {name: rows for name, rows in before.items() if name not in grown}
    assert after["uploads"] == sorted([(*row, None, None, None, None) for row in before["uploads"]], key=repr)
    assert after["audit_log"] == sorted([(*row, None, None, None) for row in before["audit_log"]], key=repr)
    assert after["sessions"] == [(*row, row[3]) for row in before["sessions"]]  # seen_at = created_at
    assert after["meta"] == [("schema_version", str(LATEST))]


def test_a_fresh_folder_and_a_migrated_one_have_the_same_schema(tmp_path: Path) -> None:
    migrated = load_v1(tmp_path / "old")
    Database(migrated)
    fresh = tmp_path / "new" / "auditor.sqlite3"
    fresh.parent.mkdir()
    Database(fresh)
    assert schema(fresh) == schema(migrated)
    # 15 tables, 13 named indexes, the 9 SQLite makes for text primary keys and UNIQUE constraints,
    # and the 4 triggers that keep the action log and the sign-offs append-only.
    assert len(schema(fresh)) == 41
    assert version(fresh) == version(migrated) == LATEST
    assert tables(fresh)["meta"] == [("schema_version", str(LATEST))]


def test_the_registry_and_the_rows_behind_it_read_back_through_the_registry(tmp_path: Path) -> None:
    db = Database(load_v1(tmp_path / "data"))
    assert [r["facility_id"] for r in list_registry(db)] == [
        "ICE-TX-78017-DILLEY-FAMILY-CENTER",
        "ICE-ME-04101-NORTH-JAIL",
        "ICE-TX-78041-SOUTH-PROCESSING-CENTER",
    ]
    assert registry_facility(db, "ICE-ME-04101-NORTH-JAIL")["final_rating"] == "Fail"
    assert [(i["file"], i["data_date"], i["added"], i["updated"]) for i in list_imports(db)] == [
        ("FY28.xlsx", "2028-01-05", 1, 1),
        ("FY27.xlsx", "2027-01-02", 2, 0),
    ]


def test_the_web_app_serves_a_migrated_folder_users_sign_in_with_their_passwords(tmp_path: Path) -> None:
    data = tmp_path / "data"
    load_v1(data)
    app = create_app(Settings(data_dir=data, secure_cookies=False, wait_seconds=30))

    async def scenario() -> dict[str, Any]:
        seen: dict[str, Any] = {}
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app), base_url="http://testserver"
        ) as http:
            wrong = await http.post("/api/session", json={"name": "ada", "password": "ines-password"})
            seen["wrong"] = wrong.status_code
            ines = await http.post("/api/session", json={"name": "ines", "password": "ines-password"})
            seen["ines"] = ines.json()["user"]
            ada = await http.post("/api/session", json={"name": "ada", "password": "ada-password"})
            seen["ada"] = ada.json()["user"]
            for name in ("uploads", "waivers", "registry", "audit-log", "facilities/ATL-SPC-0001"):
                answer = await http.get(f"/api/{name}")
                assert answer.status_code == 200, (name, answer.text)
                seen[name] = answer.json()
        return seen

    try:
        seen = asyncio.run(scenario())
    finally:
        app.state.web.close()
    assert seen["wrong"] == 401
    assert seen["ines"] == {"name": "ines", "role": "inspector"}
    assert seen["ada"] == {"name": "ada", "role": "administrator"}
    uploads = {u["id"]: u for u in seen["uploads"]["uploads"]}
    assert {i: (u["status"], u["inspection_id"], u["version"]) for i, u in uploads.items()} == {
        1: ("audited", "INSP-2025-0001", 1),
        2: ("audited", "INSP-2026-0001", 1),
        3: ("invalid", "INSP-2026-0001", 2),
    }
    assert (uploads[1]["rating"], uploads[1]["deficient"]) == ("Incomplete", 8)
    assert (uploads[2]["rating"], uploads[2]["deficient"]) == ("Does Not Meet Standards", 14)
    assert uploads[3]["errors"] == 1
    waivers = {w["id"]: w for w in seen["waivers"]["waivers"]}
    assert (waivers[1]["requirement_id"], waivers[1]["facility_id"], waivers[1]["expires"]) == (
        "FS-HOT-HOLD",
        "ATL-SPC-0001",
        "2026-09-30",
    )
    assert (waivers[2]["state"], waivers[2]["revoked_by_name"]) == ("revoked", "ada")
    assert len(seen["registry"]["facilities"]) == 3
    # The 15 lines release 1 wrote, oldest first, then the failed and the two sign-ins of this test.
    entries = sorted(seen["audit-log"]["entries"], key=lambda e: e["id"])
    assert [e["id"] for e in entries] == list(range(1, 19))
    assert [(e["action"], e["user_name"]) for e in entries[15:]] == [
        ("signin.failed", "ada"),
        ("signin", "ines"),
        ("signin", "ada"),
    ]
    assert [e["action"] for e in entries][:6] == [
        "user.add",
        "user.add",
        "user.add",
        "session.start",
        "upload.store",
        "upload.audited",
    ]
    assert entries[14]["detail"].startswith("FY28.xlsx (data of 2028-01-05)")
    history = seen["facilities/ATL-SPC-0001"]["facility"]
    assert history["facility_id"] == "ATL-SPC-0001"


# ---------------------------------------------------------------------------- versions


def test_a_database_newer_than_the_code_is_refused_and_left_as_it_was(tmp_path: Path) -> None:
    database = load_v1(tmp_path / "data")
    Database(database)
    conn = sqlite3.connect(database)
    conn.execute(f"PRAGMA user_version = {LATEST + 4}")
    conn.close()
    before = database.read_bytes()
    with pytest.raises(SchemaError) as raised:
        Database(database)
    assert str(raised.value) == (
        f"{tmp_path / 'data'}: this data folder was written by a newer auditor (schema {LATEST + 4}); "
        f"this one knows {LATEST}: open it with that release or a later one"
    )
    assert database.read_bytes() == before


def test_the_cli_answers_a_newer_folder_in_one_line(tmp_path: Path, cli) -> None:
    database = load_v1(tmp_path / "data")
    conn = sqlite3.connect(database)
    conn.execute(f"PRAGMA user_version = {LATEST + 1}")
    conn.close()
    result = cli("facilities", "list", "--data", tmp_path / "data")
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        f"error: {tmp_path / 'data'}: this data folder was written by a newer auditor (schema {LATEST + 1}); "
        f"this one knows {LATEST}: open it with that release or a later one"
    ]


def test_migrating_twice_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    database = load_v1(tmp_path / "data")
    Database(database)
    once = dump(database)
    Database(database)
    conn = sqlite3.connect(database, isolation_level=None)
    try:
        assert migrate(conn, tmp_path) == []
        # The last migration itself, run again on a database it made, adds nothing either.
        conn.execute("BEGIN")
        STEPS[-1].apply(conn)
        conn.execute("COMMIT")
    finally:
        conn.close()
    assert dump(database) == once
    # Nor does migration 1 on a database at its version.
    first = load_v1(tmp_path / "first")
    monkeypatch.setattr(migrations, "STEPS", (m0001_initial,))
    monkeypatch.setattr(migrations, "LATEST", 1)
    conn = sqlite3.connect(first, isolation_level=None)
    try:
        assert migrate(conn, tmp_path) == [1]
        at_1 = "\n".join(conn.iterdump())
        conn.execute("BEGIN")
        m0001_initial.apply(conn)
        conn.execute("COMMIT")
    finally:
        conn.close()
    assert dump(first) == at_1


def test_the_steps_are_numbered_one_to_latest_in_order() -> None:
    assert [step.VERSION for step in STEPS] == list(range(1, LATEST + 1))


def _step(version: int, statements: list[str], fail: bool = False) -> ModuleType:
    def apply(conn: sqlite3.Connection) -> None:
        for statement in statements:
            conn.execute(statement)
        if fail:
            raise RuntimeError("the disk went away")

    return SimpleNamespace(VERSION=version, apply=apply)  # type: ignore[return-value]


def test_each_migration_is_one_transaction_with_its_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = load_v1(tmp_path / "data")
    two = _step(
        2, ["ALTER TABLE users ADD COLUMN email TEXT", "UPDATE users SET email = name || '@example.org'"]
    )
    three = _step(3, ["CREATE TABLE notes (id INTEGER PRIMARY KEY)", "DROP TABLE waivers"], fail=True)
    monkeypatch.setattr(migrations, "STEPS", (m0001_initial, two, three))
    monkeypatch.setattr(migrations, "LATEST", 3)
    conn = sqlite3.connect(database, isolation_level=None)
    try:
        with pytest.raises(RuntimeError, match="the disk went away"):
            migrate(conn, tmp_path)
        # 1 and 2 committed, each with its version; 3 rolled back whole: no notes, waivers kept.
        assert schema_version(conn) == 2
        assert conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == ("2",)
        assert conn.execute("SELECT name, email FROM users ORDER BY id").fetchall() == [
            ("ines", "ines@example.org"),
            ("ivan", "ivan@example.org"),
            ("ada", "ada@example.org"),
        ]
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert "notes" not in names and "waivers" in names
        assert conn.execute("SELECT count(*) FROM waivers").fetchone() == (2,)
        # The next open applies only what is missing: 3, now that it succeeds.
        monkeypatch.setattr(
            migrations, "STEPS", (m0001_initial, two, _step(3, ["CREATE TABLE notes (id INT)"]))
        )
        assert migrate(conn, tmp_path) == [3]
        assert schema_version(conn) == 3
    finally:
        conn.close()


def test_a_migration_that_would_break_a_reference_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = load_v1(tmp_path / "data")
    Database(database)
    monkeypatch.setattr(
        migrations, "STEPS", (*STEPS, _step(LATEST + 1, ["DELETE FROM users WHERE name = 'ada'"]))
    )
    monkeypatch.setattr(migrations, "LATEST", LATEST + 1)
    with pytest.raises(SchemaError, match=r"would leave a row of .* pointing at a missing row of users"):
        Database(database)
    assert version(database) == LATEST
    assert len(tables(database)["users"]) == 3


# ---------------------------------------------------------------------------- hostile files


def test_a_file_that_is_not_a_database_is_a_one_line_error(tmp_path: Path) -> None:
    database = tmp_path / "auditor.sqlite3"
    database.write_bytes(b"PK\x03\x04 not a database " * 100)
    with pytest.raises(
        SchemaError, match=r"auditor\.sqlite3: cannot open the data folder's database: file is not a database"
    ):
        Database(database)


def test_a_database_with_other_tables_of_the_same_names_is_refused_untouched(tmp_path: Path) -> None:
    database = tmp_path / "auditor.sqlite3"
    conn = sqlite3.connect(database)
    conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    conn.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT)")
    conn.execute("INSERT INTO users (email) VALUES ('someone@example.org')")
    conn.commit()
    conn.close()
    before = schema(database)
    with pytest.raises(
        SchemaError, match="its table users has the columns id, email, not those the auditor wrote"
    ):
        Database(database)
    assert schema(database) == before and version(database) == 0


def test_a_negative_version_is_refused(tmp_path: Path) -> None:
    database = load_v1(tmp_path / "data")
    conn = sqlite3.connect(database)
    conn.execute("PRAGMA user_version = -3")
    conn.close()
    with pytest.raises(SchemaError, match="schema version -3: not an auditor database"):
        Database(database)


def test_a_database_of_something_else_is_refused_untouched(tmp_path: Path) -> None:
    database = tmp_path / "auditor.sqlite3"
    conn = sqlite3.connect(database)
    conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, path TEXT)")
    conn.execute("CREATE TABLE albums (id INTEGER PRIMARY KEY)")
    conn.commit()
    conn.close()
    before = schema(database)
    with pytest.raises(
        SchemaError, match="holds the tables albums, photos and no meta table: this is not an auditor"
    ):
        Database(database)
    assert schema(database) == before and version(database) == 0


def open_at_once(database: Path, openers: int) -> list[BaseException]:
    """`openers` threads open `database` together (released by one barrier); what each raised."""
    start = threading.Barrier(openers)
    errors: list[BaseException] = []

    def open_it() -> None:
        start.wait()
        try:
            Database(database)
        except BaseException as exc:  # collected: an exception in a thread would not fail the test
            errors.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(openers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return errors


def test_processes_opening_one_new_folder_at_once_apply_each_migration_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Migration 2 inserts a row under a primary key: applied twice, it would fail.
    once = _step(2, ["INSERT INTO meta (key, value) VALUES ('migration 2 ran', 'once')"])
    monkeypatch.setattr(migrations, "STEPS", (m0001_initial, once))
    monkeypatch.setattr(migrations, "LATEST", 2)
    database = tmp_path / "auditor.sqlite3"
    assert open_at_once(database, 4) == []
    assert version(database) == 2
    assert tables(database)["meta"] == [("migration 2 ran", "once"), ("schema_version", "2")]


def test_many_connections_switching_new_folders_to_wal_at_once_all_open_them(tmp_path: Path) -> None:
    # SQLite answers "database is locked" at once, without waiting, to a connection switching a
    # new file to WAL while another switches it: CI saw 1 such failure of 4 openers; 8 openers of
    # 100 new folders saw about 3 before Database retried the switch.
    errors: list[BaseException] = []
    for round_ in range(100):
        database = tmp_path / f"{round_}" / "auditor.sqlite3"
        database.parent.mkdir()
        errors += open_at_once(database, 8)
    assert errors == []


# ---------------------------------------------------------------------------- migration 2: headline counts


def test_migration_2_fills_the_headline_counts_from_the_results_files_the_folder_kept(tmp_path: Path) -> None:
    """Upload 2's results file is tests/undecided.py's (2 requirements indeterminate, decided 2 of 5 in
    scope, 40 %); upload 1's file is damaged and upload 3 was invalid: theirs stay unknown (NULL)."""
    from builders import InspectionBuilder, valid_sheets
    from undecided import undecided_results

    from auditor.core import audit_inspection

    data = tmp_path / "data"
    database = load_v1(data)
    before = tables(database)
    small = audit_inspection(
        InspectionBuilder().sheet("Checklist", valid_sheets()["Checklist"]).xlsx(tmp_path / "small.xlsx")
    ).results
    assert small is not None
    (data / "outputs" / "2").mkdir(parents=True)
    undecided_results(small).write(data / "outputs" / "2" / "results.json")
    (data / "outputs" / "1").mkdir(parents=True)
    (data / "outputs" / "1" / "results.json").write_text(
        '{"schema_version": "2", "summary": [', encoding="utf-8"
    )
    (data / "outputs" / "3").mkdir(parents=True)  # invalid: even a results file there is not read
    undecided_results(small).write(data / "outputs" / "3" / "results.json")

    Database(database)
    after = tables(database)
    assert {name: len(rows) for name, rows in after.items()} == {
        **V1_COUNTS,
        "sign_in_failures": 0,
        "signoffs": 0,
        "cap_items": 0,
        "cap_responses": 0,
        "assignments": 0,
    }
    conn = sqlite3.connect(database)
    try:
        rows = conn.execute(
            "SELECT id, status, deficient, indeterminate, decided, in_scope, coverage_percent FROM uploads"
            " ORDER BY id"
        ).fetchall()
    finally:
        conn.close()
    assert rows == [
        (1, "audited", 8, None, None, None, None),
        (2, "audited", 14, 2, 2, 5, 40.0),  # the stored deficiencies are release 1's, untouched
        (3, "invalid", None, None, None, None, None),
    ]
    # every other column of every upload as release 1 wrote it
    assert [row[:-4] for row in after["uploads"]] == before["uploads"]


def test_migration_2_leaves_counts_unknown_for_a_results_file_whose_counts_are_not_counts(
    tmp_path: Path,
) -> None:
    from builders import InspectionBuilder, valid_sheets

    from auditor.core import audit_inspection

    data = tmp_path / "data"
    database = load_v1(data)
    small = audit_inspection(
        InspectionBuilder().sheet("Checklist", valid_sheets()["Checklist"]).xlsx(tmp_path / "small.xlsx")
    ).results
    assert small is not None
    hostile = small.to_dict()
    hostile["summary"]["in_scope"] = "all of them"
    (data / "outputs" / "2").mkdir(parents=True)
    (data / "outputs" / "2" / "results.json").write_text(json.dumps(hostile), encoding="utf-8")
    Database(database)
    conn = sqlite3.connect(database)
    try:
        assert conn.execute("SELECT indeterminate, in_scope FROM uploads WHERE id = 2").fetchone() == (
            None,
            None,
        )
    finally:
        conn.close()


def test_migration_6_rebuilds_users_for_the_reviewer_role_keeping_ids_sessions_and_added_columns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = load_v1(tmp_path / "data")
    with monkeypatch.context() as patch:  # the folder at version 5, as the release before this one left it
        patch.setattr(migrations, "STEPS", STEPS[:5])
        patch.setattr(migrations, "LATEST", 5)
        Database(database)
    conn = sqlite3.connect(database, isolation_level=None)
    conn.execute("ALTER TABLE users ADD COLUMN note TEXT")  # as another migration might have
    conn.execute("UPDATE users SET note = 'kept' WHERE name = 'ada'")
    before = conn.execute("SELECT id, name, role, password_hash FROM users ORDER BY id").fetchall()
    sessions = conn.execute("SELECT token_hash, user_id FROM sessions ORDER BY token_hash").fetchall()
    conn.close()
    Database(database)
    conn = sqlite3.connect(database)
    try:
        assert (
            conn.execute("SELECT id, name, role, password_hash FROM users ORDER BY id").fetchall() == before
        )
        assert conn.execute("SELECT note FROM users WHERE name = 'ada'").fetchone() == ("kept",)
        assert (
            conn.execute("SELECT token_hash, user_id FROM sessions ORDER BY token_hash").fetchall()
            == sessions
        )
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute(
            "INSERT INTO users (name, role, password_hash, created_at) VALUES ('rita', 'reviewer', 'h', '')"
        )
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute(
                "INSERT INTO users (name, role, password_hash, created_at) VALUES ('x', 'root', 'h', 'now')"
            )
        (rita,) = conn.execute("SELECT id FROM users WHERE name = 'rita'").fetchone()
        conn.execute("INSERT INTO assignments VALUES (?, 'FIC-CDF-0002', 'ada', 'now')", (rita,))
        conn.execute("DELETE FROM users WHERE id = ?", (rita,))  # an account's assignments go with it
        assert conn.execute("SELECT COUNT(*) FROM assignments").fetchone() == (0,)
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        conn.close()
