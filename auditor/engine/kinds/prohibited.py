"""prohibited: rows of the population (`where`) meeting any condition of `violation_when`.

Three-valued (docs/verdicts.md): a row is a violation when a condition is proven true, compliant when
every condition is proven false, and indeterminate when none is proven true but one is unknown (a blank
date of birth, a column the sheet lacks) or when the row may or may not belong to the population.
With `when` (and `until`), only the rows whose event or stay lies in the review period count.
"""

from __future__ import annotations

import functools
import operator
from typing import TYPE_CHECKING, Any

import pandas as pd

from auditor.engine import conditions, period, verdicts
from auditor.engine.conditions import Tri
from auditor.engine.kinds.parameters import COLUMN, CONDITIONS, SHEET, Parameter
from auditor.engine.outcome import Outcome, put

if TYPE_CHECKING:  # the engine's context pulls in the workbook and pandera; lint needs neither
    from auditor.engine.context import Context

NAME = "prohibited"
DESCRIPTION = "Rows of the population (`where`) that meet any condition of `violation_when` are violations."
PARAMETERS = (
    Parameter("sheet", SHEET, "The sheet of the rows.", required=True),
    Parameter("where", CONDITIONS, "The population."),
    Parameter("violation_when", CONDITIONS, "Any of these makes a row a violation.", required=True),
    Parameter("when", COLUMN, "When the row's event or stay began: only rows in the review period count."),
    Parameter("until", COLUMN, "When the stay that began at `when` ended (empty: still open)."),
)
ONE_OF: tuple[tuple[str, ...], ...] = ()

TUNABLE: tuple[str, ...] = ()


def evaluate(check: dict[str, Any], ctx: Context) -> Outcome:
    sheet, where = check["sheet"], check.get("where")
    frame = ctx.frame(sheet)
    applies = conditions.classify(frame, where, ctx, sheet)
    scope = (
        period.within(ctx, sheet, check["when"], check.get("until"))
        if "when" in check
        else Tri.true(len(frame))
    )
    note = period.outside_note(scope, applies)
    member = applies & scope
    anyof = [{"any_of": check["violation_when"]}]  # any one condition makes a violation
    parts = [conditions.classify(frame, [c], ctx, sheet) for c in check["violation_when"]]
    fired = functools.reduce(operator.or_, parts)
    verdict = verdicts.of(member, fired)
    detail = pd.Series("", index=frame.index, dtype=object)
    cells: list[str] = []
    for condition, part in zip(check["violation_when"], parts, strict=True):
        hit = part.yes & verdict.population
        text = _text(frame[hit], condition, ctx, sheet)  # words only for the rows that need them
        joined = detail[hit].where(detail[hit] == "", detail[hit] + "; ")
        put(detail, hit, joined + text)
        cells += _columns(condition)
    open_ = verdict.undecided & fired.unknown
    if open_.any():
        what, why = verdicts.unknowns(frame[open_], anyof, ctx, sheet)
        put(detail, open_, "cannot tell whether " + what + ": " + why)
    detail = verdicts.undecided_detail(detail, frame, where, applies, ctx, sheet)
    detail = period.undecided_detail(detail, scope, check.get("when"), check.get("until"))
    return verdict.outcome(
        sheet,
        frame.index,
        detail,
        cells={sheet: list(dict.fromkeys(cells))},
        note=note,
        absent_columns=conditions.absent_columns(frame, (where or []) + anyof)
        + ([check["until"]] if "until" in check and check["until"] not in frame else []),
        empty_reason=None
        if verdict.population.any()
        else note or "no rows where " + " and ".join(conditions.describe(c) for c in where or []),
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
