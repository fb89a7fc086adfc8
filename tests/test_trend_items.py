"""The ages of a facility's open corrective-action items (issue 16.5), from the workspace's items:
days since the inspection that found each ended, overdue ones apart; hand-computed for two
inspections of one facility."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from builders import InspectionBuilder
from cap_scenario import FIRST, LATER, LATER_FACILITY

from auditor.service.accounts import add_user
from auditor.service.audits import audit_file
from auditor.service.trends import ages_chart, open_item_ages
from auditor.service.workspace import Workspace

TODAY = dt.date(2026, 11, 8)


@pytest.fixture
def workspace(tmp_path: Path):
    ws = Workspace.open(tmp_path / "data")
    ada = add_user(ws.db, "ada", "administrator", "a long enough password 123")
    audit_file(ws, InspectionBuilder().sheet("Checklist", FIRST).xlsx(tmp_path / "first.xlsx"), ada)
    later = InspectionBuilder(**LATER_FACILITY).sheet("Checklist", LATER).xlsx(tmp_path / "later.xlsx")
    audit_file(ws, later, ada)
    yield ws
    ws.close()


def test_open_items_by_age(workspace):
    # The first inspection (ended 9 April) found three deficiencies; the later one (ended 9 October)
    # found the fire plan compliant, which closes its item, and storage deficient again (a new item;
    # the first stays open). Keys were not observed: their item stays open. On 8 November: 213 days
    # after 9 April, 30 after 9 October; the first inspection's items were due on 8 July (90 days).
    got = [
        (i["requirement_id"], i["inspection"], i["age"], i["overdue"])
        for i in open_item_ages(workspace, "ATL-SPC-0001", today=TODAY)
    ]
    assert got == [
        ("FS-STORAGE", "INSP-2026-0001", 213, True),
        ("KLC-KEY-CONTROL", "INSP-2026-0001", 213, True),
        ("FS-STORAGE", "INSP-2026-0002", 30, False),
    ]
    assert open_item_ages(workspace, "NO-SUCH-FACILITY", today=TODAY) == []


def test_the_ages_chart_and_its_table(workspace):
    html = str(ages_chart(workspace, "ATL-SPC-0001", today=TODAY))
    table = html.split("<table", 1)[1]
    rows = re.findall(r'<tr><th scope="row">([^<]+)</th>((?:<td class="num">\d+</td>)+)</tr>', table)
    assert [(label, re.findall(r">(\d+)<", cells)) for label, cells in rows] == [
        ("FS-STORAGE (INSP-2026-0001)", ["213", "0", "213"]),  # overdue, not overdue, total
        ("KLC-KEY-CONTROL (INSP-2026-0001)", ["213", "0", "213"]),
        ("FS-STORAGE (INSP-2026-0002)", ["0", "30", "30"]),
    ]
    assert "213 days, overdue" in html and "-stripes)" in html  # overdue: striped, not only red
    assert ages_chart(workspace, "NO-SUCH-FACILITY", today=TODAY) is None


def test_a_report_shows_the_items_open_that_day_found_by_its_inspection_or_an_earlier_one(workspace):
    from auditor.contracts.results import Results
    from auditor.report.facility import facility_html
    from auditor.service.reports import results_path
    from auditor.service.trends import report_parts

    with workspace.db.read() as conn:
        first, later = [r["id"] for r in conn.execute("SELECT id FROM uploads ORDER BY id").fetchall()]
    for upload, expected in (
        (first, ["FS-STORAGE (INSP-2026-0001)", "KLC-KEY-CONTROL (INSP-2026-0001)"]),  # not the later one's
        (
            later,
            [
                "FS-STORAGE (INSP-2026-0001)",
                "KLC-KEY-CONTROL (INSP-2026-0001)",
                "FS-STORAGE (INSP-2026-0002)",
            ],
        ),
    ):
        parts = report_parts(workspace, upload, today=TODAY)
        html = facility_html(Results.read(results_path(workspace, upload)), **parts)
        table = html.split("Open corrective-action items by age in days: the figures", 1)[1].split(
            "</table>"
        )[0]
        assert re.findall(r'<th scope="row">([^<]+)</th>', table) == expected
        assert "still open on 2026-11-08" in html
