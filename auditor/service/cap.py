"""Corrective-action items in the workspace: opened by an audit, answered by the facility's plan,
closed by the evidence of a later inspection.

    audited upload ─► one item per deficiency of its inspection (status open, due per the policy)
    returned plan  ─► open → planned → completed, as the facility says (every response kept)
    later upload   ─► compliant: verified, closed by that inspection; deficient: stays open, a
                      repeat; indeterminate or not assessed: stays open (no evidence either way)

An item is `overdue` when its target date (the facility's, else the plan's due date) has passed
and it is neither completed nor verified. The facility's word never closes an item: only an
inspection that decides the requirement compliant does.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from auditor.contracts import plan as contract
from auditor.contracts.problems import Problems, problem
from auditor.contracts.results import Results
from auditor.db import Database, now
from auditor.errors import AuditorError, WorkbookError
from auditor.imports.cap import PlanFile, annotate_plan, check_plan, read_plan
from auditor.report.fix_first import due_date, fix_first
from auditor.service import store
from auditor.service.accounts import User
from auditor.service.files import Blobs, Stored

if TYPE_CHECKING:
    from auditor.service.workspace import Workspace

OPEN = ("open", "planned")  # what can be overdue; completed waits for an inspection, verified is closed
STATUSES = ("open", "planned", "completed", "verified")


class PlanRefused(AuditorError):
    """The returned plan cannot be taken at all: unreadable, or for a facility the user may not answer for."""


class NotYours(PlanRefused):
    """The plan is for a facility the user may not answer for (a reviewer, another facility's inspector)."""


@dataclass
class PlanImport:
    facility_id: str | None
    inspection_id: str | None
    problems: Problems
    recorded: int  # responses recorded (0 when the plan has an error: nothing is)
    annotated: Path | None = None

    @property
    def accepted(self) -> bool:
        return not self.problems.has_errors


def today_utc() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


# ---------------------------------------------------------------------------- an audit's items


def record_audit(conn: sqlite3.Connection, upload_id: int, results: Results) -> None:
    """Inside the transaction that records an audited upload: its inspection's items, and the
    closure (or repeat) of earlier inspections' open items by what this one decided."""
    upload = conn.execute(
        "SELECT facility_id, inspection, inspection_id FROM uploads WHERE id = ?", (upload_id,)
    ).fetchone()
    if upload is None or upload["inspection"] is None or not upload["facility_id"]:
        return
    ref, facility = int(upload["inspection"]), str(upload["facility_id"])
    end = str(results.inspection.get("inspection_end") or "")[:10]
    stamp = now()
    _this_inspection(conn, upload_id, ref, facility, end, results, stamp)
    _earlier_inspections(conn, upload_id, ref, str(upload["inspection_id"]), facility, end, results, stamp)


def _this_inspection(
    conn: sqlite3.Connection, upload_id: int, ref: int, facility: str, end: str, results: Results, stamp: str
) -> None:
    existing = {
        row["requirement_id"]: row
        for row in conn.execute(
            "SELECT id, requirement_id, status FROM cap_items WHERE inspection = ?", (ref,)
        )
    }
    deficient = fix_first(results)
    for result in deficient:
        values = (upload_id, end, result.title, int(result.priority), due_date(results, result), stamp)
        row = existing.get(result.requirement_id)
        if row is None:
            conn.execute(
                "INSERT INTO cap_items (upload, inspection_end, title, priority, due_date, updated_at,"
                " facility_id, requirement_id, inspection, status, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?)",
                (*values, facility, result.requirement_id, ref, stamp),
            )
        else:
            conn.execute(
                "UPDATE cap_items SET upload = ?, inspection_end = ?, title = ?, priority = ?, due_date = ?,"
                " updated_at = ? WHERE id = ?",
                (*values, row["id"]),
            )
    # A corrected version of the same inspection no longer finds it: an item nobody answered goes.
    gone = set(existing) - {r.requirement_id for r in deficient}
    for rid in sorted(gone):
        conn.execute(
            "DELETE FROM cap_items WHERE id = ? AND status = 'open'"
            " AND NOT EXISTS (SELECT 1 FROM cap_responses WHERE item = cap_items.id)",
            (existing[rid]["id"],),
        )


def _earlier_inspections(
    conn: sqlite3.Connection,
    upload_id: int,
    ref: int,
    name: str,
    facility: str,
    end: str,
    results: Results,
    stamp: str,
) -> None:
    decided = results.by_id()
    items = conn.execute(
        "SELECT * FROM cap_items WHERE facility_id = ? AND inspection != ? AND inspection_end < ?",
        (facility, ref, end),
    ).fetchall()
    for item in items:
        result = decided.get(item["requirement_id"])
        compliant = result is not None and result.status == "compliant"
        if item["status"] == "verified":
            if item["closed_by"] == ref and not compliant:  # a new version of the closing inspection
                conn.execute(
                    "UPDATE cap_items SET status = ?, closed_by = NULL, closed_upload = NULL,"
                    " closed_at = NULL, updated_at = ? WHERE id = ?",
                    (_answered_status(conn, item["id"]), stamp, item["id"]),
                )
            continue
        if compliant:
            conn.execute(
                "UPDATE cap_items SET status = 'verified', closed_by = ?, closed_upload = ?, closed_at = ?,"
                " updated_at = ? WHERE id = ?",
                (ref, upload_id, stamp, stamp, item["id"]),
            )
        elif result is not None and result.deficient:
            seen = [s for s in (item["repeated_in"] or "").split(", ") if s]
            if name not in seen:
                conn.execute(
                    "UPDATE cap_items SET repeated_in = ?, updated_at = ? WHERE id = ?",
                    (", ".join([*seen, name]), stamp, item["id"]),
                )


def _answered_status(conn: sqlite3.Connection, item: int) -> str:
    row = conn.execute(
        "SELECT status FROM cap_responses WHERE item = ? ORDER BY id DESC LIMIT 1", (item,)
    ).fetchone()
    return row["status"] if row else "open"


# ---------------------------------------------------------------------------- a returned plan


def may_answer(db: Database, user: User | None, facility_id: str) -> bool:
    """Administrators, and inspectors of the facility; None is the command line (the data folder's owner)."""
    if user is None or user.is_admin:
        return True
    return user.role == "inspector" and store.can_see_facility(db, user, facility_id)


def import_plan(
    ws: Workspace,
    path: Path,
    *,
    user: User | None = None,
    by: str | None = None,
    annotate_to: Path | None = None,
    today: dt.date | None = None,
) -> PlanImport:
    """Read a returned plan, check every cell against its inspection's items and, when nothing is
    wrong, record each response. `user` is checked (web); `by` names who answered (the log)."""
    today = today or today_utc()
    plan = read_plan(path)
    if plan.facility_id is not None and not may_answer(ws.db, user, plan.facility_id):
        raise NotYours(
            f"facility {plan.facility_id} is not one of yours: only its inspectors and administrators "
            "may answer its corrective-action plan"
        )
    ref, known, verified, where = _inspection_of(ws.db, plan)
    problems = check_plan(plan, known, today=today, inspection=where)
    problems = _with_inspection_problems(plan, problems, ref, known, verified)
    done = PlanImport(plan.facility_id, plan.inspection_id, problems, 0)
    if annotate_to is not None and len(problems):
        done.annotated = annotate_plan(plan, problems, annotate_to)
    if done.accepted and ref is not None:
        done.recorded = _record(ws.db, plan, ref, by or (user.name if user else None))
    return done


def plan_workbook(ws: Workspace, upload_id: int) -> Path:
    """The plan workbook of an audited upload, written once per results file (a re-audit, whose
    results differ, gets its own)."""
    import hashlib

    from auditor.report.ucap import write_ucap

    results = ws.outputs(upload_id) / "results.json"
    data = results.read_bytes()
    path = ws.outputs(upload_id) / f"plan-{hashlib.sha256(data).hexdigest()[:16]}.xlsx"
    if not path.exists():
        partial = path.with_name(f".{path.name}.{threading.get_ident()}.partial.xlsx")
        write_ucap(Results.read(results), partial)
        partial.replace(path)
    return path


def plan_files(ws: Workspace) -> Blobs:
    """Returned plans received by the web app: stored (fsynced, named by SHA-256) before they are read."""
    return Blobs(ws.data_dir / "plans")


def import_stored(ws: Workspace, user: User, stored: Stored, today: dt.date | None = None) -> PlanImport:
    """`import_plan` on a plan the web app stored, with its annotated copy when it has problems
    (see annotated_copy); a refusal names the file as it was sent."""
    path = plan_files(ws).path(stored.sha256)
    annotated = plan_files(ws).root / f"{stored.sha256}-annotated.xlsx"
    try:
        done = import_plan(ws, path, user=user, by=user.name, today=today, annotate_to=annotated)
        if done.annotated is not None:  # whose it is, for the download's access check
            annotated.with_suffix(".json").write_text(json.dumps({"facility_id": done.facility_id}))
        return done
    except WorkbookError as exc:
        message = str(exc).replace(str(path), stored.name)  # never show where files live on the server
        with ws.db.write() as conn:
            ws.db.log(conn, user.name, "cap.refused", stored.name, message[:300])
        raise PlanRefused(message) from None


def annotated_copy(ws: Workspace, user: User, sha256: str) -> Path | None:
    """The annotated copy of a returned plan the web app checked, for a user who may answer for its
    facility (an administrator, whatever it names); None when there is none for them."""
    if not re.fullmatch(r"[0-9a-f]{64}", sha256):
        return None
    path = plan_files(ws).root / f"{sha256}-annotated.xlsx"
    try:
        facility_id = json.loads(path.with_suffix(".json").read_text())["facility_id"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    allowed = user.is_admin or (isinstance(facility_id, str) and may_answer(ws.db, user, facility_id))
    return path if allowed and path.is_file() else None


def _inspection_of(db: Database, plan: PlanFile) -> tuple[int | None, set[str], dict[str, str], str]:
    """The inspection's row id, its items' requirement ids, those verified (→ by which inspection)."""
    where = f"inspection {plan.inspection_id} at facility {plan.facility_id}"
    if plan.facility_id is None or plan.inspection_id is None:
        return None, set(), {}, where
    with db.read() as conn:
        row = conn.execute(
            "SELECT id FROM inspections WHERE facility_id = ? AND inspection_id = ?",
            (plan.facility_id, plan.inspection_id),
        ).fetchone()
        if row is None:
            return None, set(), {}, where
        items = conn.execute(
            "SELECT cap_items.requirement_id, cap_items.status, closer.inspection_id AS closer"
            " FROM cap_items LEFT JOIN inspections AS closer ON closer.id = cap_items.closed_by"
            " WHERE cap_items.inspection = ?",
            (row["id"],),
        ).fetchall()
    verified = {r["requirement_id"]: r["closer"] for r in items if r["status"] == "verified"}
    return int(row["id"]), {r["requirement_id"] for r in items}, verified, where


def _with_inspection_problems(
    plan: PlanFile, problems: Problems, ref: int | None, known: set[str], verified: dict[str, str]
) -> Problems:
    parts = [problems.frame]
    at = plan.about_refs.get(contract.ABOUT_INSPECTION_ID)
    if plan.facility_id is not None and plan.inspection_id is not None and (ref is None or not known):
        message = (
            f"inspection {plan.inspection_id} at facility {plan.facility_id} is not in this data folder"
            if ref is None
            else f"inspection {plan.inspection_id} at facility {plan.facility_id} has no corrective-action "
            "items here (audit it here first, or Check again an upload audited before they existed)"
        )
        parts.append(
            problem(
                "unknown-inspection",
                message,
                sheet=contract.ABOUT_SHEET,
                cell=at,
                value=plan.inspection_id,
                expected="an inspection audited in this data folder",
            )
        )
    letter = plan.letters.get(contract.REQUIREMENT)
    for response in plan.responses:
        closer = verified.get(response.requirement_id)
        if closer is not None and letter:
            parts.append(
                problem(
                    "already-verified",
                    f"{response.requirement_id} was verified closed by inspection {closer}: the response "
                    "is kept, the item stays closed",
                    sheet=plan.sheet,
                    severity="warning",
                    cell=f"{letter}{response.row}",
                    column=contract.REQUIREMENT,
                    row=response.row,
                    value=response.requirement_id,
                )
            )
    return Problems.collect(parts, [plan.sheet, contract.ABOUT_SHEET])


def _record(db: Database, plan: PlanFile, ref: int, by: str | None) -> int:
    stamp = now()
    recorded = 0
    with db.write() as conn:
        for response in plan.responses:
            item = conn.execute(
                "SELECT id, status FROM cap_items WHERE inspection = ? AND requirement_id = ?",
                (ref, response.requirement_id),
            ).fetchone()
            values = (
                response.status,
                _day(response.target_date),
                _day(response.completion_date),
                response.action_taken,
                response.responsible,
                response.evidence_reference,
            )
            conn.execute(
                "INSERT INTO cap_responses (item, at, user_name, plan_sha256, plan_row, status, target_date,"
                " completion_date, action_taken, responsible, evidence_reference)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (item["id"], stamp, by, plan.sha256, response.row, *values),
            )
            if item["status"] != "verified":  # closed by evidence: the facility's word changes nothing
                conn.execute(
                    "UPDATE cap_items SET status = ?, target_date = ?, completion_date = ?, action_taken = ?,"
                    " responsible = ?, evidence_reference = ?, updated_at = ? WHERE id = ?",
                    (*values, stamp, item["id"]),
                )
            recorded += 1
        counts = {s: sum(r.status == s for r in plan.responses) for s in contract.RESPONSE_STATUSES}
        db.log(
            conn,
            by,
            "cap.import",
            f"inspection {plan.inspection_id}",
            f"{recorded} response(s): "
            + ", ".join(f"{n} {s}" for s, n in counts.items())
            + f"; plan sha256 {plan.sha256[:12]}…",
            facility_id=plan.facility_id,
            inspection_id=plan.inspection_id,
        )
    return recorded


def _day(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


# ---------------------------------------------------------------------------- reading the items


def list_items(
    db: Database, *, user: User | None = None, facility_id: str | None = None, today: dt.date | None = None
) -> list[dict[str, Any]]:
    """Every item (of `facility_id`; of the facilities `user` may see), by facility, then inspection
    (latest first), then what to fix first (priority, then requirement id)."""
    today = today or today_utc()
    where, params = ("WHERE cap_items.facility_id = ?", (facility_id,)) if facility_id else ("", ())
    with db.read() as conn:
        rows = conn.execute(
            "SELECT cap_items.*, this.inspection_id AS inspection_name, closer.inspection_id AS closer_name"
            " FROM cap_items JOIN inspections AS this ON this.id = cap_items.inspection"
            " LEFT JOIN inspections AS closer ON closer.id = cap_items.closed_by"
            f" {where} ORDER BY cap_items.facility_id, cap_items.inspection_end DESC, cap_items.inspection,"
            " cap_items.priority DESC, cap_items.requirement_id",
            params,
        ).fetchall()
    visible: dict[str, bool] = {}
    items = []
    for row in rows:
        fid = row["facility_id"]
        if user is not None and fid not in visible:
            visible[fid] = store.can_see_facility(db, user, fid)
        if user is not None and not visible[fid]:
            continue
        items.append(_item(row, today))
    return items


def _item(row: sqlite3.Row, today: dt.date) -> dict[str, Any]:
    target = row["target_date"] or row["due_date"]
    return {
        "facility_id": row["facility_id"],
        "requirement_id": row["requirement_id"],
        "title": row["title"],
        "priority": bool(row["priority"]),
        "inspection": row["inspection_name"],
        "upload": row["upload"],  # the audited version whose plan lists the item
        "inspection_end": row["inspection_end"],
        "status": row["status"],
        "due_date": row["due_date"],
        "target_date": target,
        "completion_date": row["completion_date"],
        "action_taken": row["action_taken"],
        "responsible": row["responsible"],
        "evidence_reference": row["evidence_reference"],
        "overdue": row["status"] in OPEN and target < today.isoformat(),
        "closed_by": row["closer_name"],
        "closed_at": row["closed_at"],
        "repeated_in": [s for s in (row["repeated_in"] or "").split(", ") if s],
    }


def open_counts(db: Database, today: dt.date | None = None) -> dict[str, dict[str, int]]:
    """Per facility: items not yet verified closed, and how many of them are overdue (the portfolio)."""
    counts: dict[str, dict[str, int]] = {}
    for item in list_items(db, today=today):
        if item["status"] == "verified":
            continue
        entry = counts.setdefault(item["facility_id"], {"open": 0, "overdue": 0})
        entry["open"] += 1
        entry["overdue"] += int(item["overdue"])
    return counts
