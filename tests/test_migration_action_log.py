"""Migration 3: the action log gains facility, inspection and address, and no statement can change it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from test_migrations import DATABASE, load_v1

from auditor.db import CLIENT_ADDRESS, Database


def _rows(database: Path) -> list[tuple]:
    conn = sqlite3.connect(database)
    try:
        return conn.execute(
            "SELECT id, user_name, action, target, facility_id, inspection_id, address"
            " FROM audit_log ORDER BY id"
        ).fetchall()
    finally:
        conn.close()


def test_an_entry_keeps_facility_inspection_and_the_request_s_address(tmp_path: Path) -> None:
    db = Database(tmp_path / DATABASE)
    with db.write() as conn:
        db.log(conn, "ines", "upload.audited", "upload 1", facility_id="FAC-1", inspection_id="2026-01")
    token = CLIENT_ADDRESS.set("203.0.113.9")
    try:
        with db.write() as conn:
            db.log(conn, "ada", "waiver.create", "waiver 1", facility_id="*")
            db.log(conn, "ada", "signin", "ada", address="198.51.100.2")  # given: wins over the request's
    finally:
        CLIENT_ADDRESS.reset(token)
    assert _rows(tmp_path / DATABASE) == [
        (1, "ines", "upload.audited", "upload 1", "FAC-1", "2026-01", None),
        (2, "ada", "waiver.create", "waiver 1", "*", None, "203.0.113.9"),
        (3, "ada", "signin", "ada", None, None, "198.51.100.2"),
    ]


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_log SET user_name = 'someone else' WHERE id = 1",
        "UPDATE audit_log SET detail = ''",
        "DELETE FROM audit_log WHERE id = 1",
        "DELETE FROM audit_log",
    ],
)
def test_no_statement_changes_or_removes_an_entry(tmp_path: Path, statement: str) -> None:
    db = Database(tmp_path / DATABASE)
    with db.write() as conn:
        db.log(conn, "ada", "user.add", "ines", "role inspector")
    before = _rows(tmp_path / DATABASE)
    with pytest.raises(sqlite3.IntegrityError, match="the action log is append-only"), db.write() as conn:
        conn.execute(statement)
    assert _rows(tmp_path / DATABASE) == before


def test_a_migrated_folder_keeps_its_old_entries_and_they_cannot_be_changed_either(tmp_path: Path) -> None:
    database = load_v1(tmp_path / "data")
    old = _rows_v1(database)
    db = Database(database)
    assert _rows(database) == [(*row, None, None, None) for row in old]
    with pytest.raises(sqlite3.IntegrityError, match="cannot be deleted"), db.write() as conn:
        conn.execute("DELETE FROM audit_log")
    assert len(_rows(database)) == 15
    with db.read() as conn:
        sessions = conn.execute("SELECT created_at, seen_at FROM sessions").fetchall()
    assert [tuple(row) for row in sessions] == [(sessions[0][0], sessions[0][0])]


def _rows_v1(database: Path) -> list[tuple]:
    conn = sqlite3.connect(database)
    try:
        return conn.execute("SELECT id, user_name, action, target FROM audit_log ORDER BY id").fetchall()
    finally:
        conn.close()


def test_long_values_are_cut_and_a_missing_target_stays_missing(tmp_path: Path) -> None:
    db = Database(tmp_path / DATABASE)
    with db.write() as conn:
        db.log(conn, "x" * 100, "registry.import", None, "d" * 5000, facility_id="F" * 300)  # type: ignore[arg-type]
    with db.read() as conn:
        row = conn.execute("SELECT user_name, target, detail, facility_id FROM audit_log").fetchone()
    assert (len(row["user_name"]), row["target"], len(row["detail"]), len(row["facility_id"])) == (
        64,
        None,
        1000,
        128,
    )
