"""Uploads, inspections and facilities in the database, and who may see them.

An *upload* is one file as received (its bytes are in `uploads/<sha256>`). Once its Facility
sheet can be read, it is filed under an *inspection* (facility_id + inspection_id) as that
inspection's next version. Who sees what is auditor.service.assignments': inspectors and reviewers
the facilities assigned to them, administrators everything.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from typing import Any

from auditor.contracts.results import Results
from auditor.db import Database, now
from auditor.service import action_log, assignments
from auditor.service.accounts import User

PENDING = ("received", "processing")
# What an audited upload's row holds of ODO's headline besides the deficiency counts (migration 2);
# NULL for an upload audited before it whose results file was not kept: shown as unknown, never as 0.
HEADLINE_COLUMNS = ("indeterminate", "decided", "in_scope", "coverage_percent")

UPLOAD_COLUMNS = """
    uploads.*, users.name AS uploaded_by_name,
    inspections.facility_id AS filed_facility_id, inspections.inspection_id AS filed_inspection_id
"""
UPLOAD_JOIN = """
    FROM uploads JOIN users ON users.id = uploads.uploaded_by
    LEFT JOIN inspections ON inspections.id = uploads.inspection
"""


class Mismatch(Exception):
    """Raised when a corrected version names another inspection than the one it was uploaded to."""


def _mine(user: User) -> tuple[str, tuple[Any, ...]]:
    """SQL (and its parameters) for the facilities assigned to an inspector or reviewer."""
    return assignments.facilities_sql(user)


# ---------------------------------------------------------------------------- uploads


def record_upload(
    db: Database, *, sha256: str, size: int, name: str, user: User, requested_inspection: int | None
) -> int:
    """The row of an upload whose bytes are on disk already: status `received`."""
    with db.write() as conn:
        cursor = conn.execute(
            "INSERT INTO uploads (sha256, size, original_name, uploaded_by, uploaded_at,"
            " requested_inspection, status) VALUES (?, ?, ?, ?, ?, ?, 'received')",
            (sha256, size, name, user.id, now(), requested_inspection),
        )
        upload_id = int(cursor.lastrowid or 0)
        db.log(conn, user.name, "upload.store", f"upload {upload_id}", f"{size} bytes, sha256 {sha256[:12]}…")
    return upload_id


def claim(db: Database, upload_id: int) -> sqlite3.Row | None:
    """Mark an upload as being processed (one more attempt); None when there is no such upload."""
    with db.write() as conn:
        conn.execute(
            "UPDATE uploads SET status = 'processing', attempts = attempts + 1 WHERE id = ?", (upload_id,)
        )
        return conn.execute(
            f"SELECT {UPLOAD_COLUMNS} {UPLOAD_JOIN} WHERE uploads.id = ?", (upload_id,)
        ).fetchone()


def pending(db: Database) -> list[sqlite3.Row]:
    with db.read() as conn:
        return conn.execute(
            "SELECT id, status, attempts FROM uploads WHERE status IN ('received', 'processing') ORDER BY id"
        ).fetchall()


def attach(
    db: Database,
    upload: sqlite3.Row,
    facility_id: str | None,
    inspection_id: str | None,
    facility_name: str | None,
) -> int | None:
    """File the upload under its inspection (creating it) as its next version; returns the inspection.

    A corrected version uploaded to a chosen inspection stays there unless its Facility sheet
    names another inspection, which raises Mismatch.
    """
    ids = (facility_id, inspection_id) if facility_id and inspection_id else None
    with db.write() as conn:
        requested = upload["requested_inspection"]
        if requested is not None:
            row = conn.execute(
                "SELECT facility_id, inspection_id FROM inspections WHERE id = ?", (requested,)
            ).fetchone()
            if ids and ids != (row["facility_id"], row["inspection_id"]):
                raise Mismatch(
                    f"this workbook is for inspection {inspection_id} at facility {facility_id}, not for "
                    f"{row['inspection_id']} at {row['facility_id']}, where it was uploaded as a corrected "
                    "version; "
                    "upload it from the Upload page instead"
                )
            ref, ids = requested, (row["facility_id"], row["inspection_id"])
        elif ids:
            conn.execute(
                "INSERT OR IGNORE INTO inspections (facility_id, inspection_id, created_by, created_at)"
                " VALUES (?, ?, ?, ?)",
                (*ids, upload["uploaded_by"], now()),
            )
            ref = conn.execute(
                "SELECT id FROM inspections WHERE facility_id = ? AND inspection_id = ?", ids
            ).fetchone()["id"]
        else:
            return None
        current = conn.execute(
            "SELECT inspection, version FROM uploads WHERE id = ?", (upload["id"],)
        ).fetchone()
        version = current["version"]
        if version is None or current["inspection"] != ref:
            version = conn.execute(
                "SELECT COALESCE(MAX(version), 0) + 1 FROM uploads WHERE inspection = ?", (ref,)
            ).fetchone()[0]
        conn.execute(
            "UPDATE uploads SET inspection = ?, version = ?, facility_id = ?, inspection_id = ?,"
            " facility_name = COALESCE(?, facility_name) WHERE id = ?",
            (ref, version, ids[0], ids[1], facility_name, upload["id"]),
        )
        return int(ref)


def headline_fields(results: Results) -> dict[str, Any]:
    """The headline counts an audited upload's row keeps, from the headline every face shows (so a
    list and the upload's own page cannot disagree)."""
    from auditor.report.view import headline  # the report package is heavy: only when auditing

    head = headline(results)
    return {
        "indeterminate": head.indeterminate,
        "decided": head.decided,
        "in_scope": head.in_scope,
        "coverage_percent": head.coverage_percent,
    }


