"""The web application: `auditor serve`. Thin routes over the same core the command line uses.

app.py         the factory (create_app)         settings.py  Settings
services.py    database, files, processing      db.py        auditor.db (SQLite, the schema)
auth.py        accounts, passwords, sessions    guards.py    role and CSRF dependencies
files.py       originals stored by SHA-256      uploads.py   streaming an upload to disk
processing.py  validate → annotate | audit      store.py     uploads, inspections, facilities
waivers.py     waivers kept in the database     reports.py   template, PDFs (rendered once)
actions.py     what pages and API both do       views.py     what pages and API show
pages.py       HTML routes                      api.py       JSON routes under /api
docs.py        /docs and /openapi.json          errors.py    errors → responses
registry.py    ICE's roster: import, pre-fill
middleware.py  security headers                 templating.py jinja (autoescaped)
"""

from auditor.web.app import create_app
from auditor.web.settings import Settings

__all__ = ["Settings", "create_app"]
