"""The client address of each request, for the action log (auditor.db.CLIENT_ADDRESS).

Pure ASGI, so the value is set in the context every handler runs in, threadpool handlers too
(they run in a copy of it). Behind a proxy the address is the proxy's unless uvicorn trusts it
to name the client (X-Forwarded-For from the addresses in the FORWARDED_ALLOW_IPS environment
variable; by default 127.0.0.1, a proxy on this machine).
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from auditor.db import CLIENT_ADDRESS


def client_address(scope: Scope) -> str:
    client = scope.get("client")
    return str(client[0])[:64] if client else "unknown"


class ClientAddress:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        token = CLIENT_ADDRESS.set(client_address(scope))
        try:
            await self.app(scope, receive, send)
        finally:
            CLIENT_ADDRESS.reset(token)
