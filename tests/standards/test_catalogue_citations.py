"""docs/catalogue.md lists, under each edition, where every requirement stands in its standard (its
section, ODO's component id, or why neither is known) and the source that says so (issue 18)."""

from __future__ import annotations

import dataclasses

import pytest

from auditor.docs import catalogue_page, citations_section
from auditor.standards.load import available_editions, load_edition


@pytest.fixture(scope="module")
def page() -> str:
    return catalogue_page()


def rows(page: str, edition: str) -> dict[str, list[str]]:
    """The citations table of one edition: id → its cells (section, component, source)."""
    part = page.split(f"### {edition}: where each requirement is cited, and the source", 1)[1]
    part = part.split("\n## ", 1)[0].split("\n### ", 1)[0]
    found = {}
    for line in part.splitlines():
        if line.startswith("| `"):
            cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
            found[cells[0].strip("`")] = cells[1:]
    return found


@pytest.mark.parametrize("edition", available_editions())
def test_every_requirement_of_every_edition_has_its_row(page: str, edition: str) -> None:
    table = rows(page, edition)
    requirements = load_edition(edition).requirements
    assert set(table) == set(requirements)
    for rid, r in requirements.items():
        section, component, source = table[rid]
        assert (section, component) == (r.section or "", r.odo_component or "")
        assert " ".join(r.confidence_source.split()).replace("|", "\\|") in source
        if r.citation_note:
            assert source.startswith(f"*No section or component:* {r.citation_note}")


def test_known_rows(page: str) -> None:
    # From the files, read by hand: a section (PBNDS 2011 1.2 §V.A.4), a component read in an ODO
    # report (FS-438, Allen Parish 2024), and an edition whose note says why it has neither.
    assert rows(page, "PBNDS-2011")["EHS-PEST-CONTROL"][:2] == ["V.A.4", ""]
    assert rows(page, "PBNDS-2011")["FS-FREEZER"][:2] == ["", "FS-438"]
    section, component, source = rows(page, "NDS-2019")["FS-FREEZER"]
    assert (section, component) == ("", "")
    assert source.startswith("*No section or component:* No NDS 2019 section or component: the freezer")
    # NDS 2025 inherits NDS 2019's component where it gives none of its own.
    assert rows(page, "NDS-2025")["HR-CHECKS"][1] == rows(page, "NDS-2019")["HR-CHECKS"][1] == "HRDF-37"


def test_a_pipe_in_a_note_or_source_does_not_break_the_table() -> None:
    base = load_edition("NDS-2019").requirements["AR-JUVENILE"]
    odd = dataclasses.replace(base, citation_note="Neither | section nor component", confidence_source="a|b")
    row = citations_section("NDS-2019", [odd])[-2]
    note = "*No section or component:* Neither \\| section nor component a\\|b"
    assert row == f"| `AR-JUVENILE` |  |  | {note} |"
