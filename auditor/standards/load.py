"""Load an edition from `standards/`: its requirements (with inheritance) and its rating policy.

An edition that `extends` another starts from the parent's requirements; a file in its own
`requirements/` folder is deep-merged over the parent's file of the same id (so it holds only
what differs) or adds a new requirement; `remove` drops inherited ones. Drafts stay out.
"""

from __future__ import annotations

import copy
import hashlib
from functools import cache
from pathlib import Path
from typing import Any

from auditor.config_yaml import load_yaml
from auditor.errors import StandardsError
from auditor.paths import standards_dir
from auditor.standards.model import Edition, RatingPolicy, Requirement

EDITION_FILE = "edition.yml"


def available_editions(root: Path | None = None) -> list[str]:
    root = root or standards_dir()
    return sorted(p.parent.name for p in root.glob(f"*/{EDITION_FILE}"))


def load_edition(name: str, root: Path | None = None) -> Edition:
    """Load one edition; raise StandardsError naming the editions that exist when it is unknown."""
    return _load_edition(name, (root or standards_dir()).resolve())


@cache
def _load_edition(name: str, root: Path) -> Edition:
    from auditor.standards.lint import lint_edition

    editions = available_editions(root)
    if name not in editions:
        raise StandardsError(
            f"there is no machine-readable edition {name!r}; editions available: {', '.join(editions)}"
        )
    issues = lint_edition(name, root)
    if issues:
        first = issues[0]
        raise StandardsError(
            f"the standards for {name} are not valid ({len(issues)} problem(s)); first: "
            f"{first}. Run `auditor standards lint` for all of them"
        )
    meta, merged, files = resolve(name, root)
    policy_file = root / "policies" / meta["rating_policy"]
    policy = RatingPolicy.from_data(read_yaml(policy_file))
    requirements = {
        rid: Requirement.from_data(data, name, file)
        for rid, (data, file) in sorted(merged.items())
        if data.get("status", "ready") == "ready"
    }
    files = sorted({*files, policy_file})
    return Edition(
        name=name,
        title=meta["title"],
        catalogue_version=str(meta["catalogue_version"]),
        requirements=requirements,
        policy=policy,
        sha256=_hash(files, root),
        extends=meta.get("extends"),
        source=meta.get("source"),
        files=files,
    )


def resolve(name: str, root: Path) -> tuple[dict[str, Any], dict[str, tuple[dict, Path]], list[Path]]:
    """An edition's metadata and its merged requirement data (id → (data, file)), drafts included."""
    folder = root / name
    meta = read_yaml(folder / EDITION_FILE)
    files = [folder / EDITION_FILE]
    merged: dict[str, tuple[dict, Path]] = {}
    if meta.get("extends"):
        _, merged, parent_files = resolve(meta["extends"], root)
        merged = {k: (copy.deepcopy(d), f) for k, (d, f) in merged.items()}
        files += parent_files
    for rid in meta.get("remove", []):
        merged.pop(rid, None)
    for file in sorted((folder / "requirements").glob("*.yml")):
        data = read_yaml(file)
        files.append(file)
        rid = data.get("id") if isinstance(data, dict) else None
        if rid in merged and meta.get("extends"):
            merged[rid] = (deep_merge(merged[rid][0], data), file)
        else:
            merged[rid or file.stem] = (data, file)
    return meta, merged, files


def deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Merge an override over inherited data; a check's parameters are replaced one by one."""
    out = dict(base)
    for key, value in override.items():
        if key == "check" and isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = {**out[key], **value}  # a duration such as limit is replaced whole
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = value
    return out


def read_yaml(path: Path) -> Any:
    return load_yaml(path, error=StandardsError, what="standards file").data


def _hash(files: list[Path], root: Path) -> str:
    digest = hashlib.sha256()
    for file in files:
        digest.update(str(file.relative_to(root)).encode() + b"\0" + file.read_bytes() + b"\0")
    return digest.hexdigest()
