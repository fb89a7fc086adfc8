"""The previous corrective-action plan's status in a data folder's report (issue 18.4), through the
service the web app and the sign-off both use (report_parts), on cap_scenario's two inspections.

The first inspection (ended 9 April 2026) found EHS-FIRE-PLAN, FS-STORAGE and KLC-KEY-CONTROL
deficient: three items due 8 July 2026 (90 days). The later one (ended 9 October) found the fire plan
compliant, which closes its item; storage deficient again; keys not observed. On 8 November 2026 the
later report's previous plan is: EHS-FIRE-PLAN verified closed by INSP-2026-0002, FS-STORAGE and
KLC-KEY-CONTROL overdue (target 8 July passed), FS-STORAGE deficient again in INSP-2026-0002.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from builders import InspectionBuilder
from cap_scenario import FIRST, LATER, LATER_FACILITY

from auditor.contracts.results import Results
from auditor.report.facility import facility_html
from auditor.service.accounts import add_user
from auditor.service.audits import audit_file
from auditor.service.reports import results_path
from auditor.service.trends import report_parts
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


def _uploads(ws: Workspace) -> list[int]:
    with ws.db.read() as conn:
        return [r["id"] for r in conn.execute("SELECT id FROM uploads ORDER BY id").fetchall()]


def _plan_rows(html: str) -> list[tuple[str, str, str, str]]:
    table = html.split('id="previous-plan"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(
        r'<tr><td class="rid">([^<]+)</td><td>[^<]*</td><td>([^<]+)</td><td class="plan-(\w+)">[^<]+</td>'
        r"<td>([^<]+)</td></tr>",
        table,
    )
    return sorted(rows)


def test_the_later_report_states_the_first_plan_item_by_item(workspace):
    _, later = _uploads(workspace)
    parts = report_parts(workspace, later, today=TODAY)
    html = facility_html(Results.read(results_path(workspace, later)), **parts)
    assert "the corrective-action items recorded in the data folder" in html
    assert _plan_rows(html) == [
        ("EHS-FIRE-PLAN", "INSP-2026-0001", "verified", "closed by inspection INSP-2026-0002"),
        ("FS-STORAGE", "INSP-2026-0001", "overdue", "target 2026-07-08; deficient again in INSP-2026-0002"),
        ("KLC-KEY-CONTROL", "INSP-2026-0001", "overdue", "target 2026-07-08"),
    ]
    assert parts["roster"] is None  # no roster imported into this data folder


def test_the_first_report_has_no_previous_plan(workspace):
    first, _ = _uploads(workspace)
    parts = report_parts(workspace, first, today=TODAY)
    assert parts["plan_items"] == []  # its own items are its plan; the later one's are after it
    html = facility_html(Results.read(results_path(workspace, first)), **parts)
    assert 'id="previous-plan"' not in html


def test_before_the_target_date_an_item_is_open_not_overdue(workspace):
    _, later = _uploads(workspace)
    parts = report_parts(workspace, later, today=dt.date(2026, 7, 1))
    html = facility_html(Results.read(results_path(workspace, later)), **parts)
    statuses = {rid: status for rid, _, status, _ in _plan_rows(html)}
    assert statuses == {"EHS-FIRE-PLAN": "verified", "FS-STORAGE": "open", "KLC-KEY-CONTROL": "open"}


def test_the_overview_takes_the_facility_from_the_roster_in_the_data_folder(tmp_path: Path):
    from rosters import SOUTH, SOUTH_ID, write_roster

    from auditor.imports.roster import import_roster
    from auditor.registry import save_roster

    ws = Workspace.open(tmp_path / "data")
    try:
        ada = add_user(ws.db, "ada", "administrator", "a long enough password 123")
        save_roster(ws.db, import_roster(write_roster(tmp_path / "FY27.xlsx", [SOUTH])), user="ada")
        workbook = InspectionBuilder(facility_id=SOUTH_ID).sheet("Checklist", FIRST).xlsx(tmp_path / "s.xlsx")
        audit_file(ws, workbook, ada)
        [upload] = _uploads(ws)
        parts = report_parts(ws, upload, today=TODAY)
        assert parts["roster"]["facility_id"] == SOUTH_ID
        html = facility_html(Results.read(results_path(ws, upload)), **parts)
    finally:
        ws.close()
    # ICE's roster row: 2 BORDER RD, LAREDO, TX 78041; last inspected by ODO on 20 November 2025
    assert "Address (ICE roster)</th><td>2 BORDER RD, LAREDO, TX, 78041</td>" in html
    assert "Last inspection on ICE&#39;s roster</th><td>" in html and "2025-11-20" in html
    assert "ICE&#39;s roster is not part of this report" not in html
