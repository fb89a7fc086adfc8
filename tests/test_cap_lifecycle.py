"""The corrective-action plan's round trip in a workspace, with known answers at every step:
audit → items open → plan out → plan back with bad cells (refused, each by Sheet!A1) → plan back
good (recorded) → a later inspection closes what it decides compliant, keeps the rest open."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from builders import InspectionBuilder, day
from cap_scenario import BAD, BAD_EXTRA, BAD_FOUND, FIRST, GOOD, LATER, LATER_FACILITY, PLAN, fill

from auditor.contracts.results import Results
from auditor.errors import WorkbookError
from auditor.report.ucap import write_ucap
from auditor.service.accounts import add_user
from auditor.service.audits import audit_file
from auditor.service.cap import PlanRefused, import_plan, list_items, open_counts
from auditor.service.workspace import Workspace

PASSWORD = "a long enough password 123"
TODAY = dt.date(2026, 8, 1)  # after every due date of the first inspection (9 May, 8 July)


@pytest.fixture
def audited(tmp_path: Path):
    ws = Workspace.open(tmp_path / "data")
    ada = add_user(ws.db, "ada", "administrator", PASSWORD)
    first = audit_file(ws, InspectionBuilder().sheet("Checklist", FIRST).xlsx(tmp_path / "first.xlsx"), ada)
    assert first.upload["status"] == "audited", first.upload["message"]
    assert first.results is not None
    yield ws, ada, first.results
    ws.close()


def plan_out(results: Results, path: Path) -> Path:
    return write_ucap(results, path)


def items(ws: Workspace, **kwargs) -> dict[str, dict]:
    return {f"{i['inspection']} {i['requirement_id']}": i for i in list_items(ws.db, today=TODAY, **kwargs)}


def test_an_audit_opens_one_item_per_deficiency_due_per_the_policy(audited):
    ws = audited[0]
    got = items(ws)
    assert sorted(got) == [
        "INSP-2026-0001 EHS-FIRE-PLAN",
        "INSP-2026-0001 FS-STORAGE",
        "INSP-2026-0001 KLC-KEY-CONTROL",
    ]
    fire, storage = got["INSP-2026-0001 EHS-FIRE-PLAN"], got["INSP-2026-0001 FS-STORAGE"]
    assert (fire["status"], fire["priority"], fire["due_date"], fire["target_date"]) == (
        "open",
        True,
        "2026-05-09",  # 9 April + 30 days (priority)
        "2026-05-09",
    )
    assert (storage["due_date"], storage["overdue"]) == ("2026-07-08", True)  # + 90 days, past on 1 August
    before = list_items(ws.db, today=dt.date(2026, 5, 9))
    assert [i["overdue"] for i in before] == [False, False, False]  # due that day: not yet overdue
    assert open_counts(ws.db, today=TODAY) == {"ATL-SPC-0001": {"open": 3, "overdue": 3}}


def test_the_whole_round_trip_and_closure_by_a_later_inspection(audited, tmp_path):
    ws, ada, results = audited
    plan = plan_out(results, tmp_path / "plan.xlsx")
    sheet = openpyxl.load_workbook(plan)[PLAN]
    # the plan's order: the priority component first, then by id (equal extent)
    assert [sheet[f"B{row}"].value for row in (2, 3, 4)] == ["EHS-FIRE-PLAN", "FS-STORAGE", "KLC-KEY-CONTROL"]

    # 1. back with bad cells: every one reported at its cell, nothing recorded
    bad = fill(plan, tmp_path / "bad.xlsx", BAD, extra=BAD_EXTRA)
    done = import_plan(ws, bad, by="facility", annotate_to=tmp_path / "bad-annotated.xlsx", today=TODAY)
    assert not done.accepted and done.recorded == 0
    found = {
        (r["sheet"] + "!" + r["cell"], r["code"], r["value"], r["expected"]) for r in done.problems.records()
    }
    assert found == BAD_FOUND
    unknown = next(r for r in done.problems.records() if r["code"] == "unknown-requirement")
    assert unknown["message"] == (
        "NOT-A-REQUIREMENT is not a deficiency of inspection INSP-2026-0001 at facility ATL-SPC-0001"
    )
    annotated = openpyxl.load_workbook(done.annotated)
    assert annotated.sheetnames[0] == "Problems"
    assert (
        "next week" in annotated[PLAN]["O3"].comment.text
        or "not a date" in annotated[PLAN]["O3"].comment.text
    )
    assert annotated[PLAN]["Q3"].fill.fgColor.rgb.endswith("F8B4B4")
    assert {i["status"] for i in items(ws).values()} == {"open"}  # nothing recorded

    # 2. back, good: each response recorded, the statuses the facility gave
    good = fill(plan, tmp_path / "good.xlsx", GOOD)
    done = import_plan(ws, good, by="facility", today=TODAY)
    assert done.accepted and done.recorded == 3 and len(done.problems) == 0
    got = items(ws)
    fire, storage, keys = (
        got[f"INSP-2026-0001 {rid}"] for rid in ("EHS-FIRE-PLAN", "FS-STORAGE", "KLC-KEY-CONTROL")
    )
    assert (fire["status"], fire["completion_date"], fire["overdue"]) == ("completed", "2026-05-02", False)
    assert (storage["status"], storage["target_date"], storage["overdue"]) == ("planned", "2026-06-30", True)
    assert (keys["status"], keys["target_date"], keys["overdue"]) == ("open", "2026-07-08", True)
    assert fire["closed_by"] is None  # the facility's word closes nothing

    # 3. a later inspection: compliant closes, deficient again stays open as a repeat, not observed stays
    later = InspectionBuilder(**LATER_FACILITY).sheet("Checklist", LATER).xlsx(tmp_path / "later.xlsx")
    second = audit_file(ws, later, ada)
    assert second.upload["status"] == "audited", second.upload["message"]
    assert second.results.by_id()["FS-STORAGE"].repeat  # the engine calls it a repeat deficiency too
    got = items(ws)
    fire, storage, keys = (
        got[f"INSP-2026-0001 {rid}"] for rid in ("EHS-FIRE-PLAN", "FS-STORAGE", "KLC-KEY-CONTROL")
    )
    assert (fire["status"], fire["closed_by"], fire["overdue"]) == ("verified", "INSP-2026-0002", False)
    assert (storage["status"], storage["closed_by"], storage["repeated_in"]) == (
        "planned",
        None,
        ["INSP-2026-0002"],
    )
    assert (keys["status"], keys["closed_by"], keys["repeated_in"]) == ("open", None, [])
    assert got["INSP-2026-0002 FS-STORAGE"]["status"] == "open"  # the later inspection's own item
    assert got["INSP-2026-0002 FS-STORAGE"]["due_date"] == "2027-01-07"  # 9 October + 90 days
    assert sorted(got) == [
        "INSP-2026-0001 EHS-FIRE-PLAN",
        "INSP-2026-0001 FS-STORAGE",
        "INSP-2026-0001 KLC-KEY-CONTROL",
        "INSP-2026-0002 FS-STORAGE",
    ]
    assert open_counts(ws.db, today=TODAY) == {"ATL-SPC-0001": {"open": 3, "overdue": 2}}

    # 4. the plan answered again after closure: kept, with a warning; the item stays verified
    again = import_plan(ws, good, by="facility", today=TODAY)
    assert again.accepted and [(r["cell"], r["severity"], r["code"]) for r in again.problems.records()] == [
        ("B2", "warning", "already-verified")
    ]
    assert items(ws)["INSP-2026-0001 EHS-FIRE-PLAN"]["status"] == "verified"


def test_an_earlier_inspection_audited_later_closes_nothing(audited, tmp_path):
    """Evidence must come after the finding: an inspection that ended before it cannot verify it."""
    ws, ada, _ = audited
    earlier = InspectionBuilder(
        inspection_id="INSP-2025-0001",
        previous_inspection_id=None,
        inspection_start=day("2025-10-06"),
        inspection_end=day("2025-10-09"),
        review_period_start=day("2025-07-01"),
        review_period_end=day("2025-09-30"),
    ).sheet("Checklist", [{"requirement_id": "EHS-FIRE-PLAN", "finding": "compliant", "evidence": "ok"}])
    assert audit_file(ws, earlier.xlsx(tmp_path / "earlier.xlsx"), ada).upload["status"] == "audited"
    assert items(ws)["INSP-2026-0001 EHS-FIRE-PLAN"]["status"] == "open"


def test_a_plan_for_an_inspection_not_here_or_not_a_plan_is_refused(audited, tmp_path):
    ws, _, results = audited
    other = Results.from_dict(results.to_dict())
    other.inspection["inspection_id"] = "INSP-1999-0001"
    done = import_plan(ws, plan_out(other, tmp_path / "other.xlsx"), today=TODAY)
    assert not done.accepted
    (about,) = [r for r in done.problems.records() if r["code"] == "unknown-inspection"]
    assert (about["sheet"], about["cell"], about["value"]) == ("About", "B5", "INSP-1999-0001")
    workbook = InspectionBuilder().sheet("Checklist", FIRST).xlsx(tmp_path / "inspection.xlsx")
    with pytest.raises(WorkbookError, match="no sheet 'Corrective actions': not a corrective-action plan"):
        import_plan(ws, workbook, today=TODAY)
    text = tmp_path / "plan.xlsx.txt"
    text.write_text("requirement,status\n")
    with pytest.raises(WorkbookError, match="this is a text"):
        import_plan(ws, text, today=TODAY)


def test_only_administrators_and_the_facilitys_inspectors_answer(audited, tmp_path):
    ws, _, results = audited
    stranger = add_user(ws.db, "stranger", "inspector", PASSWORD)
    plan = plan_out(results, tmp_path / "plan.xlsx")
    with pytest.raises(PlanRefused, match="facility ATL-SPC-0001 is not one of yours"):
        import_plan(ws, plan, user=stranger, today=TODAY)
    assert list_items(ws.db, user=stranger, today=TODAY) == []
