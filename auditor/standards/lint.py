"""Lint the standards: the file and line of every problem, in words a reviewer acts on.

Checks each file against its JSON Schema (standards/schema/): a requirement file once for every
edition that includes it, as that edition resolves it, each problem at the line that sets the
value. Then what a schema cannot say: the id matches the file name, ids are unique, `editions:`
names editions that exist, a removed id is one the parent defines, every column a check reads
exists in the workbook contract, every requirement cites its place in the standard (a section, an
ODO component) or says why neither is known, in each edition.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from auditor.config_yaml import YamlProblem, read_limited
from auditor.engine.kinds import KINDS, check_parameters
from auditor.errors import StandardsError
from auditor.paths import standards_dir
from auditor.standards.load import (
    EDITIONS,
    VARIANTS,
    available_editions,
    edition_file,
    lineage,
    parse_cached,
    requirement_files,
    resolve_requirement,
)
from auditor.standards.model import check_columns
from auditor.standards.schema import requirement_schema
from auditor.workbook import declarations as decl


@dataclass(frozen=True)
class LintIssue:
    file: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


@cache
def _validator(name: str) -> jsonschema.Draft202012Validator:
    if name == "requirement":  # its checks' part comes from the rule kinds' declarations
        return jsonschema.Draft202012Validator(requirement_schema())
    schema = json.loads((standards_dir() / "schema" / f"{name}.schema.json").read_text())
    return jsonschema.Draft202012Validator(schema)


def lint(root: Path | None = None) -> list[LintIssue]:
    """Every problem in every edition under `root` (default: the packaged standards), each once."""
    root = root or standards_dir()
    issues: list[LintIssue] = []
    for policy in sorted((root / "policies").glob("*.yml")):
        issues += _schema_issues(policy, "rating-policy")
    editions = available_editions(root)
    if not editions:  # an empty or mistyped folder must not pass as valid standards
        issues.append(LintIssue(root, 0, f"no edition here: expected {EDITIONS}/<EDITION>.yml files"))
    for name in editions:
        issues += lint_edition(name, root)
    return list(dict.fromkeys(issues))  # a shared file's problem is found once per edition


def lint_edition(name: str, root: Path | None = None) -> list[LintIssue]:
    """The problems of one edition: its file, and every requirement file as this edition reads it."""
    root = root or standards_dir()
    file = edition_file(name, root)
    issues = _schema_issues(file, "edition")
    meta = _load(file)[0]
    meta = meta if isinstance(meta, dict) else {}
    editions = available_editions(root)
    if meta.get("edition") not in (None, name):
        issues.append(
            LintIssue(
                file, _line(file, ["edition"]), f"edition {meta['edition']!r} does not match the file name"
            )
        )
    lineage_ = _lineage(name, root)
    chain = [n for n, _ in lineage_]
    parent = meta.get("extends")
    if parent and parent not in editions:
        issues.append(
            LintIssue(file, _line(file, ["extends"]), f"extends {parent!r}, which is not an edition here")
        )
    elif lineage_[0][1].get("extends") in chain:  # lineage stopped where the chain came back
        issues.append(
            LintIssue(file, _line(file, ["extends"]), f"extends {parent!r}, which leads back to {name}")
        )
    policy = meta.get("rating_policy")
    if policy and not (root / "policies" / str(policy)).is_file():
        issues.append(
            LintIssue(
                file,
                _line(file, ["rating_policy"]),
                f"rating policy {meta['rating_policy']!r} not found in policies/",
            )
        )
    files = requirement_files(root)
    parent_ids = {rid for rid, _ in _included(files, chain[:-1])} if parent else set()
    removed = meta.get("remove") if isinstance(meta.get("remove"), list) else []
    for rid in removed:
        if rid not in parent_ids:
            issues.append(
                LintIssue(file, _line(file, ["remove"]), f"removes {rid!r}, which {parent} does not define")
            )
    seen: dict[str, Path] = {}
    for path in files:
        data, problems = _load(path)
        issues += problems
        if not isinstance(data, dict):
            continue
        issues += _shape_issues(path, data, editions)
        rid = data.get("id")
        if rid in seen:
            issues.append(
                LintIssue(path, _line(path, ["id"]), f"duplicate id {rid!r} (also in {seen[rid].name})")
            )
        seen[str(rid)] = path
        if rid and f"{rid}.yml" != path.name:
            issues.append(
                LintIssue(path, _line(path, ["id"]), f"id {rid!r} does not match the file name {path.name}")
            )
        variants = data.get(VARIANTS) if isinstance(data.get(VARIANTS), dict) else {}
        if rid in removed and name in variants:
            issues.append(
                LintIssue(
                    path, _line(path, [VARIANTS, name]), f"{name} removes {rid!r} but gives a variant of it"
                )
            )
            continue
        resolved = resolve_requirement(data, chain)
        if resolved is not None and rid not in removed:
            issues += _requirement_issues(path, resolved, chain)
    return issues


def _lineage(name: str, root: Path) -> list[tuple[str, dict]]:
    try:
        return lineage(name, root)
    except StandardsError:  # an edition file that does not parse is reported by its schema check
        return [(name, {})]


def _included(files: list[Path], chain: list[str]) -> list[tuple[str, Path]]:
    """The ids the editions of `chain` include (a file that does not parse still names its id)."""
    found = []
    for path in files:
        data = _load(path)[0]
        if not isinstance(data, dict) or resolve_requirement(data, chain) is not None:
            found.append((str(data.get("id") if isinstance(data, dict) else path.stem), path))
    return found


def _shape_issues(path: Path, data: dict[str, Any], editions: list[str]) -> list[LintIssue]:
    """What the requirement schema cannot say about a file of shared keys plus variants."""
    variants = data.get(VARIANTS)
    if not isinstance(variants, dict) or not variants:
        return [
            LintIssue(
                path,
                _line(path, [VARIANTS]),
                f"{VARIANTS}: name the editions that include {data.get('id')!r}, e.g. {VARIANTS}: "
                f"{{{editions[0] if editions else 'NDS-2019'}: {{}}}}",
            )
        ]
    issues = []
    for name, variant in variants.items():
        if name not in editions:
            issues.append(
                LintIssue(
                    path,
                    _line(path, [VARIANTS, name]),
                    f"{VARIANTS}: unknown edition {name!r}; editions here: {', '.join(editions)}",
                )
            )
        elif variant is not None and not isinstance(variant, dict):
            issues.append(
                LintIssue(
                    path, _line(path, [VARIANTS, name]), f"{VARIANTS}.{name}: give the keys that differ"
                )
            )
        for key in ("id", VARIANTS) if isinstance(variant, dict) else ():
            if key in variant:
                issues.append(
                    LintIssue(
                        path,
                        _line(path, [VARIANTS, name, key]),
                        f"{VARIANTS}.{name}: {key!r} is the same for every edition",
                    )
                )
    return issues


def _requirement_issues(file: Path, data: dict[str, Any], chain: list[str]) -> list[LintIssue]:
    """`data`, one requirement as the last edition of `chain` resolves it, against the schema and
    the workbook contract; each problem at the line that sets the value (its variant's, if any)."""
    issues = []
    check = data.get("check")
    ranged: set[str] = set()  # parameters whose number the kind's declared range refuses, said once
    if isinstance(check, dict) and check.get("kind") in KINDS:
        for problem in check_parameters(check["kind"], check):
            label = problem.split(":")[0]
            ranged.add(label.split(".")[0])
            path = ["check", *(int(k) if k.isdigit() else k for k in label.split("."))]
            issues.append(LintIssue(file, _where(file, chain, path), f"check.{problem}"))
    for where, unexpected, message in _schema_problems(data):
        if not (where[:1] == ["check"] and len(where) > 1 and where[1] in ranged):
            issues.append(LintIssue(file, _where(file, chain, where + unexpected), message))
    issues += _citation_issues(file, data, chain)
    if isinstance(check, dict) and check.get("kind") in KINDS:
        for sheet, columns in check_columns(check).items():
            if sheet not in decl.SHEETS_BY_NAME:
                continue
            known = set(decl.sheet(sheet).column_names)
            for column in sorted(columns - known):
                issues.append(
                    LintIssue(
                        file,
                        _where(file, chain, ["check"]),
                        f"check reads {sheet}.{column}, which the workbook contract does not have",
                    )
                )
    return issues


# Issue 18: every requirement is cited inside its standard (a section, an ODO component) or says why
# not (citation_note).
CITATION_KEYS = ("section", "odo_component", "citation_note")


def _citation_issues(file: Path, data: dict[str, Any], chain: list[str]) -> list[LintIssue]:
    """A requirement that, as this edition reads it, names neither where in the standard it stands nor
    ODO's component for it, nor why neither is known: a reviewer could not find its source."""
    edition = chain[-1]
    given = [key for key in CITATION_KEYS[:2] if data.get(key)]
    if given and data.get("citation_note"):  # the note says neither is known: one of the two is wrong
        return [
            LintIssue(
                file,
                _where(file, chain, ["citation_note"]),
                f"{edition}: citation_note says why no section or component is known, but "
                f"{' and '.join(given)} is given: drop the note for this edition or the {given[0]}",
            )
        ]
    if given or data.get("citation_note"):
        return []
    line = _line(file, [VARIANTS, edition], exact=True) or _line(file, ["standard"])
    return [
        LintIssue(
            file,
            line,
            f"{edition}: no citation inside the standard: give section (e.g. V.D.2), odo_component "
            "(e.g. MC-12) or citation_note (why neither is known)",
        )
    ]


def _schema_problems(data: dict[str, Any]) -> list[tuple[list[Any], list[Any], str]]:
    """(path, unexpected keys, message) of each schema error; an edition that reads a requirement
    as its parent does (NDS-2025 most of NDS-2019's) reuses the parent's answer."""
    try:
        canonical = json.dumps(data, sort_keys=True, allow_nan=False)
    except (TypeError, ValueError):  # a YAML date or the like: validate it as it is
        return _validate(data)
    return _validate_json(canonical)


@lru_cache(maxsize=1024)
def _validate_json(canonical: str) -> list[tuple[list[Any], list[Any], str]]:
    return _validate(json.loads(canonical))


def _validate(data: dict[str, Any]) -> list[tuple[list[Any], list[Any], str]]:
    found = []
    for error in sorted(_validator("requirement").iter_errors(data), key=lambda e: list(e.absolute_path)):
        message = _message(error, data)
        if message:
            found.append((list(error.absolute_path), _unexpected(error)[:1], message))
    return found


def _where(file: Path, chain: list[str], path: list[Any]) -> int:
    """The line that gives the value at `path`: the nearest edition's variant, else the shared key."""
    for name in reversed(chain if path else []):  # a missing top-level key belongs to the shared part
        line = _line(file, [VARIANTS, name, *path], exact=True)
        if line:
            return line
    return _line(file, path)


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
        return parse_cached(read_limited(file, error=StandardsError, what="standards file"), str(file)), []
    except StandardsError as exc:
        return None, [LintIssue(file, 0, str(exc).removeprefix(f"{file}: "))]
    except YamlProblem as exc:
        return None, [LintIssue(file, exc.line, exc.message)]


def _line(file: Path, path: list[Any], exact: bool = False) -> int:
    """The line of the YAML node at `path` (the deepest node that exists; 0 if `exact` and it does not)."""
    try:
        node = yaml.compose(file.read_text(encoding="utf-8"))
    except yaml.YAMLError:
        return 0
    line = node.start_mark.line + 1 if node is not None else 1
    for key in path:
        if isinstance(node, yaml.MappingNode):
            match = next(((k, v) for k, v in node.value if k.value == str(key)), None)
            if match is None:
                return 0 if exact else line
            line = match[0].start_mark.line + 1
            node = match[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
            line = node.start_mark.line + 1
        else:
            return 0 if exact else line
    return line
