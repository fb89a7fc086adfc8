"""The corrective-action plan workbook: the plan, every evidence row, and no formula from input text."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest
from report_scenarios import DUE_PRIORITY, DUE_STANDARD, FORMULA_REMARKS, formula_builder

from auditor.contracts.plan import RESPONSE_STATUSES
from auditor.contracts.results import Evidence, Results
from auditor.core import audit_inspection
from auditor.report.ucap import EVIDENCE_COLUMNS, PLAN_COLUMNS, write_ucap

FORMULA_STARTS = ("=", "+", "-", "@")


@pytest.fixture(scope="module")
def formula_results(tmp_path_factory) -> Results:
    """The valid inspection with remarks and food-log text that start like formulas."""
    done = audit_inspection(formula_builder().xlsx(tmp_path_factory.mktemp("formula") / "formula.xlsx"))
    assert done.results is not None, done.loaded.problems.records()
    return done.results


@pytest.fixture(scope="module")
def plan(formula_results, tmp_path_factory) -> Path:
    return write_ucap(formula_results, tmp_path_factory.mktemp("ucap") / "plan.xlsx")


def cells(book: openpyxl.Workbook):
    for ws in book.worksheets:
        for row in ws.iter_rows():
            yield from row


def assert_no_formula(path: Path) -> None:
    book = openpyxl.load_workbook(path)
    formulas = [f"{c.parent.title}!{c.coordinate}" for c in cells(book) if c.data_type == "f"]
    assert formulas == []
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name), name


def test_no_cell_is_a_formula_and_formula_like_text_stays_text(plan, formula_results):
    assert_no_formula(plan)
    book = openpyxl.load_workbook(plan)
    risky = [c for c in cells(book) if isinstance(c.value, str) and c.value.startswith(FORMULA_STARTS)]
    assert risky, "the inspection puts formula-like text in the plan"
    for cell in risky:
        assert cell.data_type == "s"
        assert cell.quotePrefix, f"{cell.parent.title}!{cell.coordinate}"
    # the inspector's remarks, whole, in the plan's Finding column and the evidence annex
    ws = book["Corrective actions"]
    finding_col = [name for name, _ in PLAN_COLUMNS].index("Finding") + 1
    by_requirement = {ws.cell(row, 2).value: row for row in range(2, ws.max_row + 1)}
    # (the valid sheets' FS-STORAGE was corrected on site: ODO's C-1, the plan's only correction)
    assert ws.cell(by_requirement["FS-STORAGE"], finding_col).value == (
        f"{FORMULA_REMARKS} Corrected during the inspection (C-1)."
    )
    evidence = book["Evidence"]
    details = [evidence.cell(row, 6).value for row in range(2, evidence.max_row + 1)]
    assert FORMULA_REMARKS in details
    # the food-log location and item that start like formulas are kept, as typed
    food = [
        evidence.cell(row, 5).value
        for row in range(2, evidence.max_row + 1)
        if evidence.cell(row, 1).value == "FS-HOT-HOLD"
    ]
    # cells named by their glossary labels (Location, Food or equipment), values as typed
    item = "Food or equipment"
    assert any("Location=+cmd|' /C calc'!A0" in text and f"{item}=@SUM(1+1)" in text for text in food)
    assert any("Location=-2+3" in text and f"{item}==1+1" in text for text in food)


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t"])
def test_every_text_field_starting_like_a_formula_is_neutralised(small_results, tmp_path, start):
    results = Results.from_dict(small_results.to_dict())
    (finding,) = [r for r in results.results if r.status == "deficient"]
    hostile = f"{start}cmd|' /C calc'!A0"
    finding.title = finding.citation = finding.corrective_action = hostile
    finding.remarks = None
    finding.evidence = [
        Evidence(sheet=hostile, row=None, cells=[], detail=hostile),
        Evidence(
            sheet="Checklist",
            row=3,
            cells=[{"column": "remarks", "ref": "C3", "value": hostile}],
            detail=hostile,
        ),
    ]
    finding.evidence_total = 2
    results.facility["facility_name"] = hostile
    path = write_ucap(results, tmp_path / "plan.xlsx")
    assert_no_formula(path)
    book = openpyxl.load_workbook(path)
    kept = [c for c in cells(book) if isinstance(c.value, str) and c.value.startswith(hostile)]
    # plan: title, citation, finding (+ "and 1 more"), corrective action; evidence: sheet, detail twice;
    # about: the facility name
    assert sorted(f"{c.parent.title}!{c.coordinate}" for c in kept) == [
        "About!B1",
        "Corrective actions!C2",
        "Corrective actions!E2",
        "Corrective actions!J2",
        "Corrective actions!K2",
        "Evidence!C2",
        "Evidence!F2",
        "Evidence!F3",
    ]
    assert all(c.data_type == "s" and c.quotePrefix for c in kept)


def test_plan_has_frozen_header_filters_widths_and_response_columns_with_rules(plan, formula_results):
    book = openpyxl.load_workbook(plan)
    assert book.sheetnames == ["Corrective actions", "Evidence needed", "Evidence", "About"]
    ws = book["Corrective actions"]
    header = [ws.cell(1, col).value for col in range(1, len(PLAN_COLUMNS) + 1)]
    assert header == [n for n, _ in PLAN_COLUMNS]
    assert header[11:] == [
        "Due",
        "Action taken",
        "Responsible person",
        "Target date",
        "Completion date",
        "Status",
        "Evidence reference",
    ]
    assert ws.freeze_panes == "A2"
    deficient = [r for r in formula_results.results if r.status == "deficient"]
    last = len(deficient) + 1
    assert ws.max_row == last
    assert ws.auto_filter.ref == f"A1:R{last}"
    assert ws.column_dimensions["C"].width == 42
    assert ws.column_dimensions["J"].width == 60
    rules = {str(v.sqref): v for v in ws.data_validations.dataValidation}
    # the status dropdown (Q), dates within 2000-2100 (O, P), text within 2,000 characters (M, N, R)
    assert rules[f"Q2:Q{last}"].type == "list"
    assert (
        rules[f"Q2:Q{last}"].formula1 == '"open,planned,completed"' == '"' + ",".join(RESPONSE_STATUSES) + '"'
    )
    dates = rules[f"O2:O{last} P2:P{last}"]
    assert (dates.type, dates.operator, dates.formula1, dates.formula2) == (
        "date",
        "between",
        "36526",
        "73415",
    )
    assert dt.date(1899, 12, 30) + dt.timedelta(days=36526) == dt.date(2000, 1, 1)
    assert dt.date(1899, 12, 30) + dt.timedelta(days=73415) == dt.date(2100, 12, 31)
    text = rules[f"M2:M{last} N2:N{last} R2:R{last}"]
    assert (text.type, text.operator, text.formula1) == ("textLength", "lessThanOrEqual", "2000")
    assert all(v.showErrorMessage and v.allow_blank for v in rules.values())
    assert len(rules) == 3
    responses = [[ws.cell(row, col).value for col in range(13, 19)] for row in range(2, last + 1)]
    assert responses == [[None, None, None, None, "open", None]] * len(deficient)
    assert ws["O2"].number_format == ws["P2"].number_format == "yyyy-mm-dd"
    about = dict(book["About"].iter_rows(values_only=True))
    assert about["Facility ID"] == formula_results.facility["facility_id"]
    assert about["Inspection"] == formula_results.inspection["inspection_id"]


def test_plan_rows_are_due_by_severity(plan, formula_results):
    ws = openpyxl.load_workbook(plan)["Corrective actions"]
    header = [c.value for c in ws[1]]
    rows = [dict(zip(header, (c.value for c in row), strict=True)) for row in ws.iter_rows(min_row=2)]
    priority = {r.requirement_id for r in formula_results.results if r.status == "deficient" and r.priority}
    assert priority == {"MC-MH-SCREEN", "MC-HEALTH-ASSESS", "SSH-CONSTANT"}
    for row in rows:
        expected = DUE_PRIORITY if row["Requirement"] in priority else DUE_STANDARD
        assert row["Due"] == dt.datetime.fromisoformat(expected), row["Requirement"]
        assert row["Severity"] == ("Priority" if row["Requirement"] in priority else "Standard")
    assert [row["#"] for row in rows] == list(range(1, len(rows) + 1))


def test_evidence_sheet_holds_every_evidence_row(plan, formula_results):
    book = openpyxl.load_workbook(plan)
    ws = book["Evidence"]
    assert [c.value for c in ws[1]] == [name for name, _ in EVIDENCE_COLUMNS]
    assert ws.freeze_panes == "A2"
    shown = ("deficient", "waived", "indeterminate")  # indeterminate: the evidence they need
    expected = sum(r.evidence_total for r in formula_results.results if r.status in shown)
    assert expected > 100  # FS-TEMP-LOG-DAILY alone has 89
    assert ws.max_row - 1 == expected
    assert ws.auto_filter.ref == f"A1:G{expected + 1}"
    per_requirement: dict[str, int] = {}
    for row in ws.iter_rows(min_row=2, max_col=1, values_only=True):
        per_requirement[row[0]] = per_requirement.get(row[0], 0) + 1
    assert per_requirement["FS-TEMP-LOG-DAILY"] == 89
    # masked identifiers only
    values = " ".join(str(c.value) for c in cells(book) if c.value is not None)
    assert "****0002" in values
    assert "A000000002" not in values


def test_waived_evidence_is_in_the_annex(scenario, tmp_path):
    """A waived deficiency has no corrective action due, but its evidence stays in the annex."""
    results = scenario.results
    book = openpyxl.load_workbook(write_ucap(results, tmp_path / "plan.xlsx"))
    plan = [row[1] for row in book["Corrective actions"].iter_rows(min_row=2, values_only=True)]
    evidence = [row[0] for row in book["Evidence"].iter_rows(min_row=2, values_only=True)]
    assert "MC-DENTAL-SCREEN" not in plan
    assert evidence.count("MC-DENTAL-SCREEN") == results.by_id()["MC-DENTAL-SCREEN"].evidence_total == 2
    assert evidence.count("MC-MH-SCREEN") == 31  # every row, not the report's 25
    shown = [r for r in results.results if r.status in ("deficient", "waived", "indeterminate")]
    assert len(evidence) == sum(r.evidence_total for r in shown)
