"""Migration 1: the schema of the release before migrations (commit 689375d), exactly as it wrote it.

Its statements are IF NOT EXISTS, so they are also what turns a folder that release wrote (which
has these tables and no schema version) into version 1: nothing is added but a table or index an
even older folder lacked. Such a folder is checked first: tables without `meta` (which every
release created first), or a table of ours with other columns, mean the file is not an auditor
database, and it is refused untouched.
"""

from __future__ import annotations

import sqlite3

from auditor.migrations.steps import SchemaError, columns, run_script

VERSION = 1

SQL = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS users (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    role TEXT NOT NULL CHECK (role IN ('inspector', 'administrator')),
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS inspections (
    id INTEGER PRIMARY KEY,
    facility_id TEXT NOT NULL,
    inspection_id TEXT NOT NULL,
    created_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL,
    UNIQUE (facility_id, inspection_id)
);
CREATE TABLE IF NOT EXISTS uploads (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    original_name TEXT NOT NULL,
    uploaded_by INTEGER NOT NULL REFERENCES users(id),
    uploaded_at TEXT NOT NULL,
    requested_inspection INTEGER REFERENCES inspections(id),
    inspection INTEGER REFERENCES inspections(id),
    version INTEGER,
    status TEXT NOT NULL,
    message TEXT,
    kind TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    processed_at TEXT,
    facility_id TEXT,
    inspection_id TEXT,
    facility_name TEXT,
    errors INTEGER,
    warnings INTEGER,
    rating TEXT,
    compliant INTEGER,
    deficient INTEGER,
    priority INTEGER,
    repeats INTEGER,
    waived INTEGER,
    inspection_end TEXT,
    edition TEXT
);
CREATE INDEX IF NOT EXISTS uploads_by_facility ON uploads (facility_id, status);
CREATE INDEX IF NOT EXISTS uploads_by_user ON uploads (uploaded_by);
CREATE INDEX IF NOT EXISTS uploads_by_inspection ON uploads (inspection);
CREATE TABLE IF NOT EXISTS findings (
    upload INTEGER NOT NULL REFERENCES uploads(id) ON DELETE CASCADE,
    requirement_id TEXT NOT NULL,
    title TEXT NOT NULL,
    area TEXT NOT NULL,
    status TEXT NOT NULL,
    priority INTEGER NOT NULL,
    repeat INTEGER NOT NULL,
    PRIMARY KEY (upload, requirement_id)
);
CREATE TABLE IF NOT EXISTS waivers (
    id INTEGER PRIMARY KEY,
    requirement_id TEXT NOT NULL,
    facility_id TEXT NOT NULL,
    justification TEXT NOT NULL,
    approved_by TEXT NOT NULL,
    expires TEXT NOT NULL,
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL,
    revoked_by INTEGER REFERENCES users(id),
    revoked_at TEXT
);
CREATE TABLE IF NOT EXISTS registry_imports (
    id INTEGER PRIMARY KEY,
    file TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    title TEXT,
    data_date TEXT,
    imported_at TEXT NOT NULL,
    imported_by TEXT,
    facilities INTEGER NOT NULL,
    added INTEGER NOT NULL,
    updated INTEGER NOT NULL,
    unchanged INTEGER NOT NULL,
    older INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS registry (
    facility_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    state TEXT,
    aor TEXT,
    facility_type TEXT,
    detention_standard TEXT,
    record TEXT NOT NULL,
    source_file TEXT NOT NULL,
    source_sha256 TEXT NOT NULL,
    source_data_date TEXT,
    source_import INTEGER REFERENCES registry_imports(id),
    imported_at TEXT NOT NULL,
    changed_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS registry_by_aor ON registry (aor);
CREATE TABLE IF NOT EXISTS audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    user_name TEXT,
    action TEXT NOT NULL,
    target TEXT,
    detail TEXT
);
"""


def apply(conn: sqlite3.Connection) -> None:
    existing = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if existing and "meta" not in existing:  # every auditor database had `meta`, its first table
        raise SchemaError(
            f"it holds the tables {', '.join(sorted(existing)[:5])} and no meta table: "
            "this is not an auditor database"
        )
    run_script(conn, SQL)
    expected = _expected_columns()
    for table in sorted(existing & expected.keys()):
        if columns(conn, table) != expected[table]:
            raise SchemaError(
                f"its table {table} has the columns {', '.join(columns(conn, table))}, not those the "
                "auditor wrote: this is not an auditor database"
            )


def _expected_columns() -> dict[str, list[str]]:
    reference = sqlite3.connect(":memory:")
    try:
        run_script(reference, SQL)
        tables = [row[0] for row in reference.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {table: columns(reference, table) for table in tables}
    finally:
        reference.close()
