"""The sign-off button of an inspection's page: administrators only, with the session's CSRF token
and an explicit confirmation of the version they read (auditor.service.signoff does the work)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from auditor.service import signoff
from auditor.service.accounts import User
from auditor.web import actions
from auditor.web.errors import BadRequest
from auditor.web.guards import admin_form_csrf, administrator, get_web, text
from auditor.web.services import Web

router = APIRouter(include_in_schema=False)


@router.post("/inspections/{inspection}/signoff")
async def sign_off(
    request: Request,
    inspection: int,
    web: Annotated[Web, Depends(get_web)],
    user: Annotated[User, Depends(administrator)],
    form: Annotated[FormData, Depends(admin_form_csrf)],
) -> Response:
    """Sign off the version the form names (the latest, audited); its signed PDF is made now."""
    await run_in_threadpool(actions.visible_inspection, web, user, inspection)
    if text(form, "confirm", 10) != "yes":
        raise BadRequest("tick the box that confirms you read this version's report, then sign it off")
    shown = text(form, "upload", 20)
    if not shown.isdigit():
        raise BadRequest("the form does not say which version you read: reload the page")
    try:
        await run_in_threadpool(signoff.sign_off, web.workspace, inspection, user, upload_id=int(shown))
    except signoff.SignOffError as exc:
        raise BadRequest(str(exc)) from None
    return RedirectResponse(f"/inspections/{inspection}?done=signed-off", status_code=303)
