"""The four fictional samples: valid, clearly fictional, and between them every data requirement
of the catalogue deficient somewhere and compliant somewhere."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from auditor.contracts.results import Results
from auditor.core import results_of
from auditor.demo import samples
from auditor.generate.samples import NOTICE, SAMPLES
from auditor.standards.load import load_edition

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def audited() -> dict[str, Results]:
    out = {}
    for folder in samples(REPO / "sample_data"):
        manifest = yaml.safe_load((folder / "sample.yml").read_text())
        extra = {k: folder / manifest[k] for k in ("waivers", "previous") if k in manifest}
        audit = results_of(folder / manifest["inspection"], **extra)
        assert audit.results is not None, f"{folder.name} does not validate"
        out[folder.name] = audit.results
    return out


def test_there_are_four_samples_of_the_kinds_the_demo_needs(audited: dict[str, Results]) -> None:
    kinds = {name: (r.facility["facility_type"], r.standards["edition"]) for name, r in audited.items()}
    assert kinds == {
        "cedar-flats-spc": ("SPC", "PBNDS-2011"),
        "red-mesa-cdf": ("CDF", "PBNDS-2011"),
        "larkin-county-jail": ("IGSA", "NDS-2019"),
        "pine-hollow-usms": ("USMS-IGA", "NDS-2019"),
    }
    assert (REPO / "sample_data" / "larkin-county-jail" / "inspection" / "Intake.csv").is_file()


def test_every_data_requirement_is_deficient_somewhere_and_compliant_somewhere(audited) -> None:
    data_ids = {r.id for r in load_edition("PBNDS-2011").requirements.values() if r.type == "data"}
    assert len(data_ids) == 70
    statuses: dict[str, set[str]] = {rid: set() for rid in data_ids}
    for results in audited.values():
        for result in results.results:
            if result.requirement_id in statuses:
                statuses[result.requirement_id].add(result.status)
    never_deficient = sorted(rid for rid, seen in statuses.items() if "deficient" not in seen)
    never_compliant = sorted(rid for rid, seen in statuses.items() if "compliant" not in seen)
    assert never_deficient == []
    assert never_compliant == []


def test_the_samples_show_repeats_waivers_and_not_assessed(audited) -> None:
    red_mesa = audited["red-mesa-cdf"]
    assert red_mesa.summary.repeat_deficiencies > 0
    assert red_mesa.by_id()["FS-HOT-HOLD"].status == "waived"
    assert red_mesa.by_id()["FS-TRAY-HOT"].waiver.expired
    assert red_mesa.by_id()["FS-TRAY-HOT"].status == "deficient"
    pine = audited["pine-hollow-usms"]
    missing = {r.reason for r in pine.results if r.status == "not_assessed" and r.type == "data"}
    assert "the UseOfForce sheet is missing" in missing
    assert pine.summary.rating == "Incomplete"
    # Pine Hollow's Housing: 2 general units (140 admissions / 90) and SMU, MED, HOLD-1, INTAKE; one
    # general unit's custody levels left blank, the others never 1 and 3 together.
    level_mix = pine.by_id()["CCS-LEVEL-MIX"]
    assert level_mix.status == "indeterminate"
    assert (level_mix.population, level_mix.violations, level_mix.compliant, level_mix.indeterminate) == (
        6,
        0,
        5,
        1,
    )


def test_sample_volumes_are_realistic(audited) -> None:
    for name, results in audited.items():
        intake = results.by_id()["MC-INTAKE-SCREEN"]
        assert intake.population >= 100, name
        assert results.inspection["review_period_start"] == "2026-01-01"
        assert results.inspection["review_period_end"] == "2026-03-31"  # a 90-day review period


def test_every_sample_says_it_is_fictional() -> None:
    for sample in SAMPLES:
        folder = REPO / "sample_data" / sample.slug
        assert "fictional" in sample.profile.facility_name
        assert yaml.safe_load((folder / "sample.yml").read_text())["notice"] == NOTICE
    assert (
        REPO / "sample_data" / "larkin-county-jail" / "inspection" / "README.txt"
    ).read_text().strip() == NOTICE
    assert "invented" in (REPO / "sample_data" / "README.md").read_text()


def test_the_committed_samples_are_what_the_generator_makes(tmp_path: Path) -> None:
    """sample_data/ is generated: regenerating one sample gives the same workbook bytes."""
    from auditor.generate.samples import CEDAR_FLATS, write_sample

    written = write_sample(CEDAR_FLATS, tmp_path)
    committed = REPO / "sample_data" / CEDAR_FLATS.slug / "inspection.xlsx"
    assert (written / "inspection.xlsx").read_bytes() == committed.read_bytes()
