"""The JSON schema of a check, derived from the kinds' declarations (NAME, DESCRIPTION, PARAMETERS,
ONE_OF). standards/schema/requirement.schema.json embeds it; `auditor standards lint` and the
tailoring file's checks validate with it."""

from __future__ import annotations

from types import ModuleType
from typing import Any

from auditor.engine.kinds import parameters as p


def _number(parameter: p.Parameter) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "integer" if parameter.type == p.INTEGER else "number"}
    for key, value in (
        ("minimum", parameter.minimum),
        ("exclusiveMinimum", parameter.above),
        ("maximum", parameter.maximum),
    ):
        if value is not None:
            schema[key] = value
    return schema


def duration_schema() -> dict[str, Any]:
    return {
        "description": "One unit and its amount, e.g. {hours: 12}.",
        "type": "object",
        "minProperties": 1,
        "maxProperties": 1,
        "additionalProperties": False,
        "properties": {unit: _number(declared) for unit, declared in p.DURATION_UNITS.items()},
    }


def _per_people() -> dict[str, Any]:
    people = _number(p.PEOPLE)
    return {
        "oneOf": [
            people,
            {
                "type": "object",
                "required": ["by", "values", "default"],
                "additionalProperties": False,
                "properties": {
                    "by": {"$ref": "#/$defs/column"},
                    "values": {"type": "object", "additionalProperties": people},
                    "default": people,
                },
            },
        ]
    }


def parameter_schema(parameter: p.Parameter) -> dict[str, Any]:
    by_type: dict[str, dict[str, Any]] = {
        p.SHEET: {"$ref": "#/$defs/sheet"},
        p.COLUMN: {"$ref": "#/$defs/column"},
        p.DURATION: {"$ref": "#/$defs/duration"},
        p.CONDITIONS: {"$ref": "#/$defs/conditions"},
        p.TEXT: {"type": "string"},
        p.TRUE: {"const": True},
        p.PER_PEOPLE: _per_people(),
    }
    schema = by_type[parameter.type] if parameter.type in by_type else _number(parameter)
    return {**schema, "description": parameter.description}


def kind_schema(kind: ModuleType) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "description": kind.DESCRIPTION,
        "additionalProperties": False,
        "required": ["kind", *(q.name for q in kind.PARAMETERS if q.required)],
        "properties": {"kind": True, **{q.name: parameter_schema(q) for q in kind.PARAMETERS}},
    }
    if kind.ONE_OF:
        schema["oneOf"] = [{"required": list(group)} for group in kind.ONE_OF]
    return schema


def check_schema() -> dict[str, Any]:
    from auditor.engine.kinds import KINDS

    return {
        "type": "object",
        "required": ["kind"],
        "properties": {"kind": {"enum": list(KINDS)}},
        "allOf": [
            {"if": {"properties": {"kind": {"const": name}}}, "then": kind_schema(kind)}
            for name, kind in KINDS.items()
        ],
    }
