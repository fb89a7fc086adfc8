"""max_duration: from `start` to `end` must not exceed `limit`; an open end runs to review_period_end.

`also_value_over` names a numeric column in the limit's unit (sanction_days) that must not
exceed the limit either.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from auditor.engine import conditions, durations
from auditor.engine.kinds.parameters import COLUMN, CONDITIONS, DURATION, SHEET, Parameter
from auditor.engine.outcome import Outcome, evidence

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
    sheet = check["sheet"]
    frame = ctx.frame(sheet)
    start, end = frame[check["start"]], frame[check["end"]]
    keep = conditions.mask(frame, check.get("where"), ctx, sheet) & start.notna()
    ongoing = end.isna()
    stay = end.fillna(ctx.review_end) - start
    limit = durations.timedelta(check["limit"])
    over = (stay > limit).fillna(False).astype(bool)
    unit = durations.display_unit(check["limit"])
    text = durations.describe(check["limit"])
    detail = pd.Series("", index=frame.index, dtype=object)
    detail[over.to_numpy()] = "lasted " + durations.elapsed(stay[over], unit) + f" (limit {text})"
    still = over & ongoing
    detail[still.to_numpy()] = (
        "still open at the end of the review period: "
        + durations.elapsed(stay[still], unit)
        + f" so far (limit {text})"
    )
    cells = [check["start"], check["end"]]
    column = check.get("also_value_over")
    if column and column in frame:
        amount = durations.unit_and_amount(check["limit"])[1]
        sanction = (frame[column] > amount).fillna(False).astype(bool)
        extra = sanction & ~over
        detail[extra.to_numpy()] = (
            f"{column} " + frame.loc[extra, column].astype(str) + f" over the limit of {text}"
        )
        both = sanction & over
        detail[both.to_numpy()] = detail[both] + f"; {column} " + frame.loc[both, column].astype(str)
        over |= sanction
        cells.append(column)
    bad = keep & over
    return Outcome(
        population=int(keep.sum()),
        violations=int(bad.sum()),
        evidence=evidence(sheet, frame.index[bad.to_numpy()], detail[bad]),
        cells={sheet: cells},
        empty_reason=None
        if keep.any()
        else "no rows where " + " and ".join(conditions.describe(c) for c in check.get("where", [])),
    )


def describe(check: dict[str, Any]) -> str:
    text = f"no longer than {durations.describe(check['limit'])}"
    if check.get("also_value_over"):
        text += f" (and {check['also_value_over']} no more than that)"
    return text
