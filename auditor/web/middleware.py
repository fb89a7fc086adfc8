"""Pure ASGI middleware: security headers on every response (pages may set a stricter or looser CSP),
and the size and pace of request bodies (BodyGuard)."""

from __future__ import annotations

import asyncio

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.routing import Router
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from auditor.service.files import describe_size
from auditor.web.errors import respond

PAGE_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
# Generated report previews and the API docs carry inline styles (never inline scripts here).
RELAXED_CSP = PAGE_CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                defaults = {
                    b"content-security-policy": PAGE_CSP.encode(),
                    b"x-content-type-options": b"nosniff",
                    b"x-frame-options": b"DENY",
                    b"referrer-policy": b"same-origin",
                    b"cache-control": b"no-store",
                }
                if scope["path"].startswith("/static/"):
                    defaults[b"cache-control"] = b"public, max-age=3600"
                headers += [(k, v) for k, v in defaults.items() if k not in present]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyGuard:
    """The size and the pace of every request body, checked as it arrives (never buffered first).

    Size: at most the matched route's `max_body_size` (FastAPI's per-route setting; uploads stream
    under their own limit) or `default_limit`. A declared Content-Length over it is answered 413
    before a byte is read; a body that passes it while arriving fails with 413. This
    replaces FastAPI's app-wide limit, whose 413 is plain text and would break the API's one error
    shape.

    Pace (slowloris): no wait for the next part of the body over `idle_seconds`, and once that much
    time has been spent waiting, at least `min_rate` bytes a second on average. A slower body fails
    with 408, and the answer closes the connection. Only time spent waiting for the
    client counts, never the app's own. Both are raised as HTTPException from `receive`, which
    FastAPI's body parsing passes on (it turns any other exception into a 400).
    """

    def __init__(
        self, app: ASGIApp, routes: Router, default_limit: int, idle_seconds: float, min_rate: int
    ) -> None:
        self.app = app
        self.routes = routes
        self.default_limit = default_limit
        self.idle_seconds = idle_seconds
        self.min_rate = min_rate

    def limit(self, scope: Scope) -> int:
        return _route_limit(self.routes.routes, scope) or self.default_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit(scope)
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            response = respond(Request(scope), 413, _too_large(limit))
            response.headers["connection"] = "close"  # the body is not read
            await response(scope, receive, send)
            return
        loop = asyncio.get_running_loop()
        waited, received, done, timed_out = 0.0, 0, False, False

        async def guarded_receive() -> Message:
            nonlocal waited, received, done, timed_out
            if done:  # the body is whole: later receives wait for a disconnect, for as long as it takes
                return await receive()
            if timed_out:
                raise HTTPException(408, _too_slow(self.idle_seconds, self.min_rate))
            start = loop.time()
            try:
                message = await asyncio.wait_for(receive(), self.idle_seconds)
            except TimeoutError:
                timed_out = True
                raise HTTPException(408, _too_slow(self.idle_seconds, self.min_rate)) from None
            waited += loop.time() - start
            if message["type"] != "http.request":
                done = True
                return message
            received += len(message.get("body", b""))
            if received > limit:
                raise HTTPException(413, _too_large(limit))
            if not message.get("more_body", False):
                done = True
            elif waited > self.idle_seconds and received < self.min_rate * waited:
                timed_out = True
                raise HTTPException(408, _too_slow(self.idle_seconds, self.min_rate))
            return message

        async def send_closing(message: Message) -> None:
            if timed_out and message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), (b"connection", b"close")]
            await send(message)

        await self.app(scope, guarded_receive, send_closing)


def _too_large(limit: int) -> str:
    return f"the request is larger than the limit of {describe_size(limit)} for this address"


def _too_slow(idle_seconds: float, min_rate: int) -> str:
    return (
        f"the request body came too slowly (a pause over {idle_seconds:g} s, or under {min_rate} bytes "
        "a second on average); send it again on a faster connection"
    )


def _route_limit(routes: list, scope: Scope) -> int | None:
    """The `max_body_size` of the route that serves this request, looking inside FastAPI's included
    routers (whose own object carries no limit: its routes do); None when no route sets one."""
    for route in routes:
        if hasattr(route, "effective_candidates"):  # an APIRouter included in the app
            found = _route_limit(route.effective_candidates(), scope)
            if found is not None:
                return found
            continue
        regex = getattr(route, "path_regex", None)
        methods = getattr(route, "methods", None)
        if regex is not None and regex.match(scope["path"]) and (not methods or scope["method"] in methods):
            return getattr(route, "max_body_size", None)
    return None
