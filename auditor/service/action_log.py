"""The action log: who did what, when, to which facility and inspection, from which address.

Append-only: the database refuses every UPDATE and DELETE of its rows (triggers, migration 3), and
this module, the one reader, has no function that changes an entry. Entries are written by
`record` (its own transaction) or `Database.log` (inside the transaction of the change it records,
so a change and its entry are committed together or not at all); both fill in the address of the
web request being served (auditor.db.CLIENT_ADDRESS).

The codes are short and stable (`waiver.create`); ACTIONS gives the words a person reads.
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from auditor.db import Database
from auditor.errors import ConfigError
from auditor.service.files import is_disk_full
from auditor.workbook.ids import facility_id_problem

log = logging.getLogger(__name__)

# Every code the application writes, with its words ("ines <words> <target>").
ACTIONS: dict[str, str] = {
    "signin": "signed in",
    "session.start": "signed in",  # written before the log named sign-ins `signin`
    "signin.failed": "failed to sign in",
    "signout": "signed out",
    "upload.store": "uploaded",
    "upload.audited": "audited",
    "upload.invalid": "had refused as invalid",
    "upload.rejected": "had refused as unreadable",
    "upload.refused": "was refused filing",
    "upload.failed": "could not have checked",
    "upload.recheck-signed": "had checked again as a new version",
    "access.refused": "was refused access to",
    "upload.reprocess": "asked to check again",
    "waiver.create": "created",
    "waiver.revoke": "revoked",
    "tailoring.set": "set the tailoring of",
    "registry.import": "imported ICE's roster",
    "registry.refused": "had refused the roster",
    "user.add": "added the account",
    "user.password": "changed the password of",
    "user.role": "changed the role of",
    "user.disable": "disabled the account",
    "user.enable": "enabled the account",
    "download.report": "downloaded the PDF report of",
    "download.preview": "read the report of",
    "download.results": "downloaded the results JSON of",
    "download.annotated": "downloaded the annotated workbook of",
    "download.original": "downloaded the original file of",
    "download.ucap": "downloaded the corrective-action plan of",
    "download.portfolio": "downloaded the portfolio",
    "assignment.add": "assigned",
    "assignment.remove": "unassigned",
    "inspection.signoff": "signed off",
    "cap.import": "imported the facility's corrective-action responses for",
    "cap.refused": "had refused the corrective-action plan",
}
MAX_ENTRIES = 10_000  # one answer at most; a longer period is read in parts (--since/--until)


def words(action: str) -> str:
    """What an action code means to a person; an unknown code (a newer release's) as it is."""
    return ACTIONS.get(action, action)


@dataclass(frozen=True)
class Filters:
    """Which entries: each filter left None keeps every entry. Days are UTC calendar days, inclusive."""

    facility: str | None = None
    user: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    limit: int = 500


def day(text: str | None, what: str) -> dt.date | None:
    """A filter's date, strictly YYYY-MM-DD (an empty value is no filter); ConfigError otherwise."""
    if not text:
        return None
    try:
        if len(text) != 10:
            raise ValueError
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ConfigError(f"{what}: {text[:40]!r} is not a date (YYYY-MM-DD)") from None


def filters(
    facility: str | None = None,
    user: str | None = None,
    since: str | None = None,
    until: str | None = None,
    limit: int = 500,
) -> Filters:
    """Filters from what a person typed (CLI options, a web form), checked: ConfigError if unusable."""
    facility = (facility or "").strip() or None
    if facility is not None and facility != "*" and (why := facility_id_problem(facility)):
        raise ConfigError(f"facility: {why}")
    user = (user or "").strip()[:64] or None
    first, last = day(since, "since"), day(until, "until")
    if first and last and first > last:
        raise ConfigError(f"since {first} is after until {last}: no day is in that period")
    return Filters(facility, user, first, last, max(1, min(int(limit), MAX_ENTRIES)))


def record(
    db: Database,
    user: str | None,
    action: str,
    target: str = "",
    detail: str = "",
    *,
    facility_id: str | None = None,
    inspection_id: str | None = None,
    address: str | None = None,
    conn: sqlite3.Connection | None = None,
    best_effort: bool = False,
) -> bool:
    """Append one entry; inside `conn`'s transaction when given, else in a transaction of its own.

    `best_effort` is for actions that must go on when the disk is full (reading, signing in): the
    entry is then lost, said in the server's log, and False returned; otherwise the error is raised."""
    fields = {"facility_id": facility_id, "inspection_id": inspection_id, "address": address}
    if conn is not None:
        db.log(conn, user, action, target, detail, **fields)
        return True
    try:
        with db.write() as own:
            db.log(own, user, action, target, detail, **fields)
    except Exception as exc:
        if not (best_effort and is_disk_full(exc)):
            raise
        log.warning("disk full: the action log lost %s by %s on %s", action, user, target)
        return False
    return True


def entries(db: Database, wanted: Filters = Filters()) -> list[dict[str, Any]]:
    """The entries that match, newest first, each with `what` (the words of its action)."""
    where, params = _where(wanted)
    with db.read() as conn:
        rows = conn.execute(
            "SELECT id, at, user_name, action, target, detail, facility_id, inspection_id, address"
            f" FROM audit_log {where} ORDER BY id DESC LIMIT ?",
            (*params, wanted.limit),
        ).fetchall()
    return [{**dict(row), "what": words(row["action"])} for row in rows]


def _where(wanted: Filters) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if wanted.facility is not None:
        # A waiver for every facility (`*`) concerns this one too.
        clauses.append("(facility_id = ? OR facility_id = '*')")
        params.append(wanted.facility)
    if wanted.user is not None:
        clauses.append("user_name = ? COLLATE NOCASE")
        params.append(wanted.user)
    if wanted.since is not None:
        clauses.append("at >= ?")
        params.append(wanted.since.isoformat())
    if wanted.until is not None:  # `at` is ISO text in UTC: before the next day's first second
        clauses.append("at < ?")
        params.append((wanted.until + dt.timedelta(days=1)).isoformat())
    return ("WHERE " + " AND ".join(clauses)) if clauses else "", params


def downloaded(db: Database, user: str, kind: str, upload: Mapping[str, Any]) -> None:
    """A download of one upload's file (`kind`: report, preview, results, annotated, original, ucap),
    logged with its facility and inspection; a full disk loses the entry, never the download."""
    record(
        db,
        user,
        f"download.{kind}",
        f"upload {upload['id']}",
        str(upload.get("original_name") or ""),
        facility_id=upload.get("filed_facility_id") or upload.get("facility_id"),
        inspection_id=upload.get("filed_inspection_id") or upload.get("inspection_id"),
        best_effort=True,
    )
