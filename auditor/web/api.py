"""The JSON API under /api/: the same actions as the pages, for scripts and other tools.

Sign in with POST /api/session (JSON; the session cookie comes back), read the CSRF token from
its answer (or GET /api/session) and send it as the X-CSRF-Token header on every POST and DELETE.
Every error has one shape: {"ok": false, "error": "...", "status": 401}.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse, JSONResponse, Response
from pydantic import BaseModel, Field

from auditor.registry import list_registry
from auditor.service import action_log, reports, signin, stages, store
from auditor.service.accounts import User
from auditor.service.roster import RosterRefused
from auditor.service.waivers import WaiverInputError, create_waiver, list_waivers, revoke_waiver
from auditor.web import actions
from auditor.web.address import client_address
from auditor.web.auth import end_session, start_session
from auditor.web.errors import BadRequest, NotFound, error_json
from auditor.web.guards import (
    SESSION_COOKIE,
    CsrfHeader,
    administrator,
    api_admin_csrf,
    api_csrf,
    get_web,
    signed_in,
    uploader,
    with_session_cookie,
)
from auditor.web.registry import import_upload, registry_json, roster_facility
from auditor.web.services import Web
from auditor.web.views import (
    facility_json,
    inspection_json,
    output_file,
    problems_report,
    upload_json,
)

WebDep = Annotated[Web, Depends(get_web)]
Me = Annotated[User, Depends(signed_in)]
Admin = Annotated[User, Depends(administrator)]
Uploader = Annotated[User, Depends(uploader)]
Writer = Annotated[User, Depends(api_csrf)]
AdminWriter = Annotated[User, Depends(api_admin_csrf)]
UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "file": {
                            "type": "string",
                            "format": "binary",
                            "description": "The inspection workbook (.xlsx, .xlsm, .xls, .ods)",
                        }
                    },
                    "required": ["file"],
                }
            }
        },
    }
}
UPLOAD_BODY_CAP = 1 << 40  # the upload handler enforces the configured limit while streaming
ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": 'Not signed in: {"ok": false, "error": "sign in first", "status": 401}'},
    403: {"description": "The role does not allow it, or the CSRF token is missing"},
}

Wait = Annotated[
    float | None,
    Query(ge=0, le=600, description="Seconds to wait for the check before answering (default: the server's)"),
]

router = APIRouter(prefix="/api", responses=ERRORS)


class Credentials(BaseModel):
    name: str = Field(max_length=64)
    password: str = Field(max_length=1024)


class NewWaiver(BaseModel):
    requirement_id: str = Field(max_length=100, examples=["FS-HOT-HOLD"])
    facility_id: str = Field(  # required: every facility is chosen, never defaulted to
        max_length=200, description="A facility id, or * for every facility (no default)"
    )
    justification: str = Field(max_length=4000)
    approved_by: str = Field(default="", max_length=200, description="Who approved it (default: you)")
    expires: dt.date


def _session(user: User) -> dict[str, Any]:
    return {"ok": True, "user": {"name": user.name, "role": user.role}, "csrf_token": user.csrf_token}


# ---------------------------------------------------------------------------- session


@router.post(
    "/session",
    tags=["session"],
    responses={
        401: {"description": "Wrong name or password"},
        429: {"description": "Too many failed sign-ins for the account or address (Retry-After)"},
    },
)
def sign_in(credentials: Credentials, request: Request, web: WebDep) -> Response:
    """Sign in; sets the session cookie and returns the CSRF token for later POST and DELETE calls."""
    address, limits = client_address(request.scope), web.settings.signin_limits
    try:
        user = signin.sign_in(web.db, credentials.name, credentials.password, address, limits)
    except signin.Throttled as exc:
        refused = error_json(429, str(exc), retry_after=exc.retry_after)
        refused.headers["Retry-After"] = str(exc.retry_after)
        return refused
    if user is None:
        return error_json(401, "wrong user name or password")
    end_session(web.db, request.cookies.get(SESSION_COOKIE), web.sessions)
    token, user = start_session(
        web.db, user, web.settings.session_hours, web.sessions, web.settings.session_idle_minutes
    )
    return with_session_cookie(JSONResponse(_session(user)), web, token)


@router.get("/session", tags=["session"])
def who_am_i(user: Me) -> dict[str, Any]:
    """The signed-in user and the session's CSRF token."""
    return _session(user)


