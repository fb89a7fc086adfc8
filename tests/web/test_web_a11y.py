"""Every page, in a real browser at a phone's width and a laptop's: axe-core finds no serious or
critical WCAG 2.2 AA violation, and the page never scrolls sideways.

The data folder is filled once through the app itself (an upload with bad cells, a valid one, a
rejected file, ICE's roster, a waiver), then `auditor serve` runs on it and chromium visits each
page as an inspector, as an administrator and signed out. axe-core is vendored (tests/vendor/),
so nothing is fetched. Screenshots go to tests/artifacts/a11y/ (git-ignored) for a person to look at.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from rosters import FAMILY, FEDERAL, NORTH, SOUTH, SOUTH_ID, write_roster
from test_web_browser import ARGS, CHROMIUM, _sign_in, serving
from webclient import PASSWORDS, REPO, ROLES, Client, Workbooks, run, upload_id

from auditor.service.accounts import add_user
from auditor.web import Settings, create_app

AXE = REPO / "tests" / "vendor" / "axe-core" / "axe.min.js"
AXE_SHA256 = "880970c081707360e64f34cea25ff91892f5bc95675b0776925b9709dd8a68bb"
ARTIFACTS = REPO / "tests" / "artifacts" / "a11y"
WIDTHS = {"phone": (390, 844), "laptop": (1280, 800), "narrow": (320, 640)}
# WCAG 2.0, 2.1 and 2.2 at levels A and AA, plus axe's best practices (landmarks, headings).
# Pages whose markup is not ours: only their width is checked. Swagger UI (the developers' API page
# at /docs) nests its controls and draws its own colours; axe finds serious violations in them.
NOT_OURS = {"api-docs"}
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is absent: apt-get install chromium"),
]


@dataclass(frozen=True)
class Site:
    url: str
    pages: dict[str, list[tuple[str, str]]]  # who -> [(name, path)]


def _fill(data: Path, workbooks: Workbooks, roster: Path) -> dict[str, list[tuple[str, str]]]:
    """Uploads, a roster and a waiver through the app; the pages each person then has to read."""
    app = create_app(Settings(data_dir=data, wait_seconds=300, secure_cookies=False))
    for name, role in ROLES.items():
        add_user(app.state.web.db, name, role, PASSWORDS[name])

    async def scenario() -> dict[str, list[tuple[str, str]]]:
        async with Client(app) as ada:
            await ada.sign_in("ada")
            # The administrator uploads (an inspector may upload only for the facilities assigned
            # to them); the inspector's own pages are the lists and forms that every inspector sees.
            bad = upload_id(await ada.upload(workbooks.pine_hollow_bad))
            good = upload_id(await ada.upload(workbooks.pine_hollow))
            rejected = upload_id(await ada.upload(workbooks.pdf))
            deficient = upload_id(await ada.upload(workbooks.red_mesa))
            for year in (workbooks.small_2025, workbooks.small_2026):  # a facility with a trend
                upload_id(await ada.upload(year))
            assert (await ada.upload(roster, url="/facilities/roster")).status_code == 303
            waiver = await ada.form(
                "/waivers",
                requirement_id="FS-HOT-HOLD",
                facility_id="FIC-CDF-0002",
                justification="Replacement steam table on order.",
                approved_by="A. Delgado",
                expires="2026-12-31",
            )
            assert waiver.status_code == 303, waiver.text
            page = (await ada.get(f"/uploads/{good}")).text
            inspection = re.search(r'href="(/inspections/[^"]+)"', page).group(1)
        inspector = [
            ("home", "/"),
            ("uploads", "/uploads"),
            ("facilities", "/facilities"),
            ("account", "/account"),
        ]
        administrator = [
            ("home", "/"),
            ("errors", f"/uploads/{bad}"),
            ("results", f"/uploads/{good}"),
            ("rejected", f"/uploads/{rejected}"),
            ("deficient", f"/uploads/{deficient}"),
            ("uploads", "/uploads"),
            ("inspection", inspection),
            ("facilities", "/facilities"),
            ("facility", "/facilities/FIC-CDF-0002"),
            ("registry-facility", f"/facilities/{SOUTH_ID}"),
            ("facility-trend", "/facilities/ATL-SPC-0001"),
            ("corrective-actions", "/corrective-actions"),
            ("assignments", "/assignments"),
            ("waivers", "/waivers"),
            ("revoke-waiver", "/waivers/1/revoke"),
            ("accounts", "/users"),
            ("activity", "/activity"),
            ("report-preview", f"/uploads/{deficient}/report.html"),
            ("not-found", "/uploads/999999"),
            ("api-docs", "/docs"),
        ]
        return {"ines": inspector, "ada": administrator, "": [("login", "/login")]}

    try:
        return run(scenario())
    finally:
        app.state.web.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, workbooks: Workbooks) -> Iterator[Site]:
    folder = tmp_path_factory.mktemp("a11y")
    data = folder / "data"
    data.mkdir()
    roster = write_roster(folder / "FY27 roster.xlsx", [NORTH, SOUTH, FAMILY, FEDERAL])
    pages = _fill(data, workbooks, roster)
    with serving(data, folder / "server.log") as url:
        yield Site(url, pages)


def test_the_vendored_axe_is_the_pinned_one() -> None:
    assert hashlib.sha256(AXE.read_bytes()).hexdigest() == AXE_SHA256


def _axe(page) -> list[dict]:
    """axe-core's serious and critical violations on the page as it stands."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    results = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
            "summary": v["nodes"][0].get("failureSummary", "")[:300],
        }
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("width", list(WIDTHS))
def test_every_page_is_accessible_and_fits_the_screen(site: Site, width: str) -> None:
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    w, h = WIDTHS[width]
    failures: list[str] = []
    visited = 0
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            for who, pages in site.pages.items():
                # the pages' CSP forbids inline scripts: bypassed to inject axe, as a browser extension is
                context = browser.new_context(viewport={"width": w, "height": h}, bypass_csp=True)
                page = context.new_page()
                page.set_default_timeout(120_000)
                if who:
                    _sign_in(page, site.url, who)
                for name, path in pages:
                    response = page.goto(f"{site.url}{path}")
                    visited += 1
                    expected = 404 if name == "not-found" else 200
                    if response is None or response.status != expected:
                        failures.append(f"{who}:{name} answered {response and response.status}")
                        continue
                    shot = ARTIFACTS / f"{width}-{who or 'anonymous'}-{name}.png"
                    page.screenshot(path=shot, full_page=True)
                    sideways = page.evaluate(
                        "() => [document.scrollingElement.scrollWidth, window.innerWidth]"
                    )
                    if sideways[0] > sideways[1]:
                        failures.append(f"{who}:{name} scrolls sideways: {sideways[0]} > {sideways[1]} px")
                    for violation in [] if name in NOT_OURS else _axe(page):
                        failures.append(f"{who}:{name} {violation}")
                context.close()
        finally:
            browser.close()
    assert visited == sum(len(pages) for pages in site.pages.values())
    assert not failures, "\n".join(failures)
