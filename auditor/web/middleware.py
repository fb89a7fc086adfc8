"""Pure ASGI middleware: security headers on every response (pages may set a stricter or looser CSP),
and a deadline on reading request bodies (BodyDeadline)."""

from __future__ import annotations

import asyncio

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from auditor.web.errors import RequestTimeout

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


class BodyDeadline:
    """A request body must keep coming: no wait for its next part over `idle_seconds`, and once that
    much time has been spent waiting, at least `min_rate` bytes a second on average. A body sent
    slower (a slowloris that trickles its upload) fails its request with 408 RequestTimeout, and the
    answer closes the connection. Only time spent waiting for the client counts, never the app's."""

    def __init__(self, app: ASGIApp, idle_seconds: float, min_rate: int) -> None:
        self.app = app
        self.idle_seconds = idle_seconds
        self.min_rate = min_rate

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        loop = asyncio.get_running_loop()
        waited, received, done, timed_out = 0.0, 0, False, False

        async def timed_receive() -> Message:
            nonlocal waited, received, done, timed_out
            if done:  # the body is whole: later receives wait for a disconnect, for as long as it takes
                return await receive()
            if timed_out:
                raise RequestTimeout(_too_slow(self.idle_seconds, self.min_rate))
            start = loop.time()
            try:
                message = await asyncio.wait_for(receive(), self.idle_seconds)
            except TimeoutError:
                timed_out = True
                raise RequestTimeout(_too_slow(self.idle_seconds, self.min_rate)) from None
            waited += loop.time() - start
            if message["type"] != "http.request" or not message.get("more_body", False):
                done = True
                return message
            received += len(message.get("body", b""))
            if waited > self.idle_seconds and received < self.min_rate * waited:
                timed_out = True
                raise RequestTimeout(_too_slow(self.idle_seconds, self.min_rate))
            return message

        async def send_closing(message: Message) -> None:
            if timed_out and message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), (b"connection", b"close")]
            await send(message)

        await self.app(scope, timed_receive, send_closing)


def _too_slow(idle_seconds: float, min_rate: int) -> str:
    return (
        f"the request body came too slowly (a pause over {idle_seconds:g} s, or under {min_rate} bytes "
        "a second on average); send it again on a faster connection"
    )
