"""Load an edition from `standards/`: its requirements and its rating policy.

    standards/editions/<EDITION>.yml       title, source, issued, rating policy, `extends`
    standards/requirements/<ID>.yml        one requirement, once for every edition

A requirement file holds what all its editions share at the top and, under `editions:`, one
entry per edition that includes it with only the keys that edition changes (a standard number,
a threshold, a `where`). An edition that `extends` another includes the parent's requirements
too, its own variant merged over the parent's; `remove` drops inherited ones. Drafts stay out.
"""

from __future__ import annotations

import copy
import hashlib
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from auditor.config_yaml import YamlProblem, parse_yaml, read_limited
from auditor.errors import StandardsError
from auditor.paths import standards_dir
from auditor.standards import linted
from auditor.standards.model import Edition, RatingPolicy, Requirement

EDITIONS = "editions"
REQUIREMENTS = "requirements"
VARIANTS = "editions"  # the key of a requirement file that maps editions to what they change


def available_editions(root: Path | None = None) -> list[str]:
    root = root or standards_dir()
    return sorted(p.stem for p in (root / EDITIONS).glob("*.yml"))


def edition_file(name: str, root: Path) -> Path:
    return root / EDITIONS / f"{name}.yml"


def requirement_files(root: Path) -> list[Path]:
    return sorted((root / REQUIREMENTS).glob("*.yml"))


def load_edition(name: str, root: Path | None = None) -> Edition:
    """Load one edition; raise StandardsError naming the editions that exist when it is unknown."""
    return _load_edition(name, (root or standards_dir()).resolve())


@cache
def _load_edition(name: str, root: Path) -> Edition:
    editions = available_editions(root)
    if name not in editions:
        raise StandardsError(
            f"there is no machine-readable edition {name!r}; editions available: {', '.join(editions)}"
        )
    record = linted.record(name, root)
    if record is None or not record.is_file():  # not linted as the files and the code are now
        from auditor.standards.lint import lint_edition

        issues = lint_edition(name, root)
        if issues:
            first = issues[0]
            raise StandardsError(
                f"the standards for {name} are not valid ({len(issues)} problem(s)); first: "
                f"{first}. Run `auditor standards lint` for all of them"
            )
        linted.remember(record)
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


def lineage(name: str, root: Path) -> list[tuple[str, dict[str, Any]]]:
    """The edition and the editions it extends, oldest first, each with its metadata."""
    chain: list[tuple[str, dict[str, Any]]] = []
    known = available_editions(root)  # `extends: ../x` never reads a file outside editions/
    while name in known and name not in (n for n, _ in chain):  # a cycle stops here; lint reports it
        file = edition_file(name, root)
        meta = read_yaml(file)
        meta = meta if isinstance(meta, dict) else {}
        chain.insert(0, (name, meta))
        name = meta.get("extends")
    return chain


def resolve_requirement(data: dict[str, Any], chain: list[str]) -> dict[str, Any] | None:
    """One requirement as an edition sees it (None when no edition of `chain` includes it): the
    shared keys with each variant along the chain merged over them, the parent's first."""
    variants = data.get(VARIANTS)
    if not isinstance(variants, dict) or not any(e in variants for e in chain):
        return None
    out = {k: v for k, v in data.items() if k != VARIANTS}
    for name in chain:
        variant = variants.get(name)
        if isinstance(variant, dict):
            out = deep_merge(out, variant)
    return out


def resolve(name: str, root: Path) -> tuple[dict[str, Any], dict[str, tuple[dict, Path]], list[Path]]:
    """An edition's metadata and its resolved requirement data (id → (data, file)), drafts included."""
    chain = lineage(name, root)
    names = [n for n, _ in chain]
    removed = {rid for _, meta in chain for rid in meta.get("remove", [])}
    files = [edition_file(n, root) for n in names]
    merged: dict[str, tuple[dict, Path]] = {}
    for file in requirement_files(root):
        data = read_yaml(file)
        resolved = resolve_requirement(data, names) if isinstance(data, dict) else None
        if resolved is None or resolved.get("id", file.stem) in removed:
            continue
        merged[str(resolved.get("id", file.stem))] = (resolved, file)
        files.append(file)
    return chain[-1][1], merged, files


def deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Merge a variant over shared data; a check's parameters are replaced one by one."""
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
    """A standards file's data, a copy of its own (every edition reads each requirement file)."""
    raw = read_limited(path, error=StandardsError, what="standards file")
    try:
        return copy.deepcopy(parse_cached(raw, str(path)))
    except YamlProblem as exc:
        raise StandardsError(
            f"{path}:{exc.line}: {exc.message}" if exc.line else f"{path}: {exc.message}"
        ) from None


@lru_cache(maxsize=512)
def parse_cached(raw: bytes, path: str) -> Any:
    """Parse once per content: lint and each edition read the same 68 files. Callers must not change
    the result (read_yaml copies it)."""
    return parse_yaml(raw, Path(path)).data


def _hash(files: list[Path], root: Path) -> str:
    digest = hashlib.sha256()
    for file in files:
        digest.update(str(file.relative_to(root)).encode() + b"\0" + file.read_bytes() + b"\0")
    return digest.hexdigest()
