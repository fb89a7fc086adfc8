"""Migration 3: an append-only action log, sign-in failures shared by every worker, idle sessions.

Issue 15: the log says which facility and inspection an action concerned and the client address it
came from (three columns, NULL on the entries written before them, which are kept as they were).
Triggers refuse every UPDATE and DELETE of the log, so no path of the application (nor a mistake
in one) can change or remove an entry; only someone editing the file by hand could.

Failed sign-ins are rows, not memory, so that every worker and process serving one data folder
counts the same failures (auditor.service.signin). A session remembers when it was last used, so
it ends after an idle time; a session from before this migration counts as used when it started.
"""

from __future__ import annotations

import sqlite3

from auditor.migrations.steps import columns, run_script

VERSION = 3

COLUMNS = """
ALTER TABLE audit_log ADD COLUMN facility_id TEXT;
ALTER TABLE audit_log ADD COLUMN inspection_id TEXT;
ALTER TABLE audit_log ADD COLUMN address TEXT;
ALTER TABLE sessions ADD COLUMN seen_at TEXT;
UPDATE sessions SET seen_at = created_at;
"""

SQL = """
CREATE INDEX IF NOT EXISTS audit_log_by_facility ON audit_log (facility_id);
CREATE INDEX IF NOT EXISTS audit_log_by_user ON audit_log (user_name COLLATE NOCASE);
CREATE INDEX IF NOT EXISTS audit_log_by_time ON audit_log (at);
CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the action log is append-only: an entry cannot be changed');
END;
CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the action log is append-only: an entry cannot be deleted');
END;
CREATE TABLE IF NOT EXISTS sign_in_failures (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    account TEXT NOT NULL COLLATE NOCASE,
    address TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS sign_in_failures_by_account ON sign_in_failures (account, at);
CREATE INDEX IF NOT EXISTS sign_in_failures_by_address ON sign_in_failures (address, at);
"""


def apply(conn: sqlite3.Connection) -> None:
    if "address" not in columns(conn, "audit_log"):
        run_script(conn, COLUMNS)
    run_script(conn, SQL)
