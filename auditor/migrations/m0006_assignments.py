"""Migration 6: facilities assigned to accounts, and the read-only `reviewer` role.

Issue 15: an inspector uploads for, and reads, only the facilities an administrator assigned to
them; a reviewer reads those assigned to them, or every facility when given the `*` row ("all").
No assignment is made from past uploads: uploading a workbook used to grant access to its facility,
so a past upload proves nothing about who should see it; administrators assign after upgrading.

SQLite cannot change a CHECK constraint in place, so `users` is rebuilt as SQLite documents
(create, copy, drop, rename; foreign keys are off while migrations run), from its own CREATE
statement with only the role list changed: columns another migration added are kept.
"""

from __future__ import annotations

import re
import sqlite3

from auditor.migrations.steps import SchemaError, run_script

VERSION = 6

OLD_ROLES = "CHECK (role IN ('inspector', 'administrator'))"
NEW_ROLES = "CHECK (role IN ('inspector', 'reviewer', 'administrator'))"

SQL = """
CREATE TABLE IF NOT EXISTS assignments (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    facility_id TEXT NOT NULL,
    assigned_by TEXT NOT NULL,
    assigned_at TEXT NOT NULL,
    PRIMARY KEY (user_id, facility_id)
);
CREATE INDEX IF NOT EXISTS assignments_by_facility ON assignments (facility_id);
"""


def apply(conn: sqlite3.Connection) -> None:
    (create,) = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'users'"
    ).fetchone()
    if NEW_ROLES not in create:
        if create.count(OLD_ROLES) != 1:
            raise SchemaError("its users table does not list the roles as the auditor wrote it")
        rebuilt = re.sub(
            r"^CREATE TABLE (IF NOT EXISTS )?users\b", "CREATE TABLE users_rebuilt", create.strip()
        ).replace(OLD_ROLES, NEW_ROLES)
        conn.execute(rebuilt)
        conn.execute("INSERT INTO users_rebuilt SELECT * FROM users")
        conn.execute("DROP TABLE users")
        conn.execute("ALTER TABLE users_rebuilt RENAME TO users")
    run_script(conn, SQL)
