"""value_limit: a measured value at or below `max` (or at or above `min`); the limit itself meets it.

A blank reading of the population is indeterminate: a reading taken and not written down proves
neither a safe temperature nor an unsafe one (docs/verdicts.md). With `when`, only readings taken in
the review period count: a reading from before or after it says nothing about the period.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from auditor.engine import conditions, period, verdicts
from auditor.engine.conditions import Tri
from auditor.engine.kinds.parameters import COLUMN, CONDITIONS, NUMBER, SHEET, TEXT, Parameter
from auditor.engine.outcome import Outcome

if TYPE_CHECKING:  # the engine's context pulls in the workbook and pandera; lint needs neither
    from auditor.engine.context import Context

NAME = "value_limit"
DESCRIPTION = "A numeric column must stay at or below `max` (or at or above `min`)."
PARAMETERS = (
    Parameter("sheet", SHEET, "The sheet of the readings.", required=True),
    Parameter("column", COLUMN, "The measured value.", required=True),
    Parameter("unit", TEXT, "The value's unit, as shown in reports (°F).", required=True),
    Parameter(
        "max", NUMBER, "The highest value allowed, in `unit` (the FoodTemps range).", minimum=-40, maximum=250
    ),
    Parameter(
        "min", NUMBER, "The lowest value allowed, in `unit` (the FoodTemps range).", minimum=-40, maximum=250
    ),
    Parameter("where", CONDITIONS, "The readings the limit applies to."),
    Parameter("when", COLUMN, "When the reading was taken: only readings in the review period count."),
)
ONE_OF = (("max",), ("min",))

TUNABLE = ("max", "min")


def evaluate(check: dict[str, Any], ctx: Context) -> Outcome:
    sheet, column, unit, where = check["sheet"], check["column"], check["unit"], check.get("where")
    frame = ctx.frame(sheet)
    values = frame[column].to_numpy(dtype="float64", na_value=np.nan)
    applies = conditions.classify(frame, where, ctx, sheet)
    scope = period.within(ctx, sheet, check["when"]) if "when" in check else Tri.true(len(frame))
    note = period.outside_note(scope, applies)
    member = applies & scope
    if "max" in check:
        off = values > check["max"]  # NaN compares False
        bound = f"maximum {check['max']:g} {unit}"
    else:
        off = values < check["min"]
        bound = f"minimum {check['min']:g} {unit}"
    blank = np.isnan(values)  # a blank reading is not a compliant one: it cannot be decided
    verdict = verdicts.of(member, Tri.of(off, blank))
    detail = pd.Series("", index=frame.index, dtype=object)
    shown = off & verdict.population
    detail[shown] = [f"{v:g} {unit} ({bound})" for v in values[shown].tolist()]
    detail[blank] = f"{column} is blank"
    detail = verdicts.undecided_detail(detail, frame, where, applies, ctx, sheet)
    detail = period.undecided_detail(detail, scope, check.get("when"))
    return verdict.outcome(
        sheet,
        frame.index,
        detail,
        cells={sheet: [column, check["when"]] if "when" in check else [column]},
        note=note,
        absent_columns=conditions.absent_columns(frame, where),
        empty_reason=None
        if verdict.population.any()
        else note or "no readings where " + " and ".join(conditions.describe(c) for c in where or []),
    )


def describe(check: dict[str, Any]) -> str:
    if "max" in check:
        return f"no more than {check['max']:g} {check['unit']}"
    return f"at least {check['min']:g} {check['unit']}"
