"""Lint: every broken standards file is reported with its name and the exact line to fix.

Each test copies the packaged standards/ tree to tmp_path, breaks one file, and lints the copy.
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
from auditor.standards.load import load_edition

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
    path = edit(root, "PBNDS-2011/requirements/MC-INTAKE-SCREEN.yml",
                lambda t: t.replace("  kind: deadline", "  kind: deadlin"))  # fmt: skip
    assert issues_in(root, path.name) == [
        (
            line_of(path, "kind: deadlin"),
            "unknown rule kind 'deadlin'; known kinds: deadline, max_duration, max_gap, cadence, "
            "daily_presence, value_limit, ratio, weekly_minimum, capacity, credential, prohibited, "
            "attestation",
        )
    ]


def test_misspelt_parameter_is_reported_on_its_own_line(root: Path) -> None:
    path = edit(root, "PBNDS-2011/requirements/MC-MH-SCREEN.yml",
                lambda t: t.replace("  limit: {hours: 12}", "  limt: {hours: 12}"))  # fmt: skip
    found = issues_in(root, path.name)
    assert (line_of(path, "limt:"), "check: unknown parameter 'limt' for rule kind deadline") in found
    # the deadline now has neither limit nor deadline_column: said too, at the check
    assert (line_of(path, "check:"), "check: 'limit' is a required property") in found
    assert len(found) == 2


def test_unknown_top_level_key_is_reported_on_its_own_line(root: Path) -> None:
    path = edit(root, "NDS-2019/requirements/FS-FREEZER.yml",
                lambda t: t.replace("priority: false", "priority: false\nprioirty: true"))  # fmt: skip
    assert issues_in(root, path.name) == [
        (line_of(path, "prioirty"), "(top level): unknown parameter 'prioirty'")
    ]


def test_duplicate_id(root: Path) -> None:
    path = edit(root, "PBNDS-2011/requirements/DH-CONTENTS.yml",
                lambda t: t.replace("id: DH-CONTENTS", "id: DH-HANDBOOK"))  # fmt: skip
    # DH-CONTENTS.yml is read first (sorted), so DH-HANDBOOK.yml holds the duplicate
    assert issues_in(root, "DH-HANDBOOK.yml") == [(1, "duplicate id 'DH-HANDBOOK' (also in DH-CONTENTS.yml)")]
    assert issues_in(root, path.name) == [
        (1, "id 'DH-HANDBOOK' does not match the file name DH-CONTENTS.yml")
    ]


def test_id_not_matching_the_file_name(root: Path) -> None:
    path = edit(root, "PBNDS-2011/requirements/FS-STORAGE.yml",
                lambda t: t.replace("id: FS-STORAGE", "id: FS-STORAGES"))  # fmt: skip
    assert issues_in(root, path.name) == [(1, "id 'FS-STORAGES' does not match the file name FS-STORAGE.yml")]


def test_missing_citation(root: Path) -> None:
    citation = 'standard:\n  number: "6.2"\n  name: Grievance System\n'
    path = edit(root, "PBNDS-2011/requirements/GS-LOG.yml", lambda t: t.replace(citation, ""))
    assert "standard:" not in path.read_text(encoding="utf-8")
    assert issues_in(root, path.name) == [
        (1, "missing citation: 'standard' is required (the standard's number and name)")
    ]


def test_bad_standard_number_is_reported_on_its_line(root: Path) -> None:
    path = edit(
        root, "PBNDS-2011/requirements/GS-LOG.yml", lambda t: t.replace('number: "6.2"', 'number: "6"')
    )
    [(line, message)] = issues_in(root, path.name)
    assert line == line_of(path, 'number: "6"')
    assert message.startswith("standard.number: '6' does not match")


def test_nds_2025_override_of_an_id_nds_2019_does_not_define(root: Path) -> None:
    path = root / "NDS-2025/requirements/HR-ESCORT.yml"
    path.write_text(
        "id: HR-ESCORT\nconfidence:\n  source: NDS 2025 §2.5, p. 33.\ncheck:\n  limit: {minutes: 10}\n",
        encoding="utf-8",
    )
    assert issues_in(root, path.name) == [(1, "overrides 'HR-ESCORT', which NDS-2019 does not define")]


def test_nds_2025_edition_removing_an_unknown_id(root: Path) -> None:
    path = edit(root, "NDS-2025/edition.yml", lambda t: t + "remove: [HR-NOTHING]\n")
    assert issues_in(root, path.name) == [
        (line_of(path, "remove:"), "removes 'HR-NOTHING', which NDS-2019 does not define")
    ]


def test_override_breaking_an_inherited_check_is_reported_in_the_override(root: Path) -> None:
    path = edit(root, "NDS-2025/requirements/HR-MAX-STAY.yml", lambda t: t + "check:\n  limt: {hours: 10}\n")
    assert (
        line_of(path, "limt:"),
        "check: unknown parameter 'limt' for rule kind max_duration",
    ) in issues_in(root, path.name)


def test_invalid_yaml(root: Path) -> None:
    path = edit(root, "PBNDS-2011/requirements/MC-DENTAL-SCREEN.yml",
                lambda t: t.replace("area: Care\n", "area: Care: dental\n"))  # fmt: skip
    assert issues_in(root, path.name) == [
        (line_of(path, "area: Care: dental"), "not valid YAML: mapping values are not allowed here")
    ]


def test_invalid_yaml_in_a_parent_edition_is_reported_once(root: Path) -> None:
    path = edit(root, "NDS-2019/requirements/HR-CHECKS.yml",
                lambda t: t.replace("area: Security\n", "area: Security: hold rooms\n"))  # fmt: skip
    issues = lint(root)
    assert [(i.file.name, i.line) for i in issues] == [(path.name, line_of(path, "area: Security: hold"))]
    # NDS-2025's partial override of the same id is not flagged for what its parent lacks


def test_column_outside_the_workbook_contract(root: Path) -> None:
    path = edit(root, "PBNDS-2011/requirements/DH-HANDBOOK.yml",
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
        "PBNDS-2011/requirements/FS-STORAGE.yml",
        lambda t: t.replace("id: FS-STORAGE", "id: FS-STORAGES"),
    )
    with pytest.raises(
        StandardsError, match=r"the standards for PBNDS-2011 are not valid \(1 problem\(s\)\)"
    ):
        load_edition("PBNDS-2011", root)


def test_lint_issue_reads_file_colon_line() -> None:
    assert str(LintIssue(Path("x/MC-A.yml"), 7, "boom")) == "x/MC-A.yml:7: boom"


def test_cli_lint_of_a_broken_copy_exits_1_and_prints_file_and_line(root: Path) -> None:
    path = edit(root, "PBNDS-2011/requirements/FS-STORAGE.yml",
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
