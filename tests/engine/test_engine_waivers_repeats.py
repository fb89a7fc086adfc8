"""Waivers (YAML and CSV) and repeat deficiencies against a previous results file.

The sample inspection (conftest) has 15 compliant and 11 deficient requirements, 4 of them
priority, among them FS-COLD-HOLD (45 °F) and MC-PREGNANCY-TEST. The inspection ends 2026-04-09.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from auditor.configs.previous import load_previous
from auditor.configs.waivers import load_waivers
from auditor.errors import ConfigError

if TYPE_CHECKING:
    from conftest import Audit

Sample = dict[str, list[dict[str, Any]]]

WAIVER = """\
waivers:
  - requirement_id: FS-COLD-HOLD
    facility_id: SPC-0001
    justification: The walk-in cooler is being replaced; readings are taken hourly meanwhile.
    approved_by: J. Rivera, Field Office Director
    expires: {expires}
"""


def waivers_file(tmp_path: Path, text: str, name: str = "waivers.yml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------- waivers


def test_current_waiver_turns_the_deficiency_into_waived(
    tmp_path: Path, audit: Audit, sample: Sample
) -> None:
    waivers = load_waivers(waivers_file(tmp_path, WAIVER.format(expires="2026-12-31")))
    results = audit(waivers=waivers, **sample)
    cold = results.by_id()["FS-COLD-HOLD"]
    assert (cold.status, cold.underlying_status) == ("waived", "deficient")
    assert cold.waiver is not None
    assert (cold.waiver.applied, cold.waiver.expired, cold.waiver.expires) == (True, False, "2026-12-31")
    assert cold.waiver.justification.startswith("The walk-in cooler is being replaced")
    # the evaluated result stays visible
    assert (cold.population, cold.violations) == (1, 1)
    assert [e.detail for e in cold.evidence] == ["45 °F (maximum 41 °F)"]
    assert results.waivers is not None
    assert (results.waivers["applied"], results.waivers["expired"]) == (["FS-COLD-HOLD"], [])
    assert results.waivers["checked_on"] == "2026-04-09"


def test_waived_requirement_leaves_the_rating_denominator(
    tmp_path: Path, audit: Audit, sample: Sample
) -> None:
    before = audit(**sample).summary
    waivers = load_waivers(waivers_file(tmp_path, WAIVER.format(expires="2026-12-31")))
    after = audit(waivers=waivers, **sample).summary
    # 15 compliant of 26 decided → 57.7 %; with FS-COLD-HOLD waived, 15 of 25 → 60.0 %
    assert (before.compliant, before.deficient, before.waived, before.compliance_percent) == (15, 11, 0, 57.7)
    assert (after.compliant, after.deficient, after.waived, after.compliance_percent) == (15, 10, 1, 60.0)
    assert (before.priority_deficiencies, after.priority_deficiencies) == (4, 3)
    assert before.requirements_assessed == after.requirements_assessed == 26


def test_waiver_expiring_on_the_last_inspection_day_still_applies(
    tmp_path: Path, audit: Audit, sample: Sample
) -> None:
    waivers = load_waivers(waivers_file(tmp_path, WAIVER.format(expires="2026-04-09")))
    assert audit(waivers=waivers, **sample).by_id()["FS-COLD-HOLD"].status == "waived"


def test_expired_waiver_stays_deficient_and_is_reported(tmp_path: Path, audit: Audit, sample: Sample) -> None:
    waivers = load_waivers(waivers_file(tmp_path, WAIVER.format(expires="2026-04-08")))
    results = audit(waivers=waivers, **sample)
    cold = results.by_id()["FS-COLD-HOLD"]
    assert (cold.status, cold.underlying_status) == ("deficient", None)
    assert cold.waiver is not None and (cold.waiver.expired, cold.waiver.applied) == (True, False)
    assert results.waivers is not None
    assert (results.waivers["applied"], results.waivers["expired"]) == ([], ["FS-COLD-HOLD"])
    assert results.summary.priority_deficiencies == 4


def test_csv_waivers_work_like_yaml(tmp_path: Path, audit: Audit, sample: Sample) -> None:
    path = waivers_file(
        tmp_path,
        "requirement_id,facility_id,justification,approved_by,expires\n"
        'FS-COLD-HOLD,*,"Cooler replaced in May; hourly readings meanwhile.",J. Rivera,2026-06-30\n'
        "STAFF-CPR,OTHER-9,Not this facility.,J. Rivera,2026-06-30\n"
        "GS-LOG,SPC-0001,Found compliant anyway.,J. Rivera,2026-06-30\n",
        "waivers.csv",
    )
    results = audit(waivers=load_waivers(path), **sample)
    by_id = results.by_id()
    assert by_id["FS-COLD-HOLD"].status == "waived"
    assert by_id["STAFF-CPR"].status == "deficient"  # the waiver is another facility's
    assert results.waivers is not None
    assert (results.waivers["applied"], results.waivers["not_needed"]) == (["FS-COLD-HOLD"], ["GS-LOG"])
    assert results.waivers["file"] == "waivers.csv"


def test_waiver_without_justification_is_a_config_error_naming_the_entry(tmp_path: Path) -> None:
    text = WAIVER.format(expires="2026-12-31") + (
        "  - requirement_id: FS-HOT-HOLD\n    facility_id: SPC-0001\n    approved_by: J. Rivera\n"
        "    expires: 2026-12-31\n"
    )
    path = waivers_file(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_waivers(path)
    assert str(caught.value) == f"{path}:7: waiver 2 (FS-HOT-HOLD): justification required"


def test_csv_waiver_with_a_blank_justification_is_a_config_error(tmp_path: Path) -> None:
    path = waivers_file(
        tmp_path,
        "requirement_id,facility_id,justification,approved_by,expires\n"
        "FS-COLD-HOLD,*,  ,J. Rivera,2026-06-30\n",
        "waivers.csv",
    )
    with pytest.raises(ConfigError, match=r"waiver 1 \(FS-COLD-HOLD\): justification required"):
        load_waivers(path)


@pytest.mark.parametrize(
    ("expires", "problem"),
    [
        ("31/12/2026", "waiver 1 (FS-COLD-HOLD): expires '31/12/2026' is not a YYYY-MM-DD date"),
        ("soon", "waiver 1 (FS-COLD-HOLD): expires 'soon' is not a YYYY-MM-DD date"),
        ("20261231", "waiver 1 (FS-COLD-HOLD): expires '20261231' is not a YYYY-MM-DD date"),
        ("2026-W01-1", "waiver 1 (FS-COLD-HOLD): expires '2026-W01-1' is not a YYYY-MM-DD date"),
        (
            '"2026-02-30"',
            "waiver 1 (FS-COLD-HOLD): expires '2026-02-30' is not a date (day is out of range for month)",
        ),
        ("2026-13-45", "waivers[0].expires: '2026-13-45' cannot be read (month must be in 1..12)"),
        (
            "2026-12-31 09:00:00",
            "waiver 1 (FS-COLD-HOLD): expires 2026-12-31 09:00:00 is a date and time; give a YYYY-MM-DD date",
        ),
    ],
)
def test_waiver_with_a_bad_expiry_date_names_file_line_and_field(
    tmp_path: Path, expires: str, problem: str
) -> None:
    path = waivers_file(tmp_path, WAIVER.format(expires=expires))
    with pytest.raises(ConfigError) as caught:
        load_waivers(path)
    assert str(caught.value) == f"{path}:6: {problem}"


def test_a_misspelt_requirement_id_is_an_error_not_a_waiver_never_needed(tmp_path: Path) -> None:
    path = waivers_file(tmp_path, WAIVER.format(expires="2026-12-31").replace("FS-COLD-HOLD", "FS-COLD-HLD"))
    with pytest.raises(ConfigError) as caught:
        load_waivers(path)
    assert str(caught.value) == (
        f"{path}:2: waiver 1: requirement_id: there is no requirement 'FS-COLD-HLD' in any edition "
        "(did you mean FS-COLD-HOLD?)"
    )


def test_a_csv_waiver_for_an_unknown_requirement_names_its_line(tmp_path: Path) -> None:
    path = waivers_file(
        tmp_path,
        "requirement_id,facility_id,justification,approved_by,expires\n"
        "FS-COLD-HOLD,*,Cooler on order.,J. Rivera,2026-06-30\n"
        '"NO-SUCH-THING",*,"Two lines\nof justification.",J. Rivera,2026-06-30\n',
        "waivers.csv",
    )
    with pytest.raises(ConfigError) as caught:
        load_waivers(path)
    assert str(caught.value) == (
        f"{path}:3: waiver 2: requirement_id: there is no requirement 'NO-SUCH-THING' in any edition"
    )


def test_a_waiver_for_a_facility_the_registry_lacks_is_an_error(tmp_path: Path) -> None:
    path = waivers_file(tmp_path, WAIVER.format(expires="2026-12-31"))
    assert len(load_waivers(path, facilities={"SPC-0001"}).entries) == 1
    with pytest.raises(ConfigError) as caught:
        load_waivers(path, facilities={"CDF-0002", "SPC-0002"})
    assert str(caught.value) == (
        f"{path}:3: waiver 1 (FS-COLD-HOLD): facility_id: 'SPC-0001' is not a facility of the registry"
    )


def test_a_waiver_with_an_unknown_field_names_it(tmp_path: Path) -> None:
    path = waivers_file(tmp_path, WAIVER.format(expires="2026-12-31") + "    expiry: 2027-01-31\n")
    with pytest.raises(ConfigError) as caught:
        load_waivers(path)
    assert str(caught.value) == (
        f"{path}:7: waiver 1 (FS-COLD-HOLD): expiry: unknown field "
        "(a waiver has requirement_id, facility_id, justification, approved_by, expires)"
    )


def test_a_csv_that_is_not_utf8_is_read_as_windows_1252_with_a_warning(tmp_path: Path) -> None:
    """As every CSV the project reads (more encodings: test_engine_waivers_encodings.py)."""
    path = tmp_path / "waivers.csv"
    path.write_bytes(
        b"requirement_id,facility_id,justification,approved_by,expires\n"
        b"FS-COLD-HOLD,*,Caf\xe9 cooler,J. Rivera,2026-06-30\n"
    )
    waivers = load_waivers(path)
    assert [entry.justification for entry in waivers.entries] == ["Caf\u00e9 cooler"]
    assert [warning.split(";")[0] for warning in waivers.warnings] == ["waivers.csv is not UTF-8 text"]


# ---------------------------------------------------------------- repeat deficiencies


def previous_file(tmp_path: Path, audit: Audit, sample: Sample, **options: Any) -> Path:
    path = tmp_path / "previous.json"
    path.write_text(audit(**options, **sample).to_json(), encoding="utf-8")
    return path


def test_deficient_again_is_a_repeat_deficiency(tmp_path: Path, audit: Audit, sample: Sample) -> None:
    previous = load_previous(previous_file(tmp_path, audit, sample), "SPC-0001")
    assert len(previous["deficient"]) == 11
    # this time the cooler holds 40 °F and the pregnancy test was done; a formal grievance is late
    sample["FoodTemps"][0]["temp_f"] = 40
    sample["Intake"][0]["pregnancy_test"] = "2026-01-05 10:00"
    sample["Grievances"] = [{"grievance_id": "G1", "kind": "formal", "received": "2026-02-01 10:00",
                             "answered": "2026-02-10 10:00"}]  # fmt: skip
    results = audit(previous=previous, **sample)
    by_id = results.by_id()
    assert by_id["MC-INTAKE-SCREEN"].repeat is True
    assert by_id["GS-FORMAL-RESPONSE"].repeat is False and by_id["GS-FORMAL-RESPONSE"].status == "deficient"
    assert by_id["FS-COLD-HOLD"].repeat is False and by_id["FS-COLD-HOLD"].status == "compliant"
    # 11 before; 9 of them still deficient, plus 1 new
    assert results.summary.repeat_deficiencies == 9
    assert results.previous is not None
    assert results.previous["resolved"] == ["FS-COLD-HOLD", "MC-PREGNANCY-TEST"]
    assert results.previous["new"] == ["GS-FORMAL-RESPONSE"]
    assert len(results.previous["repeat"]) == 9
    assert results.previous["inspection_id"] == "INS-2026-0001"


def test_a_deficiency_waived_last_time_still_counts_as_a_repeat(
    tmp_path: Path, audit: Audit, sample: Sample
) -> None:
    waivers = load_waivers(waivers_file(tmp_path, WAIVER.format(expires="2026-12-31")))
    previous = load_previous(previous_file(tmp_path, audit, sample, waivers=waivers), "SPC-0001")
    assert "FS-COLD-HOLD" in previous["deficient"]
    assert audit(previous=previous, **sample).by_id()["FS-COLD-HOLD"].repeat is True


def test_previous_results_of_another_facility_are_a_config_error(
    tmp_path: Path, audit: Audit, sample: Sample
) -> None:
    path = previous_file(tmp_path, audit, sample)
    with pytest.raises(ConfigError) as caught:
        load_previous(path, "CDF-0002")
    assert str(caught.value) == f"{path}: the previous results are for facility SPC-0001, not CDF-0002"


@pytest.mark.parametrize(
    "text",
    [
        '{"hello": "world"}',
        '{"facility": {"facility_id": "SPC-0001"}, "inspection": {}, "results": "all fine"}',
        '{"facility": {"facility_id": "SPC-0001"}, "inspection": [], "results": []}',
        '{"facility": {"facility_id": "SPC-0001"}, "inspection": {"inspection_id": {"a": 1}}, "results": []}',
    ],
)
def test_previous_file_that_is_not_results_is_a_config_error(tmp_path: Path, text: str) -> None:
    path = tmp_path / "previous.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=f"^{re.escape(str(path))}: not a results file from `auditor audit"):
        load_previous(path, "SPC-0001")


def test_previous_file_with_nan_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "previous.json"
    path.write_text('{"facility": {"facility_id": "SPC-0001"}, "score": NaN}', encoding="utf-8")
    with pytest.raises(ConfigError, match="NaN is not a number JSON allows"):
        load_previous(path, "SPC-0001")
