"""capacity: no unit over its rated capacity, and the units together not over the facility's.

Three-valued (docs/verdicts.md): a unit with a blank count, or a blank capacity and people in it, is
indeterminate; the facility total is proven over by the known counts alone, and proven within only when
no count is blank.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from auditor.engine.kinds.parameters import COLUMN, SHEET, Parameter
from auditor.engine.outcome import INDETERMINATE, Outcome, evidence, number

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
    count = frame[count_col].to_numpy(dtype="float64", na_value=np.nan)
    capacity = frame[cap_col].to_numpy(dtype="float64", na_value=np.nan)
    count_blank, cap_blank = np.isnan(count), np.isnan(capacity)
    over = count > capacity  # NaN compares False
    # an empty unit is within any capacity; otherwise a blank either side leaves the unit open
    open_ = ~over & (count_blank | (cap_blank & (count != 0)))
    detail = np.where(
        over, "population " + _numbers(count) + " over a rated capacity of " + _numbers(capacity), ""
    )
    detail = np.where(cap_blank, f"{cap_col} is blank", detail)
    detail = np.where(count_blank, f"{count_col} is blank", detail)
    detail = np.where(count_blank & cap_blank, f"{count_col} is blank; {cap_col} is blank", detail)
    parts = [
        evidence(sheet, frame.index[over], detail[over]),
        evidence(sheet, frame.index[open_], detail[open_], INDETERMINATE),
    ]
    population, violations, undecided = len(frame), int(over.sum()), int(open_.sum())
    facility_capacity = ctx.inspection.facility.get("rated_capacity")
    if facility_capacity is not None and len(frame):
        # the known counts are a floor on the total: over the capacity is proven whatever the blanks hold
        total, blanks = int(np.nansum(count)), int(count_blank.sum())
        population += 1
        row = ctx.inspection.facility_rows.get("rated_capacity")
        text = (
            f"the units hold {'at least ' if blanks else ''}{total} people against the facility's rated "
            f"capacity of {facility_capacity}"
        )
        if total > facility_capacity:
            violations += 1
            parts.append(evidence("Facility", [row], [text]))
        elif blanks:
            undecided += 1
            unit = "unit is" if blanks == 1 else "units is"
            parts.append(
                evidence(
                    "Facility", [row], [f"{text}; the population of {blanks} {unit} blank"], INDETERMINATE
                )
            )
    return Outcome(
        population=population,
        violations=violations,
        indeterminate=undecided,
        evidence=pd.concat(parts, ignore_index=True),
        cells={sheet: [count_col, cap_col], "Facility": ["rated_capacity"]},
        empty_reason=None if population else "no units",
    )


def _numbers(values: np.ndarray) -> np.ndarray:
    return number(pd.Series(values)).to_numpy(dtype=object)


def describe(check: dict[str, Any]) -> str:
    return f"{check['count']} no more than {check['capacity']} (each unit and the facility)"
