"""Lint: every broken standards file is reported with its name and the exact line to fix.

Each test copies the packaged standards/ tree to tmp_path, breaks one file, and lints the copy.
A requirement file (requirements/<ID>.yml) is read once for every edition that includes it; a
problem it has in several editions is reported once.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from auditor.cli import app
from auditor.errors import StandardsError
from auditor.paths import standards_dir
from auditor.standards.lint import LintIssue, lint
from auditor.standards.load import lineage, load_edition

Edit = Callable[[str], str]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A private copy of the packaged standards."""
    return Path(shutil.copytree(standards_dir(), tmp_path / "standards"))


def edit(root: Path, relative: str, change: Edit) -> Path:
    path = root / relative
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
    return path


def line_of(path: Path, text: str) -> int:
    """The 1-based number of the first line of `path` containing `text`."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if text in line)


def issues_in(root: Path, name: str) -> list[tuple[int, str]]:
    return [(i.line, i.message) for i in lint(root) if i.file.name == name]


def test_the_packaged_standards_lint_clean() -> None:
    assert lint() == []


def test_a_clean_copy_lints_clean(root: Path) -> None:
    assert lint(root) == []


def test_unknown_rule_kind(root: Path) -> None:
    path = edit(root, "requirements/MC-INTAKE-SCREEN.yml",
                lambda t: t.replace("  kind: deadline", "  kind: deadlin"))  # fmt: skip
    assert issues_in(root, path.name) == [
        (
            line_of(path, "kind: deadlin"),
            "unknown rule kind 'deadlin'; known kinds: deadline, max_duration, max_gap, cadence, "
            "daily_presence, value_limit, ratio, weekly_minimum, capacity, credential, prohibited, "
            "attestation, segregation_notices",
        )
    ]


def test_misspelt_parameter_is_reported_on_its_own_line(root: Path) -> None:
    path = edit(root, "requirements/MC-MH-SCREEN.yml",
                lambda t: t.replace("  limit: {hours: 12}", "  limt: {hours: 12}"))  # fmt: skip
    found = issues_in(root, path.name)
    assert (line_of(path, "limt:"), "check: unknown parameter 'limt' for rule kind deadline") in found
    # the deadline now has neither limit nor deadline_column: said too, at the check
    assert (line_of(path, "check:"), "check: 'limit' is a required property") in found
    assert len(found) == 2


def test_unknown_top_level_key_is_reported_on_its_own_line(root: Path) -> None:
    path = edit(root, "requirements/FS-FREEZER.yml",
                lambda t: t.replace("priority: false", "priority: false\nprioirty: true"))  # fmt: skip
    assert issues_in(root, path.name) == [
        (line_of(path, "prioirty"), "(top level): unknown parameter 'prioirty'")
    ]


def test_duplicate_id(root: Path) -> None:
    path = edit(root, "requirements/DH-CONTENTS.yml",
                lambda t: t.replace("id: DH-CONTENTS", "id: DH-HANDBOOK"))  # fmt: skip
    # DH-CONTENTS.yml is read first (sorted), so DH-HANDBOOK.yml holds the duplicate
    assert issues_in(root, "DH-HANDBOOK.yml") == [(1, "duplicate id 'DH-HANDBOOK' (also in DH-CONTENTS.yml)")]
    assert issues_in(root, path.name) == [
        (1, "id 'DH-HANDBOOK' does not match the file name DH-CONTENTS.yml")
    ]


def test_id_not_matching_the_file_name(root: Path) -> None:
    path = edit(root, "requirements/FS-STORAGE.yml",
                lambda t: t.replace("id: FS-STORAGE", "id: FS-STORAGES"))  # fmt: skip
    assert issues_in(root, path.name) == [(1, "id 'FS-STORAGES' does not match the file name FS-STORAGE.yml")]


def test_missing_citation(root: Path) -> None:
    citation = 'standard:\n  number: "6.2"\n  name: Grievance System\n'
    path = edit(root, "requirements/GS-LOG.yml", lambda t: t.replace(citation, ""))
    assert "standard:" not in path.read_text(encoding="utf-8")
    assert issues_in(root, path.name) == [
        (1, "missing citation: 'standard' is required (the standard's number and name)")
    ]


def test_bad_standard_number_is_reported_on_its_line(root: Path) -> None:
    path = edit(root, "requirements/GS-LOG.yml", lambda t: t.replace('number: "6.2"', 'number: "6"'))
    [(line, message)] = issues_in(root, path.name)
    assert line == line_of(path, 'number: "6"')
    assert message.startswith("standard.number: '6' does not match")


def test_variant_for_an_unknown_edition(root: Path) -> None:
    path = edit(root, "requirements/FS-FREEZER.yml", lambda t: t.replace("  NDS-2019:", "  NDS-2091:"))
    assert issues_in(root, path.name) == [
        (
            line_of(path, "NDS-2091"),
            "editions: unknown edition 'NDS-2091'; editions here: NDS-2019, NDS-2025, PBNDS-2011",
        )
    ]


def test_requirement_in_no_edition(root: Path) -> None:
    path = edit(root, "requirements/FS-FREEZER.yml", lambda t: t[: t.index("editions:")])
    assert issues_in(root, path.name) == [
        (1, "editions: name the editions that include 'FS-FREEZER', e.g. editions: {NDS-2019: {}}")
    ]


def test_a_requirement_of_one_edition_only_must_be_complete(root: Path) -> None:
    path = root / "requirements/HR-ESCORT.yml"
    path.write_text(
        "id: HR-ESCORT\neditions:\n  NDS-2025:\n    confidence:\n      source: NDS 2025 §2.5, p. 33.\n",
        encoding="utf-8",
    )
    found = issues_in(root, path.name)
    assert (1, "(top level): missing 'title'") in found
    assert (1, "missing citation: 'standard' is required (the standard's number and name)") in found
    assert (line_of(path, "confidence:"), "confidence: missing 'level'") in found


def test_nds_2025_edition_removing_an_unknown_id(root: Path) -> None:
    path = edit(root, "editions/NDS-2025.yml", lambda t: t + "remove: [HR-NOTHING]\n")
    assert issues_in(root, path.name) == [
        (line_of(path, "remove:"), "removes 'HR-NOTHING', which NDS-2019 does not define")
    ]


def test_nds_2025_removing_an_inherited_id_leaves_it_out(root: Path) -> None:
    edit(root, "editions/NDS-2025.yml", lambda t: t + "remove: [FS-FREEZER]\n")
    assert lint(root) == []
    assert "FS-FREEZER" not in load_edition("NDS-2025", root).requirements
    assert "FS-FREEZER" in load_edition("NDS-2019", root).requirements


def test_an_edition_extending_itself_in_a_loop(root: Path) -> None:
    path = edit(root, "editions/NDS-2019.yml", lambda t: t + "extends: NDS-2025\n")
    assert (line_of(path, "extends:"), "extends 'NDS-2025', which leads back to NDS-2019") in issues_in(
        root, path.name
    )


def test_an_edition_extending_a_path_outside_editions_is_refused_without_reading_it(root: Path) -> None:
    shutil.copy(root / "editions" / "NDS-2019.yml", root / "policies" / "NDS-2019.yml")
    path = edit(
        root,
        "editions/NDS-2025.yml",
        lambda t: t.replace("extends: NDS-2019", "extends: ../policies/NDS-2019"),
    )
    assert [name for name, _ in lineage("NDS-2025", root)] == ["NDS-2025"]  # the copy is not followed
    assert issues_in(root, path.name) == [
        (line_of(path, "extends:"), "extends '../policies/NDS-2019', which is not an edition here")
    ]


def test_an_edition_file_naming_another_edition(root: Path) -> None:
    path = edit(
        root, "editions/PBNDS-2011.yml", lambda t: t.replace("edition: PBNDS-2011", "edition: PBNDS-2012")
    )
    assert issues_in(root, path.name) == [
        (line_of(path, "edition:"), "edition 'PBNDS-2012' does not match the file name")
    ]


def test_a_variant_breaking_the_shared_check_is_reported_in_the_variant(root: Path) -> None:
    path = edit(
        root,
        "requirements/HR-MAX-STAY.yml",
        lambda t: t.replace("  NDS-2025:\n", "  NDS-2025:\n    check:\n      limt: {hours: 10}\n"),
    )
    assert issues_in(root, path.name) == [
        (line_of(path, "limt:"), "check: unknown parameter 'limt' for rule kind max_duration")
    ]  # NDS-2025 only: PBNDS-2011 and NDS-2019 read the shared check


def test_a_variant_threshold_changes_one_edition_only(root: Path) -> None:
    path = edit(root, "requirements/MC-TB-SCREEN.yml", lambda t: t.replace("{hours: 72}", "{hours: 48}"))
    assert lint(root) == [] and path.name == "MC-TB-SCREEN.yml"
    limits = {e: load_edition(e, root).requirements["MC-TB-SCREEN"].check.get("limit") for e in
              ("PBNDS-2011", "NDS-2019", "NDS-2025")}  # fmt: skip
    assert limits == {"PBNDS-2011": None, "NDS-2019": {"hours": 48}, "NDS-2025": {"hours": 48}}


def test_a_shared_threshold_changes_every_edition(root: Path) -> None:
    edit(
        root,
        "requirements/HR-CHECKS.yml",
        lambda t: t.replace("limit: {minutes: 15}", "limit: {minutes: 10}"),
    )
    for name in ("PBNDS-2011", "NDS-2019", "NDS-2025"):
        assert load_edition(name, root).requirements["HR-CHECKS"].check["limit"] == {"minutes": 10}


def test_invalid_yaml(root: Path) -> None:
    path = edit(root, "requirements/MC-DENTAL-SCREEN.yml",
                lambda t: t.replace("area: Care\n", "area: Care: dental\n"))  # fmt: skip
    assert issues_in(root, path.name) == [
        (line_of(path, "area: Care: dental"), "not valid YAML: mapping values are not allowed here")
    ]


def test_invalid_yaml_in_a_file_of_three_editions_is_reported_once(root: Path) -> None:
    path = edit(root, "requirements/HR-CHECKS.yml",
                lambda t: t.replace("area: Security\n", "area: Security: hold rooms\n"))  # fmt: skip
    issues = lint(root)
    assert [(i.file.name, i.line) for i in issues] == [(path.name, line_of(path, "area: Security: hold"))]


def test_column_outside_the_workbook_contract(root: Path) -> None:
    path = edit(root, "requirements/DH-HANDBOOK.yml",
                lambda t: t.replace("end: handbook_issued", "end: handbook_given"))  # fmt: skip
    assert issues_in(root, path.name) == [
        (
            line_of(path, "check:"),
            "check reads Intake.handbook_given, which the workbook contract does not have",
        )
    ]


def test_a_broken_edition_cannot_be_loaded(root: Path) -> None:
    edit(
        root,
        "requirements/FS-STORAGE.yml",
        lambda t: t.replace("id: FS-STORAGE", "id: FS-STORAGES"),
    )
    with pytest.raises(
        StandardsError, match=r"the standards for PBNDS-2011 are not valid \(1 problem\(s\)\)"
    ):
        load_edition("PBNDS-2011", root)


def test_lint_issue_reads_file_colon_line() -> None:
    assert str(LintIssue(Path("x/MC-A.yml"), 7, "boom")) == "x/MC-A.yml:7: boom"


def test_cli_lint_of_a_broken_copy_exits_1_and_prints_file_and_line(root: Path) -> None:
    path = edit(root, "requirements/FS-STORAGE.yml",
                lambda t: t.replace("id: FS-STORAGE", "id: FS-STORAGES"))  # fmt: skip
    done = CliRunner().invoke(app, ["standards", "lint", "--root", str(root)])
    assert done.exit_code == 1
    # rich wraps long lines at the console width; the words and the file:line prefix are what count
    assert f"{path}:1: id 'FS-STORAGES' does not match the file name FS-STORAGE.yml" in " ".join(
        done.stdout.split()
    )
    assert done.stdout.startswith(f"{path}:1: ")
    assert "1 problem(s)." in done.stderr


def test_cli_lint_of_the_packaged_standards_exits_0() -> None:
    done = CliRunner().invoke(app, ["standards", "lint"])
    assert done.exit_code == 0
    assert "standards are valid" in done.stdout


NO_EDITION = "editions: name the editions that include 'FS-FREEZER', e.g. editions: {NDS-2019: {}}"


@pytest.mark.parametrize(
    ("editions", "message"),
    [
        ("editions: [PBNDS-2011]\n", NO_EDITION),
        ("editions: {}\n", NO_EDITION),
        ("editions:\n  PBNDS-2011: 5\n", "editions.PBNDS-2011: give the keys that differ"),
        (
            "editions:\n  PBNDS-2011:\n    id: X-Y\n",
            "editions.PBNDS-2011: 'id' is the same for every edition",
        ),
    ],
)
def test_a_malformed_editions_map_is_an_issue_not_a_crash(root: Path, editions: str, message: str) -> None:
    path = edit(root, "requirements/FS-FREEZER.yml", lambda t: t[: t.index("editions:")] + editions)
    assert message in [m for _, m in issues_in(root, path.name)]
    with pytest.raises(StandardsError, match="are not valid"):
        load_edition("PBNDS-2011", root)
