"""Migration 5: corrective-action items, one per deficiency of an audited inspection, and the
facility's responses to them (issue 16).

An item moves open → planned → completed as the facility says so in a returned plan (each
response kept in `cap_responses`, never overwritten), and only a later inspection of the same
facility that decides its requirement compliant closes it: status `verified`, `closed_by` that
inspection. Deficient again, its inspection ids are listed in `repeated_in`. Items are created
when an upload is audited; an upload audited before this migration gets its items when it is
audited again (Check again), since only its results file knows its due dates.
"""

from __future__ import annotations

import sqlite3

from auditor.migrations.steps import run_script

VERSION = 5

SQL = """
CREATE TABLE IF NOT EXISTS cap_items (
    id INTEGER PRIMARY KEY,
    facility_id TEXT NOT NULL,
    requirement_id TEXT NOT NULL,
    inspection INTEGER NOT NULL REFERENCES inspections(id),
    upload INTEGER NOT NULL REFERENCES uploads(id),
    inspection_end TEXT NOT NULL,
    title TEXT NOT NULL,
    priority INTEGER NOT NULL,
    due_date TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'planned', 'completed', 'verified')),
    target_date TEXT,
    completion_date TEXT,
    action_taken TEXT,
    responsible TEXT,
    evidence_reference TEXT,
    closed_by INTEGER REFERENCES inspections(id),
    closed_upload INTEGER REFERENCES uploads(id),
    closed_at TEXT,
    repeated_in TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (inspection, requirement_id)
);
CREATE INDEX IF NOT EXISTS cap_items_by_facility ON cap_items (facility_id, status);
CREATE TABLE IF NOT EXISTS cap_responses (
    id INTEGER PRIMARY KEY,
    item INTEGER NOT NULL REFERENCES cap_items(id) ON DELETE CASCADE,
    at TEXT NOT NULL,
    user_name TEXT,
    plan_sha256 TEXT NOT NULL,
    plan_row INTEGER NOT NULL,
    status TEXT NOT NULL,
    target_date TEXT,
    completion_date TEXT,
    action_taken TEXT,
    responsible TEXT,
    evidence_reference TEXT
);
CREATE INDEX IF NOT EXISTS cap_responses_by_item ON cap_responses (item);
"""


def apply(conn: sqlite3.Connection) -> None:
    run_script(conn, SQL)
