"""The whole lifecycle of a deficiency in a real browser (Debian's chromium, driven by Playwright,
against `auditor serve`): an administrator uploads an inspection with deficiencies, signs it off on its
page, downloads the corrective-action plan, sends it back once with a bad cell (named by its cell,
nothing recorded) and once filled in (the item completed), then uploads the facility's next inspection,
which finds the requirement compliant: the item is closed, verified by that inspection.

The workbooks and the facility's answers are tests/cap_scenario.py's, shared with the web-client test
of the same round trip (tests/web/test_web_cap.py). Screenshots go to tests/artifacts/web/ (git-ignored).
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import test_web_browser as browser_setup
from builders import InspectionBuilder
from cap_scenario import FIRST, GOOD, LATER, LATER_FACILITY, PLAN, fill

ARTIFACTS = browser_setup.ARTIFACTS
pytestmark = browser_setup.pytestmark
server = browser_setup.server  # the same `auditor serve` on a free port, users ines, ivan and ada

# The fire plan's row (2: the priority item comes first) answered with a completion date of "soon".
SOON = {2: {**GOOD[2], "completed": "soon"}}


def _row(page, requirement: str):
    """The Corrective actions page's row of one requirement's item."""
    return page.locator("table.data tbody tr", has_text=requirement)


def test_audit_sign_off_plan_out_and_back_then_closed_in_a_browser(server: str, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    first = InspectionBuilder().sheet("Checklist", FIRST).xlsx(tmp_path / "first.xlsx")
    later = InspectionBuilder(**LATER_FACILITY).sheet("Checklist", LATER).xlsx(tmp_path / "later.xlsx")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(browser_setup.CHROMIUM), args=browser_setup.ARGS
        )
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
            page = context.new_page()
            page.set_default_timeout(120_000)
            browser_setup._sign_in(page, server, "ada")

            # 1. the audit: three deficiencies of inspection INSP-2026-0001
            page.locator("input[type=file]").set_input_files(str(first))
            page.get_by_role("button", name="Upload and check").click()
            expect(page.get_by_role("heading", name="Upload #1: version 1")).to_be_visible()
            page.screenshot(path=ARTIFACTS / "lifecycle-01-audited.png", full_page=True)

            # 2. the sign-off, on the inspection's page: the box must be ticked
            page.get_by_role("link", name="inspection INSP-2026-0001").click()
            signoff = page.locator("#signoff")
            expect(signoff).to_contain_text("The report of version 1 is a draft")
            signoff.get_by_role("checkbox").check()
            signoff.get_by_role("button", name="Sign off version 1").click()
            expect(signoff).to_contain_text("Version 1 signed off by ada (administrator)")
            expect(signoff.get_by_role("button")).to_have_count(0)
            page.screenshot(path=ARTIFACTS / "lifecycle-02-signed-off.png", full_page=True)

            # 3. the plan out, from the Corrective actions page: one open item per deficiency, due by the
            # policy's days after the last day on site (2026-04-09): 30 for the priority component, 90
            # for the rest. Those days are past, so all three are overdue.
            page.get_by_role("navigation").get_by_role("link", name="Corrective actions").click()
            expect(page.get_by_role("heading", name="Items (3; 3 overdue)")).to_be_visible()
            due = {"EHS-FIRE-PLAN": "2026-05-09", "FS-STORAGE": "2026-07-08", "KLC-KEY-CONTROL": "2026-07-08"}
            for requirement, target in due.items():
                expect(_row(page, requirement).locator("td").nth(3)).to_have_text("open Overdue")
                expect(_row(page, requirement).locator("td").nth(4)).to_have_text(target)
            with page.expect_download() as download:
                _row(page, "EHS-FIRE-PLAN").get_by_role("link", name="plan (.xlsx)").click()
            plan = tmp_path / "plan.xlsx"
            download.value.save_as(plan)
            rows = [r[1] for r in openpyxl.load_workbook(plan)[PLAN].iter_rows(values_only=True)]
            assert rows == ["Requirement", "EHS-FIRE-PLAN", "FS-STORAGE", "KLC-KEY-CONTROL"]

            # 4. back with a completion date of "soon": named at its cell, nothing recorded
            page.locator("input[type=file]").set_input_files(str(fill(plan, tmp_path / "soon.xlsx", SOON)))
            page.get_by_role("button", name="Check and record").click()
            expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
            expect(page.get_by_role("alert")).to_contain_text(
                "1 error(s) in the plan for inspection INSP-2026-0001 at ATL-SPC-0001: nothing was recorded"
            )
            bad = page.locator("table.problems tbody tr", has_text=f"{PLAN}!P2")
            expect(bad).to_have_count(1)
            expect(bad.locator("td.value")).to_have_text("soon")
            expect(_row(page, "EHS-FIRE-PLAN").locator("td").nth(3)).to_have_text("open Overdue")
            expect(_row(page, "EHS-FIRE-PLAN").locator("td").nth(5)).to_have_text("")
            page.screenshot(path=ARTIFACTS / "lifecycle-03-plan-refused.png", full_page=True)

            # 5. back, filled in: the fire plan completed on 2026-05-02, storage planned for 2026-06-30
            page.locator("input[type=file]").set_input_files(str(fill(plan, tmp_path / "good.xlsx", GOOD)))
            page.get_by_role("button", name="Check and record").click()
            expect(page.get_by_role("status")).to_have_text(
                "The plan was taken back: 3 response(s) recorded."
            )
            fire = _row(page, "EHS-FIRE-PLAN").locator("td")
            expect(fire.nth(3)).to_have_text("completed")
            expect(fire.nth(5)).to_have_text("2026-05-02")
            expect(fire.nth(6)).to_have_text("")
            storage = _row(page, "FS-STORAGE").locator("td")
            expect(storage.nth(3)).to_have_text("planned Overdue")  # 2026-06-30 is past
            expect(storage.nth(4)).to_have_text("2026-06-30")
            page.screenshot(path=ARTIFACTS / "lifecycle-04-plan-recorded.png", full_page=True)

            # 6. the next inspection finds the fire plan posted: that item closes, verified by it
            page.get_by_role("navigation").get_by_role("link", name="Home").click()
            page.locator("input[type=file]").set_input_files(str(later))
            page.get_by_role("button", name="Upload and check").click()
            expect(page.get_by_role("heading", name="Upload #2: version 1")).to_be_visible()
            page.get_by_role("navigation").get_by_role("link", name="Corrective actions").click()
            fire = _row(page, "EHS-FIRE-PLAN").locator("td")
            expect(_row(page, "EHS-FIRE-PLAN")).to_have_count(1)  # compliant later: no new item
            expect(fire.nth(2)).to_contain_text("INSP-2026-0001")
            expect(fire.nth(3)).to_have_text("verified")
            expect(fire.nth(6)).to_have_text("verified by inspection INSP-2026-0002")
            # storage deficient again: a repeat, still planned, and a new open item of the later inspection
            expect(_row(page, "FS-STORAGE")).to_have_count(2)
            repeat = _row(page, "FS-STORAGE").filter(has_text="INSP-2026-0001").locator("td")
            expect(repeat.nth(1)).to_contain_text("Deficient again in INSP-2026-0002")
            expect(repeat.nth(3)).to_have_text("planned Overdue")
            # the later inspection's own item: due 90 days after its last day on site, 2026-10-09
            newer = _row(page, "FS-STORAGE").filter(has_not_text="INSP-2026-0001").locator("td")
            expect(newer.nth(3)).to_contain_text("open")
            expect(newer.nth(4)).to_have_text("2027-01-07")
            page.screenshot(path=ARTIFACTS / "lifecycle-05-closed.png", full_page=True)
        finally:
            browser.close()
