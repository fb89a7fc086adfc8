"""daily_presence: a reading every day of the review period, for every group that has any.

Each (group, day) is one record (a cooler logged on 89 of 90 days has one violation). Three-valued
(docs/verdicts.md): a group-day with a reading is compliant; one with none is a violation, unless a
reading that might count could be that day's (its `where` or group not recorded, or no date), or
the group itself is known only from such readings: then it is indeterminate.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from auditor.engine import conditions
from auditor.engine.kinds.parameters import COLUMN, CONDITIONS, SHEET, Parameter
from auditor.engine.kinds.undecided import unrecorded
from auditor.engine.outcome import INDETERMINATE, Outcome, both, evidence

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
    sheet, group_by = check["sheet"], check["group_by"]
    frame = ctx.frame(sheet)
    first, last = ctx.inspection.review_days
    days = ctx.inspection.local_days(frame[check["timestamp"]])  # the facility's day, not UTC's
    dated = days.notna().to_numpy()
    inside = days.between(first, last).fillna(False).to_numpy(dtype=bool)
    member = conditions.classify(frame, check.get("where"), ctx, sheet)
    groups = frame[group_by].astype(object)
    no_group = groups.isna().to_numpy()
    proven = member.yes & inside & ~no_group
    maybe = member.maybe & ~proven & (inside | ~dated)  # might count: `where` or group unknown, or no date
    known = pd.unique(groups[proven])
    names = sorted(set(known) | set(pd.unique(groups[maybe & ~no_group])))
    calendar = pd.date_range(first, last, freq="D")
    expected = pd.MultiIndex.from_product([names, calendar])
    seen = pd.MultiIndex.from_arrays([groups[proven], days[proven]]).unique()
    missing = expected.difference(seen)
    located = maybe & dated & ~no_group
    could = missing.isin(pd.MultiIndex.from_arrays([groups[located], days[located]]))
    could |= missing.get_level_values(1).isin(days[maybe & dated & no_group].unique())
    undated = groups[maybe & ~dated & ~no_group].value_counts()
    anywhere = int((maybe & ~dated & no_group).sum())
    loose = pd.Series(missing.get_level_values(0)).map(undated).fillna(0).to_numpy(dtype=np.int64) + anywhere
    vouched = missing.get_level_values(0).isin(known)
    proven_missing = vouched & ~could & (loose == 0)
    what = " and ".join(conditions.describe(c) for c in check.get("where", []))
    detail = np.array([f"no reading at {group} on {when:%Y-%m-%d}" for group, when in missing], dtype=object)
    why = np.where(
        ~vouched,
        f"; every reading there leaves open whether {what}",
        np.where(
            could,
            f"; a reading whose {unrecorded(check)} is not recorded was taken that day",
            np.char.add(
                np.char.add("; ", loose.astype(str)), " reading(s) without a date might be that day's"
            ),
        ),
    )
    unsure = ~proven_missing
    return Outcome(
        population=len(expected),
        violations=int(proven_missing.sum()),
        indeterminate=int(unsure.sum()),
        evidence=both(
            evidence(sheet, [None] * int(proven_missing.sum()), detail[proven_missing].tolist()),
            evidence(
                sheet, [None] * int(unsure.sum()), (detail[unsure] + why[unsure]).tolist(), INDETERMINATE
            ),
        ),
        cells={sheet: [check["timestamp"], group_by]},
        empty_reason=None if names else f"no rows where {what} in the review period",
    )


def describe(check: dict[str, Any]) -> str:
    return f"a reading every day at each {check['group_by']}"
