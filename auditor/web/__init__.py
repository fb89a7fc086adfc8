"""The web application: `auditor serve`. Thin routes over the workspace (auditor.service) that the
command line uses too: the use cases live there, this package receives requests and shows answers.

app.py         the factory (create_app)         settings.py  Settings (the server's limits)
services.py    the workspace and spare sessions auth.py      sessions (accounts: auditor.service)
uploads.py     streaming an upload to disk      guards.py    role and CSRF dependencies
actions.py     what pages and API both do       views.py     what pages and API show
pages.py       HTML routes                      api.py       JSON routes under /api
registry.py    ICE's roster routes' helpers     errors.py    errors → responses
docs.py        /docs and /openapi.json          server.py    uvicorn with header and body timeouts
middleware.py  security headers, body limits    templating.py jinja (autoescaped)
"""

from auditor.web.app import create_app
from auditor.web.settings import Settings

__all__ = ["Settings", "create_app"]
