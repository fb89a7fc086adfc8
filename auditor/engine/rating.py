"""The summary counts and the rating, by the policy kept in standards/policies/."""

from __future__ import annotations

from auditor.contracts.results import Result, Summary
from auditor.standards.model import RatingPolicy

ASSESSED = ("compliant", "deficient", "waived")
DECIDED = ("compliant", "deficient", "waived")  # a waived result was evaluated deficient


def extent_tier(violations: int, population: int, policy: RatingPolicy) -> str:
    if not violations or not population:
        return ""
    share = violations / population
    if share >= policy.extent_tiers["widespread_from"]:
        return "widespread"
    if share >= policy.extent_tiers["pattern_from"]:
        return "pattern"
    return "isolated"


AREA_OF_CONCERN = "area_of_concern"
NOT_RATED = (AREA_OF_CONCERN, "best_practice")  # ODO notes both apart from deficiencies
ASIDE = ("areas of concern", "best practices")  # what the rating's reason says it left aside


def summarise(results: list[Result], policy: RatingPolicy) -> Summary:
    count = {
        status: sum(r.status == status for r in results)
        for status in (
            "compliant",
            "deficient",
            "indeterminate",
            "not_assessed",
            "not_applicable",
            "waived",
            "error",
        )
    }
    # coverage: of the requirements in scope that apply, how many the data decided
    in_scope = sum(r.in_scope and r.status != "not_applicable" for r in results)
    decided_in_scope = sum(r.in_scope and r.status in DECIDED for r in results)
    coverage = decided_in_scope / in_scope if in_scope else None
    decided = count["compliant"] + count["deficient"]
    share = count["compliant"] / decided if decided else None
    priority = sum(r.status == "deficient" and r.priority for r in results)
    standards = {(r.standard_number, r.standard_name) for r in results if r.status in ASSESSED}
    deficient_standards = {(r.standard_number, r.standard_name) for r in results if r.status == "deficient"}
    # An area of concern (e.g. POP-CAPACITY) is no ICE component, and a best practice no deficiency:
    # reported and counted like any result, but the rating reads the other requirements alone.
    rated = [r for r in results if r.finding not in NOT_RATED]
    aside = " and ".join(
        words for kind, words in zip(NOT_RATED, ASIDE, strict=True) if any(r.finding == kind for r in results)
    )
    rating, reason = rate(rated, policy, *rating_figures(rated), concerns=aside)
    return Summary(
        requirements_assessed=sum(count[s] for s in ASSESSED),
        compliant=count["compliant"],
        deficient=count["deficient"],
        not_assessed=count["not_assessed"],
        not_applicable=count["not_applicable"],
        waived=count["waived"],
        error=count["error"],
        priority_deficiencies=priority,
        repeat_deficiencies=sum(r.status == "deficient" and r.repeat for r in results),
        rating=rating,
        total_requirements=len(results),
        deficient_standards=len(deficient_standards),
        assessed_standards=len(standards),
        compliant_standards=len(standards - deficient_standards),
        compliance_percent=None if share is None else round(100 * share, 1),
        rating_reason=reason,
        indeterminate=count["indeterminate"],
        in_scope=in_scope,
        decided=decided_in_scope,
        coverage_percent=None if coverage is None else round(100 * coverage, 1),
        areas_of_concern=sum(r.status == "deficient" and r.finding == AREA_OF_CONCERN for r in results),
    )


def rating_figures(results: list[Result]) -> tuple[int, float | None, float | None]:
    """What the policy's rules read: priority deficiencies, the compliant share of the decided, coverage."""
    decided = sum(r.status in ("compliant", "deficient") for r in results)
    compliant = sum(r.status == "compliant" for r in results)
    in_scope = sum(r.in_scope and r.status != "not_applicable" for r in results)
    decided_in_scope = sum(r.in_scope and r.status in DECIDED for r in results)
    return (
        sum(r.status == "deficient" and r.priority for r in results),
        compliant / decided if decided else None,
        decided_in_scope / in_scope if in_scope else None,
    )


def rate(
    results: list[Result],
    policy: RatingPolicy,
    priority: int,
    share: float | None,
    coverage: float | None,
    concerns: str = "",
) -> tuple[str, str]:
    """Apply the policy's rules in order; the first that holds gives the rating."""
    unassessed = sum(r.status in ("not_assessed", "error") for r in results) / max(len(results), 1)
    for rule in policy.rules:
        when, value = rule["when"], rule.get("value")
        if (
            (when == "coverage_below" and (coverage is None or coverage < value))
            or (when == "any_priority_deficient" and priority > 0)
            or (when == "not_assessed_share_above" and unassessed > value)
            or (when == "compliant_share_below" and share is not None and share < value)
        ):
            return rule["rating"], rule["explanation"]
    percent = "no" if share is None else f"{100 * share:.1f} %"
    aside = f" ({concerns} aside)" if concerns else ""
    return policy.otherwise, (
        f"No priority component is deficient, enough requirements were decided, and {percent} of "
        f"the decided requirements{aside} are compliant."
    )
