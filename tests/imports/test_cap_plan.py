"""Reading a returned corrective-action plan: typed cells, each bad one at its Sheet!A1, and files
that are no plan refused in one line (the workspace's side is tests/test_cap_lifecycle.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from builders import InspectionBuilder, valid_sheets
from typer.testing import CliRunner

from auditor.cli import app
from auditor.contracts.plan import RESPONSE_COLUMNS
from auditor.errors import WorkbookError
from auditor.imports.cap import check_plan, read_plan

TODAY = dt.date(2026, 8, 1)
HEADER = ["#", "Requirement", *(name for name, _ in RESPONSE_COLUMNS)]  # B, then C..H


def plan_file(path: Path, rows: list[list[object]], about: list[list[object]] | None = None) -> Path:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Corrective actions"
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    info = book.create_sheet("About")
    for row in about if about is not None else [["Facility ID", "F-1"], ["Inspection", "I-1"]]:
        info.append(row)
    book.save(path)
    return path


def test_cells_are_typed_and_blank_rows_skipped(tmp_path):
    path = plan_file(
        tmp_path / "plan.xlsx",
        [
            [1, "A-1", "Fixed it", 4711, dt.date(2026, 6, 1), dt.datetime(2026, 5, 2), "Completed", "log 7"],
            [None, None, None, None, None, None, "  ", None],
            [3, " B-2 ", None, None, "2026-07-01", None, None, None],
        ],
    )
    plan = read_plan(path)
    assert (plan.facility_id, plan.inspection_id, plan.about_refs) == (
        "F-1",
        "I-1",
        {"Facility ID": "B1", "Inspection": "B2"},
    )
    first, second = plan.responses
    assert (first.requirement_id, first.row, first.status, first.responsible) == (
        "A-1",
        2,
        "completed",
        "4711",
    )
    assert (first.target_date, first.completion_date) == (dt.date(2026, 6, 1), dt.date(2026, 5, 2))
    assert (second.requirement_id, second.row, second.status, second.target_date) == (
        "B-2",
        4,
        "open",
        dt.date(2026, 7, 1),
    )
    assert len(check_plan(plan, {"A-1", "B-2"}, today=TODAY, inspection="I-1")) == 0


@pytest.mark.parametrize(
    ("cells", "ref", "code", "value"),
    [
        ({"target": "1 July"}, "E2", "not-a-date", "1 July"),
        ({"target": "2026-7-1"}, "E2", "not-a-date", "2026-7-1"),
        ({"target": dt.date(1999, 12, 31)}, "E2", "not-a-date", "1999-12-31"),
        ({"target": 46000}, "E2", "not-a-date", 46000),
        ({"action": True}, "C2", "not-text", True),
        ({"action": "x" * 2001}, "C2", "text-too-long", "x" * 60 + "…"),
        ({"status": "closed"}, "G2", "bad-status", "closed"),
        ({"status": "[/x]"}, "G2", "bad-status", "[/x]"),
    ],
)
def test_each_bad_cell_at_its_ref(tmp_path, cells, ref, code, value):
    row: list[object] = [1, "A-1", None, None, None, None, "open", None]
    for name, cell in cells.items():
        row[{"action": 2, "target": 4, "status": 6}[name]] = cell
    plan = read_plan(plan_file(tmp_path / "plan.xlsx", [row]))
    (found,) = check_plan(plan, {"A-1"}, today=TODAY, inspection="I-1").records()
    assert (found["sheet"], found["cell"], found["code"], found["value"]) == (
        "Corrective actions",
        ref,
        code,
        value,
    )


def test_missing_columns_and_about_are_problems_not_crashes(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "Corrective actions"
    book.active.append(["#", "Requirement", "Status"])
    book.save(tmp_path / "short.xlsx")
    plan = read_plan(tmp_path / "short.xlsx")
    codes = sorted(
        (r["code"], r["sheet"], r["cell"])
        for r in check_plan(plan, set(), today=TODAY, inspection="").records()
    )
    assert codes == [
        ("plan-about", "About", None),
        ("plan-about", "About", None),
        ("plan-columns", "Corrective actions", None),
    ]


def test_files_that_are_no_plan_are_refused(tmp_path):
    (tmp_path / "plan.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(WorkbookError, match=r"plan\.xlsx: "):
        read_plan(tmp_path / "plan.xlsx")
    with pytest.raises(WorkbookError, match="no such file"):
        read_plan(tmp_path / "missing.xlsx")


def test_a_cell_that_reads_like_markup_is_shown_as_typed(tmp_path):
    """`auditor validate` printed the problems table through rich markup: a cell '[/x]' ended it with
    a MarkupError traceback. The text of cells is data."""
    rows = valid_sheets()["Intake"]
    rows[0]["sex"] = "[/x]"
    path = InspectionBuilder().sheet("Intake", rows).xlsx(tmp_path / "markup.xlsx")
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and "MarkupError" not in result.output
    assert "Intake!C2" in result.output and "'[/x]'" in result.output
