"""Who is asking, and may they: FastAPI dependencies every route declares.

`signed_in`, `uploader` (inspectors and administrators: a reviewer only reads) and
`administrator` are the role checks; which facilities a user may read or upload for is
auditor.service.assignments' (an inspector's upload for another facility is refused there).
`form_csrf` (pages) and `api_csrf` (the API, token in the X-CSRF-Token header) guard every
state-changing request with the session's token.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request, Response
from starlette.datastructures import FormData

from auditor.service.accounts import User
from auditor.web.auth import same_token, session_user
from auditor.web.errors import CsrfFailed, Forbidden, NotSignedIn
from auditor.web.services import Web

SESSION_COOKIE = "auditor_session"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"


def with_session_cookie(response: Response, web: Web, token: str) -> Response:
    """Set the session cookie (HttpOnly, SameSite, Secure when configured) on `response`."""
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(web.settings.session_hours * 3600),
        httponly=True,
        samesite="lax",
        secure=web.settings.secure_cookies,
    )
    return response


def get_web(request: Request) -> Web:
    return request.app.state.web


def current_user(request: Request) -> User | None:
    if not hasattr(request.state, "user"):
        web = get_web(request)
        idle = web.settings.session_idle_minutes
        request.state.user = session_user(web.db, request.cookies.get(SESSION_COOKIE), web.sessions, idle)
    return request.state.user


def signed_in(request: Request) -> User:
    """Any signed-in user: an inspector, a reviewer or an administrator."""
    user = current_user(request)
    if user is None:
        raise NotSignedIn()
    return user


def uploader(request: Request) -> User:
    """An inspector or an administrator: a reviewer reads and never uploads."""
    user = signed_in(request)
    if not user.can_upload:
        raise Forbidden(f"a {user.role} reads inspections and cannot upload them")
    return user


def administrator(request: Request) -> User:
    user = signed_in(request)
    if not user.is_admin:
        raise Forbidden("only administrators can do this")
    return user


async def form_csrf(request: Request, user: Annotated[User, Depends(signed_in)]) -> FormData:
    """The submitted form, once its CSRF token matches the session's."""
    form = await request.form(max_files=0, max_fields=50)
    token = form.get(CSRF_FIELD)
    if not same_token(token if isinstance(token, str) else None, user.csrf_token):
        raise CsrfFailed()
    return form


async def admin_form_csrf(request: Request, user: Annotated[User, Depends(administrator)]) -> FormData:
    return await form_csrf(request, user)


CsrfHeader = Annotated[
    str | None,
    Header(alias=CSRF_HEADER, description="The session's CSRF token, from GET /api/session (csrf_token)."),
]


def api_csrf(
    request: Request, user: Annotated[User, Depends(signed_in)], x_csrf_token: CsrfHeader = None
) -> User:
    if not same_token(x_csrf_token, user.csrf_token):
        raise CsrfFailed("missing or wrong X-CSRF-Token header (GET /api/session gives the token)")
    return user


def api_admin_csrf(
    request: Request, user: Annotated[User, Depends(administrator)], x_csrf_token: CsrfHeader = None
) -> User:
    return api_csrf(request, user, x_csrf_token)


def text(form: FormData, name: str, limit: int = 4000) -> str:
    value = form.get(name)
    return value[:limit] if isinstance(value, str) else ""
