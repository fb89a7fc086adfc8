"""Migration 2: an audited upload's row keeps ODO's headline, not only the deficiency counts.

Issue 13 (three-valued verdicts, scope and coverage): the lists (home, uploads, facilities, the
API's upload JSON) show how many requirements are indeterminate and how many of those in scope
were decided, read from the row as the deficiency counts are. The four columns are added NULL;
an upload audited before them gets them from its results file when the data folder still holds
it (`outputs/<id>/results.json`, beside the database), through the headline every face shows.
A file that is missing, damaged or not a results file leaves them NULL, which the lists show as
unknown: never as 0 indeterminate, so never as a compliant inspection.
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from auditor.migrations.steps import columns, run_script

VERSION = 2

SQL = """
ALTER TABLE uploads ADD COLUMN indeterminate INTEGER;
ALTER TABLE uploads ADD COLUMN decided INTEGER;
ALTER TABLE uploads ADD COLUMN in_scope INTEGER;
ALTER TABLE uploads ADD COLUMN coverage_percent REAL;
"""

log = logging.getLogger(__name__)


def apply(conn: sqlite3.Connection) -> None:
    if "indeterminate" not in columns(conn, "uploads"):
        run_script(conn, SQL)
    folder = _data_folder(conn)
    if folder is None:  # an in-memory database: no results files to read
        return
    audited = conn.execute(
        "SELECT id FROM uploads WHERE status = 'audited' AND indeterminate IS NULL ORDER BY id"
    ).fetchall()
    for (upload_id,) in audited:
        fields = _from_results(folder / "outputs" / str(int(upload_id)) / "results.json")
        if fields is not None:
            conn.execute(
                "UPDATE uploads SET indeterminate = ?, decided = ?, in_scope = ?, coverage_percent = ?"
                " WHERE id = ?",
                (*fields, upload_id),
            )


def _data_folder(conn: sqlite3.Connection) -> Path | None:
    """The folder of the database's file (SQLite knows it; apply() is given only the connection)."""
    for _seq, name, file in conn.execute("PRAGMA database_list"):
        if name == "main":
            return Path(file).parent if file else None
    return None


def _from_results(path: Path) -> tuple[int, int, int, float | None] | None:
    # Imported here: the service imports the database module, which imports the migrations.
    from auditor.contracts.results import Results
    from auditor.errors import AuditorError
    from auditor.service.store import headline_fields

    if not path.is_file():
        return None
    try:
        fields = headline_fields(Results.read(path))
    except (AuditorError, OSError, ValueError, TypeError, KeyError, AttributeError) as exc:
        # An old results file is an input like any other: unreadable, its counts stay unknown.
        log.warning("%s: its headline counts stay unknown: %s", path, str(exc)[:200])
        return None
    counts = [fields["indeterminate"], fields["decided"], fields["in_scope"]]
    coverage = fields["coverage_percent"]
    if not all(_count(n) for n in counts) or not (coverage is None or _share(coverage)):
        log.warning("%s: its summary's counts are not counts: they stay unknown", path)
        return None
    return counts[0], counts[1], counts[2], None if coverage is None else float(coverage)


def _count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 1_000_000


def _share(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value <= 100
