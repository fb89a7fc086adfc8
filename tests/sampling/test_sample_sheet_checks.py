"""The Sample sheet is checked against the sheets it names: its rows are records of its population
sheet, and one sample has one design."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from builders import InspectionBuilder, refs

from auditor.workbook.inspection import load

DESIGN = {
    "population": 3,
    "confidence": 0.95,
    "margin": 0.10,
    "expected_rate": 0,
    "seed": 42,
    "method": "by hand",
}


def grievances(count: int = 3) -> list[dict]:
    start = dt.datetime(2026, 2, 1, 8, 0)
    return [
        {"grievance_id": f"G{i}", "kind": "informal", "received": start + dt.timedelta(hours=i)}
        for i in range(1, count + 1)
    ]


def drawn(*rows: dict) -> list[dict]:
    return [{"population_sheet": "Grievances", "compliant": True} | DESIGN | row for row in rows]


def problems(tmp_path: Path, sample: list[dict], *, with_grievances: bool = True):
    builder = InspectionBuilder().sheet("Sample", sample)
    if with_grievances:
        builder.sheet("Grievances", grievances())
    return load(builder.xlsx(tmp_path / "inspection.xlsx")).problems.frame


def test_a_consistent_sample_of_real_rows_has_no_problem(tmp_path):
    frame = problems(tmp_path, drawn({"sheet_row": 2}, {"sheet_row": 4, "compliant": False}))
    assert refs(frame, severity="error") == []


def test_a_row_that_is_no_record_of_the_population_is_an_error_at_its_cell(tmp_path):
    # Grievances holds rows 2 to 4: row 5 is past its last record, row 1 its header
    frame = problems(tmp_path, drawn({"sheet_row": 2}, {"sheet_row": 5}))
    assert refs(frame, "sample_unknown_row") == ["Sample!I3"]  # sheet_row: the builder wrote it last


def test_a_sample_of_a_sheet_the_workbook_lacks_is_an_error(tmp_path):
    frame = problems(tmp_path, drawn({"sheet_row": 2}), with_grievances=False)
    assert refs(frame, "sample_unknown_sheet") == ["Sample!A2"]


def test_rows_of_one_sample_that_disagree_on_the_design_are_errors_where_they_differ(tmp_path):
    frame = problems(tmp_path, drawn({"sheet_row": 2}, {"sheet_row": 3, "seed": 43}, {"sheet_row": 4}))
    assert refs(frame, "sample_design_differs") == ["Sample!G3"]  # seed: the 7th column the builder wrote
