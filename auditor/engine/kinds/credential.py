"""credential: current at inspection_start — completed within `valid_for`, or (`expires`) not expired.

An empty date is a violation: nothing on file shows the training or licence. A person who may or may
not need it (`supervises_detainees` blank) is indeterminate when the credential is missing or stale,
compliant when it is current either way (docs/verdicts.md).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from auditor.engine import conditions, durations, verdicts
from auditor.engine.conditions import Tri
from auditor.engine.kinds.parameters import COLUMN, CONDITIONS, DURATION, SHEET, TRUE, Parameter
from auditor.engine.outcome import Outcome, day, put

if TYPE_CHECKING:  # the engine's context pulls in the workbook and pandera; lint needs neither
    from auditor.engine.context import Context

NAME = "credential"
DESCRIPTION = (
    "At inspection_start each row needs a current credential: completed within `valid_for`, or (with "
    "`expires`) not expired."
)
PARAMETERS = (
    Parameter("sheet", SHEET, "The sheet of the people.", required=True),
    Parameter(
        "column",
        COLUMN,
        "When the training was completed (or, with `expires`, when it expires).",
        required=True,
    ),
    Parameter("valid_for", DURATION, "How long a completed training stays current."),
    Parameter("expires", TRUE, "`column` holds an expiry date."),
    Parameter("where", CONDITIONS, "The people who need it."),
)
ONE_OF = (("valid_for",), ("expires",))

TUNABLE = ("valid_for",)


def oldest_valid(check: dict[str, Any], on: pd.Timestamp) -> pd.Timestamp:
    unit, amount = durations.unit_and_amount(check["valid_for"])
    if unit == "months":
        return on - pd.DateOffset(months=int(amount))
    return on - durations.timedelta(check["valid_for"])


def evaluate(check: dict[str, Any], ctx: Context) -> Outcome:
    sheet, column, where = check["sheet"], check["column"], check.get("where")
    frame = ctx.frame(sheet)
    on = ctx.inspection_start
    values = frame[column]
    member = conditions.classify(frame, where, ctx, sheet)
    missing = values.isna().to_numpy()
    detail = pd.Series(f"no {column} recorded", index=frame.index, dtype=object)
    if check.get("expires"):
        stale = (values < on).to_numpy(dtype=bool, na_value=False)
        put(detail, stale, "expired " + day(values[stale]) + f", before the inspection began ({on:%Y-%m-%d})")
    else:
        oldest = oldest_valid(check, on)
        stale = (values < oldest).to_numpy(dtype=bool, na_value=False)
        put(
            detail,
            stale,
            f"{column} "
            + day(values[stale])
            + f", more than {durations.describe(check['valid_for'])} before the inspection ({on:%Y-%m-%d})",
        )
    # a blank date is no credential on file: proven, like any unrecorded action (docs/verdicts.md)
    verdict = verdicts.of(member, Tri.of(missing | stale))
    detail = verdicts.undecided_detail(detail, frame, where, member, ctx, sheet)
    return verdict.outcome(
        sheet,
        frame.index,
        detail,
        cells={sheet: [column]},
        absent_columns=conditions.absent_columns(frame, where),
        empty_reason=None
        if verdict.population.any()
        else "no staff where " + " and ".join(conditions.describe(c) for c in where or []),
    )


def describe(check: dict[str, Any]) -> str:
    if check.get("expires"):
        return f"{check['column']} not before the inspection start"
    return f"{check['column']} within {durations.describe(check['valid_for'])} before the inspection"
