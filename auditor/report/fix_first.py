"""What to fix first: the one order of the deficiencies, shared by the report's first page and the plan.

Priority components before the others and, among each, repeat deficiencies first (a repeat is
a correction that did not hold); then the widest extent (share of the population in violation),
then the most violations, then the requirement id, so the order never depends on the catalogue's.
A waived deficiency is not in the plan: the waiver stands in for the correction.
"""

from __future__ import annotations

import datetime as dt

from auditor.contracts.results import Result, Results

DEFAULT_DAYS = {"priority": 30, "standard": 90}  # when a results file carries no policy days


def fix_first(results: Results) -> list[Result]:
    """The deficient requirements of `results` in the order they should be corrected."""
    return sorted((r for r in results.results if r.status == "deficient"), key=_urgency)


def _urgency(result: Result) -> tuple[bool, bool, float, int, str]:
    share = result.extent.percent if result.extent is not None else -1.0  # observed: no extent to rank
    return (not result.priority, not result.repeat, -share, -result.violations, result.requirement_id)


def due_days(results: Results, result: Result) -> int:
    """Days the policy gives to correct `result` (corrective_action_days, by severity)."""
    policy = results.rating_policy if isinstance(results.rating_policy, dict) else {}
    days = policy.get("corrective_action_days")
    if not isinstance(days, dict):
        days = DEFAULT_DAYS
    value = days.get("priority" if result.priority else "standard")
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= 3650:
        return DEFAULT_DAYS["priority" if result.priority else "standard"]
    return value


def due_date(results: Results, result: Result) -> str:
    """The day the correction is due: the inspection's last day on site plus the policy's days."""
    end = dt.date.fromisoformat(str(results.inspection["inspection_end"])[:10])
    return (end + dt.timedelta(days=due_days(results, result))).isoformat()
