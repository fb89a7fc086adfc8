"""The corrective-action migration adds the items and their responses: empty on an upgraded folder,
with the statuses and the one-item-per-requirement-and-inspection rule enforced by the database."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from auditor.db import Database
from auditor.migrations import LATEST, STEPS, migrate, schema_version
from auditor.migrations.steps import columns

(STEP,) = [step for step in STEPS if step.__name__.endswith("_corrective_actions")]


def test_its_step_creates_both_tables_empty(tmp_path: Path) -> None:
    number = STEP.VERSION
    assert STEPS.index(STEP) + 1 == number  # listed at its own version
    path = tmp_path / "auditor.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    for step in STEPS[: number - 1]:  # a folder at the version before, then upgraded
        conn.execute("BEGIN")
        step.apply(conn)
        conn.execute(f"PRAGMA user_version = {step.VERSION}")
        conn.execute("COMMIT")
    assert schema_version(conn) == number - 1
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name LIKE 'cap_%'").fetchone()[0] == 0
    assert migrate(conn, tmp_path) == list(range(number, LATEST + 1))
    assert schema_version(conn) == LATEST
    assert columns(conn, "cap_items")[:4] == ["id", "facility_id", "requirement_id", "inspection"]
    assert "closed_by" in columns(conn, "cap_items") and "repeated_in" in columns(conn, "cap_items")
    assert columns(conn, "cap_responses")[:3] == ["id", "item", "at"]
    assert conn.execute("SELECT count(*) FROM cap_items").fetchone()[0] == 0
    conn.close()


def test_statuses_and_uniqueness_are_enforced(tmp_path: Path) -> None:
    db = Database(tmp_path / "auditor.sqlite3")
    with db.write() as conn:
        conn.execute(
            "INSERT INTO users (id, name, role, password_hash, created_at)"
            " VALUES (1, 'ada', 'administrator', 'x', 'now')"
        )
        conn.execute(
            "INSERT INTO inspections (id, facility_id, inspection_id, created_at)"
            " VALUES (1, 'F-1', 'I-1', 'now')"
        )
        conn.execute(
            "INSERT INTO uploads (id, sha256, size, original_name, uploaded_by, uploaded_at, status)"
            " VALUES (1, 'x', 1, 'a.xlsx', 1, 'now', 'audited')"
        )
    item = (
        "INSERT INTO cap_items (facility_id, requirement_id, inspection, upload, inspection_end, title,"
        " priority, due_date, status, created_at, updated_at)"
        " VALUES ('F-1', 'R-1', 1, 1, '2026-04-09', 't', 0, '2026-07-08', ?, 'now', 'now')"
    )
    with db.write() as conn:
        conn.execute(item, ("open",))
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"), db.write() as conn:
        conn.execute(item, ("planned",))
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"), db.write() as conn:
        conn.execute(item.replace("'R-1'", "'R-2'"), ("closed",))
