"""Scopes: inspections that set out to check only some requirements (standards/scopes/<id>.yml).

A Facility sheet whose `scope` names one is evaluated on the scope's requirements alone, each
with the population (`where`) the scope gives it; every other requirement of the edition is not
assessed, with the scope's reason. An importer of someone else's records (the SRMS export)
writes inspections in a scope, and `auditor audit` evaluates them like any other.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from auditor.config_yaml import load_yaml
from auditor.errors import StandardsError
from auditor.paths import standards_dir

FIELDS = {"id", "title", "description", "edition_when_unknown", "requirements", "not_assessed"}


@dataclass(frozen=True)
class ScopedRequirement:
    where: list[dict[str, Any]]  # replaces the requirement's own population in this scope
    note: str


@dataclass(frozen=True)
class Scope:
    id: str
    title: str
    description: str
    edition_when_unknown: str
    requirements: dict[str, ScopedRequirement]
    not_assessed: dict[str, str]  # requirement id (or "default") → why it is not assessed

    def reason(self, requirement_id: str) -> str:
        return self.not_assessed.get(requirement_id, self.not_assessed["default"])

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "requirements": sorted(self.requirements)}


def scopes_dir(root: Path | None = None) -> Path:
    return (root or standards_dir()) / "scopes"


def available_scopes(root: Path | None = None) -> list[str]:
    folder = scopes_dir(root)
    return sorted(p.stem for p in folder.glob("*.yml")) if folder.is_dir() else []


@cache
def load_scope(name: str, root: Path | None = None) -> Scope:
    """The scope `name`; StandardsError naming the file and line of anything wrong in it."""
    path = scopes_dir(root) / f"{name}.yml"
    if name not in available_scopes(root):
        known = ", ".join(available_scopes(root))
        raise StandardsError(f"there is no scope {name!r}; the scopes are {known}")
    doc = load_yaml(path, error=StandardsError, what="scope file")
    data = doc.data
    if not isinstance(data, dict):
        raise StandardsError(f"{path}: a scope file is a mapping of {', '.join(sorted(FIELDS))}")
    unknown = sorted(set(data) - FIELDS)
    missing = sorted(FIELDS - set(data) - {"description"})
    if unknown or missing:
        what = f"unknown field {unknown[0]!r}" if unknown else f"no {missing[0]!r}"
        raise StandardsError(f"{doc.where(unknown[0]) if unknown else path}: {what}")
    if data["id"] != name:
        raise StandardsError(f"{doc.where('id')}: the id {data['id']!r} is not the file's name {name!r}")
    requirements = {}
    for rid, spec in (data["requirements"] or {}).items():
        if not isinstance(spec, dict) or not isinstance(spec.get("where"), list) or "note" not in spec:
            raise StandardsError(f"{doc.where('requirements', rid)}: give a `where` list and a `note`")
        requirements[rid] = ScopedRequirement(where=spec["where"], note=" ".join(str(spec["note"]).split()))
    reasons = {rid: " ".join(str(text).split()) for rid, text in (data["not_assessed"] or {}).items()}
    if "default" not in reasons:
        raise StandardsError(f"{doc.where('not_assessed')}: a `default` reason is needed")
    return Scope(
        id=name,
        title=str(data["title"]),
        description=" ".join(str(data.get("description") or "").split()),
        edition_when_unknown=str(data["edition_when_unknown"]),
        requirements=requirements,
        not_assessed=reasons,
    )
