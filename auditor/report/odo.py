"""What the facility report takes from ODO's inspection reports (docs/reports.md): the component id
and "found in X of Y" on every finding, areas of concern and best practices apart from the
deficiencies, the deficiencies corrected during the inspection numbered C-1, C-2 …, the status of the
previous corrective-action plan, and the facility overview. Computed from Results (and, in a data
folder, its corrective-action items and roster entry), never from a workbook."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from auditor.contracts.results import Result, Results
from auditor.report.environment import long_date, percent

AREA_OF_CONCERN, BEST_PRACTICE = "area_of_concern", "best_practice"
# A previous plan's item, as this report states it: cap.py's statuses (open, planned, completed,
# verified) and overdue, or, from a previous results file alone, what this inspection decided.
PLAN_STATUS_WORDS = {
    "open": "Open",
    "planned": "Planned",
    "completed": "Completed (the facility's word; awaits an inspection)",
    "verified": "Verified closed",
    "overdue": "Overdue",
    "repeat": "Open: deficient again (repeat)",
    "not_verified": "Not verified: this inspection did not decide it",
}


def component(result: Result) -> str:
    """ODO's component id, or what stands in for it: ODO cites a deficiency by its component."""
    return result.odo_component or ""


def found_in(result: Result) -> str:
    """A data finding's counts, each said once: ODO's "found in X of Y", the share and its extent
    tier, the compliant and indeterminate records when some were undecided, and that every record
    of the review period was read, so the count is the population itself, never a sample (samples,
    with their exact intervals, have their own section)."""
    if result.type != "data" or not result.population:
        return ""
    label = result.population_label or "records"
    extent = result.extent
    share = extent.percent if extent else round(100 * result.violations / result.population, 1)
    detail = [percent(share) + (f", {extent.tier}" if extent and extent.tier else "")]
    if result.indeterminate:  # decided records differ from the population: say both values
        detail.append(f"{result.compliant} compliant, {result.indeterminate} indeterminate")
    return (
        f"Found in {result.violations} of {result.population} {label} reviewed ({'; '.join(detail)}): "
        "every record of the review period, not a sample."
    )


def is_concern(result: Result) -> bool:
    """An area of concern found: a requirement that is one and was found (POP-CAPACITY over its
    capacity), or an observation the inspector marked so (met, with remarks)."""
    if result.finding != AREA_OF_CONCERN:
        return False
    return result.deficient or (result.type == "observation" and result.status == "compliant")


def concerns(results: Results) -> list[Result]:
    return [r for r in results.results if is_concern(r)]


def best_practices(results: Results) -> list[Result]:
    return [r for r in results.results if r.finding == BEST_PRACTICE and r.status == "compliant"]


def corrected_numbers(ordered: list[Result]) -> dict[str, str]:
    """C-1, C-2 … for the deficiencies corrected during the inspection, in the order the report
    shows its findings (ODO numbers its corrective actions so)."""
    fixed = [r for r in ordered if r.corrected_on_site and r.deficient]
    return {r.requirement_id: f"C-{n}" for n, r in enumerate(fixed, start=1)}


@dataclass
class PlanItem:
    """One item of the previous corrective-action plan and its status now."""

    requirement_id: str
    title: str
    inspection: str  # the inspection that found it
    status: str  # a key of PLAN_STATUS_WORDS
    detail: str  # target date, who closed it, or what this inspection decided

    @property
    def words(self) -> str:
        return PLAN_STATUS_WORDS[self.status]


def plan_from_items(items: list[dict[str, Any]], results: Results) -> list[PlanItem]:
    """The previous plans' items from the data folder (auditor.service.cap's list_items rows, of
    earlier inspections than this one): their recorded status, overdue when past the target date."""
    own = str(results.inspection.get("inspection_id") or "")
    out = []
    for item in items:
        if item.get("inspection") == own:
            continue
        status = "overdue" if item.get("overdue") else str(item.get("status"))
        if status not in PLAN_STATUS_WORDS:
            continue  # a status this report does not know is not guessed at
        if item.get("closed_by"):
            detail = f"closed by inspection {item['closed_by']}"
        elif item.get("completion_date"):
            detail = f"completed {item['completion_date']}"
        else:
            detail = f"target {item.get('target_date') or item.get('due_date') or 'not set'}"
        if item.get("repeated_in"):
            detail += f"; deficient again in {', '.join(item['repeated_in'])}"
        title = str(item.get("title") or "")
        out.append(PlanItem(str(item["requirement_id"]), title, str(item["inspection"]), status, detail))
    return out


