"""weekly_minimum: every unit, every ISO week (Monday–Sunday) wholly inside the review period.

Either `daily_minimum` minutes on at least `min_days` days (days meeting `qualifying`, e.g.
outdoors), or `weekly_total` minutes in the week. A day with no row counts as 0 minutes: the sheet
is the unit's record of what was offered. Three-valued (docs/verdicts.md): a unit-week is
indeterminate when a blank (minutes, `qualifying` column) or a row without a date might make up the
shortfall, and, with `housing_units`, for a Housing unit the sheet never names (it may have been
closed or empty).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from auditor.engine import conditions
from auditor.engine.kinds.parameters import COLUMN, CONDITIONS, INTEGER, NUMBER, SHEET, Parameter
from auditor.engine.kinds.undecided import housing_units
from auditor.engine.outcome import INDETERMINATE, Outcome, both, evidence

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
    Parameter(
        "housing_units",
        CONDITIONS,
        "Housing rows whose unit_id is a unit too (e.g. the unit types people live in for weeks): one "
        "the sheet never names is not left out (its weeks are indeterminate).",
    ),
)
ONE_OF = (("daily_minimum", "min_days"), ("weekly_total",))

TUNABLE = ("daily_minimum", "min_days", "weekly_total")
POPULATION = "unit-weeks"
NO_ROW = np.iinfo(np.int64).max


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
    weeks = whole_weeks(*ctx.inspection.review_days)
    units = sorted(frame[unit_col].dropna().unique())
    unlisted = _unlisted(check, ctx, units)
    if not len(weeks) or not (units or len(unlisted)):
        reason = "the review period holds no whole week" if not len(weeks) else f"no {unit_col} in the sheet"
        return Outcome(0, 0, evidence(sheet, [], []), empty_reason=reason)
    # each row's unit-week as one number: unit position × weeks + week position (vectorised)
    unit_code = pd.Index(units).get_indexer(frame[unit_col])
    days = frame[check["date"]].to_numpy(dtype="datetime64[D]")
    week = np.floor_divide((days - weeks[0].to_datetime64().astype("datetime64[D]")).astype(np.int64), 7)
    known = unit_code >= 0
    inside = known & ~np.isnat(days) & (week >= 0) & (week < len(weeks))
    undated = known & np.isnat(days)  # a row of the unit on an unknown day: it might be any week's
    slot = (unit_code * len(weeks) + week)[inside]
    raw = frame[value_col].to_numpy(dtype="float64", na_value=np.nan)
    blank = np.isnan(raw)
    values = np.where(blank, 0.0, raw)
    size = len(units) * len(weeks)
    if "weekly_total" in check:
        total = check["weekly_total"]
        measure = np.bincount(slot, weights=values[inside], minlength=size)
        doubt = np.bincount(slot, weights=blank[inside], minlength=size) > 0
        spare = np.bincount(
            unit_code[undated], weights=np.where(blank, np.inf, values)[undated], minlength=len(units)
        )
        met = measure >= total
        short = ~met & ~doubt & (measure + np.repeat(spare, len(weeks)) < total)

        def text(v: float) -> str:
            return f"{v:g} min in the week (needs {total:g})"
    else:
        qualifying = conditions.classify(frame, check.get("qualifying"), ctx, sheet)
        enough = values >= check["daily_minimum"]
        yes = enough & ~blank & qualifying.yes
        maybe = (enough | blank) & qualifying.maybe
        measure = np.bincount(slot, weights=yes[inside], minlength=size).astype(np.int64)
        ceiling = np.bincount(slot, weights=maybe[inside], minlength=size).astype(np.int64)
        ceiling += np.repeat(
            np.bincount(unit_code[undated], weights=maybe[undated], minlength=len(units)), len(weeks)
        ).astype(np.int64)
        met = measure >= check["min_days"]
        short = ceiling < check["min_days"]
        how = f"at least {check['daily_minimum']:g} min" + (
            " (" + " and ".join(conditions.describe(c) for c in check["qualifying"]) + ")"
            if check.get("qualifying")
            else ""
        )

        def text(v: float) -> str:
            return f"{v} day(s) with {how} (needs {check['min_days']})"

    unsure = ~met & ~short
    first_row = np.full(size, NO_ROW, dtype=np.int64)
    np.minimum.at(first_row, slot, frame.index.to_numpy(dtype=np.int64)[inside])
    # words only for the unit-weeks with evidence (a few of thousands, usually)
    shown = np.flatnonzero(short | unsure)
    mondays = [f"{monday:%Y-%m-%d}" for monday in weeks]
    detail = np.empty(size, dtype=object)
    detail[shown] = [
        f"{units[s // len(weeks)]}, week of {mondays[s % len(weeks)]}: {text(measure[s])}"
        for s in shown.tolist()
    ]
    why = "; a blank or a row without a date might make up the difference"
    return Outcome(
        population=size + len(unlisted) * len(weeks),
        violations=int(short.sum()),
        indeterminate=int(unsure.sum()) + len(unlisted) * len(weeks),
        evidence=both(
            evidence(sheet, _rows(first_row[short]), detail[short].tolist()),
            both(
                evidence(sheet, _rows(first_row[unsure]), (detail[unsure] + why).tolist(), INDETERMINATE),
                _unlisted_weeks(unlisted, weeks, sheet),
            ),
        ),
        cells={sheet: [unit_col, check["date"], value_col]}
        | ({"Housing": ["unit_id"]} if len(unlisted) else {}),
    )


def _rows(first_row: np.ndarray) -> pd.array:
    rows = pd.array(np.where(first_row == NO_ROW, 0, first_row), dtype="Int64")
    rows[first_row == NO_ROW] = pd.NA
    return rows


def _unlisted(check: dict[str, Any], ctx: Context, units: list[Any]) -> pd.Series:
    """The Housing units (`housing_units`) the sheet never names, by Housing row."""
    listed = housing_units(check.get("housing_units"), ctx)
    return listed[~listed.isin(units)]


def _unlisted_weeks(unlisted: pd.Series, weeks: pd.DatetimeIndex, sheet: str) -> pd.DataFrame:
    """One indeterminate unit-week per week of each unlisted unit, citing its Housing row."""
    rows = np.repeat(unlisted.index.to_numpy(), len(weeks))
    detail = [
        f"{unit}, week of {monday:%Y-%m-%d}: no {sheet} row names the unit; the Housing sheet lists it, but "
        "it may have been closed or empty"
        for unit in unlisted.tolist()
        for monday in weeks
    ]
    return evidence("Housing", rows, detail, INDETERMINATE)


def describe(check: dict[str, Any]) -> str:
    if "weekly_total" in check:
        return f"at least {check['weekly_total']:g} minutes a week per unit"
    text = f"at least {check['daily_minimum']:g} minutes on {check['min_days']} days a week per unit"
    if check.get("qualifying"):
        text += " (" + " and ".join(conditions.describe(c) for c in check["qualifying"]) + ")"
    return text
