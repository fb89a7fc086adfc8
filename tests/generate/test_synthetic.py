"""`auditor generate`: deterministic, valid inspections with controlled deficiency rates."""

from __future__ import annotations

import hashlib
import math
from pathlib import Path

import pandas as pd

from auditor.core import audit_inspection
from auditor.generate.synthetic import synthetic_profile, write_synthetic


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_same_seed_gives_the_same_workbook_and_the_same_results_bytes(tmp_path: Path) -> None:
    first = write_synthetic(tmp_path / "a", 1, 150, seed=5, deficiency_rate=0.05)[0]
    second = write_synthetic(tmp_path / "b", 1, 150, seed=5, deficiency_rate=0.05)[0]
    assert _sha(first) == _sha(second)
    results = [audit_inspection(p).results for p in (first, second)]
    assert results[0] is not None and results[1] is not None
    assert results[0].to_json() == results[1].to_json()


def test_another_seed_gives_other_rows(tmp_path: Path) -> None:
    first = write_synthetic(tmp_path / "a", 1, 150, seed=5)[0]
    second = write_synthetic(tmp_path / "b", 1, 150, seed=6)[0]
    assert _sha(first) != _sha(second)


def test_generated_inspections_validate_cleanly_as_xlsx_and_csv(tmp_path: Path) -> None:
    for path in write_synthetic(tmp_path / "x", 2, 120, seed=2) + write_synthetic(
        tmp_path / "c", 1, 120, csv=True
    ):
        audit = audit_inspection(path)
        assert audit.loaded.problems.errors == 0, audit.loaded.problems.frame.head().to_string()
        # the only warnings: screenings and answers done after the period (last days' admissions) or
        # after a release (the generator draws late screenings whatever the release)
        assert set(audit.loaded.problems.frame["code"]) <= {"after_review_period", "outside_stay"}
        assert audit.results is not None


def test_a_zero_deficiency_rate_gives_no_deficiency(tmp_path: Path) -> None:
    path = write_synthetic(tmp_path, 1, 200, seed=9, deficiency_rate=0.0)[0]
    results = audit_inspection(path).results
    assert results is not None
    assert [r.requirement_id for r in results.results if r.status == "deficient"] == []


def test_the_deficiency_rate_controls_each_population(tmp_path: Path) -> None:
    from auditor.generate.inspection import generate

    # 400 admissions at 5 %. The screening deadline (12 h) of someone admitted before the review
    # period fell before it: out of scope; one falling after the period, not met by its end, is
    # pending (docs/verdicts.md). So the population is counted here from the generated Intake sheet
    # (local times, the period ending at midnight after its last day), and the planted late
    # screenings are ceil(0.05 × that), exactly (none is released within 12 h: every stay lasts a day).
    profile = synthetic_profile(0, 400, 3, 0.05)
    _, sheets = generate(profile)
    intake = sheets["Intake"]
    period_end = pd.Timestamp(profile.review_end) + pd.Timedelta(days=1)
    due = intake["arrival"] + pd.Timedelta(hours=12)
    in_scope = (intake["arrival"] >= pd.Timestamp(profile.review_start)) & (
        (due <= period_end) | (intake["medical_screening"] < period_end)
    )
    in_period = int(in_scope.sum())
    assert 340 < in_period < 400  # about 8 % are long stays admitted before the period
    path = write_synthetic(tmp_path, 1, 400, seed=3, deficiency_rate=0.05)[0]
    results = audit_inspection(path).results
    assert results is not None
    screening = results.by_id()["MC-INTAKE-SCREEN"]
    assert (screening.population, screening.violations) == (in_period, math.ceil(0.05 * in_period))
    assert screening.indeterminate == 0


def test_every_sheet_is_populated_in_proportion(tmp_path: Path) -> None:
    from auditor.generate.inspection import generate

    # 400 and 1,600 admissions: at 200 the minimum counts (3 placements of each segregation kind)
    # dominate, and one placement of two weeks more or less (about 700 checks) swings Checks.
    _, small = generate(synthetic_profile(0, 400, 1, 0.0))
    _, large = generate(synthetic_profile(0, 1600, 1, 0.0))
    assert set(small) == {
        "Intake",
        "Housing",
        "Placements",
        "Checks",
        "HungerStrikes",
        "Allegations",
        "UseOfForce",
        "Grievances",
        "SickCall",
        "Requests",
        "Restraints",
        "Searches",
        "Incidents",
        "FoodTemps",
        "Activities",
        "SafetyLog",
        "Staff",
        "Checklist",
    }
    for name in ("Intake", "Placements", "Checks", "Grievances", "FoodTemps", "SickCall", "Requests"):
        assert 2 < len(large[name]) / len(small[name]) < 6, name  # kitchen logs do not grow with size


def test_the_cli_writes_one_inspection_per_facility(tmp_path: Path, cli) -> None:
    result = cli(
        "generate", tmp_path / "out", "--facilities", "2", "--admissions", "60", "--seed", "4", "--csv"
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["SYN-0001", "SYN-0002"]
    assert (tmp_path / "out" / "SYN-0001" / "Intake.csv").is_file()
