"""Helpers of the web tests: constants, one person's client, running a scenario."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "sample_data"
PASSWORDS = {"ines": "ines-password", "ivan": "ivan-password", "ada": "ada-password"}
# The facilities of the sample and built workbooks, assigned to the inspector ines by the web tests'
# servers (an inspector uploads only for the facilities assigned to them).
INES_FACILITIES = ("FIC-USMS-0004", "FIC-CDF-0002", "FIC-SPC-0001", "ATL-SPC-0001")
ROLES = {"ines": "inspector", "ivan": "inspector", "ada": "administrator"}
CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')


def run(coroutine: Coroutine[Any, Any, Any]) -> Any:
    return asyncio.run(coroutine)


@dataclass(frozen=True)
class Workbooks:
    """Copies of the sample workbooks (sample_data is never touched) and variants made from them."""

    pine_hollow: Path  # valid: Incomplete, FIC-USMS-0004
    pine_hollow_bad: Path  # the same with three bad Intake cells
    red_mesa: Path  # valid: FIC-CDF-0002, deficient FS-HOT-HOLD and STAFF-CPR among others
    cedar_flats: Path  # valid: FIC-SPC-0001
    pdf: Path  # PDF bytes named .xlsx
    small_2025: Path  # a small built inspection, ATL-SPC-0001 / INSP-2025-0001
    small_2026: Path  # its next inspection, INSP-2026-0001 (previous INSP-2025-0001)


BAD_CELLS = {"B3": "yesterday", "C4": "Q", "F5": "nine"}  # Intake: arrival, sex, classification_level


class Client:
    """One person's browser: a cookie jar, signing in, the CSRF token, uploads."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app
        self.http = httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://testserver")
        self.csrf = ""

    async def __aenter__(self) -> Client:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.http.aclose()

    async def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return await self.http.get(url, **kwargs)

    async def post(self, url: str, **kwargs: Any) -> httpx.Response:
        return await self.http.post(url, **kwargs)

    async def sign_in(self, name: str) -> Client:
        """Through the sign-in page, as a person would."""
        page = await self.get("/login")
        token = CSRF_INPUT.search(page.text).group(1)
        answer = await self.post(
            "/login", data={"csrf_token": token, "name": name, "password": PASSWORDS[name], "next": "/"}
        )
        assert answer.status_code == 303, answer.text
        self.csrf = (await self.get("/api/session")).json()["csrf_token"]
        return self

    async def form(self, url: str, **fields: str) -> httpx.Response:
        """Submit a form of the pages, with the session's CSRF token."""
        return await self.post(url, data={"csrf_token": self.csrf, **fields})

    async def upload(
        self, path: Path, name: str | None = None, url: str = "/uploads", csrf: bool = True
    ) -> httpx.Response:
        data = {"csrf_token": self.csrf} if csrf else {}
        files = {"file": (name or path.name, path.read_bytes(), "application/octet-stream")}
        return await self.post(url, data=data, files=files)

    async def api_upload(
        self, path: Path, name: str | None = None, url: str = "/api/uploads"
    ) -> httpx.Response:
        files = {"file": (name or path.name, path.read_bytes())}
        return await self.post(url, files=files, headers={"X-CSRF-Token": self.csrf})

    async def api(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        headers = {"X-CSRF-Token": self.csrf, **kwargs.pop("headers", {})}
        return await self.http.request(method, url, headers=headers, **kwargs)


def upload_id(response: httpx.Response) -> int:
    """The upload a form post redirected to (/uploads/<id>)."""
    assert response.status_code == 303, response.text
    match = re.fullmatch(r"/uploads/(\d+)", response.headers["location"])
    assert match, response.headers["location"]
    return int(match.group(1))
