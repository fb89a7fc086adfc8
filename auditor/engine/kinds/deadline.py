"""deadline: `end` no later than `limit` after `start` (or than the time in `deadline_column`).

Limits are inclusive: exactly 12 h after arrival meets a 12-hour limit. An empty `end` is a
violation once the deadline has passed by the end of the review period; before that the row
is pending and left out. Rows released (`released`) before the deadline leave the population.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from auditor.engine import calendar, conditions, durations
from auditor.engine.kinds.parameters import COLUMN, CONDITIONS, DURATION, SHEET, Parameter
from auditor.engine.outcome import Outcome, day, evidence, stamp
from auditor.workbook import declarations as decl

if TYPE_CHECKING:  # the engine's context pulls in the workbook and pandera; lint needs neither
    from auditor.engine.context import Context

NAME = "deadline"
DESCRIPTION = (
    "Each row must have `end` no later than `limit` after `start` (or no later than the time in "
    "`deadline_column`). Empty `end`: a violation once the deadline has passed by review_period_end, "
    "otherwise pending and left out."
)
PARAMETERS = (
    Parameter("sheet", SHEET, "The sheet of the rows.", required=True),
    Parameter("start", COLUMN, "When the clock starts.", required=True),
    Parameter("end", COLUMN, "When it was done.", required=True),
    Parameter("limit", DURATION, "How long after `start` `end` may be."),
    Parameter("deadline_column", COLUMN, "A column holding each row's own deadline, instead of `limit`."),
    Parameter(
        "not_before", DURATION, "`end` earlier than this after `start` is also a violation (a window)."
    ),
    Parameter("released", COLUMN, "Rows released (this column) before the deadline leave the population."),
    Parameter("where", CONDITIONS, "The rows the requirement applies to."),
)
ONE_OF = (("limit",), ("deadline_column",))

TUNABLE = ("limit", "not_before")


def deadlines(check: dict[str, Any], frame: pd.DataFrame, rows: np.ndarray | None = None) -> pd.Series:
    """Each row's deadline (only `rows`, a boolean mask, when given: the others are left empty)."""
    start = frame[check["start"]]
    if "deadline_column" in check:
        return frame[check["deadline_column"]]
    unit, amount = durations.unit_and_amount(check["limit"])
    if unit == "working_days":  # to the end of the n-th working day (numpy: only `rows` are worked out)
        at = np.arange(len(frame)) if rows is None else np.flatnonzero(rows)
        days = start.to_numpy(dtype="datetime64[us]")[at].astype("datetime64[D]")
        last = calendar.working_days_after(days, int(amount)) + np.timedelta64(1, "D")
        due = np.full(len(frame), np.datetime64("NaT"), dtype="datetime64[us]")
        due[at] = last.astype("datetime64[us]") - np.timedelta64(1, "us")
        return pd.Series(due, index=frame.index)
    if unit == "months":
        return start + pd.DateOffset(months=int(amount))
    return start + durations.timedelta(check["limit"])


def evaluate(check: dict[str, Any], ctx: Context) -> Outcome:
    sheet = check["sheet"]
    frame = ctx.frame(sheet)
    # numpy datetime64 arrays: a comparison with NaT is False, as an empty cell must be
    start, end = _instants(frame[check["start"]]), _instants(frame[check["end"]])
    keep = conditions.mask(frame, check.get("where"), ctx, sheet).to_numpy(dtype=bool) & ~np.isnat(start)
    due_series = deadlines(check, frame, keep)
    due = _instants(due_series)
    keep &= ~np.isnat(due)
    if check.get("released") and check["released"] in frame:
        keep &= ~(_instants(frame[check["released"]]) < due)
    missing = np.isnat(end)
    pending = keep & missing & (due > ctx.review_end.to_datetime64())
    keep &= ~pending
    late = end > due
    early = np.zeros(len(frame), dtype=bool)
    if "not_before" in check:
        early = end < start + durations.timedelta(check["not_before"]).to_timedelta64()
    bad = keep & (late | missing | early)
    at = np.flatnonzero(bad)
    rows = frame.index[at]
    detail = _details(
        check,
        frame[check["start"]].iloc[at],
        frame[check["end"]].iloc[at],
        due_series.iloc[at],
        late[at],
        missing[at],
        early[at],
    )
    pending_count = int(pending.sum())
    note = None
    if pending_count:
        note = f"{pending_count} left out as pending (deadline after the review period)"
    return Outcome(
        population=int(keep.sum()),
        violations=int(bad.sum()),
        evidence=evidence(sheet, rows, detail),
        cells={sheet: [c for c in (check["start"], check["end"], check.get("deadline_column")) if c]},
        note=note,
        empty_reason=None if keep.any() else note or _empty(check),
    )


