"""A facility's trend from the workspace's recorded results: per inspection, its latest audited
version's headline counts (deficient, priority, repeat), oldest first; and the ages of its open
corrective-action items (auditor.service.cap's).

The facility page shows every inspection; a report shows those up to its own inspection, so a
report rendered and stored once never shows inspections that came after it.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from auditor.report.trend import TrendPoint, item_ages_chart, ordered, trend_chart

if TYPE_CHECKING:
    from auditor.service.workspace import Workspace

# The latest audited version of each inspection of a facility (the version the lists show).
_LATEST_AUDITED = """
    SELECT inspection_id, inspection_end, deficient, priority, repeats FROM uploads
    WHERE id IN (
        SELECT MAX(id) FROM uploads WHERE status = 'audited' AND facility_id = ? GROUP BY inspection
    )
"""


def facility_points(ws: Workspace, facility_id: str) -> list[TrendPoint]:
    """Every audited inspection of the facility, oldest first."""
    with ws.db.read() as conn:
        rows = conn.execute(_LATEST_AUDITED, (facility_id,)).fetchall()
    return ordered(
        TrendPoint(
            inspection_id=str(r["inspection_id"] or "unnamed"),
            ended=r["inspection_end"],
            deficient=r["deficient"] or 0,
            priority=r["priority"] or 0,
            repeat=r["repeats"] or 0,
        )
        for r in rows
    )


def upload_points(ws: Workspace, upload_id: int) -> list[TrendPoint]:
    """The trend a version's report shows: its facility's inspections up to and including its own,
    this version's counts for its own inspection (an earlier version may be the one reported)."""
    with ws.db.read() as conn:
        row = conn.execute(
            "SELECT facility_id, inspection_id, inspection_end, deficient, priority, repeats, status "
            "FROM uploads WHERE id = ?",
            (upload_id,),
        ).fetchone()
    if row is None or row["status"] != "audited" or not row["facility_id"]:
        return []
    own = TrendPoint(
        inspection_id=str(row["inspection_id"] or "unnamed"),
        ended=row["inspection_end"],
        deficient=row["deficient"] or 0,
        priority=row["priority"] or 0,
        repeat=row["repeats"] or 0,
    )
    return ordered(facility_points(ws, row["facility_id"]), up_to=own)


def facility_chart(ws: Workspace, facility_id: str) -> Markup | None:
    """The facility page's trend chart with its table; None before a second audited inspection."""
    return trend_chart(facility_points(ws, facility_id))


def open_item_ages(ws: Workspace, facility_id: str, today: dt.date | None = None) -> list[dict[str, Any]]:
    """The facility's corrective-action items not yet verified closed, each with its age: the days
    since the inspection that found it ended. Oldest first."""
    from auditor.service.cap import list_items, today_utc

    today = today or today_utc()
    aged = []
    for item in list_items(ws.db, facility_id=facility_id, today=today):
        if item["status"] == "verified":
            continue
        found = dt.date.fromisoformat(str(item["inspection_end"])[:10])
        aged.append({**item, "age": max((today - found).days, 0)})
    return sorted(aged, key=lambda i: (-i["age"], i["requirement_id"]))


def ages_chart(ws: Workspace, facility_id: str, today: dt.date | None = None) -> Markup | None:
    """The facility page's chart of its open items' ages, with its table; None when none is open."""
    return item_ages_chart(open_item_ages(ws, facility_id, today))


def upload_items(ws: Workspace, upload_id: int, today: dt.date | None = None) -> list[dict[str, Any]]:
    """The open items a version's report shows: its facility's, found by its own inspection or an
    earlier one (never a later one), aged as of `today`."""
    with ws.db.read() as conn:
        row = conn.execute(
            "SELECT facility_id, inspection_end, status FROM uploads WHERE id = ?", (upload_id,)
        ).fetchone()
    if row is None or row["status"] != "audited" or not row["facility_id"]:
        return []
    own_end = str(row["inspection_end"] or "")
    return [
        item
        for item in open_item_ages(ws, row["facility_id"], today)
        if str(item["inspection_end"]) <= own_end
    ]


def report_parts(ws: Workspace, upload_id: int, today: dt.date | None = None) -> dict[str, Any]:
    """What a version's report shows of its facility's course (facility_html's trend, items and
    items_as_of): its inspections up to its own, and the items open on `today`, with their ages."""
    from auditor.service.cap import today_utc
    from auditor.service.odo_parts import report_odo_parts

    today = today or today_utc()
    return {
        "trend": upload_points(ws, upload_id),
        "items": upload_items(ws, upload_id, today),
        "items_as_of": today.isoformat(),
        **report_odo_parts(ws, upload_id, today),  # the previous plan's status, the roster's entry
    }
