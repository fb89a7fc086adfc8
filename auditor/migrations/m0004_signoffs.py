"""Migration 4: sign-offs (issue 16). An administrator signs off one audited version of an inspection:
the row names it, the SHA-256 of the results it was rendered from and of the signed PDF (stored once
in `signed/<pdf sha256>.pdf`, served as it is), the signer, their role then, and when.

A version is signed off at most once (UNIQUE upload), and a row is never changed or removed: the
triggers refuse it, so the record of what was approved stays as it was approved.
"""

from __future__ import annotations

import sqlite3

from auditor.migrations.steps import run_script

VERSION = 4

SQL = """
CREATE TABLE IF NOT EXISTS signoffs (
    id INTEGER PRIMARY KEY,
    inspection INTEGER NOT NULL REFERENCES inspections(id),
    upload INTEGER NOT NULL UNIQUE REFERENCES uploads(id),
    version INTEGER NOT NULL,
    results_sha256 TEXT NOT NULL,
    pdf_sha256 TEXT NOT NULL,
    signer INTEGER NOT NULL REFERENCES users(id),
    signer_name TEXT NOT NULL,
    signer_role TEXT NOT NULL,
    signed_at TEXT NOT NULL,
    certificate TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    self_signed INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS signoffs_by_inspection ON signoffs (inspection);
CREATE TRIGGER IF NOT EXISTS signoffs_never_change BEFORE UPDATE ON signoffs
BEGIN SELECT RAISE(ABORT, 'a sign-off is never changed'); END;
CREATE TRIGGER IF NOT EXISTS signoffs_never_removed BEFORE DELETE ON signoffs
BEGIN SELECT RAISE(ABORT, 'a sign-off is never removed'); END;
"""


def apply(conn: sqlite3.Connection) -> None:
    run_script(conn, SQL)
