"""The corrective-action scenario the service, web and trend tests share: two inspections of one facility
and the facility's answers typed into the plan's response cells."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
from builders import day

PLAN = "Corrective actions"
FIRST = [
    {"requirement_id": "EHS-FIRE-PLAN", "finding": "deficient", "remarks": "no evacuation plan posted"},
    {"requirement_id": "FS-STORAGE", "finding": "deficient", "remarks": "pallets against the wall"},
    {"requirement_id": "KLC-KEY-CONTROL", "finding": "deficient", "remarks": "two rings unaccounted for"},
]
# Six months on: the fire plan is posted, storage is deficient again, keys were not observed.
LATER = [
    {"requirement_id": "EHS-FIRE-PLAN", "finding": "compliant", "evidence": "plan posted in every unit"},
    {"requirement_id": "FS-STORAGE", "finding": "deficient", "remarks": "pallets against the wall again"},
    {"requirement_id": "KLC-KEY-CONTROL", "finding": "not-observed"},
]
LATER_FACILITY = {
    "inspection_id": "INSP-2026-0002",
    "previous_inspection_id": "INSP-2026-0001",
    "inspection_start": day("2026-10-06"),
    "inspection_end": day("2026-10-09"),
    "review_period_start": day("2026-07-01"),
    "review_period_end": day("2026-09-30"),
}
# The plan's columns (auditor/contracts/plan.py): B requirement, M action taken, N responsible
# person, O target date, P completion date, Q status, R evidence reference.
COLUMNS = dict(
    zip(("action", "responsible", "target", "completed", "status", "evidence"), "MNOPQR", strict=True)
)


def fill(
    plan: Path, out: Path, answers: dict[int, dict[str, object]], extra: list[object] | None = None
) -> Path:
    """The facility's answers, typed into the plan's response cells by row."""
    book = openpyxl.load_workbook(plan)
    ws = book[PLAN]
    for row, cells in answers.items():
        for name, value in cells.items():
            ws[f"{COLUMNS[name]}{row}"] = value
    if extra:
        ws.append(extra)
    book.save(out)
    return out


# Back with bad cells (rows 2-4 are EHS-FIRE-PLAN, FS-STORAGE, KLC-KEY-CONTROL) and an unknown id.
BAD = {
    2: {
        "status": "completed",
        "completed": dt.date(2026, 5, 2),
        "action": "Plan posted",
    },  # no owner, evidence
    3: {"status": "verified", "target": "next week"},
    4: {"completed": dt.date(2027, 1, 1), "status": "open"},
}
BAD_EXTRA = ["5", "NOT-A-REQUIREMENT"]
BAD_FOUND = {
    ("Corrective actions!N2", "response-missing", None, "the responsible person"),
    ("Corrective actions!R2", "evidence-missing", None,
     "where the evidence of the correction is (a document, log or file)"),
    ("Corrective actions!O3", "not-a-date", "next week", "a date (YYYY-MM-DD) from 2000 to 2100"),
    ("Corrective actions!Q3", "bad-status", "verified", "open, planned or completed"),
    ("Corrective actions!Q4", "status-not-completed", "open", "completed (or no completion date)"),
    ("Corrective actions!P4", "completion-in-future", "2027-01-01",
     "the day the action was completed, not a later one"),
    ("Corrective actions!B5", "unknown-requirement", "NOT-A-REQUIREMENT",
     "a requirement id of the plan as it went out"),
}  # fmt: skip

# Back, good: the fire plan completed with its evidence, storage planned, keys left open.
GOOD = {
    2: {
        "status": "completed",
        "completed": dt.date(2026, 5, 2),
        "action": "Evacuation plan posted in every unit",
        "responsible": "Fire safety officer",
        "evidence": "Photos 2026-05-02, unit log",
    },
    3: {"status": "Planned", "target": dt.date(2026, 6, 30), "action": "Racks", "responsible": "Food"},
}
