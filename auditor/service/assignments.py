"""Which facilities an account may work on: assignments, made by administrators (issue 15).

An inspector uploads for, and reads, only the facilities assigned to them; a reviewer reads only
those (or every facility, given ALL) and never uploads; an administrator sees everything and is
assigned nothing. Access is never earned by uploading: a workbook naming a facility not assigned
to its inspector is refused (auditor.service.processing) and filed under no facility.

Uploads follow their facility: an inspector unassigned from a facility no longer reads it, their
own uploads for it included (what they uploaded is the facility's record, not theirs). What an
inspector uploaded that is filed under no facility (unreadable, refused, still being checked)
stays readable to them alone, and to administrators.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from auditor.db import Database, now
from auditor.errors import AuditorError
from auditor.service.accounts import User, user_named
from auditor.workbook.ids import facility_id_problem

ALL = "*"  # a reviewer's row meaning every facility (never a facility id: ids start with a letter or digit)
CLI = "command line"  # who assigned, for assignments made with `auditor users assign`


class AssignmentError(AuditorError):
    """Raised when an assignment cannot be made as asked (no such user, a bad id, a wrong role)."""

    exit_code = 2


def assign(
    db: Database, by: User | None, name: str, facility_ids: Sequence[str], every: bool = False
) -> list[str]:
    """Assign the facilities (or, to a reviewer, every facility) to the account `name`; returns
    those newly assigned (one already assigned is left as it was). `by` None: the command line."""
    user, wanted = _checked(db, name, facility_ids, every)
    added: list[str] = []
    with db.write() as conn:
        for facility_id in wanted:
            cursor = conn.execute(
                "INSERT OR IGNORE INTO assignments (user_id, facility_id, assigned_by, assigned_at)"
                " VALUES (?, ?, ?, ?)",
                (user.id, facility_id, by.name if by else CLI, now()),
            )
            if cursor.rowcount:
                added.append(facility_id)
                db.log(
                    conn,
                    by.name if by else None,
                    "assignment.add",
                    _target(facility_id),
                    f"to {user.name}",
                )
    return added


def unassign(
    db: Database, by: User | None, name: str, facility_ids: Sequence[str], every: bool = False
) -> list[str]:
    """Take the facilities (or the reviewer's `every facility`) from `name`; returns those removed."""
    user = _account(db, name)
    wanted = _ids(facility_ids, every)
    removed: list[str] = []
    with db.write() as conn:
        for facility_id in wanted:
            cursor = conn.execute(
                "DELETE FROM assignments WHERE user_id = ? AND facility_id = ?", (user.id, facility_id)
            )
            if cursor.rowcount:
                removed.append(facility_id)
                db.log(
                    conn,
                    by.name if by else None,
                    "assignment.remove",
                    _target(facility_id),
                    f"from {user.name}",
                )
    return removed


def assigned(db: Database, user: User) -> list[str]:
    """The facility ids assigned to the user, in order (ALL first when a reviewer has every facility)."""
    with db.read() as conn:
        rows = conn.execute(
            "SELECT facility_id FROM assignments WHERE user_id = ? ORDER BY facility_id", (user.id,)
        ).fetchall()
    return [row[0] for row in rows]


def list_assignments(db: Database) -> list[dict[str, Any]]:
    """Every inspector and reviewer with their assignments (administrators' page), by name."""
    with db.read() as conn:
        users = conn.execute(
            "SELECT id, name, role FROM users WHERE role != 'administrator' ORDER BY name"
        ).fetchall()
        rows = conn.execute(
            "SELECT user_id, facility_id, assigned_by, assigned_at FROM assignments ORDER BY facility_id"
        ).fetchall()
    by_user: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        by_user.setdefault(row["user_id"], []).append(dict(row))
    return [{**dict(user), "facilities": by_user.get(user["id"], [])} for user in users]


# ---------------------------------------------------------------------------- who may read and upload


def sees_all(conn: sqlite3.Connection, user: User) -> bool:
    """An administrator, or a reviewer given every facility."""
    if user.is_admin:
        return True
    if user.role != "reviewer":
        return False
    found = conn.execute(
        "SELECT 1 FROM assignments WHERE user_id = ? AND facility_id = ?", (user.id, ALL)
    ).fetchone()
    return found is not None


def facilities_sql(user: User) -> tuple[str, tuple[Any, ...]]:
    """SQL (and its parameters) for the facility ids assigned to the user (for `facility_id IN (…)`)."""
    return "SELECT facility_id FROM assignments WHERE user_id = ?", (user.id,)


def may_read_facility(conn: sqlite3.Connection, user: User, facility_id: str) -> bool:
    if sees_all(conn, user):
        return True
    found = conn.execute(
        "SELECT 1 FROM assignments WHERE user_id = ? AND facility_id = ?", (user.id, facility_id)
    ).fetchone()
    return found is not None


def may_read_upload(conn: sqlite3.Connection, user: User, upload: dict[str, Any]) -> bool:
    """Filed under a facility: whoever may read the facility; filed under none: its uploader."""
    if user.is_admin:
        return True
    if upload["facility_id"]:
        return may_read_facility(conn, user, upload["facility_id"])
    return upload["uploaded_by"] == user.id


def uploads_where(conn: sqlite3.Connection, user: User) -> tuple[str, tuple[Any, ...]]:
    """A WHERE clause (and parameters) over `uploads` for the uploads a user's lists show: an
    inspector's own that they may still read, a reviewer's facilities', everything for an administrator."""
    if user.is_admin:
        return "", ()
    if user.role == "reviewer":
        if sees_all(conn, user):
            return "WHERE uploads.facility_id IS NOT NULL", ()
        sql, params = facilities_sql(user)
        return f"WHERE uploads.facility_id IN ({sql})", params
    sql, params = facilities_sql(user)
    return (
        f"WHERE uploads.uploaded_by = ? AND (uploads.facility_id IS NULL OR uploads.facility_id IN ({sql}))",
        (user.id, *params),
    )


def upload_refusal(db: Database, uploader: User | None, facility_id: str | None, cell: str) -> str | None:
    """Why an upload naming `facility_id` (in `cell`, e.g. Facility!B2) may not be filed under it;
    None when it may. An administrator files for any facility; an inspector only for theirs."""
    if uploader is None:
        return "its uploader's account no longer exists: nothing was filed"
    if uploader.is_admin or facility_id is None:  # no facility named: validation says so
        return None
    if uploader.role != "inspector":
        return f"a {uploader.role} reads inspections and cannot upload them: nothing was filed"
    with db.read() as conn:
        mine = conn.execute(
            "SELECT 1 FROM assignments WHERE user_id = ? AND facility_id = ?", (uploader.id, facility_id)
        ).fetchone()
    if mine is not None:
        return None
    return (
        f"{cell} names facility {facility_id[:140]}, which is not assigned to you: the upload was filed "
        "under no facility. Correct the cell, or ask an administrator to assign the facility to you"
    )


# ---------------------------------------------------------------------------- checking what is asked


def _checked(db: Database, name: str, facility_ids: Sequence[str], every: bool) -> tuple[User, list[str]]:
    user = _account(db, name)
    if user.is_admin:
        raise AssignmentError(f"{user.name} is an administrator and sees every facility: nothing to assign")
    if every and user.role != "reviewer":
        raise AssignmentError(
            f"only a reviewer can be given every facility; {user.name} is an {user.role}, who uploads for "
            "the facilities assigned one by one"
        )
    return user, _ids(facility_ids, every)


def _account(db: Database, name: str) -> User:
    user = user_named(db, name)
    if user is None:
        raise AssignmentError(f"there is no account named {name[:64]!r} (auditor users list)")
    return user


def _ids(facility_ids: Sequence[str], every: bool) -> list[str]:
    if every and facility_ids:
        raise AssignmentError("give facility ids or every facility (--all), not both")
    if every:
        return [ALL]
    if not facility_ids:
        raise AssignmentError("name at least one facility id")
    for facility_id in facility_ids:
        problem = facility_id_problem(facility_id)
        if problem:
            raise AssignmentError(f"{facility_id[:140]!r}: {problem}")
    return list(dict.fromkeys(facility_ids))


def _target(facility_id: str) -> str:
    return "every facility" if facility_id == ALL else f"facility {facility_id}"