@router.delete("/session", tags=["session"])
def sign_out(request: Request, web: WebDep, user: Writer) -> Response:
    end_session(web.db, request.cookies.get(SESSION_COOKIE), web.sessions, user)
    response = JSONResponse({"ok": True})
    response.delete_cookie(SESSION_COOKIE)
    return response


# ---------------------------------------------------------------------------- uploads


@router.get("/template", tags=["uploads"], response_class=FileResponse)
def template(web: WebDep, user: Me) -> FileResponse:
    """The blank inspection workbook (.xlsx)."""
    return FileResponse(
        reports.template_workbook(web.workspace),
        filename="inspection-template.xlsx",
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@router.get("/uploads", tags=["uploads"])
def uploads(web: WebDep, user: Me) -> dict[str, Any]:
    """Recent uploads: your own (inspectors) or everyone's (administrators)."""
    return {"ok": True, "uploads": [upload_json(u) for u in store.list_uploads(web.db, user)]}


@router.post(
    "/uploads",
    tags=["uploads"],
    status_code=201,
    openapi_extra=UPLOAD_BODY,
    max_body_size=UPLOAD_BODY_CAP,
    responses={413: {"description": "Over the upload size limit"}},
)
async def upload(
    request: Request, web: WebDep, user: Uploader, x_csrf_token: CsrfHeader = None, wait: Wait = None
) -> Response:
    """Upload an inspection workbook. It is stored first, then validated and (when valid) audited.

    Inspectors upload for the facilities assigned to them (a workbook naming another is refused,
    status `refused`, filed under no facility); reviewers cannot upload (403).

    The answer comes when checking is done, or after a while with status `received` or `processing`:
    then poll GET /api/uploads/{id}.
    """
    received = await actions.upload(request, web, user, wait=wait)
    return JSONResponse(_upload_answer(web, user, received.upload_id), status_code=201)


def _upload_answer(web: Web, user: User, upload_id: int) -> dict[str, Any]:
    upload = actions.visible_upload(web, user, upload_id)
    report = problems_report(web.workspace, upload_id)
    answer = upload_json(upload)
    # While it is being checked: "reading" (and validating) or "evaluating"; else null.
    pending = upload["status"] == "processing"
    answer["stage"] = stages.current(web.workspace.outputs(upload_id)) if pending else None
    return {"ok": True, "upload": answer, "validation": report}


@router.get("/uploads/{upload_id}", tags=["uploads"])
def upload_status(web: WebDep, user: Me, upload_id: int) -> dict[str, Any]:
    """An upload's status; its problems (the `auditor validate --format json` shape) once validated."""
    return _upload_answer(web, user, upload_id)


@router.get("/uploads/{upload_id}/results", tags=["uploads"])
def upload_results(web: WebDep, user: Me, upload_id: int) -> Response:
    """The audit results (the `auditor audit --format json` contract) of an audited upload."""
    upload = actions.visible_upload(web, user, upload_id)
    path = output_file(web.workspace, upload_id, "results.json")
    if upload["status"] != "audited" or not path.exists():
        raise NotFound("this upload has no results: it was not audited")
    action_log.downloaded(web.db, user.name, "results", upload)
    return FileResponse(path, media_type="application/json")


@router.post("/uploads/{upload_id}/reprocess", tags=["uploads"])
async def upload_reprocess(web: WebDep, user: AdminWriter, upload_id: int) -> dict[str, Any]:
    """Check a stored upload again, with the waivers in force now (administrators)."""
    checked = await actions.reprocess(web, user, upload_id)  # a new version when it was signed off
    return _upload_answer(web, user, checked)


# ---------------------------------------------------------------------------- inspections and facilities


@router.get("/inspections/{inspection}", tags=["inspections"])
def inspection(web: WebDep, user: Me, inspection: int) -> dict[str, Any]:
    """An inspection and all its versions (uploads), newest first."""
    return {"ok": True, "inspection": inspection_json(actions.visible_inspection(web, user, inspection))}


@router.post(
    "/inspections/{inspection}/versions",
    tags=["inspections"],
    status_code=201,
    openapi_extra=UPLOAD_BODY,
    max_body_size=UPLOAD_BODY_CAP,
    responses={413: {"description": "Over the upload size limit"}},
)
async def inspection_version(
    request: Request,
    web: WebDep,
    user: Uploader,
    inspection: int,
    x_csrf_token: CsrfHeader = None,
    wait: Wait = None,
) -> Response:
    """Upload a corrected version of this inspection."""
    received = await actions.upload(request, web, user, inspection=inspection, wait=wait)
    return JSONResponse(_upload_answer(web, user, received.upload_id), status_code=201)


@router.get("/facilities", tags=["facilities"])
def facilities(web: WebDep, user: Me) -> dict[str, Any]:
    """The facilities you may see, each with its latest audited inspection's figures."""
    return {"ok": True, "facilities": [facility_json(f) for f in store.list_facilities(web.db, user)]}


@router.get("/facilities/{facility_id}", tags=["facilities"])
def facility(web: WebDep, user: Me, facility_id: str) -> dict[str, Any]:
    """A facility's inspections over time and the requirements deficient more than once."""
    return {"ok": True, "facility": facility_json(actions.visible_facility(web, user, facility_id))}


@router.get("/registry", tags=["facilities"])
def registry_list(
    web: WebDep,
    user: Me,
    aor: Annotated[str | None, Query(max_length=10, description="Only this area of responsibility")] = None,
) -> dict[str, Any]:
    """ICE's facility roster as imported (every signed-in user may read it), by name."""
    return {"ok": True, "facilities": [registry_json(r) for r in list_registry(web.db, aor)]}


@router.post(
    "/registry",
    tags=["facilities"],
    status_code=201,
    openapi_extra=UPLOAD_BODY,
    max_body_size=UPLOAD_BODY_CAP,
    responses={
        413: {"description": "Over the upload size limit"},
        422: {"description": "Not an ICE Detention Statistics workbook"},
    },
)
async def registry_import(
    request: Request, web: WebDep, user: Admin, x_csrf_token: CsrfHeader = None
) -> Response:
    """Import ICE's roster (a Detention Statistics workbook) into the facility registry; the file is
    stored before it is read. Answers with the counts: added, updated, unchanged, older."""
    try:
        counts = await import_upload(request, web, user)
    except RosterRefused as exc:
        return error_json(422, str(exc))
    return JSONResponse({"ok": True, "import": counts}, status_code=201)


@router.get("/registry/{facility_id}", tags=["facilities"])
def registry_entry(web: WebDep, user: Me, facility_id: str) -> dict[str, Any]:
    """One roster facility: ICE's record, the file it came from, and the Facility-sheet pre-fill."""
    return {"ok": True, "facility": registry_json(roster_facility(web, facility_id))}


# ---------------------------------------------------------------------------- waivers and the audit log


@router.get("/waivers", tags=["waivers"])
def waivers(web: WebDep, user: Admin) -> dict[str, Any]:
    return {"ok": True, "waivers": list_waivers(web.db)}


@router.post("/waivers", tags=["waivers"], status_code=201)
def waiver_create(waiver: NewWaiver, web: WebDep, user: AdminWriter) -> dict[str, Any]:
    """Create a waiver; audits run from now on apply it (one facility, or '*' given for every one)."""
    try:
        waiver_id = create_waiver(
            web.db, user, **{**waiver.model_dump(), "expires": waiver.expires.isoformat()}
        )
    except WaiverInputError as exc:
        raise BadRequest(str(exc)) from None
    return {"ok": True, "waiver": next(w for w in list_waivers(web.db) if w["id"] == waiver_id)}


@router.post("/waivers/{waiver_id}/revoke", tags=["waivers"])
def waiver_revoke(web: WebDep, user: AdminWriter, waiver_id: int) -> dict[str, Any]:
    if not revoke_waiver(web.db, user, waiver_id):
        raise NotFound(f"there is no active waiver {waiver_id}")
    return {"ok": True, "waiver": next(w for w in list_waivers(web.db) if w["id"] == waiver_id)}


@router.get("/audit-log", tags=["waivers"])
def audit_log(
    web: WebDep,
    user: Admin,
    facility: Annotated[str, Query(max_length=128, description="Only this facility and waivers for *")] = "",
    who: Annotated[str, Query(max_length=64, description="Only this account's entries")] = "",
    since: Annotated[str, Query(max_length=10, description="From this UTC day, YYYY-MM-DD")] = "",
    until: Annotated[str, Query(max_length=10, description="To this UTC day, included")] = "",
    limit: Annotated[int, Query(ge=1, le=10_000)] = 500,
) -> dict[str, Any]:
    """The action log, newest first: who did what, when, to which facility and inspection, from
    which address; `what` is the action in words. A filter that cannot be used is a 400."""
    wanted = action_log.filters(facility, who, since, until, limit)
    return {"ok": True, "entries": action_log.entries(web.db, wanted)}
