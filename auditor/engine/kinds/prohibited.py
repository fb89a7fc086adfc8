"""prohibited: rows of the population (`where`) meeting any condition of `violation_when`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from auditor.engine import conditions
from auditor.engine.kinds.parameters import CONDITIONS, SHEET, Parameter
from auditor.engine.outcome import Outcome, evidence

if TYPE_CHECKING:  # the engine's context pulls in the workbook and pandera; lint needs neither
    from auditor.engine.context import Context

NAME = "prohibited"
DESCRIPTION = "Rows of the population (`where`) that meet any condition of `violation_when` are violations."
PARAMETERS = (
    Parameter("sheet", SHEET, "The sheet of the rows.", required=True),
    Parameter("where", CONDITIONS, "The population."),
    Parameter("violation_when", CONDITIONS, "Any of these makes a row a violation.", required=True),
)
ONE_OF: tuple[tuple[str, ...], ...] = ()

TUNABLE: tuple[str, ...] = ()


def evaluate(check: dict[str, Any], ctx: Context) -> Outcome:
    sheet = check["sheet"]
    frame = ctx.frame(sheet)
    keep = conditions.mask(frame, check.get("where"), ctx, sheet)
    fired = pd.Series(False, index=frame.index)
    detail = pd.Series("", index=frame.index, dtype=object)
    cells: list[str] = []
    for condition in check["violation_when"]:
        hit = conditions.holds(frame, condition, ctx, sheet) & keep  # words only for the population
        text = _text(frame[hit.to_numpy()], condition, ctx, sheet)
        joined = detail[hit].where(detail[hit] == "", detail[hit] + "; ")
        detail[hit.to_numpy()] = joined + text
        fired |= hit
        cells += _columns(condition)
    bad = keep & fired
    return Outcome(
        population=int(keep.sum()),
        violations=int(bad.sum()),
        evidence=evidence(sheet, frame.index[bad.to_numpy()], detail[bad]),
        cells={sheet: list(dict.fromkeys(cells))},
        empty_reason=None
        if keep.any()
        else "no rows where " + " and ".join(conditions.describe(c) for c in check.get("where", [])),
    )


def _columns(condition: dict[str, Any]) -> list[str]:
    if "any_of" in condition:
        return [c for part in condition["any_of"] for c in _columns(part)]
    return [condition[k] for k in ("column", "age_at") if k in condition]


def _text(frame: pd.DataFrame, condition: dict[str, Any], ctx: Context, sheet: str) -> pd.Series:
    if "age_at" in condition:
        age = conditions.ages(frame, condition["age_at"], ctx, sheet)
        return "aged " + age.astype(str) + f" at {condition['age_at']}"
    return pd.Series(conditions.describe(condition), index=frame.index, dtype=object)


def describe(check: dict[str, Any]) -> str:
    return "none where " + " or ".join(conditions.describe(c) for c in check["violation_when"])
