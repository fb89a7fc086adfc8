"""The facility page and the report preview draw the facility's trend once it has two audited
inspections (issue 16.5): deficiencies, priority and repeat ones, oldest first, with the table."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from builders import InspectionBuilder
from cap_scenario import FIRST, LATER, LATER_FACILITY
from fastapi import FastAPI
from webclient import Client, run, upload_id


def table_rows(html: str) -> list[tuple[str, list[str]]]:
    """The trend table's rows: (inspection, [deficiencies, priority, repeat])."""
    table = html.split("Deficiencies over the facility&#39;s inspections: the figures", 1)[1].split(
        "</table>"
    )[0]
    rows = re.findall(r'<tr><th scope="row">([^<]+)</th>((?:<td class="num">\d+</td>)+)</tr>', table)
    return [(label, re.findall(r">(\d+)<", cells)) for label, cells in rows]


def test_the_facility_page_and_the_report_show_the_trend(app: FastAPI, tmp_path: Path) -> None:
    first = InspectionBuilder().sheet("Checklist", FIRST).xlsx(tmp_path / "first.xlsx")
    later = InspectionBuilder(**LATER_FACILITY).sheet("Checklist", LATER).xlsx(tmp_path / "later.xlsx")

    async def scenario() -> None:
        async with Client(app) as ada:
            await ada.sign_in("ada")
            one = upload_id(await ada.upload(first))
            page = await ada.get("/facilities/ATL-SPC-0001")
            assert page.status_code == 200 and "over the facility" not in page.text  # one inspection
            two = upload_id(await ada.upload(later))
            page = await ada.get("/facilities/ATL-SPC-0001")
            assert page.status_code == 200
            expected = [
                ("INSP-2026-0001, 2026-04-09", ["3", "1", "0"]),
                ("INSP-2026-0002, 2026-10-09", ["1", "0", "1"]),
            ]
            assert table_rows(page.text) == expected
            assert ">3 deficiencies</text>" in page.text and ">1 repeat</text>" in page.text
            # the later report shows both; the first one's report, none (no trend of one inspection)
            later_report = await ada.get(f"/uploads/{two}/report.html")
            assert table_rows(later_report.text) == expected
            first_report = await ada.get(f"/uploads/{one}/report.html")
            assert "over the facility" not in first_report.text
            # the open items' ages on the facility page; their counts in the portfolio, as of its date
            assert "Open corrective-action items by age in days: the figures" in page.text
            portfolio = await ada.get("/portfolio.pdf?as_of=2026-11-08")
            assert portfolio.status_code == 200
            (tmp_path / "portfolio.pdf").write_bytes(portfolio.content)

    run(scenario())
    pdf = tmp_path / "portfolio.pdf"
    text = " ".join(subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True).stdout.split())
    # FS-STORAGE and KLC-KEY-CONTROL of the first inspection (due 8 July: overdue), FS-STORAGE of the later
    assert "3 open corrective-action items, 2 overdue" in text
