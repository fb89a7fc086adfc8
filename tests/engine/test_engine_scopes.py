"""Scopes: an inspection that checks only some requirements, from records that hold only those.

The segregation-notices scope (standards/scopes/segregation-notices.yml) on a hand-made CSV
folder of five reports; the expected counts are worked out below, row by row.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from builders import REMOVE, InspectionBuilder, at

from auditor.errors import StandardsError
from auditor.standards.load import load_edition
from auditor.standards.scopes import available_scopes, load_scope
from auditor.workbook import declarations as decl


def _report(n: int, report_type: str, start: str, notified: str, **flags: bool) -> dict:
    return {
        "placement_id": f"R{n}",
        "detainee_id": f"D{n}",
        "kind": "administrative-segregation",
        "start": at(start),
        "end": None,  # the Release Date, often blank
        "field_office_notified": at(notified),
        # every vulnerability column, as the SRMS import writes them (empty: not recorded)
        **{name: flags.get(name) for name in ("mental_illness", "serious_medical_illness")},
        **{name: flags.get(name) for name in ("serious_disability", "suicide_risk")},
        "report_type": report_type,
    }


REPORTS = [
    # 72-hour reports: R1 on time (71 h); R2 late (73 h); R3 late, not flagged: a 72 Hour report counts
    _report(1, "72-hour", "2026-01-05 00:00", "2026-01-07 23:00", mental_illness=True),
    _report(2, "72-hour", "2026-01-05 00:00", "2026-01-08 01:00", mental_illness=True),
    _report(3, "72-hour", "2026-01-05 00:00", "2026-01-20 00:00", mental_illness=False),
    # 14-day reports: R4 on day 14 exactly (on time: limits are inclusive); R5 on day 15 (late)
    _report(4, "14-day", "2026-02-01 00:00", "2026-02-15 00:00"),
    _report(5, "14-day", "2026-02-01 00:00", "2026-02-16 00:00"),
]


@pytest.fixture
def scoped(tmp_path: Path) -> Path:
    """A facility folder as `auditor import srms` writes one: no type, standard or capacity."""
    builder = InspectionBuilder(
        facility_type=REMOVE,
        detention_standard=REMOVE,
        rated_capacity=REMOVE,
        previous_inspection_id=REMOVE,
        scope="segregation-notices",
    )
    return builder.sheet("Placements", REPORTS).csv(tmp_path / "srms-facility")


def test_the_scopes_in_standards_are_the_ones_the_workbook_allows() -> None:
    assert tuple(available_scopes()) == decl.SCOPES


def test_a_scoped_inspection_is_audited_on_its_requirements_alone(scoped: Path, cli) -> None:
    done = cli("audit", scoped, "--format", "json")
    assert done.exit_code == 0, done.output
    results = json.loads(done.stdout)
    by_id = {r["requirement_id"]: r for r in results["results"]}
    vulnerable, fourteen = by_id["SMU-NOTIFY-VULNERABLE"], by_id["SMU-NOTIFY-14D"]
    assert (vulnerable["status"], vulnerable["population"], vulnerable["violations"]) == ("deficient", 3, 2)
    assert [e["cells"][0]["value"] for e in vulnerable["evidence"]] == ["R2", "R3"]
    assert (fourteen["status"], fourteen["population"], fourteen["violations"]) == ("deficient", 2, 1)
    assert [e["cells"][0]["value"] for e in fourteen["evidence"]] == ["R5"]
    assert vulnerable["note"].startswith('Evaluated on the facility\'s SRMS "72 Hour" reports')
    assert by_id["SMU-NOTIFY-30D"]["status"] == "not_applicable"  # no 30 Day Interval report here
    scoped_ids = ("SMU-NOTIFY-VULNERABLE", "SMU-NOTIFY-14D", "SMU-NOTIFY-30D")
    others = [r for rid, r in by_id.items() if rid not in scoped_ids]
    assert {r["status"] for r in others} == {"not_assessed"}
    assert by_id["SMU-CHECKS"]["reason"] == (
        "not assessed from segregation reports: they hold no observation rounds (Checks)"
    )
    assert by_id["MC-INTAKE-SCREEN"]["reason"].startswith("outside the scope of a segregation-notice review")
    # no standard named: the scope's edition; the scope is in the results
    assert results["standards"]["edition"] == "NDS-2019"
    assert results["scope"] == {
        "id": "segregation-notices",
        "title": "Segregation notices to the field office",
        "requirements": ["SMU-NOTIFY-14D", "SMU-NOTIFY-30D", "SMU-NOTIFY-VULNERABLE"],
    }


def test_the_facilitys_own_standard_decides_the_edition_when_given(tmp_path: Path, cli) -> None:
    folder = (
        InspectionBuilder(rated_capacity=REMOVE, scope="segregation-notices")  # PBNDS-2011
        .sheet("Placements", REPORTS)
        .csv(tmp_path / "f")
    )
    results = json.loads(cli("audit", folder, "--format", "json").stdout)
    assert results["standards"]["edition"] == "PBNDS-2011"


def test_without_a_scope_the_facility_fields_stay_required(tmp_path: Path, cli) -> None:
    folder = InspectionBuilder(facility_type=REMOVE, rated_capacity=REMOVE).csv(tmp_path / "f")
    done = cli("validate", folder, "--format", "json")
    assert done.exit_code == 1
    missing = {p["column"] for p in json.loads(done.stdout)["problems"] if p["code"] == "required"}
    assert missing == {"facility_type", "rated_capacity"}


def test_an_unknown_scope_is_a_cell_problem(tmp_path: Path, cli) -> None:
    folder = InspectionBuilder(scope="everything-but").csv(tmp_path / "f")
    done = cli("validate", folder, "--format", "json")
    assert done.exit_code == 1
    (bad,) = [p for p in json.loads(done.stdout)["problems"] if p["column"] == "scope"]
    assert bad["expected"] == "one of segregation-notices"


def test_every_requirement_a_scope_names_exists_in_its_edition() -> None:
    for name in available_scopes():
        scope = load_scope(name)
        assert set(scope.requirements) <= set(load_edition(scope.edition_when_unknown).requirements)


def test_a_scope_file_with_an_unknown_field_names_its_line(tmp_path: Path) -> None:
    (tmp_path / "scopes").mkdir()
    (tmp_path / "scopes" / "odd.yml").write_text(
        "id: odd\ntitle: Odd\nedition_when_unknown: NDS-2019\nrequirements: {}\n"
        "not_assessed: {default: no}\nthreshold: 3\n"
    )
    with pytest.raises(StandardsError, match=r"odd\.yml:6: unknown field 'threshold'"):
        load_scope("odd", tmp_path)
