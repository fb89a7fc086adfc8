"""In a real browser: Debian's chromium, driven by Playwright, against `auditor serve` on a free port.

An inspector signs in, uploads a workbook with bad cells, sees the Intake errors, uploads the
corrected one, sees the rating and downloads the PDF; an administrator opens the facility page.
Screenshots go to tests/artifacts/web/ (git-ignored) for a person to look at.
"""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from openpyxl import load_workbook
from webclient import INES_FACILITIES, PASSWORDS, REPO, ROLES

from auditor.db import Database
from auditor.service.accounts import add_user
from auditor.service.assignments import assign

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = REPO / "tests" / "artifacts" / "web"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is absent: apt-get install chromium"),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """`auditor serve` in a subprocess on a free port, with a fresh data folder and three users."""
    data = tmp_path / "data"
    data.mkdir()
    db = Database(data / "auditor.sqlite3")
    for name, role in ROLES.items():
        add_user(db, name, role, PASSWORDS[name])
    assign(db, None, "ines", INES_FACILITIES)  # she uploads for the sample facilities
    with serving(data, tmp_path / "server.log") as url:
        yield url


SERVE = (sys.executable, "-m", "auditor.cli", "serve", "--insecure-cookies")  # plain http in tests


@contextmanager
def serving(data: Path, log_path: Path) -> Iterator[str]:
    """`auditor serve` on `data` in a subprocess on a free port, until the block ends: its URL."""
    port = _free_port()
    log = log_path.open("w")
    process = subprocess.Popen(
        [*SERVE, "--data", str(data), "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{url}/login", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            raise AssertionError(f"the server did not start: {log_path.read_text()}")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def _sign_in(page, url: str, name: str) -> None:
    page.goto(f"{url}/login")
    page.get_by_label("User name").fill(name)
    page.get_by_label("Password").fill(PASSWORDS[name])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{url}/")


def test_inspector_and_administrator_in_a_browser(server: str, workbooks, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
            page = context.new_page()
            page.set_default_timeout(120_000)
            _sign_in(page, server, "ines")
            expect(page.get_by_role("heading", name="Check an inspection")).to_be_visible()

            # Drag and drop onto the file box (the small script's enhancement) names the chosen file.
            page.evaluate(
                """() => {
                    const zone = document.querySelector('.dropzone');
                    const data = new DataTransfer();
                    data.items.add(new File(['PK'], 'dropped.xlsx'));
                    const drop = {dataTransfer: data, bubbles: true, cancelable: true};
                    zone.dispatchEvent(new DragEvent('drop', drop));
                }"""
            )
            expect(page.locator(".dropzone .chosen")).to_contain_text("dropped.xlsx")
            page.screenshot(path=ARTIFACTS / "01-inspector-home.png", full_page=True)

            page.locator("input[type=file]").set_input_files(str(workbooks.pine_hollow_bad))
            page.get_by_role("button", name="Upload and check").click()
            expect(page.get_by_role("heading", name="This workbook has 3 errors")).to_be_visible()
            for ref in ("Intake!B3", "Intake!C4", "Intake!F5"):
                expect(page.get_by_role("cell", name=ref, exact=True)).to_be_visible()
            page.screenshot(path=ARTIFACTS / "02-inspector-errors.png", full_page=True)
            with page.expect_download() as download:
                page.get_by_role("link", name="Download the annotated workbook").click()
            assert download.value.suggested_filename == "pine-hollow-bad-annotated.xlsx"
            annotated = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
            assert annotated["Intake"]["B3"].comment is not None

            page.locator("input[type=file]").set_input_files(str(workbooks.pine_hollow))
            page.get_by_role("button", name="Upload the corrected version").click()
            expect(page.locator(".rating-banner .value")).to_have_text("Incomplete")
            expect(page.get_by_role("heading", name="Upload #2: version 2")).to_be_visible()
            page.screenshot(path=ARTIFACTS / "03-inspector-results.png", full_page=True)
            with page.expect_download(timeout=180_000) as download:
                page.get_by_role("link", name="Download the report (PDF)").click()
            assert Path(download.value.path()).read_bytes().startswith(b"%PDF")

            page.get_by_role("link", name="inspection FIC-USMS-0004-2026A").click()
            expect(page.get_by_role("heading", name="Versions")).to_be_visible()
            page.screenshot(path=ARTIFACTS / "03b-inspector-inspection.png", full_page=True)

            # A PDF named .xlsx: refused with a clear message, yet stored and listed.
            page.goto(f"{server}/uploads")
            page.locator("input[type=file]").set_input_files(
                files=[
                    {
                        "name": "inspection.xlsx",
                        "mimeType": "application/octet-stream",
                        "buffer": workbooks.pdf.read_bytes(),
                    }
                ]
            )
            page.get_by_role("button", name="Upload and check").click()
            expect(page.get_by_role("heading", name="This file was not accepted")).to_be_visible()
            expect(page.get_by_text("This is a PDF document, not a workbook.")).to_be_visible()
            page.screenshot(path=ARTIFACTS / "04-inspector-rejected.png", full_page=True)
            page.get_by_role("navigation").get_by_role("link", name="Uploads").click()
            expect(page.get_by_role("cell", name="Not accepted")).to_be_visible()
            page.screenshot(path=ARTIFACTS / "05-inspector-uploads.png", full_page=True)

            admin = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
            admin.set_default_timeout(60_000)
            _sign_in(admin, server, "ada")
            admin.get_by_role("link", name="Facilities", exact=True).click()
            expect(admin.get_by_role("cell", name="FIC-USMS-0004")).to_be_visible()
            admin.screenshot(path=ARTIFACTS / "06-admin-facilities.png", full_page=True)
            admin.get_by_role("link", name="Pine Hollow Regional Detention Center (fictional)").click()
            expect(admin.get_by_role("heading", name="Inspections over time")).to_be_visible()
            expect(admin.get_by_role("link", name="FIC-USMS-0004-2026A")).to_be_visible()
            admin.screenshot(path=ARTIFACTS / "07-admin-facility.png", full_page=True)

            admin.goto(f"{server}/waivers")
            admin.get_by_label("Requirement").fill("FS-HOT-HOLD")
            admin.get_by_label("Facility ID").fill("FIC-USMS-0004")
            admin.get_by_label("Justification").fill("Replacement steam table on order.")
            admin.get_by_label("Expires on").fill("2026-12-31")
            admin.get_by_role("button", name="Create the waiver").click()
            expect(admin.get_by_role("status")).to_contain_text("The waiver is saved")
            admin.screenshot(path=ARTIFACTS / "08-admin-waivers.png", full_page=True)

            admin.goto(f"{server}/docs")
            expect(admin.get_by_text("/api/facilities").first).to_be_visible()
            admin.screenshot(path=ARTIFACTS / "09-api-docs.png")
        finally:
            browser.close()
