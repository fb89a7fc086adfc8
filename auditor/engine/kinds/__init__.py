"""The rule kinds: one small module each, all with the same three names.

evaluate(check, ctx) -> Outcome    vectorised over the sheet, no loop over rows
describe(check) -> str             the threshold in words ("12 hours after arrival")
TUNABLE                            the parameters a tailoring file may change
"""

from __future__ import annotations

from types import ModuleType

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
    value_limit,
    weekly_minimum,
)

KINDS: dict[str, ModuleType] = {
    "deadline": deadline,
    "max_duration": max_duration,
    "max_gap": max_gap,
    "cadence": cadence,
    "daily_presence": daily_presence,
    "value_limit": value_limit,
    "ratio": ratio,
    "weekly_minimum": weekly_minimum,
    "capacity": capacity,
    "credential": credential,
    "prohibited": prohibited,
    "attestation": attestation,
}

SHEET_NOUNS = {
    "Intake": "admissions",
    "Placements": "placements",
    "UseOfForce": "use-of-force incidents",
    "Grievances": "grievances",
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
