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


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    from webclient import PASSWORDS, ROLES

    from auditor.service.accounts import add_user
    from auditor.web import Settings, create_app

    data = tmp_path_factory.mktemp("server") / "data"
    app = create_app(Settings(data_dir=data, wait_seconds=0, secure_cookies=False))  # plain http in tests
    for name, role in ROLES.items():
        add_user(app.state.web.db, name, role, PASSWORDS[name])
    yield app
    app.state.web.close()
