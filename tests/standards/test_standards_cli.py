"""`auditor standards list` and `show`: the catalogue as a reviewer reads it."""

from __future__ import annotations

from click.testing import Result as CliResult
from typer.testing import CliRunner

from auditor.cli import app
from auditor.errors import StandardsError
from auditor.standards.load import load_edition


def run(*args: str) -> CliResult:
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def words(text: str) -> str:
    return " ".join(text.split())


def test_list_one_edition_names_its_90_requirements() -> None:
    done = run("standards", "list", "-e", "PBNDS-2011")
    assert done.exit_code == 0
    assert "PBNDS-2011: Performance-Based National Detention Standards 2011" in done.stdout
    assert "90 requirements (catalogue 2026.11.0)" in done.stdout
    for rid in load_edition("PBNDS-2011").requirements:
        assert rid in done.stdout


def test_list_all_editions() -> None:
    done = run("standards", "list")
    assert done.exit_code == 0
    for title in (
        "NDS-2019: National Detention Standards 2019",
        "NDS-2025: National Detention Standards 2025",
    ):
        assert title in done.stdout
    assert done.stdout.count("88 requirements") == 2


def test_list_an_edition_without_standards_files_names_those_that_exist() -> None:
    done = run("standards", "list", "-e", "PBNDS-2008")
    assert done.exit_code == 1
    assert words(done.stderr) == (
        "error: there is no machine-readable edition 'PBNDS-2008'; "
        "editions available: NDS-2019, NDS-2025, PBNDS-2011"
    )


def test_show_prints_citation_rule_and_needs_in_every_edition() -> None:
    done = run("standards", "show", "MC-ACUTE-EVAL")
    assert done.exit_code == 0
    text = words(done.stdout)
    for edition in ("PBNDS-2011", "NDS-2019", "NDS-2025"):
        assert (
            f"MC-ACUTE-EVAL — Acute or emergent conditions evaluated within 2 working days ({edition})"
            in text
        )
    assert "citation PBNDS-2011 4.3 Medical Care (ODO component MC-104)" in text
    assert "rule deadline: acute_evaluation within 2 working days of arrival" in text
    assert "needs Intake: acute_condition, acute_evaluation, arrival" in text


def test_show_marks_an_unverified_threshold() -> None:
    done = run("standards", "show", "FS-HOT-HOLD", "-e", "NDS-2019")
    assert done.exit_code == 0
    assert "rule value_limit: at least 135 °F [unverified threshold]" in words(done.stdout)
    assert "(PBNDS-2011)" not in done.stdout


def test_show_an_unknown_requirement_is_an_error() -> None:
    done = run("standards", "show", "MC-NOTHING")
    assert done.exit_code == 1
    assert "no requirement 'MC-NOTHING' in NDS-2019, NDS-2025, PBNDS-2011" in words(done.stderr)


def test_loading_an_unknown_edition_raises_a_standards_error() -> None:
    try:
        load_edition("FRS-2020")
    except StandardsError as exc:
        assert "editions available: NDS-2019, NDS-2025, PBNDS-2011" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("FRS-2020 has no standards files")
