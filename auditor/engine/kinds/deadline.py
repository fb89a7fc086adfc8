"""deadline: `end` no later than `limit` after `start` (or than the time in `deadline_column`).

Limits are inclusive: exactly 12 h after arrival meets a 12-hour limit. An empty `end` is a
violation once the deadline has passed by the end of the review period; before that the row
is pending and left out. Rows released (`released`) before the deadline leave the population.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from auditor.engine import calendar, conditions, durations
from auditor.engine.context import Context
from auditor.engine.outcome import Outcome, evidence, stamp

TUNABLE = ("limit", "not_before")


def deadlines(check: dict[str, Any], frame: pd.DataFrame) -> pd.Series:
    start = frame[check["start"]]
    if "deadline_column" in check:
        return frame[check["deadline_column"]]
    unit, amount = durations.unit_and_amount(check["limit"])
    if unit == "working_days":
        return calendar.end_of_day(calendar.add_working_days(start, int(amount)))
    if unit == "months":
        return start + pd.DateOffset(months=int(amount))
    return start + durations.timedelta(check["limit"])


def evaluate(check: dict[str, Any], ctx: Context) -> Outcome:
    sheet = check["sheet"]
    frame = ctx.frame(sheet)
    start, end = frame[check["start"]], frame[check["end"]]
    due = deadlines(check, frame)
    keep = conditions.mask(frame, check.get("where"), ctx, sheet) & start.notna() & due.notna()
    if check.get("released") and check["released"] in frame:
        keep &= ~(frame[check["released"]] < due).fillna(False).astype(bool)
    missing = end.isna()
    pending = keep & missing & (due > ctx.review_end)
    keep &= ~pending
    late = (end > due).fillna(False).astype(bool)
    early = pd.Series(False, index=frame.index)
    if "not_before" in check:
        early = (end < start + durations.timedelta(check["not_before"])).fillna(False).astype(bool)
    bad = keep & (late | missing | early)
    detail = _details(check, frame, due, late, missing, early)[bad]
    note = (
        f"{int(pending.sum())} left out as pending (deadline after the review period)"
        if pending.any()
        else None
    )
    return Outcome(
        population=int(keep.sum()),
        violations=int(bad.sum()),
        evidence=evidence(sheet, frame.index[bad.to_numpy()], detail),
        cells={sheet: [c for c in (check["start"], check["end"], check.get("deadline_column")) if c]},
        note=note,
        empty_reason=None if keep.any() else note or _empty(check),
    )


def _details(check, frame, due, late, missing, early) -> pd.Series:
    start_name, end_name = check["start"], check["end"]
    start, end = frame[start_name], frame[end_name]
    out = pd.Series("", index=frame.index, dtype=object)
    if "deadline_column" in check:
        column = check["deadline_column"]
        out[late.to_numpy()] = f"{end_name} " + stamp(end[late]) + f" is after {column} " + stamp(due[late])
        out[missing.to_numpy()] = f"no {end_name} recorded; {column} was " + stamp(due[missing])
        return out
    unit = durations.display_unit(check["limit"])
    limit = durations.describe(check["limit"])
    out[late.to_numpy()] = (
        f"{end_name} "
        + durations.elapsed(end[late] - start[late], unit)
        + f" after {start_name} (limit {limit})"
    )
    if "not_before" in check:
        window = f"{durations.describe(check['not_before'])} to {limit}"
        out[early.to_numpy()] = (
            f"{end_name} only "
            + durations.elapsed(end[early] - start[early], unit)
            + f" after {start_name} (window {window})"
        )
    out[missing.to_numpy()] = f"no {end_name} recorded; due by " + stamp(due[missing])
    return out


def _empty(check: dict[str, Any]) -> str:
    parts = [conditions.describe(c) for c in check.get("where", [])]
    base = f"no rows with {check['start']} recorded"
    return base + (" where " + " and ".join(parts) if parts else "")


def describe(check: dict[str, Any]) -> str:
    if "deadline_column" in check:
        return f"{check['end']} no later than {check['deadline_column']}"
    limit = durations.describe(check["limit"])
    if "not_before" in check:
        return f"{check['end']} {durations.describe(check['not_before'])} to {limit} after {check['start']}"
    return f"{check['end']} within {limit} of {check['start']}"
