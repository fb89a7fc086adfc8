"""daily_presence: a reading every day of the review period, for every group that has any.

Each (group, day) with no row is one violation: a cooler logged on 89 of 90 days has one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from auditor.engine import conditions
from auditor.engine.kinds.parameters import COLUMN, CONDITIONS, SHEET, Parameter
from auditor.engine.outcome import Outcome, evidence

if TYPE_CHECKING:  # the engine's context pulls in the workbook and pandera; lint needs neither
    from auditor.engine.context import Context

NAME = "daily_presence"
DESCRIPTION = (
    "Every day of the review period needs a row for each group that has any; each missing group-day is "
    "one violation."
)
PARAMETERS = (
    Parameter("sheet", SHEET, "The sheet of the readings.", required=True),
    Parameter("timestamp", COLUMN, "When each reading was taken.", required=True),
    Parameter("group_by", COLUMN, "The location each reading is for.", required=True),
    Parameter("where", CONDITIONS, "The readings that count."),
)
ONE_OF: tuple[tuple[str, ...], ...] = ()

TUNABLE: tuple[str, ...] = ()
POPULATION = "location-days"


def evaluate(check: dict[str, Any], ctx: Context) -> Outcome:
    sheet = check["sheet"]
    frame = ctx.frame(sheet)
    first, last = ctx.review_start.normalize(), ctx.review_end.normalize()
    days = frame[check["timestamp"]].dt.normalize()
    keep = conditions.mask(frame, check.get("where"), ctx, sheet) & days.between(first, last).fillna(False)
    groups = frame[check["group_by"]][keep.to_numpy()].astype(object)
    seen = pd.MultiIndex.from_arrays([groups, days[keep.to_numpy()]]).unique()
    calendar = pd.date_range(first, last, freq="D")
    names = sorted(pd.unique(groups))
    expected = pd.MultiIndex.from_product([names, calendar])
    missing = expected.difference(seen)
    detail = [f"no reading at {group} on {when:%Y-%m-%d}" for group, when in missing]
    what = " and ".join(conditions.describe(c) for c in check.get("where", []))
    return Outcome(
        population=len(expected),
        violations=len(missing),
        evidence=evidence(sheet, [None] * len(missing), detail),
        cells={sheet: [check["timestamp"], check["group_by"]]},
        empty_reason=None if names else f"no rows where {what} in the review period",
    )


def describe(check: dict[str, Any]) -> str:
    return f"a reading every day at each {check['group_by']}"
