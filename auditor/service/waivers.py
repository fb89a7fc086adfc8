"""Waivers kept in the database: created and revoked by administrators, applied by later audits.

The engine's own waiver model (auditor.engine.waivers) does the applying: this module only
turns the stored, unrevoked waivers into its WaiverSet.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from auditor.configs.waivers import parse_expiry
from auditor.db import Database, now
from auditor.engine.waivers import WaiverEntry, WaiverSet
from auditor.errors import ConfigError
from auditor.service.accounts import User
from auditor.workbook.ids import facility_id_problem

SOURCE = "waivers recorded in the auditor web app"


class WaiverInputError(ValueError):
    """Raised when a waiver cannot be created as given."""


def create_waiver(
    db: Database,
    user: User,
    *,
    requirement_id: str,
    facility_id: str,
    justification: str,
    approved_by: str,
    expires: str,
) -> int:
    fields = {
        "requirement_id": requirement_id.strip(),
        "facility_id": facility_id.strip(),  # never a default: every facility ("*") is chosen explicitly
        "justification": " ".join(justification.split()),
        "approved_by": approved_by.strip() or user.name,
    }
    missing = [name for name in ("requirement_id", "justification") if not fields[name]]
    if missing:
        raise WaiverInputError(f"{' and '.join(missing)} required")
    if not fields["facility_id"]:
        raise WaiverInputError("the facility is required: one facility's ID, or every facility (*)")
    if fields["facility_id"] != "*" and (why := facility_id_problem(fields["facility_id"])):
        raise WaiverInputError(f"facility: {why}, or * for every facility")
    if fields["requirement_id"] not in known_requirements():
        raise WaiverInputError(f"there is no requirement {fields['requirement_id']!r} in any edition")
    if any(len(value) > 4000 for value in fields.values()):
        raise WaiverInputError("a field is longer than 4000 characters")
    try:  # as strictly as a waivers file: fromisoformat alone takes 20261231 and 2026-W01-1
        expiry = parse_expiry(expires, "the expiry")
    except ConfigError as exc:
        raise WaiverInputError(str(exc)) from None
    with db.write() as conn:
        cursor = conn.execute(
            "INSERT INTO waivers (requirement_id, facility_id, justification, approved_by, expires,"
            " created_by,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (*fields.values(), expiry.isoformat(), user.id, now()),
        )
        waiver_id = int(cursor.lastrowid or 0)
        db.log(
            conn,
            user.name,
            "waiver.create",
            f"waiver {waiver_id}",
            f"{fields['requirement_id']} at {fields['facility_id']} until {expiry.isoformat()}: "
            f"{fields['justification'][:200]}",
            facility_id=fields["facility_id"],
        )
    return waiver_id


def active_waiver(db: Database, waiver_id: int) -> dict[str, Any] | None:
    """The waiver `waiver_id` while it can still be revoked (not revoked yet), else None."""
    return next((w for w in list_waivers(db) if w["id"] == waiver_id and w["state"] != "revoked"), None)


def revoke_waiver(db: Database, user: User, waiver_id: int) -> bool:
    """Revoke a waiver; False when there is no such waiver or it was revoked already."""
    with db.write() as conn:
        done = conn.execute(
            "UPDATE waivers SET revoked_by = ?, revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
            (user.id, now(), waiver_id),
        ).rowcount
        if done:
            (facility_id,) = conn.execute(
                "SELECT facility_id FROM waivers WHERE id = ?", (waiver_id,)
            ).fetchone()
            db.log(conn, user.name, "waiver.revoke", f"waiver {waiver_id}", facility_id=facility_id)
    return bool(done)


def list_waivers(db: Database) -> list[dict[str, Any]]:
    with db.read() as conn:
        rows = conn.execute(
            "SELECT waivers.*, creator.name AS created_by_name, revoker.name AS revoked_by_name FROM waivers"
            " JOIN users AS creator ON creator.id = waivers.created_by"
            " LEFT JOIN users AS revoker ON revoker.id = waivers.revoked_by ORDER BY waivers.id DESC"
        ).fetchall()
    today = dt.date.today().isoformat()
    return [
        {
            **dict(r),
            "state": "revoked" if r["revoked_at"] else "expired" if r["expires"] < today else "active",
        }
        for r in rows
    ]


def waiver_set(db: Database) -> WaiverSet | None:
    """Every unrevoked waiver, as the engine takes them (an expired one is reported, never applied)."""
    with db.read() as conn:
        rows = conn.execute(
            "SELECT id, requirement_id, facility_id, justification, approved_by, expires FROM waivers"
            " WHERE revoked_at IS NULL ORDER BY id"
        ).fetchall()
    if not rows:
        return None
    entries = [
        WaiverEntry(
            requirement_id=r["requirement_id"],
            facility_id=r["facility_id"],
            justification=r["justification"],
            approved_by=r["approved_by"],
            expires=dt.date.fromisoformat(r["expires"]),
        )
        for r in rows
    ]
    digest = hashlib.sha256(json.dumps([dict(r) for r in rows], sort_keys=True).encode()).hexdigest()
    return WaiverSet(entries, SOURCE, digest)


def known_requirements() -> dict[str, str]:
    """Every requirement id of every edition, with its title (for the waiver form's suggestions)."""
    from auditor.standards.load import available_editions, load_edition

    known: dict[str, str] = {}
    for name in available_editions():
        for rid, requirement in load_edition(name).requirements.items():
            known.setdefault(rid, requirement.title)
    return dict(sorted(known.items()))


def changed_since(db: Database, facility_id: str, since: str) -> list[dict[str, Any]]:
    """The waivers of this facility (or of every facility) created or revoked after `since` (a
    stored timestamp, such as an upload's processed_at): results audited at `since` did not see
    them, so they are stale until checked again. Oldest change first.

    Timestamps have whole seconds: a change in the same second as `since` counts as after it (a
    re-check that changes nothing is harmless; a hidden change is not). A change made while the
    upload was being checked, seconds before `since`, is not seen: no start time is recorded."""
    with db.read() as conn:
        rows = conn.execute(
            "SELECT id, requirement_id, facility_id, created_at, revoked_at FROM waivers"
            " WHERE facility_id IN (:facility, '*') AND (created_at >= :since OR revoked_at >= :since)"
            " ORDER BY id",
            {"facility": facility_id, "since": since},
        ).fetchall()
    changes = []
    for row in rows:
        revoked = row["revoked_at"] is not None and row["revoked_at"] >= since
        created = row["created_at"] >= since
        change = "created and revoked" if created and revoked else "revoked" if revoked else "created"
        changes.append(
            {**dict(row), "change": change, "at": row["revoked_at"] if revoked else row["created_at"]}
        )
    return changes
