"""Tailoring files: an administrator's thresholds for one facility, read and checked into the
engine's Tailoring. Every refusal names the file, the line and the field.

    facility_id: CDF-0002          # the facility it is for, or "*"
    approved_by: J. Rivera, Field Office Director
    reason: Why these thresholds differ from the catalogue defaults.
    overrides:
      MC-INTAKE-SCREEN:
        limit: {hours: 8}

Only a kind's tunable parameters may change, to values inside the range the kind declares.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

from auditor.config_yaml import YamlDocument, dotted, load_yaml
from auditor.engine.kinds import KINDS, check_parameters
from auditor.engine.tailoring import Tailoring
from auditor.errors import ConfigError
from auditor.paths import standards_dir
from auditor.standards.model import Edition


@cache
def _check_validator() -> jsonschema.Draft202012Validator:
    schema = json.loads((standards_dir() / "schema" / "requirement.schema.json").read_text())
    return jsonschema.Draft202012Validator({"$defs": schema["$defs"], "$ref": "#/$defs/check"})


FIELDS = ("facility_id", "approved_by", "reason", "overrides")


def load_tailoring(path: str | Path, edition: Edition, facility_id: str) -> Tailoring:
    """Read a tailoring file for `facility_id`; every refusal names its file, line and field."""
    doc = load_yaml(path, what="tailoring file")
    data = doc.data
    if not isinstance(data, dict):
        raise ConfigError(f"{doc.where()}: a tailoring file is a mapping of {', '.join(FIELDS)}")
    for key in data:
        if key not in FIELDS:
            raise ConfigError(
                f"{doc.where(key)}: {key}: unknown field (a tailoring file has {', '.join(FIELDS)})"
            )
    for key in FIELDS[:3]:
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            problem = "is required" if value is None or value == "" else "must be text (quote it)"
            raise ConfigError(f"{doc.where(key)}: {key} {problem}")
    if not isinstance(data.get("overrides"), dict) or not data["overrides"]:
        raise ConfigError(
            f"{doc.where('overrides')}: overrides: give requirement ids and their parameters, "
            "e.g. MC-INTAKE-SCREEN: {limit: {hours: 8}}"
        )
    if data["facility_id"] not in ("*", facility_id):
        raise ConfigError(
            f"{doc.where('facility_id')}: facility_id: this tailoring is for facility "
            f"{data['facility_id']}, not {facility_id}"
        )
    overrides = {str(rid): _override(doc, edition, rid, params) for rid, params in data["overrides"].items()}
    return Tailoring(
        facility_id=data["facility_id"],
        approved_by=data["approved_by"].strip(),
        reason=" ".join(data["reason"].split()),
        overrides=overrides,
        file=doc.path.name,
        sha256=hashlib.sha256(doc.raw).hexdigest(),
    )


def _override(doc: YamlDocument, edition: Edition, rid: Any, params: Any) -> dict[str, Any]:
    where = doc.where("overrides", rid)
    if rid not in edition.requirements:
        raise ConfigError(f"{where}: overrides: {rid} is not a requirement of {edition.name}")
    requirement = edition.requirements[rid]
    tunable = KINDS[requirement.kind].TUNABLE
    if not isinstance(params, dict) or not params:
        raise ConfigError(f"{where}: {rid}: give the parameters to change, e.g. limit: {{hours: 8}}")
    for name in params:
        if name not in tunable:
            allowed = ", ".join(tunable) or "none"
            raise ConfigError(
                f"{doc.where('overrides', rid, name)}: {rid}: {name!r} cannot be tailored "
                f"(tunable for {requirement.kind}: {allowed})"
            )
    problems = check_parameters(requirement.kind, params)  # finite, inside the kind's declared range
    if problems:
        field = problems[0].split(":")[0].split(".")
        raise ConfigError(f"{doc.where('overrides', rid, *field)}: {rid}.{problems[0]}")
    merged = {**requirement.check, **params}
    errors = sorted(_check_validator().iter_errors(merged), key=lambda e: [str(p) for p in e.path])
    if errors:
        field = list(errors[0].absolute_path)
        named = dotted((rid, *field)) if field and field[0] in params else rid
        raise ConfigError(f"{doc.where('overrides', rid, *field)}: {named}: {errors[0].message}")
    return params
