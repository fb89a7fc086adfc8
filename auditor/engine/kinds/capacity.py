"""capacity: no unit over its rated capacity, and the units together not over the facility's."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from auditor.engine.kinds.parameters import COLUMN, SHEET, Parameter
from auditor.engine.outcome import Outcome, evidence

if TYPE_CHECKING:  # the engine's context pulls in the workbook and pandera; lint needs neither
    from auditor.engine.context import Context

NAME = "capacity"
DESCRIPTION = (
    "Each unit's `count` must not exceed its `capacity`; the units' total must not exceed "
    "Facility.rated_capacity."
)
PARAMETERS = (
    Parameter("sheet", SHEET, "The sheet of the units.", required=True),
    Parameter("count", COLUMN, "People in the unit.", required=True),
    Parameter("capacity", COLUMN, "The unit's rated capacity.", required=True),
)
ONE_OF: tuple[tuple[str, ...], ...] = ()

TUNABLE: tuple[str, ...] = ()
POPULATION = "units (and the facility total)"


def evaluate(check: dict[str, Any], ctx: Context) -> Outcome:
    sheet, count_col, cap_col = check["sheet"], check["count"], check["capacity"]
    frame = ctx.frame(sheet)
    count, capacity = frame[count_col], frame[cap_col]
    keep = count.notna() & capacity.notna()
    over = keep & (count > capacity).fillna(False).astype(bool)
    detail = (
        "population " + count[over].astype(str) + " over a rated capacity of " + capacity[over].astype(str)
    )
    parts = [evidence(sheet, frame.index[over.to_numpy()], detail.astype(object))]
    population, violations = int(keep.sum()), int(over.sum())
    facility_capacity = ctx.inspection.facility.get("rated_capacity")
    if facility_capacity is not None and keep.any():
        total = int(count[keep].sum())
        population += 1
        if total > facility_capacity:
            violations += 1
            row = ctx.inspection.facility_rows.get("rated_capacity")
            parts.append(
                evidence(
                    "Facility",
                    [row],
                    [
                        f"the units hold {total} people against the facility's rated capacity "
                        f"of {facility_capacity}"
                    ],
                )
            )
    return Outcome(
        population=population,
        violations=violations,
        evidence=pd.concat(parts, ignore_index=True),
        cells={sheet: [count_col, cap_col], "Facility": ["rated_capacity"]},
        empty_reason=None if population else "no units with both population and rated capacity",
    )


def describe(check: dict[str, Any]) -> str:
    return f"{check['count']} no more than {check['capacity']} (each unit and the facility)"
