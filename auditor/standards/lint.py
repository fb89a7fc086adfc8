"""Lint the standards: the file and line of every problem, in words a reviewer acts on.

Checks each file against its JSON Schema (standards/schema/), then what a schema cannot say:
the id matches the file name, ids are unique, an inherited override names an id the parent
defines, every column a check reads exists in the workbook contract.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from auditor.config_yaml import YamlProblem, parse_yaml, read_limited
from auditor.errors import StandardsError
from auditor.paths import standards_dir
from auditor.standards.model import check_columns
from auditor.workbook import declarations as decl

KINDS = (
    "deadline",
    "max_duration",
    "max_gap",
    "cadence",
    "daily_presence",
    "value_limit",
    "ratio",
    "weekly_minimum",
    "capacity",
    "credential",
    "prohibited",
    "attestation",
)


@dataclass(frozen=True)
class LintIssue:
    file: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


@cache
def _validator(name: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((standards_dir() / "schema" / f"{name}.schema.json").read_text())
    return jsonschema.Draft202012Validator(schema)


def lint(root: Path | None = None) -> list[LintIssue]:
    """Every problem in every edition under `root` (default: the packaged standards)."""
    root = root or standards_dir()
    issues: list[LintIssue] = []
    for policy in sorted((root / "policies").glob("*.yml")):
        issues += _schema_issues(policy, "rating-policy")
    editions = sorted(root.glob("*/edition.yml"))
    if not editions:  # an empty or mistyped folder must not pass as valid standards
        issues.append(LintIssue(root, 0, "no edition here: expected <EDITION>/edition.yml folders"))
    for edition_file in editions:
        issues += lint_edition(edition_file.parent.name, root)
    return issues


def lint_edition(name: str, root: Path | None = None) -> list[LintIssue]:
    root = root or standards_dir()
    folder = root / name
    edition_file = folder / "edition.yml"
    issues = _schema_issues(edition_file, "edition")
    meta = _load(edition_file)[0] or {}
    parent_ids: set[str] = set()
    if isinstance(meta, dict) and meta.get("extends"):
        parent = meta["extends"]
        if not (root / parent / "edition.yml").is_file():
            issues.append(
                LintIssue(
                    edition_file,
                    _line(edition_file, ["extends"]),
                    f"extends {parent!r}, which is not an edition here",
                )
            )
        else:
            parent_ids = _edition_ids(parent, root)
    policy = meta.get("rating_policy") if isinstance(meta, dict) else None
    if policy and not (root / "policies" / str(policy)).is_file():
        issues.append(
            LintIssue(
                edition_file,
                _line(edition_file, ["rating_policy"]),
                f"rating policy {meta['rating_policy']!r} not found in policies/",
            )
        )
    for rid in meta.get("remove", []) if isinstance(meta, dict) else []:
        if rid not in parent_ids:
            issues.append(
                LintIssue(
                    edition_file,
                    _line(edition_file, ["remove"]),
                    f"removes {rid!r}, which {meta.get('extends')} does not define",
                )
            )
    seen: dict[str, Path] = {}
    for file in sorted((folder / "requirements").glob("*.yml")):
        data, problems = _load(file)
        issues += problems
        if not isinstance(data, dict):
            continue
        rid = data.get("id")
        if rid in seen:
            issues.append(
                LintIssue(file, _line(file, ["id"]), f"duplicate id {rid!r} (also in {seen[rid].name})")
            )
        seen[str(rid)] = file
        if rid and f"{rid}.yml" != file.name:
            issues.append(
                LintIssue(file, _line(file, ["id"]), f"id {rid!r} does not match the file name {file.name}")
            )
        partial = bool(parent_ids) and rid in parent_ids
        if (
            parent_ids
            and not partial
            and set(data) <= {"id", "status", "priority", "confidence", "section", "check"}
        ):
            issues.append(
                LintIssue(
                    file,
                    _line(file, ["id"]),
                    f"overrides {rid!r}, which {meta.get('extends')} does not define",
                )
            )
            continue
        if partial:
            merged = _merged(name, root).get(rid)  # None when the inherited file is itself broken
            issues += _requirement_issues(file, merged, check_schema=True, partial=True)
        else:
            issues += _requirement_issues(file, data, check_schema=True)
    return issues


def _edition_ids(name: str, root: Path) -> set[str]:
    return set(_resolve_leniently(name, root))


def _merged(name: str, root: Path) -> dict[str, dict | None]:
    return _resolve_leniently(name, root)


def _resolve_leniently(name: str, root: Path, seen: frozenset[str] = frozenset()) -> dict[str, dict | None]:
    """An edition's merged requirement data (id → data), like load.resolve, but a file that does not
    parse still defines its id (from the file name) with data None: one broken file is reported
    once, instead of making every override in the editions that inherit it look wrong."""
    from auditor.standards.load import deep_merge

    folder = root / name
    meta = _load(folder / "edition.yml")[0]
    meta = meta if isinstance(meta, dict) else {}
    parent = meta.get("extends")
    merged: dict[str, dict | None] = {}
    if parent and parent not in seen and (root / str(parent) / "edition.yml").is_file():
        merged = _resolve_leniently(str(parent), root, seen | {name})
    removed = meta.get("remove")
    for rid in removed if isinstance(removed, list) else []:
        merged.pop(rid, None)
    for file in sorted((folder / "requirements").glob("*.yml")):
        data = _load(file)[0]
        if not isinstance(data, dict):
            merged.setdefault(file.stem, None)
            continue
        rid = str(data.get("id") or file.stem)
        base = merged.get(rid)
        if parent and rid in merged:
            merged[rid] = deep_merge(base, data) if base is not None else None
        else:
            merged[rid] = data
    return merged


def _requirement_issues(
    file: Path, data: dict[str, Any] | None, check_schema: bool, partial: bool = False
) -> list[LintIssue]:
    if data is None:
        return []
    issues = []
    if check_schema:
        for error in sorted(_validator("requirement").iter_errors(data), key=lambda e: list(e.absolute_path)):
            message = _message(error, data)
            if message:
                path = list(error.absolute_path) + _unexpected(error)[:1]
                line = _line(file, path) if not partial else _line(file, path, fallback=True)
                issues.append(LintIssue(file, line, message))
    check = data.get("check")
    if isinstance(check, dict) and check.get("kind") in KINDS:
        for sheet, columns in check_columns(check).items():
            if sheet not in decl.SHEETS_BY_NAME:
                continue
            known = set(decl.sheet(sheet).column_names)
            for column in sorted(columns - known):
                issues.append(
                    LintIssue(
                        file,
                        _line(file, ["check"]),
                        f"check reads {sheet}.{column}, which the workbook contract does not have",
                    )
                )
    return issues


def _message(error: jsonschema.ValidationError, data: dict[str, Any]) -> str | None:
    path = ".".join(str(p) for p in error.absolute_path) or "(top level)"
    if error.validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        if missing == "standard" or path.endswith("standard"):
            return f"missing citation: {missing!r} is required (the standard's number and name)"
        return f"{path}: missing {missing!r}"
    if error.validator == "enum" and list(error.absolute_path) == ["check", "kind"]:
        return f"unknown rule kind {error.instance!r}; known kinds: {', '.join(KINDS)}"
    if error.validator == "additionalProperties":
        extra = ", ".join(repr(k) for k in _unexpected(error)) or error.message
        where = "check" if list(error.absolute_path)[:1] == ["check"] else path
        kind = data.get("check", {}).get("kind") if isinstance(data.get("check"), dict) else None
        suffix = f" for rule kind {kind}" if where == "check" and kind else ""
        return f"{where}: unknown parameter {extra}{suffix}"
    if error.validator in ("oneOf", "anyOf") and error.context:
        best = jsonschema.exceptions.best_match(error.context)
        return f"{path}: {best.message}"
    return f"{path}: {error.message}"


def _unexpected(error: jsonschema.ValidationError) -> list[str]:
    """The keys an additionalProperties error is about (so its line is the offending key's)."""
    if error.validator != "additionalProperties" or not isinstance(error.instance, dict):
        return []
    allowed = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
    return [str(k) for k in error.instance if k not in allowed]


def _schema_issues(file: Path, schema: str) -> list[LintIssue]:
    data, issues = _load(file)
    if data is None:
        return issues
    for error in _validator(schema).iter_errors(data):
        path = list(error.absolute_path) + _unexpected(error)[:1]
        issues.append(LintIssue(file, _line(file, path), _message(error, data) or error.message))
    return issues


def _load(file: Path) -> tuple[Any, list[LintIssue]]:
    try:  # the one bounded loader (auditor.config_yaml): size, alias bombs, .nan, bad dates refused
        return parse_yaml(read_limited(file, error=StandardsError, what="standards file"), file).data, []
    except StandardsError as exc:
        return None, [LintIssue(file, 0, str(exc).removeprefix(f"{file}: "))]
    except YamlProblem as exc:
        return None, [LintIssue(file, exc.line, exc.message)]


def _line(file: Path, path: list[Any], fallback: bool = True) -> int:
    """The line of the YAML node at `path` (the deepest node that exists)."""
    try:
        node = yaml.compose(file.read_text(encoding="utf-8"))
    except yaml.YAMLError:
        return 0
    line = node.start_mark.line + 1 if node is not None else 1
    for key in path:
        if isinstance(node, yaml.MappingNode):
            match = next((v for k, v in node.value if k.value == str(key)), None)
            if match is None:
                key_node = None
                break
            key_node = next(k for k, v in node.value if k.value == str(key))
            line = key_node.start_mark.line + 1
            node = match
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
            line = node.start_mark.line + 1
        else:
            break
    return line
