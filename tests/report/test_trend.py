"""A facility's trend (issue 16.5): deficiencies, priority and repeat ones over its inspections,
oldest first, as grouped bars labelled directly, with the table of the same figures; from results
files (the command line's --previous) and from a workspace's recorded results."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from builders import InspectionBuilder
from cap_scenario import FIRST, LATER, LATER_FACILITY
from report_scenarios import pdf_text, squeeze

from auditor.report import charts
from auditor.report.facility import facility_html
from auditor.report.trend import TrendPoint, ordered, trend_chart
from auditor.service.accounts import add_user
from auditor.service.audits import audit_file
from auditor.service.trends import facility_chart, facility_points, upload_points
from auditor.service.workspace import Workspace

REPO = Path(__file__).resolve().parents[2]
RED_MESA = REPO / "sample_data" / "red-mesa-cdf"
A = TrendPoint("INSP-A", "2025-03-01", 8, 2, 0)
B = TrendPoint("INSP-B", "2025-09-30", 15, 2, 6)
C = TrendPoint("INSP-C", "2026-04-09", 5, 0, 3)


def test_points_run_oldest_first_and_a_report_never_shows_its_future():
    assert ordered([C, A, B]) == [A, B, C]
    assert ordered([C, A, B], up_to=B) == [A, B]
    newer_b = TrendPoint("INSP-B", "2025-09-30", 14, 1, 6)  # a later version of B's results
    assert ordered([A, B, C], up_to=newer_b) == [A, newer_b]
    assert ordered([TrendPoint("X", None, 1, 0, 0), A]) == [TrendPoint("X", None, 1, 0, 0), A]


def test_one_inspection_is_no_trend():
    assert trend_chart([]) is None and trend_chart([A]) is None


def test_the_chart_labels_every_bar_and_its_table_has_the_figures():
    html = str(trend_chart([A, B]))
    svg, table = html.split("<table", 1)
    for label in ("8 deficiencies", "2 priority", "0 repeat", "15 deficiencies", "6 repeat"):
        assert f">{label}</text>" in svg
    assert svg.count("INSP-A, 2025-03-01") >= 1 and "INSP-B, 2025-09-30" in svg
    # bars scaled to the largest figure: 15 fills the span, 8 takes 8/15 of it
    span = charts.WIDTH - charts.LABEL_WIDTH - 110
    widths = [float(w) for w in re.findall(r'<rect fill="#b42318" x="190" y="\d+" width="([\d.]+)"', svg)]
    assert widths[:2] == pytest.approx([span * 8 / 15, span], abs=0.06)
    assert 'fill="url(#' in svg and "-cross)" in svg and "-lines)" in svg  # patterns, not colour alone
    cells = re.findall(r"<tr><th scope=\"row\">([^<]+)</th>((?:<td class=\"num\">\d+</td>)+)</tr>", table)
    assert [(label, re.findall(r">(\d+)<", tds)) for label, tds in cells] == [
        ("INSP-A, 2025-03-01", ["8", "2", "0"]),
        ("INSP-B, 2025-09-30", ["15", "2", "6"]),
    ]
    assert '<th scope="col">Inspection</th>' in table


def test_the_report_given_previous_results_draws_the_trend(cli, tmp_path):
    previous = json.loads((RED_MESA / "previous-results.json").read_text())["summary"]
    # the previous inspection's own headline (8 deficient, 2 priority, 0 repeat) and this one's
    assert (previous["deficient"], previous["priority_deficiencies"], previous["repeat_deficiencies"]) == (
        8,
        2,
        0,
    )
    out = tmp_path / "report.pdf"
    done = cli(
        "report", RED_MESA / "inspection.xlsx", "--previous", RED_MESA / "previous-results.json", "-o", out
    )
    assert done.exit_code == 0, done.output
    text = squeeze(pdf_text(out))
    assert "Deficiencies over the facility's inspections: the figures" in text
    # this inspection's figures are the cover's (the generated sample's counts move with the catalogue)
    found = re.search(r"(\d+) deficiencies \((\d+) priority, (\d+) repeat\)", squeeze(done.stdout))
    assert found is not None, done.stdout
    deficient, priority, repeat = found.groups()
    assert int(repeat) > 0  # some of the previous inspection's 8 recur
    now = f"FIC-CDF-0002-2026A, 2026-04-09 {deficient} {priority} {repeat}"
    assert f"FIC-CDF-0002-2025B, 2025-10-07 8 2 0 {now}" in text


def test_a_report_without_history_has_no_trend(small_results):
    assert "over the facility's inspections" not in facility_html(small_results)


@pytest.fixture
def workspace(tmp_path: Path):
    ws = Workspace.open(tmp_path / "data")
    ada = add_user(ws.db, "ada", "administrator", "a long enough password 123")
    first = audit_file(ws, InspectionBuilder().sheet("Checklist", FIRST).xlsx(tmp_path / "first.xlsx"), ada)
    later_book = InspectionBuilder(**LATER_FACILITY).sheet("Checklist", LATER).xlsx(tmp_path / "later.xlsx")
    later = audit_file(ws, later_book, ada)
    assert first.upload["status"] == later.upload["status"] == "audited"
    yield ws, first.upload["id"], later.upload["id"]
    ws.close()


def test_the_workspace_trend_from_recorded_results(workspace):
    ws, first, later = workspace
    # First: three deficient (the fire plan a priority component). Later: storage deficient again (a
    # repeat), the fire plan compliant, keys not observed.
    expected = [
        TrendPoint("INSP-2026-0001", "2026-04-09", 3, 1, 0),
        TrendPoint("INSP-2026-0002", "2026-10-09", 1, 0, 1),
    ]
    assert facility_points(ws, "ATL-SPC-0001") == expected
    assert upload_points(ws, later) == expected
    assert upload_points(ws, first) == expected[:1]  # the first report: no later inspection in it
    assert facility_points(ws, "NO-SUCH-FACILITY") == [] and upload_points(ws, 10**9) == []
    chart = str(facility_chart(ws, "ATL-SPC-0001"))
    assert "3 deficiencies" in chart and "1 repeat" in chart


def test_one_deficiency_is_said_in_the_singular():
    svg = str(trend_chart([A, TrendPoint("INSP-D", "2026-01-05", 1, 1, 1)])).split("<table", 1)[0]
    assert ">1 deficiency</text>" in svg and ">1 priority</text>" in svg and ">1 repeat</text>" in svg
    assert ">8 deficiencies</text>" in svg
