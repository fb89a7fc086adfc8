"""The API documentation: /openapi.json and a Swagger UI page at /docs, for signed-in users only.

Swagger UI's files come from the swagger-ui-bundle-v2 package (served from /docs/assets/, never
a CDN); the page's own script is a packaged static file, so no inline script is needed.
"""

from __future__ import annotations

import mimetypes
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from swagger_ui_bundle import swagger_ui_path

from auditor.service.accounts import User
from auditor.web.errors import NotFound
from auditor.web.guards import signed_in
from auditor.web.middleware import RELAXED_CSP

router = APIRouter(include_in_schema=False)
ASSETS = {"swagger-ui.css", "swagger-ui-bundle.js", "favicon-32x32.png"}
Me = Annotated[User, Depends(signed_in)]

PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>auditor API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
<link rel="icon" href="/docs/assets/favicon-32x32.png">
</head>
<body>
<p style="font-family: sans-serif; margin: 1em 2em;"><a href="/">← back to auditor</a>.
Calls from this page use your session; POST and DELETE calls carry your CSRF token automatically.</p>
<div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/static/swagger-init.js"></script>
</body>
</html>
"""


@router.get("/openapi.json")
def openapi(request: Request, user: Me) -> JSONResponse:
    return JSONResponse(request.app.openapi())


@router.get("/docs")
def docs(user: Me) -> HTMLResponse:
    return HTMLResponse(PAGE, headers={"Content-Security-Policy": RELAXED_CSP})


@router.get("/docs/assets/{name}")
def docs_asset(name: str, user: Me) -> FileResponse:
    if name not in ASSETS:
        raise NotFound()
    path = swagger_ui_path / name
    return FileResponse(str(path), media_type=mimetypes.guess_type(name)[0] or "application/octet-stream")
