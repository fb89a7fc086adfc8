"""Five components ODO marks priority in one edition only: each flag follows ODO in that edition, the
other edition keeps its own, and a deficiency of one is counted as a priority deficiency end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from builders import InspectionBuilder, day
from typer.testing import CliRunner

from auditor.cli import app
from auditor.standards.load import load_edition

# requirement → (the edition where ODO marks it a priority component, the component there)
ODO_PRIORITY = {
    "SSH-CLOSE-CHECKS": ("PBNDS-2011", "SSHSPI-34"),
    "STAFF-SUICIDE-TRAINING": ("NDS-2019", "SSHSPI-2"),
    "EHS-FIRE-DRILL": ("NDS-2019", "EHS-33"),
    "STAFF-SAAPI-TRAINING": ("NDS-2019", "SAAPI-26"),
    "DH-HANDBOOK": ("NDS-2019", "DH-9"),
}
OTHER = {"PBNDS-2011": "NDS-2019", "NDS-2019": "PBNDS-2011"}


@pytest.mark.parametrize("rid", sorted(ODO_PRIORITY))
def test_the_flag_follows_odo_in_its_edition_only(rid: str) -> None:
    edition, component = ODO_PRIORITY[rid]
    flagged = load_edition(edition).requirements[rid]
    assert (flagged.priority, flagged.odo_component) == (True, component)
    assert load_edition(OTHER[edition]).requirements[rid].priority is False


@pytest.mark.parametrize("rid", sorted(ODO_PRIORITY))
def test_nds_2025_inherits_the_nds_2019_flag(rid: str) -> None:
    # NDS-2025 extends NDS-2019 and none of these files has a variant of its own for it
    assert load_edition("NDS-2025").requirements[rid].priority == (ODO_PRIORITY[rid][0] == "NDS-2019")


@pytest.mark.parametrize("rid", sorted(ODO_PRIORITY))
def test_the_source_says_the_flag_follows_odo(rid: str) -> None:
    edition, component = ODO_PRIORITY[rid]
    source = load_edition(edition).requirements[rid].confidence_source
    assert "does not yet follow" not in source
    assert f"{component} (" in source and "as this edition's priority flag follows" in source


def staff_workbook(path: Path, edition: str) -> Path:
    """Inspection starts 2026-04-06, so training is due on or after 2025-04-06. S-0001's SAAPI training
    (2025-04-05) is a day stale: 1 violation in a population of 2 (S-0003 supervises nobody). Both
    supervisors' suicide-prevention training is current: a priority requirement, compliant."""
    rows = [
        {"staff_id": "S-0001", "role": "custody", "supervises_detainees": True,
         "suicide_prevention_training": day("2025-10-01"), "saapi_training": day("2025-04-05")},
        {"staff_id": "S-0002", "role": "custody", "supervises_detainees": True,
         "suicide_prevention_training": day("2025-10-01"), "saapi_training": day("2026-01-10")},
        {"staff_id": "S-0003", "role": "administration", "supervises_detainees": False,
         "suicide_prevention_training": None, "saapi_training": None},
    ]  # fmt: skip
    return InspectionBuilder(detention_standard=edition).sheet("Staff", rows).xlsx(path)


@pytest.mark.parametrize(
    ("edition", "priority", "priority_deficiencies", "fail_on_priority_exit"),
    [("NDS-2019", True, 1, 3), ("NDS-2025", True, 1, 3), ("PBNDS-2011", False, 0, 0)],
)
def test_a_stale_saapi_training_is_a_priority_deficiency_under_nds_2019(
    tmp_path: Path, edition: str, priority: bool, priority_deficiencies: int, fail_on_priority_exit: int
) -> None:
    path = staff_workbook(tmp_path / "inspection.xlsx", edition)
    done = CliRunner().invoke(app, ["audit", str(path), "--format", "json"], catch_exceptions=False)
    assert done.exit_code == 0, done.output
    data = json.loads(done.stdout)
    results = {r["requirement_id"]: r for r in data["results"]}
    saapi, suicide = results["STAFF-SAAPI-TRAINING"], results["STAFF-SUICIDE-TRAINING"]
    assert (saapi["status"], saapi["population"], saapi["violations"], saapi["priority"]) == (
        "deficient", 2, 1, priority
    )  # fmt: skip
    assert (suicide["status"], suicide["priority"]) == ("compliant", priority)  # priority, but not deficient
    # nothing else is deficient: every other requirement lacks its sheet
    assert [r for r, v in results.items() if v["status"] == "deficient"] == ["STAFF-SAAPI-TRAINING"]
    assert data["summary"]["priority_deficiencies"] == priority_deficiencies
    failed = CliRunner().invoke(app, ["audit", str(path), "--fail-on", "priority"], catch_exceptions=False)
    assert failed.exit_code == fail_on_priority_exit, failed.output


def test_larkin_county_jail_counts_its_stale_saapi_training_as_a_fifth_priority_deficiency() -> None:
    """The NDS-2019 sample (inspection from 2026-04-06): 70 of its 80 staff supervise detainees and 7 of
    them were last SAAPI-trained before 2025-04-06 (2024-06-17 twice, 2024-07-09, 2024-09-20,
    2024-11-17, 2024-11-22, 2025-02-13; the next is 2025-05-12). Its four other priority deficiencies
    are unchanged; the suicide-prevention training, fire drills and handbooks are priority there now
    but compliant, so they add nothing."""
    folder = Path(__file__).resolve().parents[2] / "sample_data" / "larkin-county-jail" / "inspection"
    done = CliRunner().invoke(app, ["audit", str(folder), "--format", "json"], catch_exceptions=False)
    assert done.exit_code == 0, done.output
    data = json.loads(done.stdout)
    results = {r["requirement_id"]: r for r in data["results"]}
    saapi = results["STAFF-SAAPI-TRAINING"]
    assert (saapi["status"], saapi["population"], saapi["violations"], saapi["priority"]) == (
        "deficient", 70, 7, True
    )  # fmt: skip
    priority = sorted(r for r, v in results.items() if v["status"] == "deficient" and v["priority"])
    before = ["AR-JUVENILE", "EHS-HAZCOM-PROGRAM", "MC-MH-REFERRAL", "SSH-CONSTANT"]  # priority already
    assert priority == [*before, "STAFF-SAAPI-TRAINING"]
    assert data["summary"]["priority_deficiencies"] == 5
    for rid in ("STAFF-SUICIDE-TRAINING", "EHS-FIRE-DRILL", "DH-HANDBOOK"):
        assert (results[rid]["status"], results[rid]["priority"]) == ("compliant", True)
