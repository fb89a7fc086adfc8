"""The web app for the hostile uploads: one server, on a temp data folder, that receives every
hostile workbook in turn and must keep serving (the web tests' Client drives it)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI

WEB_TESTS = Path(__file__).resolve().parents[1] / "web"
if str(WEB_TESTS) not in sys.path:  # webclient.py: the web tests' signed-in client
    sys.path.insert(0, str(WEB_TESTS))


def start_server(data: Path) -> FastAPI:
    """The web app on `data`, with the web tests' users (ines and ivan inspectors, ada administrator)."""
    from webclient import PASSWORDS, ROLES

    from auditor.service.accounts import add_user
    from auditor.service.assignments import assign
    from auditor.web import Settings, create_app

    app = create_app(Settings(data_dir=data, wait_seconds=0, secure_cookies=False))  # plain http in tests
    for name, role in ROLES.items():
        add_user(app.state.web.db, name, role, PASSWORDS[name])
    # the hostile files are made from the test inspection (ATL-SPC-0001): ines uploads for it, so a
    # readable one ends on its own reason, not refused as another facility's
    assign(app.state.web.db, None, "ines", ["ATL-SPC-0001"])
    return app


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    app = start_server(tmp_path_factory.mktemp("server") / "data")
    yield app
    app.state.web.close()


@pytest.fixture
def fresh_server(tmp_path: Path) -> Iterator[FastAPI]:
    app = start_server(tmp_path / "data")
    yield app
    app.state.web.close()
