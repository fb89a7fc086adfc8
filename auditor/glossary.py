"""The glossary: the words a person reads for every field, status and code (auditor/glossary.yml).

Defined once and read by the template (header labels), validation messages, the reports and the
web pages. A code the glossary lacks is shown as it is, never dropped: `term("aors", "XYZ")` is
"XYZ". Field names inside generated text (a threshold such as "field_office_notified within 14
days of start") become their labels with `humanise`.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

from auditor.config_yaml import load_yaml

GLOSSARY = Path(__file__).resolve().parent / "glossary.yml"
GROUPS = (
    "common",
    "statuses",
    "verdicts",
    "confidence",
    "badges",
    "areas",
    "aors",
    "facility_types",
    "editions",
    "states",
)
_SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")  # only snake_case: `start` stays a word


@cache
def glossary() -> dict[str, Any]:
    """The glossary file, checked: every group a mapping of code to label text."""
    doc = load_yaml(GLOSSARY, what="glossary")
    data = doc.data if isinstance(doc.data, dict) else {}
    fields = data.get("fields")
    groups = {name: data.get(name) for name in GROUPS}
    for name, group in [*groups.items(), *((f"fields.{s}", g) for s, g in (fields or {}).items())]:
        if not isinstance(group, dict) or not all(
            isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in group.items()
        ):
            raise ValueError(f"{doc.where(*name.split('.'))}: {name} must map codes to label text")
    return {"fields": fields, **groups}


def field_label(sheet: str, name: str) -> str:
    """The label of a column of a sheet (the name itself when the glossary has none)."""
    return glossary()["fields"].get(sheet, {}).get(name, name)


def sheet_labels(sheet: str) -> dict[str, str]:
    """Column name → label, for every column of `sheet` the glossary labels."""
    return dict(glossary()["fields"].get(sheet, {}))


@cache
def _name_labels() -> dict[str, str]:
    """A label per column name wherever it appears: the sheets' own when they agree, else `common`."""
    seen: dict[str, set[str]] = {}
    for labels in glossary()["fields"].values():
        for name, label in labels.items():
            seen.setdefault(name, set()).add(label)
    common = glossary()["common"]
    return {
        name: common.get(name, next(iter(labels)))
        for name, labels in seen.items()
        if name in common or len(labels) == 1
    }


def term(group: str, code: str | None) -> str:
    """The label of a code in a group (statuses, confidence, aors, …); the code itself when unknown."""
    if code is None:
        return ""
    return glossary()[group].get(str(code), str(code))


def label(code: str | None, group: str) -> str:
    """`term` with the code first, as a template filter: `{{ facility.aor | term("aors") }}`."""
    return term(group, code)


def column_label(name: str, sheet: str) -> str:
    """`field_label` with the column first, as a template filter: `{{ c.column | field(e.sheet) }}`."""
    return field_label(sheet, name)


def humanise(text: str | None) -> str:
    """Generated text with each snake_case field name replaced by its label, in lower case where a
    sentence goes on (`medical_screening within 12 hours of arrival` → `Medical screening within …`)."""
    if not text:
        return text or ""
    labels = _name_labels()

    def label(match: re.Match[str]) -> str:
        found = labels.get(match.group(0))
        if found is None:
            return match.group(0)
        if match.start() > 0 and len(found) > 1 and found[1].islower():
            return found[0].lower() + found[1:]
        return found

    return _SNAKE.sub(label, text)
