"""ICE's facility roster in the web app: importing it (administrators), reading it (everyone).

The roster is ICE's published list, so every signed-in user may read it and download a workbook
pre-filled from it; only an administrator imports one. An imported workbook is stored on disk
(fsynced, named by its SHA-256, in `rosters/`) before it is read, like an upload.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from auditor.errors import AuditorError
from auditor.imports.roster import import_roster
from auditor.registry import prefill, prefilled_workbook, registry_facility, save_roster
from auditor.web.actions import facility_in_url
from auditor.web.auth import User
from auditor.web.errors import NotFound
from auditor.web.services import Web
from auditor.web.uploads import Stored, receive_file

ROSTER_FILE = "an ICE Detention Statistics workbook (.xlsx) to import"


class RosterRefused(Exception):
    """The stored file is not a roster the importer can read; the message names the file as sent."""


async def import_upload(request: Request, web: Web, user: User) -> dict[str, Any]:
    """Store the request's roster workbook, then import it; returns save_roster's counts."""
    stored = await receive_file(
        request, web.rosters, user, limit=web.settings.max_upload_bytes, what=ROSTER_FILE
    )
    return await run_in_threadpool(import_stored, web, user, stored)


def import_stored(web: Web, user: User, stored: Stored) -> dict[str, Any]:
    path = web.rosters.path(stored.sha256)
    try:
        roster = import_roster(path)
    except AuditorError as exc:
        message = str(exc).replace(str(path), stored.name)  # never show where files live on the server
        with web.db.write() as conn:
            web.db.log(conn, user.name, "registry.refused", stored.name, message[:300])
        raise RosterRefused(message) from None
    roster.source["file"] = stored.name  # the stored name is the content's hash
    return save_roster(web.db, roster, user=user.name)


def roster_facility(web: Web, facility_id: str) -> dict[str, Any]:
    record = registry_facility(web.db, facility_in_url(facility_id))
    if record is None:
        raise NotFound(f"there is no facility {facility_id!r} in ICE's roster")
    return record


def prefilled_bytes(web: Web, facility_id: str) -> bytes:
    """The inspection template with this facility's Facility sheet pre-filled (written in ~0.1 s)."""
    roster_facility(web, facility_id)
    with tempfile.TemporaryDirectory(prefix="auditor-prefill-") as folder:
        path = prefilled_workbook(web.db, facility_id, Path(folder) / "inspection.xlsx")
        return path.read_bytes()


def registry_json(record: dict[str, Any]) -> dict[str, Any]:
    """A registry facility as the API shows it: ICE's record, its source, and the pre-fill."""
    return {**record, "prefill": prefill(record)}
