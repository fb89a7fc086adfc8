"""max_duration: from `start` to `end` must not exceed `limit`; an open end runs to review_period_end.

`also_value_over` names a numeric column in the limit's unit (sanction_days) that must not
exceed the limit either.

Three-valued (docs/verdicts.md): a date-only start or end is some time that day, so a stay is a
violation only if even its shortest reading is over the limit, compliant only if even its longest is
within it, and indeterminate in between; a blank start is indeterminate. A stay that ended before the
review period began, or began after it ended, is out of scope (not counted).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from auditor.engine import conditions, durations, verdicts
from auditor.engine.conditions import Tri
from auditor.engine.kinds.parameters import COLUMN, CONDITIONS, DURATION, SHEET, Parameter
from auditor.engine.outcome import Outcome, put

if TYPE_CHECKING:  # the engine's context pulls in the workbook and pandera; lint needs neither
    from auditor.engine.context import Context

NAME = "max_duration"
DESCRIPTION = "From `start` to `end` (empty: review_period_end) must not exceed `limit`."
PARAMETERS = (
    Parameter("sheet", SHEET, "The sheet of the rows.", required=True),
    Parameter("start", COLUMN, "When the stay starts.", required=True),
    Parameter("end", COLUMN, "When it ends (empty: still going at review_period_end).", required=True),
    Parameter("limit", DURATION, "The longest it may last.", required=True),
    Parameter("where", CONDITIONS, "The rows the requirement applies to."),
    Parameter(
        "also_value_over",
        COLUMN,
        "A numeric column in the limit's unit (e.g. sanction_days) that must not exceed the limit either.",
    ),
)
ONE_OF: tuple[tuple[str, ...], ...] = ()

TUNABLE = ("limit",)


def evaluate(check: dict[str, Any], ctx: Context) -> Outcome:
    sheet, where = check["sheet"], check.get("where")
    frame = ctx.frame(sheet)
    member = conditions.classify(frame, where, ctx, sheet)
    # a date-only cell is some time that day: the stay is at least `shortest` and at most `longest`
    start_early, start_late = ctx.inspection.bounds(sheet, check["start"])
    end_early, end_late = ctx.inspection.bounds(sheet, check["end"])
    ongoing = np.isnat(end_early)
    close = np.datetime64(ctx.review_end.to_datetime64(), "us")
    shortest = pd.Series(np.where(ongoing, close, end_early) - start_late, index=frame.index)
    longest = pd.Series(np.where(ongoing, close, end_late) - start_early, index=frame.index)
    limit = durations.timedelta(check["limit"])
    blank = np.isnat(start_early)
    over = (shortest > limit).to_numpy(dtype=bool, na_value=False)
    within = (longest <= limit).to_numpy(dtype=bool, na_value=False)
    exact = (shortest == longest).to_numpy(dtype=bool, na_value=False)
    unit = durations.display_unit(check["limit"])
    text = durations.describe(check["limit"])
    detail = pd.Series("", index=frame.index, dtype=object)
    shown = over & exact
    put(detail, shown, "lasted " + durations.elapsed(shortest[shown], unit) + f" (limit {text})")
    still = shown & ongoing
    put(
        detail,
        still,
        "still open at the end of the review period: "
        + durations.elapsed(shortest[still], unit)
        + f" so far (limit {text})",
    )
    shown = over & ~exact
    put(detail, shown, "lasted at least " + durations.elapsed(shortest[shown], unit) + f" (limit {text})")
    open_ = ~over & ~within & ~blank
    put(
        detail,
        open_,
        "lasted between "
        + durations.elapsed(shortest[open_].clip(lower=pd.Timedelta(0)), unit)
        + " and "
        + durations.elapsed(longest[open_], unit)
        + f" (limit {text}): a date-only value",
    )
    detail[blank] = f"{check['start']} is blank"
    cells = [check["start"], check["end"]]
    column = check.get("also_value_over")
    if column and column in frame:
        # a blank sanction is no sanction recorded: it adds nothing to the duration's own verdict
        amount = durations.unit_and_amount(check["limit"])[1]
        sanction = (frame[column] > amount).to_numpy(dtype=bool, na_value=False)
        extra = sanction & ~over
        put(detail, extra, f"{column} " + frame.loc[extra, column].astype(str) + f" over the limit of {text}")
        both_ = sanction & over
        put(detail, both_, detail[both_] + f"; {column} " + frame.loc[both_, column].astype(str))
        over = over | sanction
        cells.append(column)
    # a stay wholly before the review period, or starting after it, is not this inspection's to judge
    opens = np.datetime64(ctx.review_start.to_datetime64(), "us")
    inside = (start_late <= close) & (ongoing | (end_early >= opens))
    outside = (start_early > close) | (~ongoing & (end_late < opens))
    period = Tri.of(inside | blank, ~inside & ~outside & ~blank)
    verdict = verdicts.of(member & period, Tri.of(over, ~over & ~within))
    detail = verdicts.undecided_detail(detail, frame, where, member, ctx, sheet)
    edge = period.unknown & verdict.undecided
    put(detail, edge, detail[edge] + "; cannot tell whether it falls in the review period: a date-only value")
    return verdict.outcome(
        sheet,
        frame.index,
        detail,
        cells={sheet: cells},
        absent_columns=conditions.absent_columns(frame, where),
        empty_reason=None
        if verdict.population.any()
        else "no rows where " + " and ".join(conditions.describe(c) for c in where or []),
    )


def describe(check: dict[str, Any]) -> str:
    text = f"no longer than {durations.describe(check['limit'])}"
    if check.get("also_value_over"):
        text += f" (and {check['also_value_over']} no more than that)"
    return text