def finish(db: Database, upload_id: int, status: str, message: str | None = None, **fields: Any) -> None:
    """Record the outcome of processing an upload (and, for an audited one, its findings)."""
    results: Results | None = fields.pop("results", None)
    names = ["status", "message", "processed_at", *fields]
    values = [status, message, now(), *fields.values()]
    with db.write() as conn:
        conn.execute(
            f"UPDATE uploads SET {', '.join(f'{n} = ?' for n in names)} WHERE id = ?", (*values, upload_id)
        )
        conn.execute("DELETE FROM findings WHERE upload = ?", (upload_id,))
        if results is not None:
            conn.executemany(
                "INSERT INTO findings (upload, requirement_id, title, area, status, priority, repeat)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (upload_id, r.requirement_id, r.title, r.area, r.status, int(r.priority), int(r.repeat))
                    for r in results.results
                    if r.deficient
                ],
            )
            from auditor.service.cap import record_audit  # cap reads the store: imported when used

            record_audit(conn, upload_id, results)  # its corrective-action items, in this transaction
        # The audit is done for the uploader, on the facility and inspection it was filed under.
        filed = conn.execute(
            "SELECT users.name, uploads.facility_id, uploads.inspection_id FROM uploads"
            " JOIN users ON users.id = uploads.uploaded_by WHERE uploads.id = ?",
            (upload_id,),
        ).fetchone()
        db.log(
            conn,
            filed["name"] if filed else None,
            f"upload.{status}",
            f"upload {upload_id}",
            (message or "")[:300],
            facility_id=filed["facility_id"] if filed else None,
            inspection_id=filed["inspection_id"] if filed else None,
        )


def get_upload(db: Database, upload_id: int) -> dict[str, Any] | None:
    with db.read() as conn:
        row = conn.execute(
            f"SELECT {UPLOAD_COLUMNS} {UPLOAD_JOIN} WHERE uploads.id = ?", (upload_id,)
        ).fetchone()
    return dict(row) if row else None


def can_see_upload(db: Database, user: User, upload: dict[str, Any]) -> bool:
    with db.read() as conn:
        return assignments.may_read_upload(conn, user, upload)


