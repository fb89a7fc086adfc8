"""ICE's facility roster in the web app: importing it (administrators), reading it (everyone).

The roster is ICE's published list, so every signed-in user may read it and download a workbook
pre-filled from it; only an administrator imports one. The use cases are the workspace's
(auditor.service.roster); this module receives the file and checks the id in the URL.
"""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from auditor.registry import prefill
from auditor.service import roster
from auditor.service.accounts import User
from auditor.web.actions import facility_in_url
from auditor.web.services import Web
from auditor.web.uploads import receive_file

ROSTER_FILE = "an ICE Detention Statistics workbook (.xlsx) to import"


async def import_upload(request: Request, web: Web, user: User) -> dict[str, Any]:
    """Store the request's roster workbook, then import it; returns save_roster's counts."""
    stored = await receive_file(
        request, web.rosters, user, limit=web.settings.max_upload_bytes, what=ROSTER_FILE
    )
    return await run_in_threadpool(roster.import_stored, web.workspace, user, stored)


def roster_facility(web: Web, facility_id: str) -> dict[str, Any]:
    return roster.roster_facility(web.workspace, facility_in_url(facility_id))


def prefilled_bytes(web: Web, facility_id: str) -> bytes:
    return roster.prefilled_bytes(web.workspace, facility_in_url(facility_id))


def registry_json(record: dict[str, Any]) -> dict[str, Any]:
    """A registry facility as the API shows it: ICE's record, its source, and the pre-fill."""
    return {**record, "prefill": prefill(record)}
