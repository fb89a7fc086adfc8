"""What migrations share: their error, running a script inside the caller's transaction, columns."""

from __future__ import annotations

import sqlite3

from auditor.errors import AuditorError


class SchemaError(AuditorError):
    """Raised when a data folder's database cannot be used by this auditor: written by a newer one,
    damaged, or not an auditor database at all."""


def statements(script: str) -> list[str]:
    """The complete SQL statements of a script, in order."""
    done: list[str] = []
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            done.append(pending.strip())
            pending = ""
    if pending.strip():
        raise ValueError(f"an incomplete SQL statement ends the script: {pending.strip()[:60]!r}")
    return done


def run_script(conn: sqlite3.Connection, script: str) -> None:
    """Run each statement with execute(): executescript() would COMMIT the migration's transaction
    first, and a migration must be all or nothing."""
    for statement in statements(script):
        conn.execute(statement)


def columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in conn.execute("SELECT * FROM pragma_table_info(?)", (table,))]
