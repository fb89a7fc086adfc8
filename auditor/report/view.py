"""What the report templates show, computed from Results alone (never from a workbook)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from auditor.contracts.results import Evidence, Result, Results
from auditor.report import charts, odo
from auditor.report.charts import Segment
from auditor.report.fix_first import due_date, fix_first

AREAS = ("Safety", "Security", "Order", "Care", "Activities", "Justice", "Administration")
EVIDENCE_CAP = 25
STATUS_WORDS = {
    "compliant": "Compliant",
    "deficient": "Deficient",
    "indeterminate": "Indeterminate",
    "waived": "Waived",
    "not_applicable": "Not applicable",
    "not_assessed": "Not assessed",
    "error": "Could not be evaluated",
}
RATING_CSS = {"Meets Standards": "meets", "Does Not Meet Standards": "fails", "Incomplete": "incomplete"}
DECIDED = ("compliant", "deficient", "waived")  # a waived result was evaluated deficient


@dataclass
class Headline:
    """ODO's headline (deficiencies, priority, repeat, decided of in scope) and our rating beside it."""

    deficiencies: int
    priority: int
    repeat: int
    decided: int
    in_scope: int
    coverage_percent: float | None
    indeterminate: int
    rating: str
    rating_reason: str
    minimum_coverage: float | None  # the policy rates nothing below this share (0..100)
    meets_coverage: float | None  # and Meets Standards needs this share
    policy_id: str

    @property
    def decided_text(self) -> str:
        share = "" if self.coverage_percent is None else f" ({_percent(self.coverage_percent)})"
        return f"decided {self.decided} of {self.in_scope} requirements in scope{share}"

    @property
    def deficiencies_text(self) -> str:
        return (
            f"{_count(self.deficiencies, 'deficiency', 'deficiencies')} "
            f"({self.priority} priority, {self.repeat} repeat)"
        )

    @property
    def coverage_rule(self) -> str:
        """The policy's coverage minimum, as the report states it."""
        if self.minimum_coverage is None:
            return f"Policy {self.policy_id} sets no coverage minimum."
        text = f"Policy {self.policy_id} rates nothing below {_percent(self.minimum_coverage)} coverage"
        if self.meets_coverage is not None and self.meets_coverage != self.minimum_coverage:
            text += f"; Meets Standards needs {_percent(self.meets_coverage)}"
        return text + "."

    @property
    def text(self) -> str:
        return (
            f"{self.deficiencies_text}; {self.decided_text}. Our rating (this project's policy, "
            f"not ICE's): {self.rating}."
        )


def headline(results: Results) -> Headline:
    """The headline every face shows. Results written before schema 2 carry no coverage: it is
    counted from their results (every requirement in scope, as they were)."""
    s = results.summary
    in_scope, decided, coverage = s.in_scope, s.decided, s.coverage_percent
    if not in_scope:
        in_scope = sum(r.in_scope and r.status != "not_applicable" for r in results.results)
        decided = sum(r.in_scope and r.status in DECIDED for r in results.results)
        coverage = round(100 * decided / in_scope, 1) if in_scope else None
    minimums = _coverage_minimums(results.rating_policy)
    return Headline(
        deficiencies=s.deficient,
        priority=s.priority_deficiencies,
        repeat=s.repeat_deficiencies,
        decided=decided,
        in_scope=in_scope,
        coverage_percent=coverage,
        indeterminate=s.indeterminate,
        rating=s.rating,
        rating_reason=s.rating_reason,
        minimum_coverage=min(minimums) if minimums else None,
        meets_coverage=max(minimums) if minimums else None,
        policy_id=str(results.rating_policy.get("id", "") if isinstance(results.rating_policy, dict) else ""),
    )


