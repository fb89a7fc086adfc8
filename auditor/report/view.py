"""What the report templates show, computed from Results alone (never from a workbook)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from auditor.contracts.results import Evidence, Result, Results
from auditor.report import charts
from auditor.report.charts import Segment

AREAS = ("Safety", "Security", "Order", "Care", "Activities", "Justice", "Administration")
EVIDENCE_CAP = 25
STATUS_WORDS = {
    "compliant": "Compliant",
    "deficient": "Deficient",
    "waived": "Waived",
    "not_applicable": "Not applicable",
    "not_assessed": "Not assessed",
    "error": "Could not be evaluated",
}
RATING_CSS = {"Meets Standards": "meets", "Does Not Meet Standards": "fails", "Incomplete": "incomplete"}


@dataclass
class Finding:
    result: Result
    evidence: list[Evidence]
    more: int
    flags: list[tuple[str, str]]  # (label, css class)
    anchor: str


@dataclass
class StandardGroup:
    number: str
    name: str
    findings: list[Finding] = field(default_factory=list)


@dataclass
class AreaGroup:
    name: str
    standards: list[StandardGroup] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(s.findings) for s in self.standards)


def flags(result: Result) -> list[tuple[str, str]]:
    out = []
    if result.priority:
        out.append(("Priority component", "priority"))
    if result.repeat:
        out.append(("Repeat deficiency", "repeat"))
    if result.corrected_on_site:
        out.append(("Corrected on site", "corrected"))
    if result.status == "waived":
        out.append(("Waived", "waived"))
    elif result.waiver and result.waiver.expired:
        out.append(("Waiver expired", "expired"))
    if result.threshold and result.threshold.unverified:
        out.append(("Unverified threshold", "unverified"))
    if result.threshold and result.threshold.tailored:
        out.append(("Tailored threshold", "tailored"))
    return out


def findings_by_area(results: Results, cap: int = EVIDENCE_CAP) -> list[AreaGroup]:
    """Deficient and waived requirements, grouped by functional area, then standard."""
    groups: dict[str, dict[tuple[str, str], StandardGroup]] = defaultdict(dict)
    for result in results.results:
        if result.status not in ("deficient", "waived"):
            continue
        key = (result.standard_number, result.standard_name)
        standard = groups[result.area].setdefault(key, StandardGroup(*key))
        standard.findings.append(
            Finding(
                result=result,
                evidence=result.evidence[:cap],
                more=max(0, len(result.evidence) - cap),
                flags=flags(result),
                anchor=f"finding-{result.requirement_id}",
            )
        )
    ordered = []
    for area in sorted(groups, key=_area_order):
        standards = sorted(groups[area].values(), key=lambda s: _number_key(s.number))
        ordered.append(AreaGroup(area, standards))
    return ordered


def _area_order(area: str) -> int:
    return AREAS.index(area) if area in AREAS else len(AREAS)


def _number_key(number: str) -> tuple[int, ...]:
    return tuple(int(p) for p in number.split(".") if p.isdigit())


def due_date(results: Results, result: Result) -> str:
    days = results.rating_policy.get("corrective_action_days", {"priority": 30, "standard": 90})
    end = dt.date.fromisoformat(str(results.inspection["inspection_end"])[:10])
    return (end + dt.timedelta(days=days["priority" if result.priority else "standard"])).isoformat()


def ucap_rows(results: Results) -> list[dict[str, Any]]:
    """One corrective action per deficiency, due by severity (the policy's corrective_action_days)."""
    rows = []
    for number, result in enumerate((r for r in results.results if r.status == "deficient"), start=1):
        rows.append(
            {
                "number": number,
                "result": result,
                "due": due_date(results, result),
                "severity": "Priority" if result.priority else "Standard",
                "owner": "",
                "status": "Open",
            }
        )
    return rows


def conclusion(results: Results) -> list[str]:
    """The executive summary, in the form of an ODO inspection report's conclusion."""
    s, edition = results.summary, results.standards["edition"]
    text = [
        f"During this inspection, the auditor assessed the facility's compliance with "
        f"{s.requirements_assessed} requirements of {s.assessed_standards} standards under {edition} and "
        f"found the facility in compliance with {s.compliant} of those requirements; "
        f"{s.compliant_standards} of the standards had no deficiency.",
    ]
    if s.deficient:
        priority = _verb(s.priority_deficiencies, "was a priority component", "were priority components")
        repeat = _verb(s.repeat_deficiencies, "was a repeat deficiency", "were repeat deficiencies")
        text.append(
            f"The auditor found {_count(s.deficient, 'deficiency', 'deficiencies')} in "
            f"{_count(s.deficient_standards, 'standard')}, of which {priority} and {repeat}."
        )
    else:
        text.append("The auditor found no deficiency.")
    if s.waived:
        waived = _count(s.waived, "further deficiency", "further deficiencies")
        text.append(f"{waived} {'is' if s.waived == 1 else 'are'} covered by a current waiver.")
    if s.not_assessed or s.error:
        text.append(
            f"{_count(s.not_assessed + s.error, 'requirement')} could not be assessed because the records "
            "they need were not provided; they never count as compliant (see What could not be assessed)."
        )
    previous = results.previous
    if previous:
        name = previous.get("inspection_id") or "unnamed"
        ended = previous.get("inspection_end") or "on an unknown date"
        before = len(previous.get("deficient", []))
        new = _verb(len(previous["new"]), "deficiency is new", "deficiencies are new")
        resolved = _verb(len(previous["resolved"]), "was resolved", "were resolved")
        repeated = _verb(len(previous["repeat"]), "is repeated", "are repeated")
        text.append(
            f"Compared with the previous inspection ({name}, ended {ended}, rated "
            f"{previous.get('rating') or 'unrated'}, {_count(before, 'deficiency', 'deficiencies')}): "
            f"{new}, {resolved} and {repeated}."
        )
    return text


def _verb(number: int, singular: str, many: str) -> str:
    return f"{number} {singular if number == 1 else many}"


def _count(number: int, singular: str, many: str | None = None) -> str:
    return f"{number} {singular if number == 1 else (many or singular + 's')}"


def area_chart(results: Results) -> Markup:
    rows = []
    for area in AREAS:
        mine = [r for r in results.results if r.area == area]
        if not mine:
            continue
        count = Counter(r.status for r in mine)
        rows.append(
            (
                area,
                [
                    Segment(count["compliant"], "ok", f"{count['compliant']} compliant"),
                    Segment(count["deficient"], "bad", f"{count['deficient']} deficient"),
                    Segment(count["waived"], "waived", f"{count['waived']} waived"),
                    Segment(count["not_applicable"], "na", f"{count['not_applicable']} not applicable"),
                    Segment(count["not_assessed"] + count["error"], "unassessed", "not assessed"),
                ],
            )
        )
    legend = [
        ("ok", "Compliant"),
        ("bad", "Deficient"),
        ("waived", "Waived"),
        ("na", "Not applicable"),
        ("unassessed", "Not assessed"),
    ]
    return charts.stacked_bars(rows, legend, "Requirements by functional area and status")


def standards_chart(results: Results) -> Markup | None:
    count = Counter(
        f"{r.standard_number} {r.standard_name}" for r in results.results if r.status == "deficient"
    )
    if not count:
        return None
    rows = sorted(count.items(), key=lambda kv: (-kv[1], _number_key(kv[0].split()[0])))
    return charts.bars(rows, "bad", "Deficiencies by standard", "deficiencies")


def by_standard(results: Results) -> list[dict[str, Any]]:
    """Every requirement, grouped by functional area and standard, in the order of the findings."""
    groups: dict[tuple[str, str, str], list[Result]] = defaultdict(list)
    for result in results.results:
        groups[(result.area, result.standard_number, result.standard_name)].append(result)
    ordered = sorted(groups, key=lambda key: (_area_order(key[0]), _number_key(key[1]), key[1]))
    return [
        {
            "area": area,
            "number": number,
            "name": name,
            "results": sorted(groups[(area, number, name)], key=lambda r: r.requirement_id),
        }
        for area, number, name in ordered
    ]


def facility_view(results: Results, cap: int = EVIDENCE_CAP) -> dict[str, Any]:
    """Everything the facility report template needs."""
    by_status = defaultdict(list)
    for result in results.results:
        by_status[result.status].append(result)
    return {
        "r": results,
        "facility": results.facility,
        "inspection": results.inspection,
        "summary": results.summary,
        "policy": results.rating_policy,
        "rating_css": RATING_CSS.get(results.summary.rating, "fails"),
        "conclusion": conclusion(results),
        "areas": findings_by_area(results, cap),
        "unassessed": by_status["not_assessed"] + by_status["error"],
        "not_applicable": by_status["not_applicable"],
        "ucap": ucap_rows(results),
        "area_chart": area_chart(results),
        "standards_chart": standards_chart(results),
        "status_words": STATUS_WORDS,
        "cap": cap,
        "by_standard": by_standard(results),
    }
