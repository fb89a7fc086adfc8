"""cadence: recurring events no more than `limit` apart over the whole review period.

The gaps are review_period_start → first event, event → event, and last event →
review_period_end (per `group_by` value, e.g. per area); each gap over the limit is one
violation. No event at all is one gap the length of the period.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from auditor.engine import conditions, durations
from auditor.engine.kinds.parameters import COLUMN, CONDITIONS, DURATION, SHEET, Parameter
from auditor.engine.outcome import Outcome, day, evidence

if TYPE_CHECKING:  # the engine's context pulls in the workbook and pandera; lint needs neither
    from auditor.engine.context import Context

NAME = "cadence"
DESCRIPTION = (
    "Gaps from review_period_start to the first event, between events and from the last event to "
    "review_period_end; each gap over `limit` is one violation."
)
PARAMETERS = (
    Parameter("sheet", SHEET, "The sheet of the events.", required=True),
    Parameter("date", COLUMN, "When each event happened.", required=True),
    Parameter("limit", DURATION, "The longest gap allowed.", required=True),
    Parameter("group_by", COLUMN, "Measure the gaps separately for each value (e.g. per area)."),
    Parameter("where", CONDITIONS, "The events that count."),
)
ONE_OF: tuple[tuple[str, ...], ...] = ()

TUNABLE = ("limit",)
POPULATION = "intervals"
ALL = "(all areas)"


def evaluate(check: dict[str, Any], ctx: Context) -> Outcome:
    sheet = check["sheet"]
    frame = ctx.frame(sheet)
    first, last = ctx.review_start.normalize(), ctx.review_end.normalize()
    keep = conditions.mask(frame, check.get("where"), ctx, sheet)
    dates = frame[check["date"]].dt.normalize()
    keep &= dates.between(first, last).fillna(False).astype(bool)
    group_by = check.get("group_by")
    groups = frame[group_by].fillna("(not recorded)") if group_by else pd.Series(ALL, index=frame.index)
    events = pd.DataFrame(
        {
            "group": groups[keep].astype(object),
            "date": dates[keep],
            "row": frame.index[keep.to_numpy()],
            "order": 1,
        }
    )
    names = pd.unique(events["group"]) if len(events) else np.array([ALL], dtype=object)
    edges = [
        pd.DataFrame({"group": names, "date": when, "row": pd.NA, "order": order})
        for when, order in ((first, 0), (last, 2))
    ]
    timeline = pd.concat([edges[0], events, edges[1]], ignore_index=True).sort_values(
        ["group", "date", "order"], kind="stable"
    )
    previous = timeline.groupby("group", sort=False)[["date", "row", "order"]].shift()
    gaps = timeline.assign(prev_date=previous["date"], prev_row=previous["row"], prev_order=previous["order"])
    gaps = gaps[gaps["prev_date"].notna()]
    length = (gaps["date"] - gaps["prev_date"]).dt.days
    limit = durations.unit_and_amount(check["limit"])[1]
    over = (length > limit).to_numpy()
    bad = gaps[over]
    start_text = np.where(bad["prev_order"] == 0, "the start of the review period (", "") + day(
        bad["prev_date"]
    )
    start_text = start_text + np.where(bad["prev_order"] == 0, ")", "")
    end_text = np.where(bad["order"] == 2, "the end of the review period (", "") + day(bad["date"])
    end_text = end_text + np.where(bad["order"] == 2, ")", "")
    prefix = (bad["group"].astype(str) + ": ") if group_by else ""
    detail = (
        prefix
        + length[over].astype(str)
        + " days from "
        + start_text
        + " to "
        + end_text
        + f" (limit {durations.describe(check['limit'])})"
    )
    if not len(events):
        what = " and ".join(conditions.describe(c) for c in check.get("where", [])) or "event"
        detail = pd.Series([f"no rows where {what} in the review period"] * int(over.sum()), dtype=object)
    rows = bad["row"].where(bad["row"].notna(), bad["prev_row"])
    return Outcome(
        population=len(gaps),
        violations=int(over.sum()),
        evidence=evidence(sheet, rows.astype("Int64"), detail),
        cells={sheet: [c for c in (check["date"], group_by) if c]},
    )


def describe(check: dict[str, Any]) -> str:
    text = f"at most {durations.describe(check['limit'])} between events"
    return text + (f", for each {check['group_by']}" if check.get("group_by") else "")
