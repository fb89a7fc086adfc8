"""Results: the one thing reports, the UCAP workbook and the web app read.

The JSON form is the public contract of `spec/inspection-workbook.md` with extra fields the reports
need. schema_version 2 added the three-valued verdict (docs/verdicts.md): `compliant` and
`indeterminate` counts, the `indeterminate` status, each evidence row's `verdict`, and coverage in
the summary. Version 1 files still read (their counts as written, nothing indeterminate).
`Results.from_dict(results.to_dict())` round-trips, so a report can be rendered from a results file
without the workbook.
"""

from __future__ import annotations

import copy
import json
import re
import uuid
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

SCHEMA_VERSION = "2"
STATUSES = ("compliant", "deficient", "indeterminate", "not_applicable", "not_assessed", "waived", "error")


@dataclass
class Evidence:
    sheet: str
    row: int | None
    cells: list[dict[str, Any]]  # [{"column", "ref", "value"}], identifiers masked
    detail: str  # what proves the violation, or why the record cannot be decided
    verdict: str = "violation"  # or "indeterminate"


@dataclass
class Threshold:
    text: str  # "12 hours after arrival"
    unverified: bool = False
    tailored: bool = False
    default_text: str | None = None  # the catalogue default, when tailored
    parameters: dict[str, Any] = field(default_factory=dict)


@dataclass
class Extent:
    violations: int
    population: int
    percent: float
    tier: str  # isolated, pattern, widespread


@dataclass
class Waiver:
    justification: str
    approved_by: str
    expires: str
    facility_id: str
    expired: bool = False
    applied: bool = False


@dataclass
class Result:
    requirement_id: str
    status: str
    priority: bool
    repeat: bool
    population: int
    violations: int
    evidence: list[Evidence]
    title: str = ""
    area: str = ""
    standard_number: str = ""
    standard_name: str = ""
    citation: str = ""
    kind: str = ""
    type: str = "data"  # data or observation
    confidence: str = ""
    threshold: Threshold | None = None
    extent: Extent | None = None
    population_label: str = ""
    reason: str | None = None  # why not_assessed / not_applicable / error
    note: str | None = None  # e.g. rows left out as pending
    underlying_status: str | None = None  # the evaluated status of a waived result
    waiver: Waiver | None = None
    corrected_on_site: bool = False
    remarks: str | None = None  # the inspector's remarks (observation requirements)
    corrective_action: str = ""
    evidence_total: int = 0
    compliant: int = 0  # population = violations + compliant + indeterminate
    indeterminate: int = 0  # records the data cannot decide
    absent_columns: list[str] = field(default_factory=list)  # optional columns the rule could not read
    in_scope: bool = True  # False: the inspection's scope leaves this requirement out
    finding: str = "deficiency"  # "area_of_concern" or "best_practice": counted, but never rated
    odo_component: str | None = None  # ODO's component id (e.g. MC-104) in the edition evaluated

    @property
    def deficient(self) -> bool:
        """Deficient as evaluated, whether or not a waiver now covers it."""
        return (self.underlying_status or self.status) == "deficient"


@dataclass
class Summary:
    requirements_assessed: int
    compliant: int
    deficient: int
    not_assessed: int
    not_applicable: int
    waived: int
    error: int
    priority_deficiencies: int
    repeat_deficiencies: int
    rating: str
    total_requirements: int
    deficient_standards: int = 0
    assessed_standards: int = 0
    compliant_standards: int = 0
    compliance_percent: float | None = None
    rating_reason: str = ""
    indeterminate: int = 0
    in_scope: int = 0  # requirements the inspection's scope holds
    decided: int = 0  # of those, deficient or compliant (waived ones count as deficient)
    coverage_percent: float | None = None  # decided / in_scope
    areas_of_concern: int = 0  # of the deficient, those that are areas of concern (left out of the rating)


