"""The view model behind the templates: known answers without rendering a PDF."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from report_scenarios import SCRIPT

from auditor.contracts.results import Evidence, Results
from auditor.report import charts
from auditor.report.environment import long_date, percent, plural
from auditor.report.view import (
    EVIDENCE_CAP,
    by_standard,
    conclusion,
    due_date,
    facility_view,
    findings_by_area,
    ucap_rows,
)
from auditor.standards.load import load_edition


def copy(results: Results) -> Results:
    return Results.from_dict(results.to_dict())


def test_due_dates_follow_the_policy(scenario):
    results = scenario.results
    assert results.rating_policy["corrective_action_days"] == {"priority": 30, "standard": 90}
    by_id = results.by_id()
    end = dt.date(2026, 4, 9)
    assert results.inspection["inspection_end"] == end.isoformat()
    assert due_date(results, by_id["MC-MH-SCREEN"]) == str(end + dt.timedelta(days=30)) == "2026-05-09"
    assert due_date(results, by_id["REC-DAILY"]) == str(end + dt.timedelta(days=90)) == "2026-07-08"
    # a policy with other days moves the dates
    other = copy(results)
    other.rating_policy["corrective_action_days"] = {"priority": 7, "standard": 60}
    assert due_date(other, other.by_id()["MC-MH-SCREEN"]) == "2026-04-16"
    assert due_date(other, other.by_id()["REC-DAILY"]) == "2026-06-08"


def test_ucap_rows_one_per_deficiency_in_order(scenario):
    rows = ucap_rows(scenario.results)
    deficient = [r.requirement_id for r in scenario.results.results if r.status == "deficient"]
    assert sorted(row["result"].requirement_id for row in rows) == sorted(deficient)
    # fix first (issue 16): priority components, repeats first among them, then the others
    ranks = [(not row["result"].priority, not row["result"].repeat) for row in rows]
    assert ranks == sorted(ranks) and rows[0]["result"].requirement_id == "MC-MH-SCREEN"  # priority, repeat
    assert [row["number"] for row in rows] == list(range(1, len(deficient) + 1))
    assert {row["status"] for row in rows} == {"Open"} and {row["owner"] for row in rows} == {""}


def test_findings_cap_evidence_and_count_the_rest(scenario):
    areas = findings_by_area(scenario.results)
    assert [a.name for a in areas] == ["Safety", "Security", "Care", "Activities", "Justice"]
    findings = {f.result.requirement_id: f for a in areas for s in a.standards for f in s.findings}
    mh = findings["MC-MH-SCREEN"]
    assert len(mh.evidence) == EVIDENCE_CAP == 25
    assert mh.more == 31 - 25
    assert mh.flags == [("Priority component", "priority"), ("Repeat deficiency", "repeat")]
    assert findings["SMU-CHECKS"].more == 0
    assert ("Waiver expired", "expired") in findings["SMU-CHECKS"].flags
    assert ("Waived", "waived") in findings["MC-DENTAL-SCREEN"].flags
    assert "FS-HOT-HOLD" not in findings  # compliant now
    # the cap is a parameter
    small = {f.result.requirement_id: f for a in findings_by_area(scenario.results, cap=5)
             for s in a.standards for f in s.findings}
    assert (len(small["MC-MH-SCREEN"].evidence), small["MC-MH-SCREEN"].more) == (5, 26)


def test_standards_of_an_area_are_in_numeric_order(scenario):
    security = next(a for a in findings_by_area(scenario.results) if a.name == "Security")
    assert [s.number for s in security.standards] == ["2.2", "2.11", "2.12", "2.15"]
    numbers = [(g["area"], g["number"]) for g in by_standard(scenario.results)]
    assert numbers.index(("Security", "2.2")) < numbers.index(("Security", "2.11"))
    # every requirement of the edition, once (the count grows with the catalogue, so it is read from it)
    every = len(load_edition("PBNDS-2011").requirements)
    assert sum(len(g["results"]) for g in by_standard(scenario.results)) == every


@pytest.mark.parametrize(
    ("new", "resolved", "repeat", "expected"),
    [
        (["A"], ["B"], ["C"], "1 deficiency is new, 1 was resolved (B) and 1 is repeated."),
        (
            ["A", "D"],
            ["B", "E"],
            ["C", "F"],
            "2 deficiencies are new, 2 were resolved (B, E) and 2 are repeated.",
        ),
        ([], [], [], "0 deficiencies are new, 0 were resolved and 0 are repeated."),
    ],
)
def test_change_since_the_previous_inspection_reads_well(scenario, new, resolved, repeat, expected):
    results = copy(scenario.results)
    results.previous = {
        "inspection_id": "INSP-2025-0001",
        "inspection_end": "2025-04-10",
        "rating": "Meets Standards",
        "deficient": ["B", "C"],
        "new": new,
        "resolved": resolved,
        "repeat": repeat,
    }
    text = conclusion(results)[-1]
    assert text.startswith(
        "Compared with the previous inspection (INSP-2025-0001, ended 2025-04-10, rated Meets Standards, "
        "2 deficiencies): "
    )
    assert text.endswith(expected)


def test_conclusion_without_deficiencies(scenario):
    results = copy(scenario.results)
    for result in results.results:
        if result.status in ("deficient", "waived"):
            result.status = "compliant"
    results.summary.deficient = results.summary.waived = 0
    results.previous = None
    text = conclusion(results)
    assert "The auditor found no deficiency." in text
    assert not any("waiver" in p for p in text)


def test_charts_escape_their_labels():
    svg = charts.bars([(SCRIPT, 3)], "bad", f"caption {SCRIPT}", "things")
    assert "<script>" not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in svg
    assert 'aria-label="caption &lt;script&gt;' in svg


def test_long_chart_labels_are_shortened_with_the_full_text_as_title():
    name = "4.6 Significant Self-harm and Suicide Prevention and Intervention"
    svg = str(charts.bars([(name, 1)], "bad", "Deficiencies by standard"))
    assert f"<title>{name}</title>" in svg
    shown = svg.split(f"<title>{name}</title>")[1].split("</text>")[0]
    assert shown.endswith("…") and name.startswith(shown[:-1])
    assert len(shown) >= 40  # the standard's name stays recognisable


def test_the_legend_fits_inside_the_chart():
    legend = [("ok", "Compliant"), ("bad", "Deficient"), ("waived", "Waived"), ("na", "Not applicable"),
              ("unassessed", "Not assessed")]
    svg = str(charts.stacked_bars([("Care", [charts.Segment(3, "ok")])], legend, "c", label_width=300))
    xs = [float(x) for x in re.findall(r'<rect fill="[^"]+" x="([\d.]+)" y="\d+" width="10"', svg)]
    assert len(xs) == len(legend)
    assert max(xs) + 14 + 6.2 * len("Not assessed") <= charts.WIDTH


def test_filters():
    assert long_date("2026-04-09") == "9 April 2026"
    assert long_date(None) == "—"
    assert percent(73.8095) == "73.8 %"
    assert percent(50.0) == "50 %"
    assert percent(None) == "—"
    assert plural(1, "row") == "1 row" and plural(2, "row") == "2 rows"


def test_view_shows_masked_evidence_only(scenario):
    view = facility_view(scenario.results)
    values = [
        c["value"]
        for area in view["areas"]
        for s in area.standards
        for f in s.findings
        for e in f.evidence
        for c in e.cells
    ]
    assert "****0002" in values
    assert not any(str(v).startswith("A0000") for v in values)
    assert isinstance(view["areas"][0].standards[0].findings[0].evidence[0], Evidence)


def test_results_without_optional_parts_still_render(scenario):
    """A results file may lack thresholds, extents, tailoring, waivers and a previous inspection."""
    from auditor.report.facility import facility_html

    data = scenario.results.to_dict()
    for row in data["results"]:
        row.pop("threshold", None)
        row.pop("extent", None)
    for key in ("tailoring", "waivers", "previous"):
        data.pop(key)
    html = facility_html(Results.from_dict(data))
    assert "Executive summary" in html and "Compared with the previous inspection" not in html
    assert "Tailored thresholds" not in html
