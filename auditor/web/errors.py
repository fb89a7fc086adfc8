"""The web app's errors and the one place they become responses.

    WebError              base: status and a message a person can read
    ├── NotSignedIn       401: no valid session (pages redirect to the sign-in page)
    ├── Forbidden         403: signed in, but the role does not allow it
    ├── CsrfFailed        403: a form or API call without the session's CSRF token
    ├── NotFound          404: nothing there, or nothing this user may see
    ├── BadRequest        400: the request cannot be acted on as sent
    └── PayloadTooLarge   413: an upload over the size limit

API routes (and /openapi.json) answer with one JSON shape: {"ok": false, "error": ..., "status": ...};
pages answer with an HTML page, or a redirect to the sign-in page.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException


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


def wants_json(request: Request) -> bool:
    path = request.url.path
    return path.startswith("/api/") or path == "/api" or path == "/openapi.json"


def error_json(status: int, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"ok": False, "error": message, "status": status, **extra}, status_code=status)


def _respond(request: Request, status: int, message: str, **extra: Any) -> Response:
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
        return _respond(request, exc.status, exc.message)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        messages = {404: "not found", 405: "method not allowed"}
        return _respond(request, exc.status_code, messages.get(exc.status_code, str(exc.detail)))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        errors = [
            {"field": ".".join(str(p) for p in e.get("loc", ()) if p != "body"), "message": e.get("msg", "")}
            for e in exc.errors()
        ]
        text = "; ".join(f"{e['field']}: {e['message']}" for e in errors) or "the request is not valid"
        if wants_json(request):
            return error_json(422, text, errors=errors)
        return _respond(request, 422, text)
