"""Lint (issue 18): every requirement, in every edition, says where it stands in its standard (a
`section`, an `odo_component`) or, in `citation_note`, why neither is known. A reviewer opens the
standard or the ODO report at that place; a requirement with none of the three cannot be checked.

Each test strips the three keys from AR-JUVENILE (in PBNDS-2011, NDS-2019 and NDS-2025, the last
inheriting NDS-2019's variant), gives back what the test is about, and lints the copy.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from auditor.paths import standards_dir
from auditor.standards.lint import lint

NAME = "AR-JUVENILE.yml"
KEYS = ("section", "odo_component", "citation_note")
MISSING = (
    ": no citation inside the standard: give section (e.g. V.D.2), odo_component (e.g. MC-12) or "
    "citation_note (why neither is known)"
)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return Path(shutil.copytree(standards_dir(), tmp_path / "standards"))


def write_uncited(root: Path, shared: dict[str, Any] | None = None, **variants: dict[str, Any]) -> Path:
    """AR-JUVENILE without section, odo_component or citation_note anywhere, plus `shared` keys at
    the top and each edition's keys in its variant."""
    path = root / "requirements" / NAME
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for key in KEYS:
        data.pop(key, None)
    data["editions"] = {
        edition: {k: v for k, v in (variant or {}).items() if k not in KEYS}
        for edition, variant in data["editions"].items()
    }
    data.update(shared or {})
    for edition, keys in variants.items():
        data["editions"][edition.replace("_", "-")].update(keys)
    path.write_text(yaml.safe_dump(data, sort_keys=False, width=100), encoding="utf-8")
    return path


def line_of(path: Path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if text in line)


def issues_in(root: Path, name: str) -> list[tuple[int, str]]:
    return sorted((i.line, i.message) for i in lint(root) if i.file.name == name)


def test_a_requirement_with_no_citation_is_refused_in_each_edition_at_its_variant(root: Path) -> None:
    path = write_uncited(root)
    # NDS-2025 has no variant of its own (it inherits NDS-2019's): its issue is at the standard.
    assert issues_in(root, NAME) == sorted(
        [
            (line_of(path, "  PBNDS-2011:"), "PBNDS-2011" + MISSING),
            (line_of(path, "  NDS-2019:"), "NDS-2019" + MISSING),
            (line_of(path, "standard:"), "NDS-2025" + MISSING),
        ]
    )


def test_a_shared_citation_note_answers_for_every_edition(root: Path) -> None:
    write_uncited(root, {"citation_note": "The standards' texts were not read for this requirement."})
    assert issues_in(root, NAME) == []


def test_a_section_in_one_edition_leaves_the_others_refused(root: Path) -> None:
    path = write_uncited(root, PBNDS_2011={"section": "V.B.1"})
    assert issues_in(root, NAME) == sorted(
        [
            (line_of(path, "  NDS-2019:"), "NDS-2019" + MISSING),
            (line_of(path, "standard:"), "NDS-2025" + MISSING),
        ]
    )


def test_an_nds_2019_component_is_inherited_by_nds_2025(root: Path) -> None:
    write_uncited(root, PBNDS_2011={"odo_component": "AR-54"}, NDS_2019={"odo_component": "AR-1"})
    assert issues_in(root, NAME) == []


def test_an_empty_citation_note_is_no_answer(root: Path) -> None:
    path = write_uncited(root, {"citation_note": "unknown"})
    assert issues_in(root, NAME) == [
        (line_of(path, "citation_note:"), "citation_note: 'unknown' is too short"),
    ]


def test_show_prints_why_a_requirement_cites_no_section_or_component() -> None:
    from typer.testing import CliRunner

    from auditor.cli import app

    # FS-FREEZER: ODO's component under PBNDS 2011, a note under NDS 2019 saying why there is none.
    pbnds = CliRunner().invoke(app, ["standards", "show", "FS-FREEZER", "--edition", "PBNDS-2011"])
    nds = CliRunner().invoke(app, ["standards", "show", "FS-FREEZER", "--edition", "NDS-2019"])
    assert pbnds.exit_code == nds.exit_code == 0
    assert "(ODO component FS-438)" in pbnds.stdout and "citation note" not in pbnds.stdout
    assert "citation note" in nds.stdout
    assert "No NDS 2019 section or component" in " ".join(nds.stdout.split())


def test_a_note_beside_a_component_of_the_same_edition_is_refused_at_the_note(root: Path) -> None:
    # A shared note (neither is known) and NDS 2019's component: NDS 2019 and NDS 2025, which
    # inherits the component, contradict the note; PBNDS 2011 has the note alone.
    note = "Neither the section nor a component is known for this requirement."
    path = write_uncited(root, {"citation_note": note}, NDS_2019={"odo_component": "AR-1"})
    message = (
        "{}: citation_note says why no section or component is known, but odo_component is given: "
        "drop the note for this edition or the odo_component"
    )
    assert issues_in(root, NAME) == [
        (line_of(path, "citation_note:"), message.format("NDS-2019")),
        (line_of(path, "citation_note:"), message.format("NDS-2025")),
    ]
