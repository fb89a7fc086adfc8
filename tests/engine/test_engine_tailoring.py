"""Tailoring: an administrator's thresholds for one facility change verdicts and are reported."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from auditor.configs.tailoring import load_tailoring
from auditor.errors import ConfigError
from auditor.standards.load import load_edition

if TYPE_CHECKING:
    from conftest import Audit, Check

PBNDS = load_edition("PBNDS-2011")
SCREENED_AFTER_10_HOURS = [
    {"detainee_id": "D0001", "arrival": "2026-01-05 08:00", "medical_screening": "2026-01-05 18:00"},
    {"detainee_id": "D0002", "arrival": "2026-01-05 08:00", "medical_screening": "2026-01-05 12:00"},
]


def tailoring_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "tailoring.yml"
    path.write_text(text, encoding="utf-8")
    return path


EIGHT_HOURS = """\
facility_id: SPC-0001
approved_by: J. Rivera, Field Office Director
reason: >-
  The facility's medical contract requires screening within 8 hours.
overrides:
  MC-INTAKE-SCREEN:
    limit: {hours: 8}
"""


def test_tailored_8_hour_screening_turns_a_10_hour_screening_deficient(tmp_path: Path, check: Check) -> None:
    tailoring = load_tailoring(tailoring_file(tmp_path, EIGHT_HOURS), PBNDS, "SPC-0001")
    default = check("MC-INTAKE-SCREEN", Intake=SCREENED_AFTER_10_HOURS)
    tailored = check("MC-INTAKE-SCREEN", Intake=SCREENED_AFTER_10_HOURS, tailoring=tailoring)
    assert (default.status, default.violations) == ("compliant", 0)
    assert (tailored.status, tailored.population, tailored.violations) == ("deficient", 2, 1)
    assert tailored.evidence[0].detail == "medical_screening 10 h after arrival (limit 8 hours)"
    assert tailored.threshold is not None and default.threshold is not None
    assert tailored.threshold.tailored is True
    assert tailored.threshold.text == "medical_screening within 8 hours of arrival"
    assert tailored.threshold.default_text == "medical_screening within 12 hours of arrival"
    assert tailored.threshold.parameters == {"limit": {"hours": 8}}
    assert (default.threshold.tailored, default.threshold.default_text) == (False, None)


def test_tailoring_is_reported_in_the_results(tmp_path: Path, audit: Audit) -> None:
    tailoring = load_tailoring(tailoring_file(tmp_path, EIGHT_HOURS), PBNDS, "SPC-0001")
    results = audit(Intake=SCREENED_AFTER_10_HOURS, tailoring=tailoring)
    assert results.tailoring is not None
    assert results.tailoring["facility_id"] == "SPC-0001"
    assert results.tailoring["approved_by"] == "J. Rivera, Field Office Director"
    assert results.tailoring["reason"] == "The facility's medical contract requires screening within 8 hours."
    assert results.tailoring["file"] == "tailoring.yml" and len(results.tailoring["sha256"]) == 64
    assert results.tailoring["overrides"] == {
        "MC-INTAKE-SCREEN": {
            "parameters": {"limit": {"hours": 8}},
            "default": "medical_screening within 12 hours of arrival",
            "tailored": "medical_screening within 8 hours of arrival",
        }
    }
    by_id = results.by_id()
    assert by_id["MC-INTAKE-SCREEN"].status == "deficient"
    assert by_id["MC-MH-SCREEN"].threshold is not None and not by_id["MC-MH-SCREEN"].threshold.tailored
    assert '"tailored": true' in results.to_json()


def test_tailoring_for_every_facility_applies_here(tmp_path: Path) -> None:
    path = tailoring_file(tmp_path, EIGHT_HOURS.replace("facility_id: SPC-0001", 'facility_id: "*"'))
    assert load_tailoring(path, PBNDS, "SPC-0001").overrides == {"MC-INTAKE-SCREEN": {"limit": {"hours": 8}}}


def test_tailoring_a_non_tunable_parameter_is_a_config_error(tmp_path: Path) -> None:
    path = tailoring_file(tmp_path, EIGHT_HOURS.replace("limit: {hours: 8}", "end: release"))
    with pytest.raises(ConfigError) as caught:
        load_tailoring(path, PBNDS, "SPC-0001")
    assert str(caught.value) == (
        f"{path}:7: MC-INTAKE-SCREEN: 'end' cannot be tailored (tunable for deadline: limit, not_before)"
    )


def test_tailoring_a_kind_with_nothing_tunable_says_so(tmp_path: Path) -> None:
    path = tailoring_file(
        tmp_path,
        EIGHT_HOURS.replace(
            "MC-INTAKE-SCREEN:\n    limit: {hours: 8}", "AR-JUVENILE:\n    violation_when: []"
        ),
    )
    with pytest.raises(
        ConfigError,
        match=r"AR-JUVENILE: 'violation_when' cannot be tailored \(tunable for "
        r"prohibited: none\)",
    ):
        load_tailoring(path, PBNDS, "SPC-0001")


def test_tailoring_with_an_invalid_value_is_a_config_error(tmp_path: Path) -> None:
    path = tailoring_file(tmp_path, EIGHT_HOURS.replace("{hours: 8}", "{hours: -8}"))
    with pytest.raises(ConfigError) as caught:
        load_tailoring(path, PBNDS, "SPC-0001")
    assert (
        str(caught.value)
        == f"{path}:7: MC-INTAKE-SCREEN.limit.hours: -8 is out of range (0 < hours ≤ 8760)"
    )


@pytest.mark.parametrize(
    ("hours", "problem"),
    [
        (".nan", ".nan is not a finite number"),
        (".inf", ".inf is not a finite number"),
        ("-.Inf", "-.Inf is not a finite number"),
        ("eight", "'eight' is not of type 'number'"),
        ("[8]", "[8] is not of type 'number'"),
    ],
)
def test_tailored_hours_must_be_a_finite_number(tmp_path: Path, hours: str, problem: str) -> None:
    # before: `.nan` was accepted and every comparison with it false, so a deficiency became not_assessed
    path = tailoring_file(tmp_path, EIGHT_HOURS.replace("limit: {hours: 8}", f"limit:\n      hours: {hours}"))
    with pytest.raises(ConfigError) as caught:
        load_tailoring(path, PBNDS, "SPC-0001")
    field = (
        "overrides.MC-INTAKE-SCREEN.limit.hours" if "finite" in problem else "MC-INTAKE-SCREEN.limit.hours"
    )
    assert str(caught.value) == f"{path}:8: {field}: {problem}"


def test_tailoring_with_an_unknown_field_names_its_line(tmp_path: Path) -> None:
    path = tailoring_file(tmp_path, EIGHT_HOURS.replace("overrides:", "expires: 2026-12-31\noverrides:"))
    with pytest.raises(ConfigError) as caught:
        load_tailoring(path, PBNDS, "SPC-0001")
    assert str(caught.value) == (
        f"{path}:5: expires: unknown field (a tailoring file has facility_id, approved_by, reason, overrides)"
    )


def test_a_facility_id_yaml_reads_as_a_number_is_refused(tmp_path: Path) -> None:
    # `facility_id: 0001` is the integer 1 to YAML: never compare it as if it were the text
    path = tailoring_file(tmp_path, EIGHT_HOURS.replace("SPC-0001", "0001"))
    with pytest.raises(ConfigError) as caught:
        load_tailoring(path, PBNDS, "1")
    assert str(caught.value) == f"{path}:1: facility_id must be text (quote it)"


def test_tailoring_the_same_requirement_twice_is_refused(tmp_path: Path) -> None:
    path = tailoring_file(tmp_path, EIGHT_HOURS + "  MC-INTAKE-SCREEN:\n    limit: {hours: 6}\n")
    with pytest.raises(ConfigError) as caught:
        load_tailoring(path, PBNDS, "SPC-0001")
    assert str(caught.value) == f"{path}:8: overrides.MC-INTAKE-SCREEN: this key appears twice in its mapping"


def test_tailoring_for_another_facility_is_a_config_error(tmp_path: Path) -> None:
    path = tailoring_file(tmp_path, EIGHT_HOURS.replace("SPC-0001", "CDF-0002"))
    with pytest.raises(ConfigError) as caught:
        load_tailoring(path, PBNDS, "SPC-0001")
    assert (
        str(caught.value) == f"{path}:1: facility_id: this tailoring is for facility CDF-0002, not SPC-0001"
    )


def test_tailoring_an_unknown_requirement_is_a_config_error(tmp_path: Path) -> None:
    path = tailoring_file(tmp_path, EIGHT_HOURS.replace("MC-INTAKE-SCREEN", "MC-INTAKE-SCREENING"))
    with pytest.raises(ConfigError) as caught:
        load_tailoring(path, PBNDS, "SPC-0001")
    assert str(caught.value) == f"{path}:6: overrides: MC-INTAKE-SCREENING is not a requirement of PBNDS-2011"


def test_tailoring_without_an_approver_is_a_config_error(tmp_path: Path) -> None:
    path = tailoring_file(
        tmp_path, EIGHT_HOURS.replace("approved_by: J. Rivera, Field Office Director\n", "")
    )
    with pytest.raises(ConfigError) as caught:
        load_tailoring(path, PBNDS, "SPC-0001")
    assert str(caught.value) == f"{path}:1: approved_by is required"
