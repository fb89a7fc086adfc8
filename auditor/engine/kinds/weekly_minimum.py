"""weekly_minimum: every unit, every ISO week (Monday–Sunday) wholly inside the review period.

Either `daily_minimum` minutes on at least `min_days` days (days meeting `qualifying`, e.g.
outdoors), or `weekly_total` minutes in the week. A day with no row counts as 0 minutes.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from auditor.engine import conditions
from auditor.engine.context import Context
from auditor.engine.outcome import Outcome, evidence, number

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
    dates = frame[check["date"]].dt.normalize()
    monday = dates - pd.to_timedelta(dates.dt.day_of_week, unit="D")
    inside = monday.isin(weeks) & frame[unit_col].notna()
    values = frame[value_col].fillna(0)
    data = pd.DataFrame({"unit": frame[unit_col], "week": monday, "value": values, "row": frame.index})[
        inside.to_numpy()
    ]
    full = pd.MultiIndex.from_product([units, weeks], names=["unit", "week"])
    if "weekly_total" in check:
        measure = data.groupby(["unit", "week"])["value"].sum().reindex(full, fill_value=0)
        bad = measure < check["weekly_total"]
        text = number(measure[bad]) + f" min in the week (needs {check['weekly_total']:g})"
    else:
        qualifies = (frame[value_col] >= check["daily_minimum"]).fillna(False).astype(bool)
        qualifies &= conditions.mask(frame, check.get("qualifying"), ctx, sheet)
        data["days"] = qualifies[inside.to_numpy()].astype(int).to_numpy()
        measure = data.groupby(["unit", "week"])["days"].sum().reindex(full, fill_value=0)
        bad = measure < check["min_days"]
        how = f"at least {check['daily_minimum']:g} min" + (
            " (" + " and ".join(conditions.describe(c) for c in check["qualifying"]) + ")"
            if check.get("qualifying")
            else ""
        )
        text = measure[bad].astype(str) + f" day(s) with {how} (needs {check['min_days']})"
    first_rows = data.groupby(["unit", "week"])["row"].min().reindex(full)
    bad_index = measure.index[bad.to_numpy()]
    labels = [f"{unit}, week of {week:%Y-%m-%d}: " for unit, week in bad_index]
    detail = [label + str(t) for label, t in zip(labels, text.to_numpy(), strict=True)]
    return Outcome(
        population=len(full),
        violations=int(bad.sum()),
        evidence=evidence(sheet, first_rows[bad_index].astype("Int64"), detail),
        cells={sheet: [unit_col, check["date"], value_col]},
    )


def describe(check: dict[str, Any]) -> str:
    if "weekly_total" in check:
        return f"at least {check['weekly_total']:g} minutes a week per unit"
    text = f"at least {check['daily_minimum']:g} minutes on {check['min_days']} days a week per unit"
    if check.get("qualifying"):
        text += " (" + " and ".join(conditions.describe(c) for c in check["qualifying"]) + ")"
    return text