def list_uploads(db: Database, user: User, limit: int = 200) -> list[dict[str, Any]]:
    """Recent uploads the user may see: an inspector's own, a reviewer's facilities', or all."""
    with db.read() as conn:
        where, params = assignments.uploads_where(conn, user)
        rows = conn.execute(
            f"SELECT {UPLOAD_COLUMNS} {UPLOAD_JOIN} {where} ORDER BY uploads.id DESC LIMIT ?",
            (*params, limit),
        ).fetchall()
    return [dict(r) for r in rows]


def previous_results(
    db: Database, facility_id: str, inspection_id: str, previous_id: str | None
) -> int | None:
    """The upload holding the results of this facility's previous inspection, for repeat deficiencies:
    the inspection the Facility sheet names as previous, else the latest other audited inspection."""
    with db.read() as conn:
        if previous_id:
            row = conn.execute(
                "SELECT id FROM uploads WHERE status = 'audited' AND facility_id = ? AND inspection_id = ?"
                " ORDER BY version DESC, id DESC LIMIT 1",
                (facility_id, previous_id),
            ).fetchone()
            if row:
                return int(row["id"])
        row = conn.execute(
            "SELECT id FROM uploads WHERE status = 'audited' AND facility_id = ? AND inspection_id != ?"
            " ORDER BY inspection_end DESC, id DESC LIMIT 1",
            (facility_id, inspection_id),
        ).fetchone()
    return int(row["id"]) if row else None


# ---------------------------------------------------------------------------- inspections


def get_inspection(db: Database, ref: int) -> dict[str, Any] | None:
    with db.read() as conn:
        row = conn.execute("SELECT * FROM inspections WHERE id = ?", (ref,)).fetchone()
        if row is None:
            return None
        versions = conn.execute(
            f"SELECT {UPLOAD_COLUMNS} {UPLOAD_JOIN} WHERE uploads.inspection = ?"
            " ORDER BY uploads.version DESC,"
            " uploads.id DESC",
            (ref,),
        ).fetchall()
        unfiled = conn.execute(
            f"SELECT {UPLOAD_COLUMNS} {UPLOAD_JOIN} WHERE uploads.requested_inspection = ?"
            " AND uploads.inspection IS NULL ORDER BY uploads.id DESC",
            (ref,),
        ).fetchall()
    inspection = dict(row)
    inspection["versions"] = [dict(v) for v in versions]
    inspection["unfiled"] = [dict(u) for u in unfiled]  # sent as corrected versions: pending or refused
    audited = [v for v in inspection["versions"] if v["status"] == "audited"]
    inspection["latest"] = inspection["versions"][0] if versions else None
    inspection["audited"] = audited[0] if audited else None
    named = [v["facility_name"] for v in inspection["versions"] if v["facility_name"]]
    inspection["facility_name"] = named[0] if named else None
    return inspection


# ---------------------------------------------------------------------------- facilities


def can_see_facility(db: Database, user: User, facility_id: str) -> bool:
    with db.read() as conn:
        return assignments.may_read_facility(conn, user, facility_id)


def list_facilities(db: Database, user: User) -> list[dict[str, Any]]:
    """Each facility the user may see, with its latest audited inspection's figures."""
    with db.read() as conn:
        every = assignments.sees_all(conn, user)
        scope, params = ("", ()) if every else (f"AND facility_id IN ({_mine(user)[0]})", _mine(user)[1])
        rows = conn.execute(
            f"SELECT * FROM uploads WHERE facility_id IS NOT NULL {scope} ORDER BY id", params
        ).fetchall()
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        grouped[row["facility_id"]].append(dict(row))
    facilities = [_facility_row(fid, uploads) for fid, uploads in grouped.items()]
    return sorted(facilities, key=lambda f: (f["facility_name"] or f["facility_id"]).lower())


