"""Which time zone a facility's pages show their times in: the zone its latest audited inspection
was read in (the Facility sheet's time_zone, or its state's), from that upload's results file.

None when no audited upload of the facility names one (none yet, or audited before results carried
the zone): the pages then show UTC and say why.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from auditor.errors import AuditorError
from auditor.service.workspace import Workspace
from auditor.web.views import results_of


def facility_zone(ws: Workspace, facility_id: str | None) -> str | None:
    """The IANA zone of the facility's latest audited upload that records one, else None."""
    if not facility_id:
        return None
    with ws.db.read() as conn:
        rows = conn.execute(
            "SELECT id FROM uploads WHERE facility_id = ? AND status = 'audited' ORDER BY id DESC LIMIT 5",
            (facility_id,),
        ).fetchall()
    for (upload_id,) in rows:
        try:
            results = results_of(ws, upload_id)
        except AuditorError:  # an unreadable results file: look at the one before
            continue
        zone = results.facility.get("time_zone") if results is not None else None
        if isinstance(zone, str) and usable(zone):
            return zone
    return None


def usable(zone: str) -> bool:
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def local_time(stamp: str, zone: str | None) -> str:
    """A stored UTC timestamp (2026-04-09T14:03:00Z) as read in `zone`: 2026-04-09 08:03 MDT;
    in UTC when `zone` is None or the stamp is not a timestamp."""
    text = stamp.replace("T", " ")[:16] + " UTC"
    if not zone:
        return text
    try:
        at = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return text
    if at.tzinfo is None:
        at = at.replace(tzinfo=dt.UTC)
    local = at.astimezone(ZoneInfo(zone))
    return f"{local:%Y-%m-%d %H:%M} {local.tzname()}"
