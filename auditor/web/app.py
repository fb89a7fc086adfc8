"""The app factory: one FastAPI app over one data folder (`auditor serve` and the tests build it)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.resources import files

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from auditor import __version__
from auditor.web import accounts, api, cap, docs, errors, pages, signoff
from auditor.web.address import ClientAddress
from auditor.web.middleware import BodyGuard, SecurityHeaders
from auditor.web.services import Web
from auditor.web.settings import Settings

FORM_LIMIT = 1024 * 1024  # any request body but an upload's (uploads stream under their own limit)

DESCRIPTION = """Audit ICE detention-facility inspection workbooks against the detention standards.

Sign in with `POST /api/session`, then send the returned `csrf_token` as the `X-CSRF-Token`
header on every POST and DELETE. Errors always have the shape
`{"ok": false, "error": "...", "status": 401}`.
"""


def create_app(settings: Settings) -> FastAPI:
    """Open the data folder and build the app; `app.state.web.close()` stops its processing pool."""
    web = Web.open(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        web.close()

    app = FastAPI(
        title="auditor",
        version=__version__,
        description=DESCRIPTION,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,  # served by auditor.web.docs, to signed-in users only
        lifespan=lifespan,  # body sizes: BodyGuard (FastAPI's own limit answers 413 in plain text)
    )
    app.state.web = web
    app.state.openapi_url = "/openapi.json"
    errors.install(app)
    app.add_middleware(
        BodyGuard,
        routes=app.router,
        default_limit=FORM_LIMIT,
        idle_seconds=settings.body_idle_seconds,
        min_rate=settings.min_body_rate,
    )
    app.add_middleware(SecurityHeaders)
    app.add_middleware(ClientAddress)  # for the action log: where each request came from
    app.mount("/static", StaticFiles(directory=str(files("auditor.web") / "static")), name="static")
    app.include_router(pages.router)
    app.include_router(signoff.router)
    app.include_router(signoff.api_router)
    app.include_router(api.router)
    app.include_router(docs.router)
    app.include_router(cap.router)  # corrective actions: items, plans back, plan downloads
    app.include_router(accounts.router)  # administrators manage accounts
    return app
