"""docs/results-json.md describes the results contract as written: its version and every field."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from auditor.contracts.results import SCHEMA_VERSION, STATUSES, Evidence, Result, Results, Summary

PAGE = Path(__file__).resolve().parents[2] / "docs" / "results-json.md"


def documented(section: str) -> set[str]:
    """The field names of the table under a `## ` heading (a row may name several, comma-separated)."""
    text = PAGE.read_text(encoding="utf-8")
    body = text.split(f"## {section}\n", 1)[1].split("\n## ", 1)[0]
    names = set()
    for row in re.findall(r"^\| (`[^|]+`) \|", body, re.M):
        names |= set(re.findall(r"`([a-z_]+)`", row))
    return names


@pytest.mark.parametrize(
    ("section", "contract"),
    [
        ("Top level", Results),
        ("`summary`", Summary),
        ("`results[]`", Result),
        ("`results[].evidence[]`", Evidence),
    ],
)
def test_every_field_is_documented(section: str, contract: type) -> None:
    assert documented(section) == {f.name for f in dataclasses.fields(contract)}


def test_the_page_names_the_current_version_and_every_status() -> None:
    text = PAGE.read_text(encoding="utf-8")
    assert f'| `schema_version` | `"{SCHEMA_VERSION}"` |' in text
    assert f'| `"{SCHEMA_VERSION}"` |' in text  # the versions table says what it changed
    statuses = text.split("| `status` |", 1)[1].split("\n", 1)[0]
    assert set(re.findall(r"`([a-z_]+)`", statuses)) == set(STATUSES)
