"""A facility's trend from the workspace's recorded results: per inspection, its latest audited
version's headline counts (deficient, priority, repeat), oldest first.

The facility page shows every inspection; a report shows those up to its own inspection, so a
report rendered and stored once never shows inspections that came after it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from markupsafe import Markup

from auditor.report.trend import TrendPoint, ordered, trend_chart

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
