"""The standards as the engine and the reports see them: editions of requirements, and the rating policy."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# The parameters that name a column are the kinds' COLUMN parameters (auditor/engine/kinds/); these
# name a column of `events_sheet`, the others one of `sheet`.
EVENT_PARAMETERS = ("event",)
# A missing optional column does not stop the rule: released (nobody released), substitute
# (no urinals: toilets alone are counted), also_value_over (the duration is still checked), or_before
# (the limit still proves a late action; compliance is left undecided), until (a stay may have ended
# any time after it began), report_type (no row is a single report: every row is a placement).
OPTIONAL_PARAMETERS = ("released", "substitute", "also_value_over", "or_before", "until", "report_type")


@dataclass(frozen=True)
class Requirement:
    id: str
    title: str
    area: str
    standard_number: str
    standard_name: str
    priority: bool
    confidence_level: str
    confidence_source: str
    description: str
    rationale: str
    check: dict[str, Any]
    corrective_action: str
    edition: str
    status: str = "ready"
    section: str | None = None
    odo_component: str | None = None
    citation_note: str | None = None  # why neither section nor odo_component is known
    threshold_confidence: str | None = None
    not_applicable_to: dict[str, list[str]] = field(default_factory=dict)
    file: Path | None = None
    finding: str = "deficiency"  # or "area_of_concern": no ICE component, reported but never rated

    @property
    def kind(self) -> str:
        return self.check["kind"]

    @property
    def type(self) -> str:
        return "observation" if self.kind == "attestation" else "data"

    @property
    def unverified_threshold(self) -> bool:
        return "U" in (self.confidence_level, self.threshold_confidence)

    @property
    def confidence(self) -> str:
        if self.threshold_confidence and self.threshold_confidence != self.confidence_level:
            return f"{self.confidence_level} (threshold {self.threshold_confidence})"
        return self.confidence_level

    @property
    def citation(self) -> str:
        text = f"{self.edition} {self.standard_number} {self.standard_name}"
        if self.section:
            text += f", §{self.section}"
        if self.odo_component:
            text += f" (ODO component {self.odo_component})"
        return text

    @classmethod
    def from_data(cls, data: dict[str, Any], edition: str, file: Path | None = None) -> Requirement:
        confidence = data["confidence"]
        return cls(
            id=data["id"],
            title=data["title"],
            area=data["area"],
            standard_number=str(data["standard"]["number"]),
            standard_name=data["standard"]["name"],
            priority=bool(data["priority"]),
            confidence_level=confidence["level"],
            confidence_source=" ".join(confidence["source"].split()),
            threshold_confidence=confidence.get("threshold"),
            description=" ".join(data["description"].split()),
            rationale=" ".join(data["rationale"].split()),
            check=data["check"],
            corrective_action=" ".join(data["corrective_action"].split()),
            edition=edition,
            status=data.get("status", "ready"),
            section=data.get("section"),
            odo_component=data.get("odo_component"),
            citation_note=" ".join(data["citation_note"].split()) if data.get("citation_note") else None,
            not_applicable_to=data.get("not_applicable_to", {}),
            file=file,
            finding=data.get("finding", "deficiency"),
        )


@dataclass(frozen=True)
class RatingPolicy:
    id: str
    title: str
    statement: str
    rules: list[dict[str, Any]]
    otherwise: str
    extent_tiers: dict[str, float]
    corrective_action_days: dict[str, int]

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> RatingPolicy:
        return cls(
            id=data["id"],
            title=data["title"],
            statement=" ".join(data["statement"].split()),
            rules=[{**rule, "explanation": " ".join(rule["explanation"].split())} for rule in data["rules"]],
            otherwise=data["otherwise"],
            extent_tiers=data["extent_tiers"],
            corrective_action_days=data.get("corrective_action_days", {"priority": 30, "standard": 90}),
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "statement": self.statement,
            "rules": self.rules,
            "otherwise": self.otherwise,
            "extent_tiers": self.extent_tiers,
            "corrective_action_days": self.corrective_action_days,
        }


@dataclass
class Edition:
    name: str
    title: str
    catalogue_version: str
    requirements: dict[str, Requirement]
    policy: RatingPolicy
    sha256: str
    extends: str | None = None
    source: str | None = None
    files: list[Path] = field(default_factory=list)

    def observation_ids(self) -> set[str]:
        return {r.id for r in self.requirements.values() if r.type == "observation"}


def check_columns(check: dict[str, Any]) -> dict[str, set[str]]:
    """Every sheet and column a check reads, conditions included."""
    from auditor.engine.kinds import KINDS
    from auditor.engine.kinds.parameters import COLUMN

    kind = KINDS.get(check.get("kind"))
    named = [q.name for q in kind.PARAMETERS if q.type == COLUMN] if kind else []
    needs: dict[str, set[str]] = {}
    sheet = check.get("sheet")
    if sheet:
        needs.setdefault(sheet, set()).update(
            str(check[p]) for p in named if p not in EVENT_PARAMETERS and isinstance(check.get(p), str)
        )
        per = check.get("per")
        if isinstance(per, dict) and "by" in per:
            needs[sheet].add(per["by"])
        for condition in (
            check.get("where", []) + check.get("violation_when", []) + check.get("qualifying", [])
        ):
            needs[sheet].update(condition_columns(condition))
    if check.get("events_sheet"):
        needs.setdefault(check["events_sheet"], set()).update(
            [check[p] for p in EVENT_PARAMETERS if p in check] + ([check["key"]] if "key" in check else [])
        )
    if check.get("kind") == "attestation":
        needs["Checklist"] = {"requirement_id", "finding"}
    return needs


def condition_columns(condition: dict[str, Any]) -> set[str]:
    if "any_of" in condition:
        return set().union(*(condition_columns(c) for c in condition["any_of"]))
    columns = {condition[k] for k in ("column", "age_at", "from", "to") if k in condition}
    return columns
