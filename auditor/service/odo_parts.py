"""What a version's facility report shows from the data folder besides its results, for ODO's
structure (auditor/report/odo.py, docs/reports.md): the corrective-action items of the facility's
earlier inspections, whatever their status (the previous plan's status), and the facility's entry
in ICE's roster (the facility overview)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from auditor.service.workspace import Workspace


def report_odo_parts(ws: Workspace, upload_id: int, today: dt.date) -> dict[str, Any]:
    """facility_html's plan_items and roster for an audited version (empty for any other)."""
    with ws.db.read() as conn:
        row = conn.execute(
            "SELECT facility_id, inspection_end, status FROM uploads WHERE id = ?", (upload_id,)
        ).fetchone()
    if row is None or row["status"] != "audited" or not row["facility_id"]:
        return {"plan_items": [], "roster": None}
    return {
        "plan_items": earlier_items(ws, str(row["facility_id"]), str(row["inspection_end"] or ""), today),
        "roster": roster_entry(ws, str(row["facility_id"])),
    }


def earlier_items(ws: Workspace, facility_id: str, before: str, today: dt.date) -> list[dict[str, Any]]:
    """The facility's items found by inspections that ended before `before` (ISO date): a report
    never shows a later inspection's plan, and its own inspection's items are its own plan."""
    from auditor.service.cap import list_items

    items = list_items(ws.db, facility_id=facility_id, today=today)
    return [item for item in items if str(item["inspection_end"])[:10] < before[:10]]


def roster_entry(ws: Workspace, facility_id: str) -> dict[str, Any] | None:
    """The facility as the newest roster in the registry lists it; None without one."""
    from auditor.registry import registry_roster

    roster = registry_roster(ws.db)
    if roster is None:
        return None
    return next((f.to_dict() for f in roster.facilities if f.facility_id == facility_id), None)
