"""weekly_minimum: every unit, every ISO week (Monday–Sunday) wholly inside the review period.

Either `daily_minimum` minutes on at least `min_days` days (days meeting `qualifying`, e.g.
outdoors), or `weekly_total` minutes in the week. A day with no row counts as 0 minutes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from auditor.engine import conditions
from auditor.engine.kinds.parameters import COLUMN, CONDITIONS, INTEGER, NUMBER, SHEET, Parameter
from auditor.engine.outcome import Outcome, evidence

if TYPE_CHECKING:  # the engine's context pulls in the workbook and pandera; lint needs neither
    from auditor.engine.context import Context

NAME = "weekly_minimum"
DESCRIPTION = (
    "For every unit and every ISO week wholly inside the review period (a day with no row counts as 0)."
)
PARAMETERS = (
    Parameter("sheet", SHEET, "The sheet of the unit-days.", required=True),
    Parameter("group_by", COLUMN, "The unit column.", required=True),
    Parameter("date", COLUMN, "The day.", required=True),
    Parameter("value", COLUMN, "Minutes offered that day.", required=True),
    Parameter("daily_minimum", NUMBER, "Minutes a day must reach to count.", minimum=0, maximum=1440),
    Parameter("min_days", INTEGER, "Days a week that must reach `daily_minimum`.", minimum=1, maximum=7),
    Parameter("weekly_total", NUMBER, "Minutes a week must add up to instead.", minimum=0, maximum=10080),
    Parameter("qualifying", CONDITIONS, "Conditions a day must meet to count (e.g. outdoor)."),
)
ONE_OF = (("daily_minimum", "min_days"), ("weekly_total",))

TUNABLE = ("daily_minimum", "min_days", "weekly_total")
POPULATION = "unit-weeks"


def whole_weeks(first: pd.Timestamp, last: pd.Timestamp) -> pd.DatetimeIndex:
    """Mondays of the ISO weeks lying wholly between two dates (inclusive)."""
    monday = first + pd.Timedelta(days=(7 - first.weekday()) % 7)
    sunday = last - pd.Timedelta(days=(last.weekday() + 1) % 7)
    if sunday < monday:
        return pd.DatetimeIndex([])
    return pd.date_range(monday, sunday - pd.Timedelta(days=6), freq="7D")


def evaluate(check: dict[str, Any], ctx: Context) -> Outcome:
    sheet, unit_col, value_col = check["sheet"], check["group_by"], check["value"]
    frame = ctx.frame(sheet)
    weeks = whole_weeks(ctx.review_start.normalize(), ctx.review_end.normalize())
    units = sorted(frame[unit_col].dropna().unique())
    if not len(weeks) or not units:
        reason = "the review period holds no whole week" if not len(weeks) else f"no {unit_col} in the sheet"
        return Outcome(0, 0, evidence(sheet, [], []), empty_reason=reason)
    # each row's unit-week as one number: unit position × weeks + week position (vectorised)
    unit_code = pd.Index(units).get_indexer(frame[unit_col])
    days = frame[check["date"]].to_numpy(dtype="datetime64[D]")
    week = np.floor_divide((days - weeks[0].to_datetime64().astype("datetime64[D]")).astype(np.int64), 7)
    inside = (unit_code >= 0) & ~np.isnat(days) & (week >= 0) & (week < len(weeks))
    slot = (unit_code * len(weeks) + week)[inside]
    values = frame[value_col].to_numpy(dtype="float64", na_value=0.0)
    size = len(units) * len(weeks)
    if "weekly_total" in check:
        measure = np.bincount(slot, weights=values[inside], minlength=size)
        bad = measure < check["weekly_total"]
        text = [f"{v:g} min in the week (needs {check['weekly_total']:g})" for v in measure[bad].tolist()]
    else:
        qualifies = values >= check["daily_minimum"]
        qualifies &= conditions.mask(frame, check.get("qualifying"), ctx, sheet).to_numpy(dtype=bool)
        measure = np.bincount(slot, weights=qualifies[inside], minlength=size).astype(np.int64)
        bad = measure < check["min_days"]
        how = f"at least {check['daily_minimum']:g} min" + (
            " (" + " and ".join(conditions.describe(c) for c in check["qualifying"]) + ")"
            if check.get("qualifying")
            else ""
        )
        text = [f"{v} day(s) with {how} (needs {check['min_days']})" for v in measure[bad].tolist()]
    first_row = np.full(size, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(first_row, slot, frame.index.to_numpy(dtype=np.int64)[inside])
    rows = pd.array(np.where(first_row == np.iinfo(np.int64).max, 0, first_row)[bad], dtype="Int64")
    rows[first_row[bad] == np.iinfo(np.int64).max] = pd.NA
    bad_slots = np.flatnonzero(bad)
    labels = [
        f"{units[s // len(weeks)]}, week of {weeks[s % len(weeks)]:%Y-%m-%d}: " for s in bad_slots.tolist()
    ]
    return Outcome(
        population=size,
        violations=int(bad.sum()),
        evidence=evidence(sheet, rows, [label + t for label, t in zip(labels, text, strict=True)]),
        cells={sheet: [unit_col, check["date"], value_col]},
    )


def describe(check: dict[str, Any]) -> str:
    if "weekly_total" in check:
        return f"at least {check['weekly_total']:g} minutes a week per unit"
    text = f"at least {check['daily_minimum']:g} minutes on {check['min_days']} days a week per unit"
    if check.get("qualifying"):
        text += " (" + " and ".join(conditions.describe(c) for c in check["qualifying"]) + ")"
    return text
