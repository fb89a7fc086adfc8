"""The web app under test: a real app on a temp data folder, driven through httpx's ASGI transport.

pytest-asyncio is not used: each test runs its scenario with `run(...)` (asyncio.run), see webclient.py.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from builders import InspectionBuilder
from fastapi import FastAPI
from openpyxl import load_workbook
from webclient import BAD_CELLS, INES_FACILITIES, PASSWORDS, ROLES, SAMPLES, Workbooks

from auditor.service.accounts import add_user, list_users
from auditor.service.assignments import assign
from auditor.web import Settings, create_app


@pytest.fixture(scope="session")
def workbooks(tmp_path_factory: pytest.TempPathFactory) -> Workbooks:
    folder = tmp_path_factory.mktemp("workbooks")
    copies = {}
    for name in ("pine-hollow-usms", "red-mesa-cdf", "cedar-flats-spc"):
        copies[name] = shutil.copyfile(SAMPLES / name / "inspection.xlsx", folder / f"{name}.xlsx")
    book = load_workbook(copies["pine-hollow-usms"])
    for ref, value in BAD_CELLS.items():
        book["Intake"][ref] = value
    bad = folder / "pine-hollow-bad.xlsx"
    book.save(bad)
    pdf = folder / "report.xlsx"
    pdf.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
    small_2025 = InspectionBuilder(
        inspection_id="INSP-2025-0001",
        inspection_start=_day("2025-04-07"),
        inspection_end=_day("2025-04-10"),
        review_period_start=_day("2025-01-01"),
        review_period_end=_day("2025-03-31"),
        previous_inspection_id=None,
    ).with_valid_sheets()
    small_2026 = InspectionBuilder().with_valid_sheets()
    return Workbooks(
        pine_hollow=copies["pine-hollow-usms"],
        pine_hollow_bad=bad,
        red_mesa=copies["red-mesa-cdf"],
        cedar_flats=copies["cedar-flats-spc"],
        pdf=pdf,
        small_2025=small_2025.xlsx(folder / "small-2025.xlsx"),
        small_2026=small_2026.xlsx(folder / "small-2026.xlsx"),
    )


def _day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


AppFactory = Callable[..., FastAPI]


@pytest.fixture
def make_app(tmp_path: Path) -> Iterator[AppFactory]:
    """Build an app on a data folder (the same one each call, unless given): users ines, ivan, ada."""
    apps: list[FastAPI] = []

    def make(data: Path | None = None, *, users: bool = True, **options: Any) -> FastAPI:
        options.setdefault("wait_seconds", 120)
        options.setdefault("secure_cookies", False)  # the test client speaks plain http
        app = create_app(Settings(data_dir=data or tmp_path / "data", **options))
        if users and not list_users(app.state.web.db):
            for name, role in ROLES.items():
                add_user(app.state.web.db, name, role, PASSWORDS[name])
            assign(app.state.web.db, None, "ines", INES_FACILITIES)  # and none to ivan
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.state.web.close()


@pytest.fixture
def app(make_app: AppFactory) -> FastAPI:
    return make_app()
