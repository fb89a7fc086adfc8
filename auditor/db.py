"""The embedded database: SQLite in WAL mode, one short-lived connection per unit of work.

It holds the web app's data and the facility registry (auditor/registry.py), which the command
line writes too, so it imports nothing from the web app. Every table is created IF NOT EXISTS:
opening an older database adds the tables it lacks.

Every write is its own `BEGIN IMMEDIATE` transaction with `synchronous=FULL`, so a row that was
committed survives a crash of the server (and of the machine).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SCHEMA_VERSION = 1

SCHEMA = """
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


def now() -> str:
    """The current time as stored: UTC, ISO 8601, to the second."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


class Database:
    def __init__(self, path: Path) -> None:
        self.path = path
        with self._connect() as conn:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.executescript(SCHEMA)
            conn.execute(
                "INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),)
            )

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
        try:
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("PRAGMA busy_timeout=30000")
            yield conn
        finally:
            conn.close()

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        with self._connect() as conn:
            yield conn

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One transaction: committed when the block ends, rolled back if it raises."""
        with self._connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def log(
        self, conn: sqlite3.Connection, user: str | None, action: str, target: str, detail: str = ""
    ) -> None:
        """One line of the audit log (who did what, when), inside the caller's transaction."""
        conn.execute(
            "INSERT INTO audit_log (at, user_name, action, target, detail) VALUES (?, ?, ?, ?, ?)",
            (now(), user, action, target, detail),
        )
