"""What the pages and the API both do, written once: fetch what a user may see, upload, re-check."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from auditor.service import signoff, store
from auditor.service.accounts import User
from auditor.web.errors import BadRequest, NotFound
from auditor.web.services import Web
from auditor.web.uploads import Received, receive_upload
from auditor.workbook.ids import is_facility_id


def visible_upload(web: Web, user: User, upload_id: int) -> dict[str, Any]:
    upload = store.get_upload(web.db, upload_id)
    if upload is None or not store.can_see_upload(web.db, user, upload):
        raise NotFound(f"there is no upload {upload_id} you can see")
    return upload


def visible_inspection(web: Web, user: User, ref: int) -> dict[str, Any]:
    inspection = store.get_inspection(web.db, ref)
    if inspection is None or not store.can_see_facility(web.db, user, inspection["facility_id"]):
        raise NotFound(f"there is no inspection {ref} you can see")
    return inspection


def facility_in_url(facility_id: str) -> str:
    """A facility id from a URL; one that breaks the id rule names no facility (404)."""
    if not is_facility_id(facility_id):
        raise NotFound(f"there is no facility {facility_id[:140]!r}")
    return facility_id


def visible_facility(web: Web, user: User, facility_id: str) -> dict[str, Any]:
    facility_in_url(facility_id)
    detail = (
        store.facility_detail(web.db, facility_id)
        if store.can_see_facility(web.db, user, facility_id)
        else None
    )
    if detail is None:
        raise NotFound(f"there is no facility {facility_id!r} you can see")
    return detail


async def upload(
    request: Request, web: Web, user: User, inspection: int | None = None, wait: float | None = None
) -> Received:
    """Store the request's workbook (durably, before anything else), then check it, waiting a while."""
    if inspection is not None:
        await run_in_threadpool(visible_inspection, web, user, inspection)
    received = await receive_upload(
        request, web.blobs, web.db, user, limit=web.settings.max_upload_bytes, requested_inspection=inspection
    )
    await wait_for(web, received.upload_id, wait)
    return received


async def wait_for(web: Web, upload_id: int, wait: float | None = None) -> None:
    """Submit the upload for processing and wait for it up to `wait` seconds (default: the setting);
    processing goes on regardless."""
    job = web.processor.submit(upload_id)
    seconds = web.settings.wait_seconds if wait is None else wait
    if seconds > 0:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(job)), seconds)


async def reprocess(web: Web, user: User, upload_id: int) -> int:
    """Check a stored upload again (with the waivers in force now); administrators only. A signed-off
    version is never changed: its file is checked as the inspection's next version. Returns the
    upload checked."""
    current = await run_in_threadpool(visible_upload, web, user, upload_id)
    if current["status"] in store.PENDING:
        raise BadRequest("this upload is being checked now; try again when it is done")
    checked = await run_in_threadpool(signoff.version_to_check, web.workspace, user, upload_id)
    if checked != upload_id:
        await wait_for(web, checked)
        return checked

    def record() -> None:
        with web.db.write() as conn:
            conn.execute("UPDATE uploads SET status = 'received', attempts = 0 WHERE id = ?", (upload_id,))
            web.db.log(conn, user.name, "upload.reprocess", f"upload {upload_id}")

    await run_in_threadpool(record)
    await wait_for(web, upload_id)
    return upload_id
