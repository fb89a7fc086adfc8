"""value_limit: a measured value at or below `max` (or at or above `min`); the limit itself meets it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from auditor.engine import conditions
from auditor.engine.kinds.parameters import COLUMN, CONDITIONS, NUMBER, SHEET, TEXT, Parameter
from auditor.engine.outcome import Outcome, evidence

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
)
ONE_OF = (("max",), ("min",))

TUNABLE = ("max", "min")


def evaluate(check: dict[str, Any], ctx: Context) -> Outcome:
    sheet, column, unit = check["sheet"], check["column"], check["unit"]
    frame = ctx.frame(sheet)
    values = frame[column].to_numpy(dtype="float64", na_value=np.nan)
    keep = conditions.mask(frame, check.get("where"), ctx, sheet).to_numpy(dtype=bool) & ~np.isnan(values)
    if "max" in check:
        off = values > check["max"]  # NaN compares False
        bound = f"maximum {check['max']:g} {unit}"
    else:
        off = values < check["min"]
        bound = f"minimum {check['min']:g} {unit}"
    bad = keep & off
    rows = frame.index[bad]
    detail = [f"{v:g} {unit} ({bound})" for v in values[bad].tolist()]
    return Outcome(
        population=int(keep.sum()),
        violations=int(bad.sum()),
        evidence=evidence(sheet, rows, detail),
        cells={sheet: [column]},
        empty_reason=None
        if keep.any()
        else "no readings where " + " and ".join(conditions.describe(c) for c in check.get("where", [])),
    )


def describe(check: dict[str, Any]) -> str:
    if "max" in check:
        return f"no more than {check['max']:g} {check['unit']}"
    return f"at least {check['min']:g} {check['unit']}"
