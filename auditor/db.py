"""The embedded database: SQLite in WAL mode, one short-lived connection per unit of work.

It holds the web app's data and the facility registry (auditor/registry.py), which the command
line writes too, so it imports nothing from the web app. Its schema is versioned: opening a
database applies the migrations it lacks (auditor/migrations/), each in one transaction, and
refuses one written by a newer auditor.

Every write is its own `BEGIN IMMEDIATE` transaction with `synchronous=FULL`, so a row that was
committed survives a crash of the server (and of the machine).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from auditor.migrations import LATEST, SchemaError, migrate

SCHEMA_VERSION = LATEST  # the schema this code writes (auditor.migrations)

# The client address of the web request being served (set by auditor.web.address for each request),
# so every line of the action log written while serving it names where it came from, whichever
# service function writes the line. None outside a request: the command line, the processing workers.
CLIENT_ADDRESS: ContextVar[str | None] = ContextVar("client_address", default=None)


def now() -> str:
    """The current time as stored: UTC, ISO 8601, to the second."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _use_wal(conn: sqlite3.Connection, patience: float = 30.0) -> None:
    """Switch the file to WAL, waiting (as busy_timeout would) while another connection switches it.

    SQLite answers SQLITE_BUSY at once, without calling the busy handler, when two connections
    switch a new file to WAL together; so several processes opening one new data folder retry here.
    """
    deadline = time.monotonic() + patience
    pause = 0.005
    while True:
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if exc.sqlite_errorcode & 0xFF != sqlite3.SQLITE_BUSY or time.monotonic() >= deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.2)


class Database:
    def __init__(self, path: Path) -> None:
        """Open (or create) the database, migrated to SCHEMA_VERSION; SchemaError when it cannot be."""
        self.path = path
        try:
            with self._connect() as conn:
                _use_wal(conn)
                migrate(conn, path.parent)
        except sqlite3.DatabaseError as exc:  # not a database, damaged, locked past the timeout
            raise SchemaError(f"{path}: cannot open the data folder's database: {exc}") from None

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
        self,
        conn: sqlite3.Connection,
        user: str | None,
        action: str,
        target: str,
        detail: str = "",
        *,
        facility_id: str | None = None,
        inspection_id: str | None = None,
        address: str | None = None,
    ) -> None:
        """One entry of the action log (who did what, when, where from), inside the caller's transaction.

        The log is append-only: triggers (migration m0003_action_log) refuse any UPDATE or DELETE of its rows.
        auditor.service.action_log is the face that reads it and records outside a transaction."""
        conn.execute(
            "INSERT INTO audit_log (at, user_name, action, target, detail, facility_id, inspection_id,"
            " address) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                now(),
                user[:64] if user else user,
                action,
                target[:200] if target else target,
                (detail or "")[:1000],
                facility_id[:128] if facility_id else None,
                inspection_id[:128] if inspection_id else None,
                (address or CLIENT_ADDRESS.get() or None),
            ),
        )
