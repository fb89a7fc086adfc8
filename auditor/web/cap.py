"""Corrective actions in the web app: the items a user may see, and a returned plan taken back.

Administrators and the facility's inspectors send the plan back (the page's form, or the API);
reviewers and others read. The use cases are the workspace's (auditor.service.cap): this module
receives the file, stores it (fsynced, by SHA-256) and shows what the service found, by cell.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from auditor.service import cap
from auditor.service.accounts import User
from auditor.service.files import download_name
from auditor.web.actions import facility_in_url, visible_upload
from auditor.web.errors import Forbidden, NotFound
from auditor.web.guards import get_web, signed_in
from auditor.web.services import Web
from auditor.web.templating import render
from auditor.web.uploads import receive_file

router = APIRouter()
PLAN_FILE = "the corrective-action plan (.xlsx from the plan download), filled in"
BODY_CAP = 1 << 40  # receive_file enforces the configured upload limit while streaming
SHOWN = 500  # problems listed on the page
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

WebDep = Annotated[Web, Depends(get_web)]
Me = Annotated[User, Depends(signed_in)]


def _items(web: Web, user: User, facility_id: str | None) -> list[dict[str, Any]]:
    return cap.list_items(
        web.db, user=user, facility_id=facility_in_url(facility_id) if facility_id else None
    )


async def _take(request: Request, web: Web, user: User) -> cap.PlanImport:
    stored = await receive_file(
        request, cap.plan_files(web.workspace), user, limit=web.settings.max_upload_bytes, what=PLAN_FILE
    )
    try:
        return await run_in_threadpool(cap.import_stored, web.workspace, user, stored)
    except cap.NotYours as exc:
        raise Forbidden(str(exc)) from None


def _problems(done: cap.PlanImport) -> list[dict[str, Any]]:
    return [
        {**p, "ref": f"{p['sheet']}!{p['cell']}" if p["cell"] else p["sheet"]}
        for p in done.problems.records()
    ]


@router.get("/corrective-actions", include_in_schema=False)
def page(
    request: Request, web: WebDep, user: Me, facility_id: str = "", recorded: int | None = None
) -> Response:
    return _page(request, web, user, facility_id[:200] or None, recorded=recorded)


def _page(
    request: Request,
    web: Web,
    user: User,
    facility_id: str | None = None,
    done: cap.PlanImport | None = None,
    status: int = 200,
    refused: str | None = None,
    recorded: int | None = None,
) -> Response:
    items = _items(web, user, facility_id)
    return render(
        request,
        "cap.html",
        status_code=status,
        items=items,
        overdue=sum(i["overdue"] for i in items),
        facility_id=facility_id,
        done=done,
        problems=_problems(done)[:SHOWN] if done else [],
        annotated=done.annotated.name.removesuffix("-annotated.xlsx") if done and done.annotated else None,
        refused=refused,
        recorded=recorded,
        may_answer=user.is_admin or user.role == "inspector",
        limit=web.settings.max_upload_bytes,
    )


@router.post("/corrective-actions/plan", include_in_schema=False)
async def plan_back(request: Request, web: WebDep, user: Me) -> Response:
    try:
        done = await _take(request, web, user)
    except cap.PlanRefused as exc:  # no plan at all (not a workbook, not ours): one line, nothing recorded
        return _page(request, web, user, refused=str(exc), status=422)
    if not done.accepted:
        return _page(request, web, user, done=done, status=422)
    return RedirectResponse(f"/corrective-actions?recorded={done.recorded}", status_code=303)


@router.get("/uploads/{upload_id}/plan.xlsx", include_in_schema=False)
def plan_download(web: WebDep, user: Me, upload_id: int) -> Response:
    """The corrective-action plan of an audited upload, to fill in and send back."""
    upload = visible_upload(web, user, upload_id)
    if upload["status"] != "audited":
        raise NotFound("this upload has no corrective-action plan: it was not audited")
    path = cap.plan_workbook(web.workspace, upload_id)
    return FileResponse(path, media_type=XLSX, filename=download_name(upload["original_name"], "-plan.xlsx"))


@router.get("/corrective-actions/annotated/{sha256}.xlsx", include_in_schema=False)
def annotated_download(web: WebDep, user: Me, sha256: str) -> Response:
    """The returned plan with every bad cell marked, for those who may answer for its facility."""
    path = cap.annotated_copy(web.workspace, user, sha256)
    if path is None:
        raise NotFound("there is no annotated plan of that name you can see")
    return FileResponse(path, media_type=XLSX, filename="plan-annotated.xlsx")


@router.get("/api/corrective-actions", tags=["corrective actions"])
def api_items(web: WebDep, user: Me, facility_id: str = "") -> dict[str, Any]:
    """Corrective-action items the user may see (of one facility with `facility_id`): status, target
    date (the facility's, else the plan's due date), `overdue`, and `closed_by` (the inspection that
    verified the correction)."""
    return {"items": _items(web, user, facility_id[:200] or None)}


@router.post("/api/corrective-actions/plans", tags=["corrective actions"], responses={422: {}, 403: {}})
async def api_plan(request: Request, web: WebDep, user: Me) -> Response:
    """Send a returned plan (multipart field `file`): every bad cell is a problem with its Sheet!A1;
    with none, each response is recorded. 422 when the plan has an error (nothing recorded)."""
    done = await _take(request, web, user)
    body = {
        "ok": done.accepted,
        "facility_id": done.facility_id,
        "inspection_id": done.inspection_id,
        "recorded": done.recorded,
        "problems": done.problems.records(),
    }
    if not done.accepted:
        body.update(error=f"{done.problems.errors} error(s) in the plan: nothing was recorded", status=422)
    return JSONResponse(body, status_code=200 if done.accepted else 422)