def plan_from_previous(results: Results) -> list[PlanItem]:
    """Without a data folder, the previous results file (`--previous`): each earlier deficiency's
    status is what this inspection decided of it, as an inspection closes an item in cap.py."""
    previous = results.previous if isinstance(results.previous, dict) else {}
    name = str(previous.get("inspection_id") or "the previous inspection")
    now = results.by_id()
    out = []
    earlier = previous.get("deficient")  # a results file is an input like any other: a list of ids
    for rid in dict.fromkeys(str(r) for r in (earlier if isinstance(earlier, list) else [])):
        result = now.get(rid)
        if result is None:
            out.append(PlanItem(rid, "", name, "not_verified", "not in this inspection's standards"))
            continue
        if result.deficient:
            status, detail = "repeat", "deficient in this inspection"
        elif result.status == "compliant":
            status, detail = "verified", "compliant in this inspection"
        else:
            status, detail = "not_verified", f"{result.status.replace('_', ' ')} in this inspection"
        out.append(PlanItem(rid, result.title, name, status, detail))
    return out


def previous_plan(results: Results, items: list[dict[str, Any]] | None) -> tuple[list[PlanItem], str]:
    """The previous plan's items and where their statuses come from; the data folder's items when
    it has any for this facility, else the previous results file's deficiencies."""
    if items:
        plan = plan_from_items(items, results)
        if plan:
            return plan, "the corrective-action items recorded in the data folder"
    if results.previous:
        return plan_from_previous(results), "the previous inspection's results file and this inspection"
    return [], ""


def overview(results: Results, roster: dict[str, Any] | None) -> list[tuple[str, str]]:
    """The facility overview's rows (label, value): the Facility sheet's, then ICE's roster's when
    the data folder holds a roster naming this facility. Only what is known is shown."""
    facility = results.facility
    rows: list[tuple[str, Any]] = [
        ("Operator", facility.get("operator")),
        ("Custody levels", facility.get("custody_levels")),
        ("Accreditation", facility.get("accreditation")),
        ("Rated capacity", facility.get("rated_capacity")),
        ("Average daily population", facility.get("average_daily_population")),
    ]
    adp, capacity = facility.get("average_daily_population"), facility.get("rated_capacity")
    if isinstance(adp, int) and isinstance(capacity, int) and capacity > 0:
        rows.append(("Population to capacity", f"{round(100 * adp / capacity)} % (average daily population)"))
    if roster:
        place = ", ".join(str(roster[k]) for k in ("address", "city", "state", "zip") if roster.get(k))
        rows += [
            ("Address (ICE roster)", place),
            ("Guaranteed minimum (ICE roster)", roster.get("guaranteed_minimum")),
            ("Standard on ICE's roster", _either(roster, "detention_standard")),
            ("Last inspection on ICE's roster", _last_inspection(roster)),
        ]
    return [(label, str(value)) for label, value in rows if value not in (None, "")]


def _either(roster: dict[str, Any], name: str) -> Any:
    """The roster's label for a field when it has one, else its code."""
    return roster.get(f"{name}_label") or roster.get(name)


def _last_inspection(roster: dict[str, Any]) -> str:
    parts = [
        _either(roster, "last_inspection_type"),
        roster.get("last_inspection_end"),
        _either(roster, "final_rating"),
    ]
    return ", ".join(str(p) for p in parts if p)


def process(results: Results) -> str:
    """What was reviewed and how, in the manner of ODO's "compliance inspection process": records
    read whole (never sampled) for the data requirements, the inspector's observations, and the
    file reviews by sample when the workbook had any."""
    looked_at = ("compliant", "deficient", "waived", "indeterminate")
    decided = [r for r in results.results if r.status in looked_at]
    data = [r for r in decided if r.type == "data"]
    observed = [r for r in decided if r.type == "observation"]

    def day(name: str) -> str:
        return long_date(results.inspection.get(name))

    text = (
        f"The inspection was on site from {day('inspection_start')} to {day('inspection_end')} and "
        f"reviewed the records of {day('review_period_start')} to {day('review_period_end')}. "
        f"{_count(len(data), 'requirement')} were evaluated from the records themselves, every record "
        f"of the review period, not a sample: each finding says in how many of them it was found. "
        f"{_count(len(observed), 'requirement')} were observed by the inspector (the Checklist)."
    )
    samples = results.samples or []
    if samples:
        counts = [s.get("reviewed") for s in samples if isinstance(s, dict)]
        drawn = sum(n for n in counts if isinstance(n, int) and not isinstance(n, bool))
        text += (
            f" {_count(drawn, 'file')} drawn at random were reviewed by sample; their rates, with "
            "exact intervals, are under File reviews by sample."
        )
    return text


def _count(number: int, singular: str) -> str:
    return f"{number} {singular if number == 1 else singular + 's'}"