def _facility_row(facility_id: str, uploads: list[dict[str, Any]]) -> dict[str, Any]:
    audited = [u for u in uploads if u["status"] == "audited"]
    latest = max(audited, key=lambda u: (u["inspection_end"] or "", u["id"])) if audited else None
    named = [u["facility_name"] for u in reversed(uploads) if u["facility_name"]]
    return {
        "facility_id": facility_id,
        "facility_name": named[0] if named else None,
        "inspections": len({u["inspection_id"] for u in uploads}),
        "uploads": len(uploads),
        "latest": latest,
        "rating": latest["rating"] if latest else None,
        "deficient": latest["deficient"] if latest else None,
        "priority": latest["priority"] if latest else None,
        "repeats": latest["repeats"] if latest else None,
        **{key: latest[key] if latest else None for key in HEADLINE_COLUMNS},
        "last_inspection": latest["inspection_end"] if latest else None,
        "last_upload": uploads[-1]["uploaded_at"],
    }


def facility_detail(db: Database, facility_id: str) -> dict[str, Any] | None:
    """A facility's inspections over time and the requirements deficient in more than one of them."""
    with db.read() as conn:
        uploads = [
            dict(r)
            for r in conn.execute(
                f"SELECT {UPLOAD_COLUMNS} {UPLOAD_JOIN} WHERE uploads.facility_id = ? ORDER BY uploads.id",
                (facility_id,),
            ).fetchall()
        ]
        if not uploads:
            return None
        inspections = conn.execute(
            "SELECT * FROM inspections WHERE facility_id = ? ORDER BY id", (facility_id,)
        ).fetchall()
        repeated = conn.execute(
            """
            WITH latest AS (
                SELECT inspection, MAX(id) AS upload FROM uploads
                WHERE status = 'audited' AND facility_id = ? GROUP BY inspection
            )
            SELECT findings.requirement_id, MAX(findings.title) AS title, MAX(findings.area) AS area,
                   MAX(findings.priority) AS priority, COUNT(*) AS times,
                   GROUP_CONCAT(uploads.inspection_id, ', ') AS inspections
            FROM findings JOIN latest ON findings.upload = latest.upload
            JOIN uploads ON uploads.id = latest.upload
            GROUP BY findings.requirement_id HAVING COUNT(*) > 1
            ORDER BY times DESC, findings.requirement_id
            """,
            (facility_id,),
        ).fetchall()
    rows = []
    for inspection in inspections:
        versions = [u for u in uploads if u["inspection"] == inspection["id"]]
        audited = [u for u in versions if u["status"] == "audited"]
        rows.append(
            {
                **dict(inspection),
                "versions": len(versions),
                "latest": max(versions, key=lambda u: (u["version"] or 0, u["id"])) if versions else None,
                "audited": max(audited, key=lambda u: (u["version"] or 0, u["id"])) if audited else None,
            }
        )
    rows.sort(key=lambda r: ((r["audited"] or {}).get("inspection_end") or "", r["id"]), reverse=True)
    summary = _facility_row(facility_id, uploads)
    return {**summary, "inspection_rows": rows, "repeated": [dict(r) for r in repeated]}


def audited_inspections(db: Database) -> list[int]:
    """The latest audited upload of every inspection of every facility: the portfolio takes each
    facility's latest inspection and shows the earlier ones as its history (as the CLI's does)."""
    with db.read() as conn:
        rows = conn.execute(
            """
            SELECT id FROM (
                SELECT id, ROW_NUMBER() OVER (
                    PARTITION BY facility_id, inspection_id ORDER BY id DESC) AS n
                FROM uploads WHERE status = 'audited'
            ) WHERE n = 1 ORDER BY id
            """
        ).fetchall()
    return [int(r["id"]) for r in rows]


def audit_log(db: Database, limit: int = 500) -> list[dict[str, Any]]:
    """The newest entries of the action log, in words (auditor.service.action_log, which filters)."""
    return action_log.entries(db, action_log.Filters(limit=limit))