def _instants(values: pd.Series) -> np.ndarray:
    return values.to_numpy(dtype="datetime64[us]")


def _details(
    check: dict[str, Any],
    start: pd.Series,
    end: pd.Series,
    due: pd.Series,
    late: np.ndarray,
    missing: np.ndarray,
    early: np.ndarray,
) -> list[str]:
    """The detail of each violating row (the series and masks hold only those rows)."""
    start_name, end_name = check["start"], check["end"]
    out = [""] * len(start)
    late_at, missing_at, early_at = np.flatnonzero(late), np.flatnonzero(missing), np.flatnonzero(early)
    if "deadline_column" in check:
        column = check["deadline_column"]
        ends, dues = stamp(end.iloc[late_at]).tolist(), stamp(due.iloc[late_at]).tolist()
        for i, finished, deadline in zip(late_at.tolist(), ends, dues, strict=True):
            out[i] = f"{end_name} {finished} is after {column} {deadline}"
        for i, deadline in zip(missing_at.tolist(), stamp(due.iloc[missing_at]).tolist(), strict=True):
            out[i] = f"no {end_name} recorded; {column} was {deadline}"
        return out
    unit = durations.display_unit(check["limit"])
    limit = durations.describe(check["limit"])
    if durations.unit_and_amount(check["limit"])[0] == "working_days":
        return _working_day_details(check, end, due, late_at, missing_at, out)
    took = durations.elapsed(end.iloc[late_at] - start.iloc[late_at], unit).tolist()
    for i, text in zip(late_at.tolist(), took, strict=True):
        out[i] = f"{end_name} {text} after {start_name} (limit {limit})"
    if "not_before" in check:
        window = f"{durations.describe(check['not_before'])} to {limit}"
        took = durations.elapsed(end.iloc[early_at] - start.iloc[early_at], unit).tolist()
        for i, text in zip(early_at.tolist(), took, strict=True):
            out[i] = f"{end_name} only {text} after {start_name} (window {window})"
    for i, deadline in zip(missing_at.tolist(), stamp(due.iloc[missing_at]).tolist(), strict=True):
        out[i] = f"no {end_name} recorded; due by {deadline}"
    return out


def _working_day_details(check, end, due, late_at, missing_at, out: list[str]) -> list[str]:
    """A working-day deadline is a day, not a duration: name the day it ran out."""
    end_name, start, limit = check["end"], check["start"], durations.describe(check["limit"])
    declared = decl.SHEETS_BY_NAME[check["sheet"]]
    date_only = end_name in declared.column_names and declared.column(end_name).kind is decl.Kind.DATE
    ends = (day if date_only else stamp)(end.iloc[late_at]).tolist()
    for i, finished, deadline in zip(late_at.tolist(), ends, day(due.iloc[late_at]).tolist(), strict=True):
        out[i] = f"{end_name} {finished}, after the deadline: the end of {deadline} ({limit} after {start})"
    for i, deadline in zip(missing_at.tolist(), day(due.iloc[missing_at]).tolist(), strict=True):
        out[i] = f"no {end_name} recorded; due by the end of {deadline} ({limit})"
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
