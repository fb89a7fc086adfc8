"""The HTML pages: server-rendered, working without JavaScript. Every route declares its role."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from auditor.errors import ConfigError
from auditor.registry import list_imports, list_registry, prefill, registry_aors, registry_facility
from auditor.service import action_log, assignments, reports, stages, store, trends
from auditor.service.accounts import MAX_PASSWORD, MIN_PASSWORD, AccountError, User, set_password
from auditor.service.files import download_name
from auditor.service.processing import annotated_workbook
from auditor.service.roster import RosterRefused
from auditor.service.signin import Throttled, sign_in
from auditor.service.signoff import signoffs
from auditor.service.waivers import (
    WaiverInputError,
    active_waiver,
    changed_since,
    create_waiver,
    known_requirements,
    list_waivers,
    revoke_waiver,
)
from auditor.web import actions, registry, views
from auditor.web.address import client_address
from auditor.web.auth import end_session, same_token, start_session, token_hash
from auditor.web.errors import NotFound
from auditor.web.guards import (
    SESSION_COOKIE,
    admin_form_csrf,
    administrator,
    current_user,
    form_csrf,
    get_web,
    signed_in,
    text,
    uploader,
    with_session_cookie,
)
from auditor.web.middleware import RELAXED_CSP
from auditor.web.services import Web
from auditor.web.templating import render
from auditor.web.views import output_file, upload_page
from auditor.web.zones import facility_zone

router = APIRouter(include_in_schema=False)
LOGIN_COOKIE = "auditor_login"
UPLOAD_BODY_CAP = 1 << 40  # the upload handler enforces the configured limit while streaming

WebDep = Annotated[Web, Depends(get_web)]
Me = Annotated[User, Depends(signed_in)]
Admin = Annotated[User, Depends(administrator)]
Uploader = Annotated[User, Depends(uploader)]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _safe_next(target: str | None) -> str:
    """Only a path on this site (never //host or a scheme) is followed after signing in."""
    if target and re.fullmatch(r"/(?!/)[A-Za-z0-9/_.~%?=&+-]*", target):
        return target
    return "/"


# ---------------------------------------------------------------------------- signing in and out


@router.get("/login")
def login_page(request: Request, web: WebDep, next: str = "/") -> Response:
    if current_user(request) is not None:
        return _see_other(_safe_next(next))
    return _login_form(request, web, next)


def _login_form(
    request: Request, web: Web, next: str, error: str | None = None, status: int = 200
) -> Response:
    token = secrets.token_urlsafe(32)
    response = render(
        request, "login.html", status_code=status, login_token=token, next=_safe_next(next), error=error
    )
    response.set_cookie(
        LOGIN_COOKIE,
        token,
        max_age=3600,
        httponly=True,
        samesite="strict",
        secure=web.settings.secure_cookies,
        path="/login",
    )
    return response


@router.post("/login")
async def login(request: Request, web: WebDep) -> Response:
    form = await request.form(max_files=0, max_fields=10)
    next_url = text(form, "next", 2000)
    if not same_token(text(form, "csrf_token"), request.cookies.get(LOGIN_COOKIE)):
        return _login_form(request, web, next_url, "The sign-in form had expired. Please try again.", 403)
    name, password = text(form, "name", 64), text(form, "password", 1024)
    try:
        user = sign_in(web.db, name, password, client_address(request.scope), web.settings.signin_limits)
    except Throttled as exc:
        refused = _login_form(request, web, next_url, f"{str(exc).capitalize()}.", 429)
        refused.headers["Retry-After"] = str(exc.retry_after)
        return refused
    if user is None:
        return _login_form(request, web, next_url, "Wrong user name or password.", 401)
    end_session(web.db, request.cookies.get(SESSION_COOKIE), web.sessions)  # none kept across sign-ins
    token, _ = start_session(
        web.db, user, web.settings.session_hours, web.sessions, web.settings.session_idle_minutes
    )
    response = with_session_cookie(_see_other(_safe_next(next_url)), web, token)
    response.delete_cookie(LOGIN_COOKIE, path="/login")
    return response


@router.post("/logout")
def logout(
    request: Request, web: WebDep, user: Me, form: Annotated[FormData, Depends(form_csrf)]
) -> Response:
    end_session(web.db, request.cookies.get(SESSION_COOKIE), web.sessions, user)
    response = _see_other("/login?done=signed-out")
    response.delete_cookie(SESSION_COOKIE)
    return response


# ---------------------------------------------------------------------------- home and uploads


@router.get("/")
def home(request: Request, web: WebDep, user: Me) -> Response:
    return render(
        request,
        "home.html",
        uploads=store.list_uploads(web.db, user, limit=10),
        facilities=store.list_facilities(web.db, user),
        limit=web.settings.max_upload_bytes,
    )


@router.get("/template.xlsx")
def template(web: WebDep, user: Me) -> Response:
    return FileResponse(
        reports.template_workbook(web.workspace), media_type=XLSX, filename="inspection-template.xlsx"
    )


@router.get("/uploads")
def uploads(request: Request, web: WebDep, user: Me) -> Response:
    return render(
        request, "uploads.html", uploads=store.list_uploads(web.db, user), limit=web.settings.max_upload_bytes
    )


@router.post("/uploads", max_body_size=UPLOAD_BODY_CAP)
async def upload(request: Request, web: WebDep, user: Uploader) -> Response:
    received = await actions.upload(request, web, user)
    return _see_other(f"/uploads/{received.upload_id}")


@router.get("/uploads/{upload_id}")
def upload_detail(request: Request, web: WebDep, user: Me, upload_id: int) -> Response:
    upload = actions.visible_upload(web, user, upload_id)
    ref = upload["inspection"] or upload["requested_inspection"]
    inspection = store.get_inspection(web.db, ref) if ref else None
    return render(
        request,
        "upload.html",
        inspection=inspection,
        limit=web.settings.max_upload_bytes,
        waiver_changes=_waiver_changes(web, upload),
        stage=stages.current(web.workspace.outputs(upload_id)) if upload["status"] == "processing" else None,
        **_zone(web, upload["facility_id"]),
        **upload_page(web.workspace, upload),
    )


def _zone(web: Web, facility_id: str | None) -> dict[str, str | None]:
    """A facility's page shows its times in the facility's zone (base.html says which, or why UTC)."""
    return {"time_zone": facility_zone(web.workspace, facility_id)} if facility_id else {}


def _waiver_changes(web: Web, upload: dict) -> list[dict]:
    """Waiver changes its results did not see (they are stale until checked again); none when unaudited."""
    if upload["status"] != "audited" or not upload["facility_id"] or not upload["processed_at"]:
        return []
    return changed_since(web.db, upload["facility_id"], upload["processed_at"])


@router.get("/uploads/{upload_id}/original")
def upload_original(request: Request, web: WebDep, user: Me, upload_id: int) -> Response:
    upload = actions.visible_upload(web, user, upload_id)
    suffix = f".{upload['kind']}" if upload["kind"] else ".bin"
    action_log.downloaded(web.db, user.name, "original", upload)
    return FileResponse(
        web.blobs.path(upload["sha256"]),
        media_type="application/octet-stream",
        filename=download_name(upload["original_name"], suffix),
    )


@router.get("/uploads/{upload_id}/annotated.xlsx")
def upload_annotated(request: Request, web: WebDep, user: Me, upload_id: int) -> Response:
    upload = actions.visible_upload(web, user, upload_id)
    path = annotated_workbook(web.workspace, upload_id)
    if path is None:
        raise NotFound("this upload has no annotated workbook (it had no problems, or could not be read)")
    action_log.downloaded(web.db, user.name, "annotated", upload)
    return FileResponse(
        path, media_type=XLSX, filename=download_name(upload["original_name"], "-annotated.xlsx")
    )


@router.get("/uploads/{upload_id}/results.json")
def upload_results(request: Request, web: WebDep, user: Me, upload_id: int) -> Response:
    upload = actions.visible_upload(web, user, upload_id)
    path = output_file(web.workspace, upload_id, "results.json")
    if upload["status"] != "audited" or not path.exists():
        raise NotFound("this upload has no results: it was not audited")
    action_log.downloaded(web.db, user.name, "results", upload)
    return FileResponse(
        path, media_type="application/json", filename=download_name(upload["original_name"], "-results.json")
    )


@router.get("/uploads/{upload_id}/report.pdf")
def upload_report(request: Request, web: WebDep, user: Me, upload_id: int) -> Response:
    upload = actions.visible_upload(web, user, upload_id)
    if upload["status"] != "audited":
        raise NotFound("this upload has no report: it was not audited")
    action_log.downloaded(web.db, user.name, "report", upload)
    return FileResponse(
        reports.facility_report(web.workspace, upload_id),
        media_type="application/pdf",
        filename=download_name(upload["original_name"], "-report.pdf"),
    )


@router.get("/uploads/{upload_id}/report.html")
def upload_report_html(request: Request, web: WebDep, user: Me, upload_id: int) -> Response:
    upload = actions.visible_upload(web, user, upload_id)
    if upload["status"] != "audited":
        raise NotFound("this upload has no report: it was not audited")
    action_log.downloaded(web.db, user.name, "preview", upload)
    return HTMLResponse(
        reports.facility_preview(web.workspace, upload_id),
        headers={"Content-Security-Policy": RELAXED_CSP.replace("script-src 'self'", "script-src 'none'")},
    )


@router.post("/uploads/{upload_id}/reprocess")
async def upload_reprocess(
    request: Request,
    web: WebDep,
    user: Admin,
    upload_id: int,
    form: Annotated[FormData, Depends(admin_form_csrf)],
) -> Response:
    checked = await actions.reprocess(web, user, upload_id)
    return _see_other(f"/uploads/{checked}?done=reprocessed")


# ---------------------------------------------------------------------------- inspections and facilities


@router.get("/inspections/{inspection}")
def inspection_detail(request: Request, web: WebDep, user: Me, inspection: int) -> Response:
    found = actions.visible_inspection(web, user, inspection)
    head = views.headline_of(web.workspace, found.get("audited"))
    return render(
        request,
        "inspection.html",
        inspection=found,
        headline=head,
        limit=web.settings.max_upload_bytes,
        **_zone(web, found["facility_id"]),
        signoffs=signoffs(web.workspace, inspection),
    )


@router.post("/inspections/{inspection}/versions", max_body_size=UPLOAD_BODY_CAP)
async def inspection_version(request: Request, web: WebDep, user: Uploader, inspection: int) -> Response:
    received = await actions.upload(request, web, user, inspection=inspection)
    return _see_other(f"/uploads/{received.upload_id}")


@router.get("/facilities")
def facilities(request: Request, web: WebDep, user: Me, aor: str = "") -> Response:
    return _facilities_page(request, web, user, aor[:10])


def _facilities_page(
    request: Request, web: Web, user: User, aor: str = "", error: str | None = None, status: int = 200
) -> Response:
    """The facilities known from uploads and ICE's roster (every signed-in user may read the roster)."""
    return render(
        request,
        "facilities.html",
        status_code=status,
        facilities=store.list_facilities(web.db, user),
        roster=list_registry(web.db, aor or None),
        aors=registry_aors(web.db),
        aor=aor,
        imports=list_imports(web.db, limit=5) if user.is_admin else [],
        limit=web.settings.max_upload_bytes,
        error=error,
        today=dt.date.today().isoformat(),  # the portfolio's default as-of date
    )


@router.post("/facilities/roster", max_body_size=UPLOAD_BODY_CAP)
async def roster_import(request: Request, web: WebDep, user: Admin) -> Response:
    try:
        await registry.import_upload(request, web, user)
    except RosterRefused as exc:
        return _facilities_page(request, web, user, error=f"The roster was not imported: {exc}", status=422)
    return _see_other("/facilities?done=roster-imported")


@router.get("/facilities/{facility_id}")
def facility_detail(request: Request, web: WebDep, user: Me, facility_id: str) -> Response:
    """ICE's roster facts (anyone) and the inspections uploaded here (those who may see them)."""
    roster = registry_facility(web.db, actions.facility_in_url(facility_id))
    detail = actions.visible_facility(web, user, facility_id) if roster is None else None
    if roster is not None and store.can_see_facility(web.db, user, facility_id):
        detail = store.facility_detail(web.db, facility_id)  # None when nothing was uploaded here yet
    values = prefill(roster) if roster else {}
    return render(
        request,
        "facility.html",
        facility=detail,
        headline=views.headline_of(web.workspace, detail.get("latest")) if detail else None,
        trend=trends.facility_chart(web.workspace, detail["facility_id"]) if detail else None,
        ages=trends.ages_chart(web.workspace, detail["facility_id"]) if detail else None,
        roster=roster,
        filled=[field for field, value in values.items() if value],
        left=[field for field, value in values.items() if not value],
        facility_id=facility_id,
        **_zone(web, facility_id if detail else None),
    )


@router.get("/facilities/{facility_id}/prefilled.xlsx")
def facility_prefilled(web: WebDep, user: Me, facility_id: str) -> Response:
    """A new inspection's workbook, its Facility sheet pre-filled from ICE's roster."""
    content = registry.prefilled_bytes(web, facility_id)
    name = download_name(facility_id, "-inspection.xlsx", fallback="facility")
    return Response(
        content, media_type=XLSX, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


@router.get("/portfolio.pdf")
def portfolio(web: WebDep, user: Admin, as_of: str = "") -> Response:
    """The portfolio; `as_of` (YYYY-MM-DD, default today) is the day overdue inspections are judged at."""
    path = reports.portfolio_report(web.workspace, as_of=as_of[:40])  # a bad date: 400, with the reason
    if path is None:
        raise NotFound(
            "no inspection has been audited and no ICE roster imported yet: there is no portfolio to report"
        )
    action_log.record(web.db, user.name, "download.portfolio", "portfolio", best_effort=True)
    return FileResponse(path, media_type="application/pdf", filename="portfolio.pdf")


# ---------------------------------------------------------------------------- your account


@router.get("/account")
def account(request: Request, web: WebDep, user: Me, done: str = "") -> Response:
    return _account_page(request, user, done=done[:40])


def _account_page(
    request: Request, user: User, error: str | None = None, status: int = 200, done: str = ""
) -> Response:
    return render(
        request, "account.html", status_code=status, error=error, done=done, min_length=MIN_PASSWORD
    )


@router.post("/account/password")
def account_password(
    request: Request, web: WebDep, user: Me, form: Annotated[FormData, Depends(form_csrf)]
) -> Response:
    """Change one's own password: the current one is checked as a sign-in is (so it is throttled
    and logged alike); every other session of the account ends, this one goes on."""
    new = text(form, "new", MAX_PASSWORD + 1)
    if new != text(form, "repeat", MAX_PASSWORD + 1):
        return _account_page(request, user, "the two new passwords differ.", 422)
    try:
        address, limits = client_address(request.scope), web.settings.signin_limits
        checked = sign_in(web.db, user.name, text(form, "current", 1024), address, limits)
    except Throttled as exc:
        refused = _account_page(request, user, f"{str(exc).capitalize()}.", 429)
        refused.headers["Retry-After"] = str(exc.retry_after)
        return refused
    if checked is None:
        return _account_page(request, user, "the current password is wrong.", 422)
    try:
        this = token_hash(request.cookies.get(SESSION_COOKIE))
        set_password(web.db, user.name, new, by=user.name, keep=this)
    except AccountError as exc:
        return _account_page(request, user, f"{exc}.", 422)
    return _see_other("/account?done=password-changed")


# ---------------------------------------------------------------------------- waivers and activity


@router.get("/waivers")
def waivers(request: Request, web: WebDep, user: Admin, facility_id: str = "") -> Response:
    return _waivers_page(request, web, {"facility_id": facility_id[:200]})


def _waivers_page(
    request: Request, web: Web, values: dict[str, str], error: str | None = None, status: int = 200
) -> Response:
    log = [row for row in store.audit_log(web.db) if row["action"].startswith("waiver.")]
    return render(
        request,
        "waivers.html",
        status_code=status,
        waivers=list_waivers(web.db),
        facilities=store.list_facilities(web.db, request.state.user),  # the facility field's suggestions
        log=log,
        requirements=known_requirements(),
        values=values,
        error=error,
    )


@router.post("/waivers")
def waiver_create(
    request: Request, web: WebDep, user: Admin, form: Annotated[FormData, Depends(admin_form_csrf)]
) -> Response:
    values = {
        name: text(form, name)
        for name in ("requirement_id", "facility_id", "justification", "approved_by", "expires")
    }
    values["every"] = text(form, "every", 3)  # every facility is a choice of its own, never a default
    try:
        create_waiver(web.db, user, **_waiver_fields(values))
    except WaiverInputError as exc:
        return _waivers_page(request, web, values, f"The waiver was not saved: {exc}.", 422)
    return _see_other("/waivers?done=waiver-created")


def _waiver_fields(values: dict[str, str]) -> dict[str, str]:
    fields = {name: value for name, value in values.items() if name != "every"}
    if values["every"] == "yes":
        if values["facility_id"].strip() not in ("", "*"):
            raise WaiverInputError("give one facility's ID or choose every facility, not both")
        fields["facility_id"] = "*"
    return fields  # a "*" typed as the ID is as explicit a choice (the API takes it so)


@router.get("/waivers/{waiver_id}/revoke")
def waiver_revoke_confirm(request: Request, web: WebDep, user: Admin, waiver_id: int) -> Response:
    """Revoking asks first, on a page of its own (no script needed): the waiver, then the button."""
    waiver = active_waiver(web.db, waiver_id)
    if waiver is None:
        raise NotFound(f"there is no active waiver {waiver_id}")
    return render(request, "waiver_revoke.html", waiver=waiver)


@router.post("/waivers/{waiver_id}/revoke")
def waiver_revoke(
    request: Request,
    web: WebDep,
    user: Admin,
    waiver_id: int,
    form: Annotated[FormData, Depends(admin_form_csrf)],
) -> Response:
    if not revoke_waiver(web.db, user, waiver_id):
        raise NotFound(f"there is no active waiver {waiver_id}")
    return _see_other("/waivers?done=waiver-revoked")


@router.get("/activity")
def activity(
    request: Request,
    web: WebDep,
    user: Admin,
    facility: str = "",
    who: str = "",
    since: str = "",
    until: str = "",
) -> Response:
    """The action log, newest first, filtered as `auditor log` filters it."""
    values = {"facility": facility[:200], "who": who[:64], "since": since[:40], "until": until[:40]}
    try:
        wanted = action_log.filters(values["facility"], values["who"], values["since"], values["until"])
    except ConfigError as exc:
        return render(request, "activity.html", status_code=422, log=[], values=values, error=str(exc))
    return render(request, "activity.html", log=action_log.entries(web.db, wanted), values=values, error=None)


# ---------------------------------------------------------------------------- assignments


@router.get("/assignments")
def assignments_page(request: Request, web: WebDep, user: Admin) -> Response:
    return _assignments_page(request, web, {})


def _assignments_page(
    request: Request, web: Web, values: dict[str, str], error: str | None = None, status: int = 200
) -> Response:
    return render(
        request,
        "assignments.html",
        status_code=status,
        accounts=assignments.list_assignments(web.db),
        every=assignments.ALL,
        values=values,
        error=error,
    )


@router.post("/assignments")
def assignments_add(
    request: Request, web: WebDep, user: Admin, form: Annotated[FormData, Depends(admin_form_csrf)]
) -> Response:
    """Assign the facility ids given (spaces, commas or lines between them), or every facility."""
    values = {"user": text(form, "user", 64), "facilities": text(form, "facilities")}
    every = text(form, "every") == "yes"
    ids = [part for part in re.split(r"[\s,;]+", values["facilities"]) if part]
    try:
        assignments.assign(web.db, user, values["user"], ids, every=every)
    except assignments.AssignmentError as exc:
        return _assignments_page(request, web, values, f"Nothing was assigned: {exc}.", 422)
    return _see_other("/assignments?done=assigned")


@router.post("/assignments/remove")
def assignments_remove(
    request: Request, web: WebDep, user: Admin, form: Annotated[FormData, Depends(admin_form_csrf)]
) -> Response:
    facility = text(form, "facility_id", 200)
    every = facility == assignments.ALL
    try:
        removed = assignments.unassign(
            web.db, user, text(form, "user", 64), [] if every else [facility], every
        )
    except assignments.AssignmentError as exc:
        return _assignments_page(request, web, {}, f"Nothing was removed: {exc}.", 422)
    if not removed:
        return _assignments_page(request, web, {}, "Nothing was removed: it was not assigned.", 422)
    return _see_other("/assignments?done=unassigned")
