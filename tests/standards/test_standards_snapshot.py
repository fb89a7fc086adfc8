"""Every edition, fully resolved, equals a committed snapshot (snapshots/editions.json).

The snapshot was generated once from the OLD layout (standards/<EDITION>/requirements/<ID>.yml,
one copy of each requirement per edition, NDS-2025 deep-merged over NDS-2019) before the move to
one file per requirement (standards/requirements/<ID>.yml with per-edition variants). It proves
that move lossless: every field of every requirement of every edition, as the engine and the
reports see it, is unchanged. The file paths and the edition's SHA-256 are left out: they change
with the layout by design.

A deliberate change to the standards changes the snapshot too; rewrite it with
`.venv/bin/python tests/standards/test_standards_snapshot.py` and review the diff.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

from auditor.standards.load import available_editions, load_edition

SNAPSHOT = Path(__file__).parent / "snapshots" / "editions.json"


def resolved(name: str) -> dict[str, Any]:
    """One edition as its users see it: metadata, rating policy and every requirement's fields."""
    edition = load_edition(name)
    return {
        "title": edition.title,
        "catalogue_version": edition.catalogue_version,
        "extends": edition.extends,
        "source": edition.source,
        "policy": edition.policy.as_dict(),
        "requirements": {
            rid: {k: v for k, v in dataclasses.asdict(r).items() if k != "file"}
            for rid, r in edition.requirements.items()
        },
    }


def _dump(editions: dict[str, dict[str, Any]]) -> str:
    """One line per requirement, so a diff of the snapshot names the requirement that changed."""
    lines = ["{"]
    for i, (name, edition) in enumerate(editions.items()):
        meta = {k: v for k, v in edition.items() if k != "requirements"}
        lines.append(f"{json.dumps(name)}: {{")
        lines += [
            f" {json.dumps(k)}: {json.dumps(v, sort_keys=True, ensure_ascii=False)}," for k, v in meta.items()
        ]
        lines.append(' "requirements": {')
        items = list(edition["requirements"].items())
        for j, (rid, data) in enumerate(items):
            comma = "," if j < len(items) - 1 else ""
            lines.append(
                f"  {json.dumps(rid)}: {json.dumps(data, sort_keys=True, ensure_ascii=False)}{comma}"
            )
        lines.append(" }")
        lines.append("}" + ("," if i < len(editions) - 1 else ""))
    lines.append("}")
    return "\n".join(lines) + "\n"


SNAPSHOTTED = json.loads(SNAPSHOT.read_text(encoding="utf-8")) if SNAPSHOT.is_file() else {}


def test_the_snapshot_covers_every_edition() -> None:
    assert sorted(SNAPSHOTTED) == available_editions() == ["NDS-2019", "NDS-2025", "PBNDS-2011"]
    assert [len(SNAPSHOTTED[e]["requirements"]) for e in ("PBNDS-2011", "NDS-2019", "NDS-2025")] == [
        90,
        88,
        88,
    ]


@pytest.mark.parametrize("name", sorted(SNAPSHOTTED))
def test_edition_resolves_to_its_snapshot(name: str) -> None:
    expected = SNAPSHOTTED[name]
    got = json.loads(json.dumps(resolved(name)))  # tuples and the like as JSON has them
    assert {k: v for k, v in got.items() if k != "requirements"} == {
        k: v for k, v in expected.items() if k != "requirements"
    }
    assert sorted(got["requirements"]) == sorted(expected["requirements"])
    for rid, data in expected["requirements"].items():
        assert got["requirements"][rid] == data, f"{name} {rid} differs from the snapshot"


if __name__ == "__main__":  # a maintainer's command, after a deliberate change to the standards
    SNAPSHOT.write_text(_dump({name: resolved(name) for name in available_editions()}), encoding="utf-8")
    print(SNAPSHOT)
