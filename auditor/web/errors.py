"""The web app's errors and the one place they become responses.

    WebError              base: status and a message a person can read
    ├── NotSignedIn       401: no valid session (pages redirect to the sign-in page)
    ├── Forbidden         403: signed in, but the role does not allow it
    ├── CsrfFailed        403: a form or API call without the session's CSRF token
    ├── NotFound          404: nothing there, or nothing this user may see
    ├── BadRequest        400: the request cannot be acted on as sent
    ├── PayloadTooLarge   413: an upload over the size limit
    └── InsufficientStorage 507: the server's disk (or its database) is full

Errors raised by the core become answers too, never a plain 500: an `AuditorError` is a 4xx with
its message (STATUS_OF), and a full disk (ENOSPC, SQLite's "database or disk is full") is a 507.
API routes (and /openapi.json) answer with one JSON shape: {"ok": false, "error": ..., "status": ...};
pages answer with an HTML page, or a redirect to the sign-in page.
"""

from __future__ import annotations

import logging
import sqlite3
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from auditor.errors import AuditorError, ConfigError, RegistryError
from auditor.service.files import is_disk_full

log = logging.getLogger(__name__)
DISK_FULL_MESSAGE = (
    "the server's disk is full, so nothing could be saved; reading and signing in still work. "
    "Ask an administrator to free space, then try again"
)


class WebError(Exception):
    status = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotSignedIn(WebError):
    status = 401

    def __init__(self, message: str = "sign in first") -> None:
        super().__init__(message)


class Forbidden(WebError):
    status = 403

    def __init__(self, message: str = "your role does not allow this") -> None:
        super().__init__(message)


class CsrfFailed(Forbidden):
    def __init__(
        self, message: str = "the form has expired or did not come from this site; reload the page"
    ) -> None:
        super().__init__(message)


class NotFound(WebError):
    status = 404

    def __init__(self, message: str = "not found") -> None:
        super().__init__(message)


class BadRequest(WebError):
    status = 400


class PayloadTooLarge(WebError):
    status = 413


class InsufficientStorage(WebError):
    status = 507

    def __init__(self, message: str = DISK_FULL_MESSAGE) -> None:
        super().__init__(message)


# An AuditorError's status by its class (the first match in the class's ancestry); the rest are 422:
# the request was understood but what it carries cannot be used.
STATUS_OF: dict[type[AuditorError], int] = {RegistryError: 404, ConfigError: 400}


def auditor_status(exc: AuditorError) -> int:
    for cls in type(exc).__mro__:
        if cls in STATUS_OF:
            return STATUS_OF[cls]
    return 422


def wants_json(request: Request) -> bool:
    path = request.url.path
    return path.startswith("/api/") or path == "/api" or path == "/openapi.json"


def error_json(status: int, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"ok": False, "error": message, "status": status, **extra}, status_code=status)


def respond(request: Request, status: int, message: str, **extra: Any) -> Response:
    if wants_json(request):
        return error_json(status, message, **extra)
    if status == 401:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        next_part = f"?next={quote(target, safe='')}" if request.method == "GET" and target != "/" else ""
        return RedirectResponse(f"/login{next_part}", status_code=303)
    from auditor.web.templating import render_error

    return render_error(request, status, message)


def install(app: FastAPI) -> None:
    @app.exception_handler(WebError)
    async def web_error(request: Request, exc: WebError) -> Response:
        return respond(request, exc.status, exc.message)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        messages = {404: "not found", 405: "method not allowed"}
        return respond(request, exc.status_code, messages.get(exc.status_code, str(exc.detail)))

    @app.exception_handler(AuditorError)
    async def auditor_error(request: Request, exc: AuditorError) -> Response:
        return respond(request, auditor_status(exc), str(exc) or type(exc).__name__)

    async def storage_error(request: Request, exc: Exception) -> Response:
        # Only a full disk is the request's answer; any other failure is logged and stays a 500,
        # but as a page (or the API's JSON shape), never a traceback.
        if is_disk_full(exc):
            log.warning("disk full while answering %s %s: %s", request.method, request.url.path, exc)
            return respond(request, 507, DISK_FULL_MESSAGE)
        log.error("error answering %s %s", request.method, request.url.path, exc_info=exc)
        return respond(request, 500, "something went wrong on the server; it was logged")

    app.add_exception_handler(OSError, storage_error)
    app.add_exception_handler(sqlite3.Error, storage_error)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        errors = [
            {"field": ".".join(str(p) for p in e.get("loc", ()) if p != "body"), "message": e.get("msg", "")}
            for e in exc.errors()
        ]
        text = "; ".join(f"{e['field']}: {e['message']}" for e in errors) or "the request is not valid"
        if wants_json(request):
            return error_json(422, text, errors=errors)
        return respond(request, 422, text)
