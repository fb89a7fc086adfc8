"""The rule kinds: one small module each, all with the same names.

NAME, DESCRIPTION                  the kind's name in the standards files, and what it checks
PARAMETERS, ONE_OF                 its parameters (type, required, range; parameters.py), declared once:
                                   the JSON schema, lint, tailoring and docs derive from them
evaluate(check, ctx) -> Outcome    vectorised over the sheet, no loop over rows
describe(check) -> str             the threshold in words ("12 hours after arrival")
TUNABLE                            the parameters a tailoring file may change
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

from auditor.engine.kinds import (
    attestation,
    cadence,
    capacity,
    credential,
    daily_presence,
    deadline,
    max_duration,
    max_gap,
    prohibited,
    ratio,
    segregation_notices,
    value_limit,
    weekly_minimum,
)
from auditor.engine.kinds.parameters import check_values

# In the order the docs and lint list them.
MODULES = (
    deadline,
    max_duration,
    max_gap,
    cadence,
    daily_presence,
    value_limit,
    ratio,
    weekly_minimum,
    capacity,
    credential,
    prohibited,
    attestation,
    segregation_notices,
)
KINDS: dict[str, ModuleType] = {kind.NAME: kind for kind in MODULES}


def check_parameters(kind: str, params: dict[str, Any]) -> list[str]:
    """What is wrong with a check's numbers (`limit.hours: 0 is out of range (0 < hours ≤ 8760)`):
    each must be finite and inside the range its kind declares. Names and types are the schema's."""
    if kind not in KINDS:
        return [f"unknown rule kind {kind!r}; known kinds: {', '.join(KINDS)}"]
    return check_values(KINDS[kind].PARAMETERS, params)


SHEET_NOUNS = {
    "Intake": "admissions",
    "Placements": "placements",
    "HungerStrikes": "hunger strikes",
    "Allegations": "sexual-abuse allegations",
    "UseOfForce": "use-of-force incidents",
    "Grievances": "grievances",
    "SickCall": "sick-call requests",
    "Requests": "detainee requests",
    "Restraints": "restraint placements",
    "Searches": "searches",
    "Incidents": "incidents",
    "FoodTemps": "temperature readings",
    "Housing": "housing units",
    "Staff": "staff members",
    "Activities": "unit-days",
    "SafetyLog": "events",
    "Checklist": "observations",
}


def population_label(check: dict) -> str:
    kind = KINDS[check["kind"]]
    return getattr(kind, "POPULATION", None) or SHEET_NOUNS.get(check.get("sheet", ""), "rows")
