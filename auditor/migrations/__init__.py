"""Versioned schema migrations of the data folder's database.

The version is SQLite's `PRAGMA user_version` (an integer in the file's header, written in the
same transaction as the change it records); the `meta` row `schema_version` mirrors it for a
person reading the file with `sqlite3`. Migration n (module `mNNNN_*`, listed in STEPS in order)
takes the database from version n-1 to n, in one transaction of its own with the new version, so
a crash leaves it at n-1 or at n, never between. Two processes opening one folder at once (the
server and a command) apply each migration once: the second finds the version raised, inside its
own transaction. A database newer than STEPS is refused, never opened.

A folder written before versions existed has user_version 0 and the tables of migration 1, whose
statements are IF NOT EXISTS: running it there adds only the version.

To change the schema, add `mNNNN_what.py` (VERSION and `apply(conn)`) and append it to STEPS;
never edit a migration a release has shipped. Foreign keys are off while migrations run (so a
table can be rebuilt, as SQLite documents) and checked before each commit.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from types import ModuleType

from auditor.migrations import (
    m0001_initial,
    m0002_upload_coverage,
    m0003_action_log,
    m0004_signoffs,
    m0005_corrective_actions,
    m0006_assignments,
)
from auditor.migrations.steps import SchemaError

__all__ = ["LATEST", "STEPS", "SchemaError", "migrate", "schema_version"]

STEPS: tuple[ModuleType, ...] = (
    m0001_initial,
    m0002_upload_coverage,
    m0003_action_log,
    m0004_signoffs,
    m0005_corrective_actions,
    m0006_assignments,
)
LATEST = len(STEPS)


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, folder: Path | str) -> list[int]:
    """Bring the database to LATEST; returns the versions applied (none when it was current).

    `conn` must be in autocommit mode (isolation_level=None): each migration is its own
    BEGIN IMMEDIATE … COMMIT. `folder` names the data folder in error messages.
    """
    if _checked(schema_version(conn), folder) == LATEST:  # the usual case: no lock taken
        return []
    applied: list[int] = []
    conn.execute("PRAGMA foreign_keys=OFF")  # a no-op inside a transaction: set before each begins
    try:
        for step in STEPS:
            conn.execute("BEGIN IMMEDIATE")
            try:
                if _checked(schema_version(conn), folder) < step.VERSION:
                    _apply(conn, step, folder)
                    applied.append(step.VERSION)
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
    finally:
        conn.execute("PRAGMA foreign_keys=ON")
    return applied


def _apply(conn: sqlite3.Connection, step: ModuleType, folder: Path | str) -> None:
    try:
        step.apply(conn)
    except SchemaError as exc:
        raise SchemaError(f"{folder}: {exc}") from None
    broken = conn.execute("PRAGMA foreign_key_check").fetchone()
    if broken is not None:
        raise SchemaError(
            f"{folder}: migration {step.VERSION} would leave a row of {broken[0]} pointing at a missing "
            f"row of {broken[2]}; nothing was changed"
        )
    conn.execute(f"PRAGMA user_version = {int(step.VERSION)}")  # a pragma takes no parameters
    conn.execute(
        "INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)", (str(step.VERSION),)
    )


def _checked(version: int, folder: Path | str) -> int:
    if version > LATEST:
        raise SchemaError(
            f"{folder}: this data folder was written by a newer auditor (schema {version}); this one "
            f"knows {LATEST}: open it with that release or a later one"
        )
    if version < 0:
        raise SchemaError(f"{folder}: its database has schema version {version}: not an auditor database")
    return version