def _coverage_minimums(policy: Any) -> list[float]:
    """The policy's coverage_below values as percentages. A results file is an input like any other:
    a policy in it that is not the shape the engine writes states no minimum rather than failing."""
    rules = policy.get("rules") if isinstance(policy, dict) else None
    values = [
        rule.get("value")
        for rule in (rules if isinstance(rules, list) else [])
        if isinstance(rule, dict) and rule.get("when") == "coverage_below"
    ]
    numbers = [v for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
    return [100 * float(v) for v in numbers if 0 <= v <= 1]


def _percent(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".") + " %"


def record_counts(result: Result) -> str:
    """Violations / compliant / indeterminate of the population: the three values of every record."""
    label = result.population_label or "records"
    compliant = result.compliant
    if not compliant and not result.indeterminate:
        # a version 1 file carries no compliant count: every record not in violation was compliant
        compliant = max(result.population - result.violations, 0)
    return (
        f"{result.violations} {'violation' if result.violations == 1 else 'violations'} · "
        f"{compliant} compliant · {result.indeterminate} indeterminate "
        f"of {result.population} {label}"
    )


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
    if result.finding == "area_of_concern":
        out.append(("Area of concern, not rated", "concern"))
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


def findings_by_area(
    results: Results,
    cap: int = EVIDENCE_CAP,
    statuses: tuple[str, ...] = ("deficient", "waived"),
    concerns: bool = False,
) -> list[AreaGroup]:
    """Deficient and waived requirements (or those of `statuses`), grouped by functional area, then
    standard. Areas of concern have their own section (ODO's): `concerns` gives those alone."""
    groups: dict[str, dict[tuple[str, str], StandardGroup]] = defaultdict(dict)
    for result in results.results:
        if result.status not in statuses or odo.is_concern(result) != concerns:
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


def corrected_numbers(results: Results) -> dict[str, str]:
    """ODO's C-1, C-2 … of the deficiencies corrected during the inspection, in the order the report
    shows them: its findings, then its areas of concern (the report and the plan workbook both)."""
    groups = (*findings_by_area(results, 0), *findings_by_area(results, 0, concerns=True))
    return odo.corrected_numbers([f.result for g in groups for s in g.standards for f in s.findings])


def _area_order(area: str) -> int:
    return AREAS.index(area) if area in AREAS else len(AREAS)


def _number_key(number: str) -> tuple[int, ...]:
    return tuple(int(p) for p in number.split(".") if p.isdigit())


def undecided_by_area(results: Results, cap: int = EVIDENCE_CAP) -> list[AreaGroup]:
    """Indeterminate requirements: no violation proven, some records undecided. They need evidence,
    not correction, so they are listed apart from the findings and never as compliant."""
    return findings_by_area(results, cap, ("indeterminate",))


def evidence_needed_rows(results: Results) -> list[dict[str, Any]]:
    """Every requirement with undecided records, what is missing, and why (deficient ones too: their
    undecided records may hide more violations)."""
    rows = []
    for result in results.results:
        if not result.indeterminate or result.status not in ("indeterminate", "deficient", "waived"):
            continue
        why = next((e.detail for e in result.evidence if e.verdict == "indeterminate"), "")
        rows.append({"result": result, "counts": record_counts(result), "why": why})
    return rows


def ucap_rows(results: Results) -> list[dict[str, Any]]:
    """One corrective action per deficiency, what to fix first first (fix_first), due by severity."""
    rows = []
    for number, result in enumerate(fix_first(results), start=1):
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
    if s.indeterminate:
        undecided = _verb(s.indeterminate, "requirement", "requirements")
        text.append(
            f"For {undecided} the data proved no violation but could not decide every record "
            "(indeterminate): they are not counted as compliant, and the records they need are listed "
            "under Evidence needed."
        )
    concerns, practices = len(odo.concerns(results)), len(odo.best_practices(results))
    if concerns or practices:
        text.append(
            f"The auditor also noted {_count(concerns, 'area of concern', 'areas of concern')} and "
            f"{_count(practices, 'best practice')}; neither is a deficiency, and the rating reads neither."
        )
    if s.waived:
        waived = _count(s.waived, "further deficiency", "further deficiencies")
        text.append(f"{waived} {'is' if s.waived == 1 else 'are'} covered by a current waiver.")
    if s.not_assessed or s.error:
        text.append(
            f"{_count(s.not_assessed + s.error, 'requirement')} could not be assessed because the records "
            "they need were not provided; they never count as compliant (see What could not be assessed)."
        )
    head = headline(results)
    text.append(
        f"The auditor {head.decided_text}. Beside ICE's counts, the facility's rating under this "
        f"project's policy (not an ICE rating) is {head.rating}. {head.coverage_rule}"
    )
    previous = results.previous if isinstance(results.previous, dict) else None
    if previous:
        name = previous.get("inspection_id") or "unnamed"
        ended = previous.get("inspection_end") or "on an unknown date"
        before = len(_ids(previous, "deficient"))
        new = _verb(len(_ids(previous, "new")), "deficiency is new", "deficiencies are new")
        resolved = _verb(len(_ids(previous, "resolved")), "was resolved", "were resolved")
        if _ids(previous, "resolved"):  # named: a reader checks them against the previous report
            resolved += f" ({', '.join(_ids(previous, 'resolved'))})"
        repeated = _verb(len(_ids(previous, "repeat")), "is repeated", "are repeated")
        # the headline's repeats are the deficient ones; a repeated deficiency under a waiver is said so
        again = set(_ids(previous, "repeat"))
        waived = sum(r.status == "waived" and r.requirement_id in again for r in results.results)
        if waived:
            repeated += f" ({waived} of them waived)"
        text.append(
            f"Compared with the previous inspection ({name}, ended {ended}, rated "
            f"{previous.get('rating') or 'unrated'}, {_count(before, 'deficiency', 'deficiencies')}): "
            f"{new}, {resolved} and {repeated}."
        )
    return text


def _ids(previous: dict[str, Any], key: str) -> list[str]:
    """A list of requirement ids of the previous inspection's comparison; a results file is an input
    like any other, so anything else is read as none."""
    ids = previous.get(key)
    return [str(i) for i in ids] if isinstance(ids, list) else []


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
                    Segment(count["indeterminate"], "undecided", f"{count['indeterminate']} indeterminate"),
                    Segment(count["waived"], "waived", f"{count['waived']} waived"),
                    Segment(count["not_applicable"], "na", f"{count['not_applicable']} not applicable"),
                    Segment(count["not_assessed"] + count["error"], "unassessed", "not assessed"),
                ],
            )
        )
    legend = [
        ("ok", "Compliant"),
        ("bad", "Deficient"),
        ("undecided", "Indeterminate"),
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
    areas = findings_by_area(results, cap)
    concern_areas = findings_by_area(results, cap, concerns=True)
    corrected = corrected_numbers(results)
    for group in (*areas, *concern_areas):
        for standard in group.standards:
            for finding in standard.findings:
                if finding.result.requirement_id in corrected:
                    number = corrected[finding.result.requirement_id]
                    finding.flags = [
                        (f"Corrected on site ({number})", css) if css == "corrected" else (label, css)
                        for label, css in finding.flags
                    ]
    return {
        "r": results,
        "facility": results.facility,
        "inspection": results.inspection,
        "summary": results.summary,
        "policy": results.rating_policy,
        "rating_css": RATING_CSS.get(results.summary.rating, "fails"),
        "conclusion": conclusion(results),
        "areas": areas,
        "concern_areas": concern_areas,
        "concern_observations": [r for r in odo.concerns(results) if not r.deficient],
        "best_practices": odo.best_practices(results),
        "corrected": [(number, results.by_id()[rid]) for rid, number in corrected.items()],
        "found_in": odo.found_in,
        "process": odo.process(results),
        "undecided": undecided_by_area(results, cap),
        "evidence_needed": evidence_needed_rows(results),
        "headline": headline(results),
        "unassessed": by_status["not_assessed"] + by_status["error"],
        "not_applicable": by_status["not_applicable"],
        "ucap": ucap_rows(results),
        "area_chart": area_chart(results),
        "standards_chart": standards_chart(results),
        "status_words": STATUS_WORDS,
        "cap": cap,
        "by_standard": by_standard(results),
    }