@dataclass
class Results:
    facility: dict[str, Any]
    inspection: dict[str, Any]
    standards: dict[str, Any]
    inputs: list[dict[str, str]]
    summary: Summary
    results: list[Result]
    rating_policy: dict[str, Any] = field(default_factory=dict)
    tailoring: dict[str, Any] | None = None
    waivers: dict[str, Any] | None = None
    previous: dict[str, Any] | None = None
    software: dict[str, str] = field(default_factory=dict)
    scope: dict[str, Any] | None = None  # an inspection that checked only some requirements
    samples: list[dict[str, Any]] = field(default_factory=list)  # file reviews by sample (docs/sampling.md)
    schema_version: str = SCHEMA_VERSION

    def to_dict(self) -> dict[str, Any]:
        return _in_order(_plain(self))

    def to_json(self, indent: int | None = 2) -> str:
        """`to_dict` as JSON, without building it first: the encoder meets each nested dataclass and
        asks `_fields_of` for its fields (the evidence rows' values are never copied). Indented, each
        evidence row is one line (`_rows_on_lines`); `indent=None`, all of it is one line."""
        data = _in_order(_fields_of(self))
        if indent is None:
            return json.dumps(data, ensure_ascii=False, default=_fields_of)
        return _rows_on_lines(data, indent)

    def write(self, path: str | Path) -> Path:
        path = Path(path)
        path.write_text(self.to_json() + "\n", encoding="utf-8")
        return path

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Results:
        results = [_result(r) for r in data["results"]]
        summary = _build(Summary, data["summary"])
        rest = {
            k: data[k]
            for k in ("rating_policy", "tailoring", "waivers", "previous", "software", "scope", "samples")
            if k in data
        }
        return cls(
            facility=data["facility"],
            inspection=data["inspection"],
            standards=data["standards"],
            inputs=data.get("inputs", []),
            summary=summary,
            results=results,
            schema_version=str(data.get("schema_version", SCHEMA_VERSION)),
            **rest,
        )

    @classmethod
    def read(cls, path: str | Path) -> Results:
        """A results file written by `auditor audit --format json`; raises ConfigError otherwise."""
        from auditor.untrusted import load_json_as

        return load_json_as(Path(path), cls.from_dict, "a results file from `auditor audit --format json`")

    def by_id(self) -> dict[str, Result]:
        return {r.requirement_id: r for r in self.results}


_LEAVES = (str, int, float, bool, type(None))
ORDER = ("schema_version", "facility", "inspection", "standards", "inputs", "summary", "results")


def _in_order(data: dict[str, Any]) -> dict[str, Any]:
    """The results file's keys in the contract's order, the rest after."""
    return {key: data[key] for key in ORDER} | {k: v for k, v in data.items() if k not in ORDER}


def _rows_on_lines(data: dict[str, Any], indent: int) -> str:
    """The results indented, each evidence row on one line of its own: the indenting encoder is
    Python's, the one-line one C's (a 1M-admission audit's results file took 6.25 s indented whole,
    the rows its bulk), and a row per line reads and diffs as a row. Each result's evidence is held
    out by a placeholder no text can hold (a fresh random token), then put in its place."""
    token = uuid.uuid4().hex
    evidence: list[list[Any]] = []
    results = []
    for result in data["results"]:
        fields_ = _fields_of(result)
        if fields_["evidence"]:
            evidence.append(fields_["evidence"])
            fields_ = {**fields_, "evidence": f"{token}-{len(evidence) - 1}"}
        results.append(fields_)
    text = json.dumps({**data, "results": results}, indent=indent, ensure_ascii=False, default=_fields_of)
    one_line = json.JSONEncoder(ensure_ascii=False, default=_fields_of)

    def rows(found: re.Match[str]) -> str:
        inner = found["lead"] + " " * indent
        lines = ",\n".join(inner + one_line.encode(row) for row in evidence[int(found["n"])])
        return f"{found['lead']}{found['key']}[\n{lines}\n{found['lead']}]"

    return re.sub(rf'(?m)^(?P<lead> *)(?P<key>"evidence": )"{token}-(?P<n>\d+)"', rows, text)


def _fields_of(value: Any) -> Any:
    """What the JSON encoder writes for a value it does not know: a dataclass as its fields (one level:
    the encoder comes back for the next), anything else as its text (a date), as `default=str` did."""
    if hasattr(type(value), "__dataclass_fields__"):
        return {f.name: getattr(value, f.name) for f in fields(value)}
    return str(value)


def _plain(value: Any) -> Any:
    """`dataclasses.asdict`'s answer, without its `copy.deepcopy` of every str and int (a results file
    of a few thousand evidence rows spent most of its writing there: a tenth of an SRMS import)."""
    if isinstance(value, _LEAVES):
        return value
    if hasattr(type(value), "__dataclass_fields__"):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {_plain(k): _plain(v) for k, v in value.items()}
    if isinstance(value, tuple) and not hasattr(value, "_fields"):
        return tuple(_plain(v) for v in value)
    return copy.deepcopy(value)  # anything else as asdict has it (a namedtuple, a set, a date)


def _build(kind, data: dict[str, Any]):
    names = {f.name for f in fields(kind)}
    return kind(**{k: v for k, v in data.items() if k in names})


def _result(data: dict[str, Any]) -> Result:
    result = _build(Result, data)
    result.evidence = [_build(Evidence, e) for e in data.get("evidence", [])]
    if data.get("threshold"):
        result.threshold = _build(Threshold, data["threshold"])
    if data.get("extent"):
        result.extent = _build(Extent, data["extent"])
    if data.get("waiver"):
        result.waiver = _build(Waiver, data["waiver"])
    return result


def looks_like_results(path: str | Path) -> bool:
    """A results JSON file (rather than a workbook or CSV folder)?"""
    path = Path(path)
    if not path.is_file():
        return False
    with path.open("rb") as handle:
        head = handle.read(4096)
    return head.lstrip().startswith(b"{") and b"schema_version" in head
