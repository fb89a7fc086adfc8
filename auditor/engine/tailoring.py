"""Tailoring: an administrator's thresholds for one facility, reported in every output.

    facility_id: CDF-0002          # the facility it is for, or "*"
    approved_by: J. Rivera, Field Office Director
    reason: Why these thresholds differ from the catalogue defaults.
    overrides:
      MC-INTAKE-SCREEN:
        limit: {hours: 8}

Only a kind's tunable parameters may change (a deadline's limit, a temperature's max, ...).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from auditor.engine.kinds import KINDS
from auditor.errors import ConfigError
from auditor.paths import standards_dir
from auditor.standards.model import Edition, Requirement


@dataclass
class Tailoring:
    facility_id: str
    approved_by: str
    reason: str
    overrides: dict[str, dict[str, Any]]
    file: str
    sha256: str

    def check_for(self, requirement: Requirement) -> dict[str, Any]:
        return {**requirement.check, **self.overrides.get(requirement.id, {})}

    def as_dict(self, edition: Edition) -> dict[str, Any]:
        described = {}
        for rid, params in self.overrides.items():
            requirement = edition.requirements[rid]
            kind = KINDS[requirement.kind]
            described[rid] = {
                "parameters": params,
                "default": kind.describe(requirement.check),
                "tailored": kind.describe(self.check_for(requirement)),
            }
        return {
            "file": self.file,
            "sha256": self.sha256,
            "facility_id": self.facility_id,
            "approved_by": self.approved_by,
            "reason": self.reason,
            "overrides": described,
        }


@cache
def _check_validator() -> jsonschema.Draft202012Validator:
    schema = json.loads((standards_dir() / "schema" / "requirement.schema.json").read_text())
    return jsonschema.Draft202012Validator({"$defs": schema["$defs"], "$ref": "#/$defs/check"})


def load_tailoring(path: str | Path, edition: Edition, facility_id: str) -> Tailoring:
    path = Path(path)
    try:
        raw = path.read_bytes()
        data = yaml.safe_load(raw)
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read the tailoring file ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("overrides"), dict):
        raise ConfigError(f"{path}: a tailoring file needs facility_id, approved_by, reason and overrides")
    for key in ("facility_id", "approved_by", "reason"):
        if not str(data.get(key) or "").strip():
            raise ConfigError(f"{path}: {key} is required")
    if str(data["facility_id"]) not in ("*", facility_id):
        raise ConfigError(f"{path}: this tailoring is for facility {data['facility_id']}, not {facility_id}")
    overrides: dict[str, dict[str, Any]] = {}
    for rid, params in data["overrides"].items():
        overrides[rid] = _override(path, edition, rid, params)
    return Tailoring(
        facility_id=str(data["facility_id"]),
        approved_by=str(data["approved_by"]),
        reason=" ".join(str(data["reason"]).split()),
        overrides=overrides,
        file=path.name,
        sha256=hashlib.sha256(raw).hexdigest(),
    )


def _override(path: Path, edition: Edition, rid: str, params: Any) -> dict[str, Any]:
    if rid not in edition.requirements:
        raise ConfigError(f"{path}: {rid} is not a requirement of {edition.name}")
    requirement = edition.requirements[rid]
    tunable = KINDS[requirement.kind].TUNABLE
    if not isinstance(params, dict) or not params:
        raise ConfigError(f"{path}: {rid}: give the parameters to change, e.g. limit: {{hours: 8}}")
    for name in params:
        if name not in tunable:
            allowed = ", ".join(tunable) or "none"
            raise ConfigError(
                f"{path}: {rid}: {name!r} cannot be tailored (tunable for {requirement.kind}: {allowed})"
            )
    merged = {**requirement.check, **params}
    errors = sorted(_check_validator().iter_errors(merged), key=lambda e: e.path)
    if errors:
        raise ConfigError(f"{path}: {rid}: {errors[0].message}")
    return params
