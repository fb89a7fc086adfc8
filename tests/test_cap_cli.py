"""`auditor cap import` and `auditor cap list`: the plan's round trip from the command line, with
its exit codes (0 recorded, 1 the plan has errors, 2 not a data folder)."""

from __future__ import annotations

import json
from pathlib import Path

from builders import InspectionBuilder
from cap_scenario import BAD, BAD_EXTRA, BAD_FOUND, FIRST, GOOD, LATER, LATER_FACILITY, fill
from typer.testing import CliRunner

from auditor.cli import app
from auditor.service.accounts import add_user
from auditor.service.workspace import Workspace


def invoke(*args: object):
    result = CliRunner().invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.output, result.output
    return result


def test_import_and_list_from_the_command_line(tmp_path: Path) -> None:
    data = tmp_path / "data"
    ws = Workspace.open(data)
    add_user(ws.db, "ada", "administrator", "a long enough password 123")
    first = InspectionBuilder().sheet("Checklist", FIRST).xlsx(tmp_path / "first.xlsx")
    assert invoke("audit", first, "--data", data, "--as", "ada").exit_code == 0
    assert invoke("ucap", first, "-o", tmp_path / "plan.xlsx").exit_code == 0

    bad = fill(tmp_path / "plan.xlsx", tmp_path / "bad.xlsx", BAD, extra=BAD_EXTRA)
    (tmp_path / "checked").mkdir()  # a folder receives the command's own file name
    result = invoke("cap", "import", bad, "--data", data, "--annotate", tmp_path / "checked")
    assert result.exit_code == 1, result.output
    for ref, *_ in BAD_FOUND:
        assert ref in result.output, ref
    assert "7 error(s), 0 warning(s)" in result.output and "Nothing was recorded" in result.output
    assert (tmp_path / "checked" / "bad-annotated.xlsx").is_file()

    good = fill(tmp_path / "plan.xlsx", tmp_path / "good.xlsx", GOOD)
    result = invoke("cap", "import", good, "--data", data, "--as", "facility")
    assert result.exit_code == 0, result.output
    assert "Recorded 3 response(s) to inspection INSP-2026-0001 at ATL-SPC-0001." in result.output

    later = InspectionBuilder(**LATER_FACILITY).sheet("Checklist", LATER).xlsx(tmp_path / "later.xlsx")
    assert invoke("audit", later, "--data", data, "--as", "ada").exit_code == 0
    result = invoke("cap", "list", "--data", data, "--facility", "ATL-SPC-0001", "--format", "json")
    assert result.exit_code == 0, result.output
    items = json.loads(result.output)["items"]
    shown = [
        {
            key: item[key]
            for key in ("facility_id", "requirement_id", "inspection", "status", "target_date", "closed_by")
        }
        for item in items
    ]
    assert shown == [
        {"facility_id": "ATL-SPC-0001", "requirement_id": "FS-STORAGE", "inspection": "INSP-2026-0002",
         "status": "open", "target_date": "2027-01-07", "closed_by": None},
        {"facility_id": "ATL-SPC-0001", "requirement_id": "EHS-FIRE-PLAN", "inspection": "INSP-2026-0001",
         "status": "verified", "target_date": "2026-05-09", "closed_by": "INSP-2026-0002"},
        {"facility_id": "ATL-SPC-0001", "requirement_id": "FS-STORAGE", "inspection": "INSP-2026-0001",
         "status": "planned", "target_date": "2026-06-30", "closed_by": None},
        {"facility_id": "ATL-SPC-0001", "requirement_id": "KLC-KEY-CONTROL", "inspection": "INSP-2026-0001",
         "status": "open", "target_date": "2026-07-08", "closed_by": None},
    ]  # fmt: skip
    text = invoke("cap", "list", "--data", data)
    assert text.exit_code == 0 and "4 corrective-action item(s)" in text.output
    assert "verified by inspection INSP-2026-0002" in text.output


def test_a_folder_that_is_no_data_folder_is_refused_not_created(tmp_path: Path) -> None:
    result = invoke("cap", "list", "--data", tmp_path / "typo")
    assert result.exit_code == 2
    assert "not an auditor data folder" in result.output and not (tmp_path / "typo").exists()
    assert invoke("cap", "list", "--data", tmp_path, "--facility", "../x").exit_code == 2
