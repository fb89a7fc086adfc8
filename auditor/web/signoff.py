"""Signing off an inspection: the button of its page and its API twin. Administrators only, with the
session's CSRF token and the version they read (auditor.service.signoff does the work)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from auditor.service import signoff
from auditor.service.accounts import User
from auditor.web import actions
from auditor.web.errors import BadRequest
from auditor.web.guards import admin_form_csrf, administrator, api_admin_csrf, get_web, text
from auditor.web.services import Web

router = APIRouter(include_in_schema=False)
api_router = APIRouter(prefix="/api", tags=["inspections"])


class SignOffRequest(BaseModel):
    upload: int = Field(description="The version read: the upload id of the inspection's latest version.")


def signoff_json(done: signoff.SignOff) -> dict[str, Any]:
    fields = {name: value for name, value in vars(done).items() if name != "path"}
    return {**fields, "report": f"/uploads/{done.upload}/report.pdf"}


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


@api_router.post("/inspections/{inspection}/signoff", status_code=201)
async def api_sign_off(
    inspection: int,
    body: SignOffRequest,
    web: Annotated[Web, Depends(get_web)],
    user: Annotated[User, Depends(api_admin_csrf)],
) -> JSONResponse:
    """Sign off the inspection's latest audited version, named by its upload id (administrators): its
    report is rendered, signed (PAdES) and stored once; GET the `report` to download it."""
    await run_in_threadpool(actions.visible_inspection, web, user, inspection)
    try:
        done = await run_in_threadpool(
            signoff.sign_off, web.workspace, inspection, user, upload_id=body.upload
        )
    except signoff.SignOffError as exc:
        raise BadRequest(str(exc)) from None
    return JSONResponse({"ok": True, "signoff": signoff_json(done)}, status_code=201)
