"""What a rule kind's parameters are: declared once in each kind's module, read by everyone else.

Each kind module declares NAME, DESCRIPTION, PARAMETERS (a tuple of Parameter) and ONE_OF (groups
of parameters of which exactly one must be given). The JSON schema of a check
(auditor.engine.kinds.schema), `auditor standards lint`, the tailoring file's checks, the
catalogue's page of rule kinds and the engine's KINDS registry are all derived from them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

# The value types a parameter can have.
SHEET = "sheet"  # a sheet of the inspection workbook
COLUMN = "column"  # a column of that sheet
DURATION = "duration"  # {hours: 12}: one unit, one amount (DURATION_UNITS)
CONDITIONS = "conditions"  # a list of row conditions (where, violation_when, qualifying)
NUMBER = "number"
INTEGER = "integer"
TEXT = "text"
TRUE = "true"  # a flag that is present and true (credential's `expires`)
PER_PEOPLE = "per_people"  # ratio's `per`: a number of people, or {by, values, default}


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    description: str
    required: bool = False
    minimum: float | None = None  # inclusive
    maximum: float | None = None  # inclusive
    above: float | None = None  # exclusive lower bound (a limit that must be more than 0)

    def range_text(self) -> str:
        """The declared range in words ('0 < hours ≤ 8760'), or '' when there is none."""
        if self.type == DURATION:
            return "; ".join(unit.range_text() for unit in DURATION_UNITS.values())
        if self.type == PER_PEOPLE:
            return PEOPLE.range_text()
        low = f"{self.above:g} < " if self.above is not None else ""
        low = f"{self.minimum:g} ≤ " if self.minimum is not None else low
        high = f" ≤ {self.maximum:g}" if self.maximum is not None else ""
        return f"{low}{self.name}{high}" if low or high else ""

    def problems(self, label: str, value: Any) -> list[str]:
        """`value` must be a finite number inside the range (a wrong type is the schema's to say)."""
        if isinstance(value, bool) or not isinstance(value, int | float):
            return []
        if not math.isfinite(value):
            return [f"{label}: {value} is not a finite number"]
        if self.type == INTEGER and value != int(value):
            return [f"{label}: {value:g} is not a whole number"]
        if (
            (self.minimum is not None and value < self.minimum)
            or (self.above is not None and value <= self.above)
            or (self.maximum is not None and value > self.maximum)
        ):
            return [f"{label}: {value:g} is out of range ({self.range_text()})"]
        return []


# Each unit's range: more than 0 (at least 1 of a whole unit) and at most a year, except months,
# up to 5 years (licences). A limit outside it is a typo, not a policy.
DURATION_UNITS: dict[str, Parameter] = {
    "minutes": Parameter("minutes", NUMBER, "", above=0, maximum=525_600),
    "hours": Parameter("hours", NUMBER, "", above=0, maximum=8_760),
    "days": Parameter("days", NUMBER, "", above=0, maximum=366),
    "working_days": Parameter("working_days", INTEGER, "", minimum=1, maximum=260),
    "months": Parameter("months", INTEGER, "", minimum=1, maximum=60),
}
PEOPLE = Parameter("per", NUMBER, "", above=0, maximum=1000)  # ratio's people per fixture


def check_values(parameters: tuple[Parameter, ...], values: dict[str, Any]) -> list[str]:
    """What is wrong with `values`' numbers: each must be finite and inside its declared range.
    Parameters that are not declared are the schema's to report, as are values of a wrong type."""
    declared = {p.name: p for p in parameters}
    problems: list[str] = []
    for name, value in values.items():
        parameter = declared.get(name)
        if parameter is None:
            continue
        if parameter.type == DURATION and isinstance(value, dict):
            for unit, amount in value.items():
                if unit in DURATION_UNITS:
                    problems += DURATION_UNITS[unit].problems(f"{name}.{unit}", amount)
        elif parameter.type == PER_PEOPLE:
            amounts = {name: value}
            if isinstance(value, dict):
                table = value.get("values") if isinstance(value.get("values"), dict) else {}
                amounts = {f"{name}.values.{k}": v for k, v in table.items()}
                amounts[f"{name}.default"] = value.get("default")
            for label, amount in amounts.items():
                problems += PEOPLE.problems(label, amount)
        elif parameter.type in (NUMBER, INTEGER):
            problems += parameter.problems(name, value)
    return problems
