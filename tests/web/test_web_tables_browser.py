"""Search and sort on long tables (tables.js, issue 17 item 7), in Debian's chromium via Playwright:
the script on a page of known rows, no server needed. Orders and counts are worked out by hand."""

from __future__ import annotations

from pathlib import Path

import pytest
from webclient import REPO

CHROMIUM = Path("/usr/bin/chromium")
SCRIPT = REPO / "auditor" / "web" / "static" / "tables.js"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is absent: apt-get install chromium"),
]

# 12 rows (more than the 10 that make a table long): name, a count, a day as the pages show it.
ROWS = [
    ("Red Mesa", "10", "9 Apr 2026"),
    ("Pine Hollow", "9", "12 Jan 2025"),
    ("Cedar Flats", "100", "1 Mar 2026"),
    ("Stewart", "0", "—"),
    ("Adelanto", "25", "30 Dec 2025"),
    ("Otero", "3", "2 Feb 2026"),
    ("Krome", "1,200", "15 Jul 2024"),
    ("Eloy", "42", "4 Apr 2026"),
    ("La Palma", "7", "20 May 2025"),
    ("Mesa Verde", "11", "8 Aug 2025"),
    ("Torrance", "2", "9 Apr 2025"),
    ("Winn", "64", "1 Jan 2026"),
]


def _page(rows: list[tuple[str, str, str]], marked: bool = False) -> str:
    body = "".join(f"<tr><td>{a}</td><td class='num'>{b}</td><td>{c}</td></tr>" for a, b, c in rows)
    mark = " data-search" if marked else ""
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>t</title></head><body><main>"
        f"<table class='data'{mark}><thead><tr><th>Facility</th><th>Deficiencies</th><th>Last audit</th></tr>"
        f"</thead><tbody>{body}</tbody></table></main>"
        f"<script>{SCRIPT.read_text()}</script></body></html>"
    )


def _column(page, index: int) -> list[str]:
    return page.eval_on_selector_all(
        "tbody tr:not([hidden])", f"rows => rows.map(r => r.cells[{index}].textContent)"
    )


def test_a_long_table_sorts_by_number_date_and_text_and_searches_by_words() -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page()
            page.set_content(_page(ROWS))

            page.get_by_role("button", name="Sort by Deficiencies").click()
            assert _column(page, 1) == ["0", "2", "3", "7", "9", "10", "11", "25", "42", "64", "100", "1,200"]
            header = page.locator("th").nth(1)
            expect(header).to_have_attribute("aria-sort", "ascending")
            page.get_by_role("button", name="Sort by Deficiencies").click()
            assert _column(page, 1)[:3] == ["1,200", "100", "64"]
            expect(header).to_have_attribute("aria-sort", "descending")
            expect(page.locator("th").nth(0)).not_to_have_attribute("aria-sort", "ascending")

            page.get_by_role("button", name="Sort by Last audit").click()  # by day, the blank last
            assert _column(page, 2) == [
                "15 Jul 2024", "12 Jan 2025", "9 Apr 2025", "20 May 2025", "8 Aug 2025", "30 Dec 2025",
                "1 Jan 2026", "2 Feb 2026", "1 Mar 2026", "4 Apr 2026", "9 Apr 2026", "—",
            ]  # fmt: skip
            page.get_by_role("button", name="Sort by Facility").click()
            assert _column(page, 0)[:3] == ["Adelanto", "Cedar Flats", "Eloy"]

            search = page.get_by_label("Search this table")
            expect(page.get_by_role("status")).to_have_text("12 rows")
            search.fill("mesa")
            assert _column(page, 0) == ["Mesa Verde", "Red Mesa"]
            expect(page.get_by_role("status")).to_have_text("2 of 12 rows")
            search.fill("mesa 2026")  # every word, anywhere in the row
            assert _column(page, 0) == ["Red Mesa"]
            search.fill("")
            expect(page.get_by_role("status")).to_have_text("12 rows")
            assert len(_column(page, 0)) == 12

            page.set_content(_page(ROWS[:3]))  # a short table is left as it is ...
            assert (
                page.locator("button.sort").count() == 0 and page.locator("input[type=search]").count() == 0
            )
            page.set_content(_page(ROWS[:3], marked=True))  # ... unless marked data-search
            assert (
                page.locator("button.sort").count() == 3 and page.locator("input[type=search]").count() == 1
            )
        finally:
            browser.close()
