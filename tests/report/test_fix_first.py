"""What to fix first: one order for the report's first page and the plan, checked against a hand order."""

from __future__ import annotations

import datetime as dt

import openpyxl
from report_scenarios import pdf_text

from auditor.contracts.results import Extent, Result, Results
from auditor.report.facility import facility_pdf
from auditor.report.fix_first import due_date, fix_first
from auditor.report.ucap import write_ucap
from auditor.report.view import ucap_rows


def _result(rid: str, *, priority=False, repeat=False, violations=0, population=0, status="deficient"):
    extent = (
        Extent(violations, population, round(100 * violations / population, 1), "") if population else None
    )
    return Result(
        requirement_id=rid,
        status=status,
        priority=priority,
        repeat=repeat,
        population=population,
        violations=violations,
        evidence=[],
        title=f"Title of {rid}",
        corrective_action=f"Correct {rid}",
        area="Care",
        standard_number="4.3",
        standard_name="Medical Care",
        extent=extent,
    )


def hand_results(base: Results) -> Results:
    results = Results.from_dict(base.to_dict())
    results.inspection["inspection_end"] = "2026-04-09"
    results.rating_policy["corrective_action_days"] = {"priority": 30, "standard": 90}
    results.results = [
        _result("STD-HALF-FEW", violations=5, population=10),  # 50 %, 5 violations
        _result("STD-OBSERVED"),  # an observation: no extent, after every share
        _result("PRI-WIDE", priority=True, violations=9, population=10),  # 90 %
        _result("STD-HALF-MANY-B", violations=10, population=20),  # 50 %, 10 violations
        _result("RPT-NARROW", repeat=True, violations=1, population=20),  # 5 %
        _result("STD-HALF-MANY-A", violations=10, population=20),  # ties B: by id
        _result("PRI-REP-NARROW", priority=True, repeat=True, violations=1, population=10),  # 10 %
        _result("WAIVED", priority=True, repeat=True, violations=9, population=10, status="waived"),
        _result("FINE", status="compliant", population=10),
    ]
    return results


EXPECTED = [
    "PRI-REP-NARROW",  # priority and repeat, although only 10 %
    "PRI-WIDE",  # priority
    "RPT-NARROW",  # repeat, although only 5 %
    "STD-HALF-MANY-A",  # 50 % with 10 violations, A before B
    "STD-HALF-MANY-B",
    "STD-HALF-FEW",  # 50 % with 5 violations
    "STD-OBSERVED",  # no extent
]


def test_fix_first_orders_priority_then_repeat_then_extent_then_id(small_results):
    results = hand_results(small_results)
    assert [r.requirement_id for r in fix_first(results)] == EXPECTED
    rows = ucap_rows(results)
    assert [(row["number"], row["result"].requirement_id) for row in rows] == list(
        enumerate(EXPECTED, start=1)
    )
    due = {row["result"].requirement_id: row["due"] for row in rows}
    assert due["PRI-WIDE"] == due["PRI-REP-NARROW"] == "2026-05-09"  # 9 April + 30 days
    assert due["RPT-NARROW"] == due["STD-OBSERVED"] == "2026-07-08"  # 9 April + 90 days


def test_due_days_come_from_the_policy_and_a_bad_policy_falls_back(small_results):
    results = hand_results(small_results)
    priority = results.results[2]
    results.rating_policy["corrective_action_days"] = {"priority": 14, "standard": 60}
    assert due_date(results, priority) == "2026-04-23"
    results.rating_policy["corrective_action_days"] = {"priority": "soon", "standard": -1}
    assert due_date(results, priority) == "2026-05-09"  # a results file is an input: defaults, no crash


def test_the_plan_workbook_follows_the_same_order(small_results, tmp_path):
    results = hand_results(small_results)
    ws = openpyxl.load_workbook(write_ucap(results, tmp_path / "plan.xlsx"))["Corrective actions"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert [row[1] for row in rows] == EXPECTED
    assert [row[0] for row in rows] == list(range(1, 8))
    assert rows[0][11] == dt.datetime(2026, 5, 9)


def test_the_first_page_lists_what_to_fix_first(small_results, tmp_path):
    results = hand_results(small_results)
    pages = pdf_text(facility_pdf(results, tmp_path / "report.pdf")).split("\f")
    first = " ".join(pages[0].split())
    assert "What to fix first" in first
    shown = [rid for rid in EXPECTED if rid in first]
    assert shown == EXPECTED[:3]  # the first three, in order, each with its action and due date
    assert first.index("PRI-REP-NARROW") < first.index("PRI-WIDE") < first.index("RPT-NARROW")
    for rid in EXPECTED[:3]:
        assert f"Correct {rid}" in first
    assert first.count("9 May 2026") == 2 and "8 July 2026" in first
    assert "4 more in the corrective-action plan, in the same order" in first
    assert "this is not an ICE rating" in first  # the cover still ends on its policy note
    assert "What to fix first" not in " ".join(pages[1].split())
