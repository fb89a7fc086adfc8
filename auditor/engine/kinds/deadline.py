"""deadline: `end` no later than `limit` after `start` (or than the time in `deadline_column`), three-valued.

Each row of the population is a proven violation, proven compliant or indeterminate (docs/verdicts.md).
A date-only cell is some instant of its day (`Inspection.bounds`): with `start` in [s_lo, s_hi] and
`end` in [e_lo, e_hi], the deadline lies in [due_lo, due_hi] (due grows with start), and

- late is proven when e_lo > due_hi (late whatever the instants), on time when e_hi <= due_lo,
  undecided otherwise (a notice 80 h after the start of a placement day, 56 h after its end);
- an empty `end` is a violation once due_hi has passed by the end of the review period, pending
  (left out, noted) when due_lo is after it, undecided in between;
- a deadline before the review period's start is out of scope; one straddling it is undecided;
- a row released (`released`) before the deadline without `end` never came due: it leaves the
  population (released around the deadline: undecided).

Limits are inclusive: exactly 12 h after arrival meets a 12-hour limit. `or_before` makes the deadline
the earlier of the limit and that column's time (a blank there is no such event: the limit binds).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from itertools import pairwise
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from auditor.engine import calendar, conditions, durations, verdicts
from auditor.engine.conditions import Tri
from auditor.engine.kinds.parameters import COLUMN, CONDITIONS, DURATION, SHEET, Parameter
from auditor.engine.outcome import INDETERMINATE, Outcome, both, day, evidence, stamp
from auditor.workbook import declarations as decl

if TYPE_CHECKING:  # the engine's context pulls in the workbook and pandera; lint needs neither
    from auditor.engine.context import Context

NAME = "deadline"
DESCRIPTION = (
    "Each row must have `end` no later than `limit` after `start` (or no later than the time in "
    "`deadline_column`; with `or_before`, no later than that column's time either). Empty `end`: a "
    "violation once the deadline has passed by review_period_end, otherwise pending and left out. "
    "Date-only values are their whole day: late or on time only when it holds for every instant."
)
PARAMETERS = (
    Parameter("sheet", SHEET, "The sheet of the rows.", required=True),
    Parameter("start", COLUMN, "When the clock starts.", required=True),
    Parameter("end", COLUMN, "When it was done.", required=True),
    Parameter("limit", DURATION, "How long after `start` `end` may be."),
    Parameter("deadline_column", COLUMN, "A column holding each row's own deadline, instead of `limit`."),
    Parameter(
        "or_before",
        COLUMN,
        "An event `end` must also precede (the deadline is the earlier of the two; a blank cell is no "
        "such event; a sheet without the column leaves compliance undecided).",
    ),
    Parameter(
        "not_before", DURATION, "`end` earlier than this after `start` is also a violation (a window)."
    ),
    Parameter(
        "released",
        COLUMN,
        "Rows released (this column) before the deadline without `end` leave the population.",
    ),
    Parameter("where", CONDITIONS, "The rows the requirement applies to."),
)
ONE_OF = (("limit",), ("deadline_column",))

TUNABLE = ("limit", "not_before")

US = "datetime64[us]"
NAT = np.datetime64("NaT", "us")
EARLIEST, LATEST = np.datetime64("0001-01-01", "us"), np.datetime64("9999-12-31", "us")  # unknown: any time
MICROSECOND = np.timedelta64(1, "us")
Pick = np.ndarray | slice  # the rows worked on: their positions, or every row (slice(None))


def after_limit(
    check: dict[str, Any], starts: np.ndarray, rows: np.ndarray | None = None, zone: str | None = None
) -> np.ndarray:
    """`limit` after each start (datetime64[us]; only `rows`, a boolean mask, are worked out).
    Working days are the facility's local days (`zone`)."""
    unit, amount = durations.unit_and_amount(check["limit"])
    rows = np.ones(len(starts), dtype=bool) if rows is None else rows
    at = np.flatnonzero(rows & ~np.isnat(starts))
    out = np.full(len(starts), NAT, dtype=US)
    if unit == "working_days":  # to the end of the n-th working day
        out[at] = calendar.working_deadline(starts[at], int(amount), zone)
    elif unit == "months":
        out[at] = (pd.Series(starts[at]) + pd.DateOffset(months=int(amount))).to_numpy(dtype=US)
    else:
        out[at] = starts[at] + durations.timedelta(check["limit"]).to_timedelta64()
    return out


@dataclass
class _Rows:
    """Every row's bounds (datetime64[us]) and masks, worked out once."""

    s_lo: np.ndarray
    s_hi: np.ndarray
    e_lo: np.ndarray
    e_hi: np.ndarray
    due_lo: np.ndarray
    due_hi: np.ndarray
    missing: np.ndarray  # no `end`
    blank_deadline: np.ndarray  # deadline_column empty: no such event recorded, nothing came due
    no_or_before: bool  # the sheet lacks `or_before`: any earlier event is unknown
    zone: str | None  # the facility's: evidence shows its wall-clock times


def _bounds(check: dict[str, Any], ctx: Context, pick: Pick, rows: np.ndarray) -> _Rows:
    """The rows `pick` selects, their deadlines (above all a working day's) worked out only on `rows`,
    a mask of those that may belong."""
    inspection, sheet = ctx.inspection, check["sheet"]
    s_lo, s_hi = (bound[pick] for bound in inspection.bounds(sheet, check["start"]))
    e_lo, e_hi = (bound[pick] for bound in inspection.bounds(sheet, check["end"]))
    blank_deadline = np.zeros(len(s_lo), dtype=bool)
    if "deadline_column" in check:
        due_lo, due_hi = (bound[pick] for bound in inspection.bounds(sheet, check["deadline_column"]))
        blank_deadline = np.isnat(due_lo)
        due_lo, due_hi = np.where(blank_deadline, EARLIEST, due_lo), np.where(blank_deadline, LATEST, due_hi)
    else:
        due_lo = after_limit(check, s_lo, rows, inspection.time_zone)
        spread = rows & (s_hi != s_lo)
        due_hi = due_lo.copy()
        if spread.any():  # a date-only start: the deadline from the day's end too (issue 13: a notice
            # exactly 72 h after the end of the placement day is not proven late); a working day is the day's
            latest = (
                s_hi if durations.unit_and_amount(check["limit"])[0] == "working_days" else s_hi + MICROSECOND
            )
            due_hi[spread] = after_limit(check, latest[spread], zone=inspection.time_zone)
    no_or_before = False
    if "or_before" in check:
        if check["or_before"] in inspection.sheets[sheet]:
            o_lo, o_hi = (bound[pick] for bound in inspection.bounds(sheet, check["or_before"]))
            due_lo = np.where(np.isnat(o_lo), due_lo, np.minimum(due_lo, o_lo))
            due_hi = np.where(np.isnat(o_hi), due_hi, np.minimum(due_hi, o_hi))
        else:
            no_or_before = True  # the event may have been any time from the start on
            due_lo = np.where(np.isnat(s_lo), due_lo, np.minimum(due_lo, s_lo))
    return _Rows(
        s_lo,
        s_hi,
        e_lo,
        e_hi,
        due_lo,
        due_hi,
        np.isnat(e_lo),
        blank_deadline,
        no_or_before,
        inspection.time_zone,
    )


def evaluate(check: dict[str, Any], ctx: Context) -> Outcome:
    sheet = check["sheet"]
    frame = ctx.frame(sheet)
    whole = conditions.classify(frame, check.get("where"), ctx, sheet)
    starts = ~np.isnat(frame[check["start"]].to_numpy(dtype=US))  # no start: the clock never started
    # only these rows may belong (a where proven false, or no start, never does): when they are few
    # (acute conditions among admissions), every bound, deadline and mask below is theirs alone, spread
    # back over the sheet at the end; when they are most of it, gathering them would cost more
    maybe = whole.maybe & starts
    at = np.flatnonzero(maybe)
    sparse = 2 * len(at) < len(frame)
    pick: Pick = at if sparse else slice(None)
    positions = at if sparse else np.arange(len(frame))
    where, started = Tri(whole.yes[pick], whole.unknown[pick]), starts[pick]
    b = _bounds(check, ctx, pick, maybe[pick])
    review_start, review_end = ctx.review_start.to_datetime64(), ctx.review_end.to_datetime64()
    period_start = np.datetime64(review_start, "us")
    period_end = np.datetime64(review_end, "us")

    # membership (Kleene and): the where, a deadline not before the review period, still held when
    # it fell (or done before leaving), and not pending (a deadline after the period, unmet by its end)
    in_scope = _not(_before(b.due_lo, b.due_hi, period_start, period_start))
    stays = _stays(check, frame, ctx, b, pick)
    unmet = Tri.of(
        b.missing | (b.e_lo > period_end), ~b.missing & ~(b.e_lo > period_end) & (b.e_hi > period_end)
    )
    pending = _after(b.due_lo, b.due_hi, period_end, period_end) & unmet
    held = where & Tri.of(started & ~b.blank_deadline) & in_scope & stays
    member = held & _not(pending)
    in_population = member.maybe

    violation = _violation(check, b)
    proven = member.yes & violation.yes
    compliant = in_population & violation.no
    undecided = in_population & ~proven & ~compliant

    anomaly = in_population & ~b.missing & (b.e_hi < b.s_lo)  # done before its start: on time
    # every row is decided alone: its masks let many inspections evaluated as one be split (engine/many.py)
    masks = {
        "population": in_population,
        "violation": proven,
        "indeterminate": undecided,
        "never_due": where.maybe & started & b.blank_deadline,
        "pending": held.maybe & pending.yes,
        "anomaly": anomaly,
    }
    counts = {name: int(mask.sum()) for name, mask in masks.items()}
    note, empty_reason = words(check, counts)
    rows = {name: _spread(mask, pick, len(frame)) for name, mask in masks.items()}

    violations = evidence(sheet, frame.index[positions[proven]], _violation_details(check, frame, b, proven))
    membership = (where, stays, in_scope, pending)
    why = _undecided_details(check, frame, ctx, b, positions, membership, violation, undecided)
    shown = evidence(sheet, frame.index[positions[undecided]], why, verdict=INDETERMINATE)
    absent = conditions.absent_columns(frame, check.get("where"))
    if b.no_or_before:
        absent.append(check["or_before"])
    return Outcome(
        population=counts["population"],
        violations=counts["violation"],
        indeterminate=counts["indeterminate"],
        evidence=both(violations, shown),
        cells={sheet: [c for c in (check["start"], check["end"], *_shown(check)) if c and c in frame]},
        note=note,
        empty_reason=empty_reason,
        absent_columns=absent,
        rows=rows,
        words=partial(words, check),
    )


def words(check: dict[str, Any], counts: dict[str, int]) -> tuple[str | None, str | None]:
    """The note and the empty reason of rows with these counts (of `evaluate`'s masks)."""
    notes = []
    never_due, pending, anomaly = counts["never_due"], counts["pending"], counts["anomaly"]
    if never_due:  # said, so that a blank is never silently counted as met
        notes.append(f"{never_due} left out with no {check['deadline_column']} recorded (never came due)")
    if pending:
        notes.append(f"{pending} left out as pending (deadline after the review period)")
    if anomaly:
        notes.append(f"{anomaly} with {check['end']} before {check['start']}: on time, a data anomaly")
    note = "; ".join(notes) or None
    return note, None if counts["population"] else note or _empty(check)


def _spread(mask: np.ndarray, pick: Pick, n: int) -> np.ndarray:
    """A mask of the rows `pick` selects as one over all `n` rows of the sheet (the others: False)."""
    if isinstance(pick, slice):
        return mask
    out = np.zeros(n, dtype=bool)
    out[pick] = mask
    return out


def _after(a_lo: np.ndarray, a_hi: np.ndarray, b_lo: np.ndarray, b_hi: np.ndarray) -> Tri:
    """a > b for every instant each may be (yes), for none (no), or it depends."""
    yes = a_lo > b_hi
    return Tri.of(yes, ~yes & (a_hi > b_lo))


def _before(a_lo: np.ndarray, a_hi: np.ndarray, b_lo: np.ndarray, b_hi: np.ndarray) -> Tri:
    """a < b, three-valued."""
    yes = a_hi < b_lo
    return Tri.of(yes, ~yes & (a_lo < b_hi))


def _not(value: Tri) -> Tri:
    return Tri(value.no, value.unknown)


def _stays(check: dict[str, Any], frame: pd.DataFrame, ctx: Context, b: _Rows, pick: Pick) -> Tri:
    """Not released (`released`) before the deadline without `end` (done after leaving counts as not
    done): the obligation came due while the person was held."""
    column = check.get("released")
    if not column or column not in frame:
        return Tri.true(len(b.s_lo))
    r_lo, r_hi = (bound[pick] for bound in ctx.inspection.bounds(check["sheet"], column))
    known = ~np.isnat(r_lo)
    left_first = _before(r_lo, r_hi, b.due_lo, b.due_hi)
    done_after = _after(b.e_lo, b.e_hi, r_lo, r_hi)
    without_action = Tri.of(b.missing | done_after.yes, ~b.missing & done_after.unknown)
    gone = Tri(left_first.yes & known, left_first.unknown & known) & without_action  # blank: still held
    return _not(gone)


def _violation(check: dict[str, Any], b: _Rows) -> Tri:
    """Late (or too early): an empty `end` is a violation once the row is in the population (a
    deadline after the review period makes it pending, out of it)."""
    done = ~b.missing
    late = _after(b.e_lo, b.e_hi, b.due_lo, b.due_hi)
    if "not_before" in check:
        window = durations.timedelta(check["not_before"]).to_timedelta64()
        late = late | _before(b.e_lo, b.e_hi, b.s_lo + window, b.s_hi + window)
    return Tri.of(b.missing | (done & late.yes), done & late.unknown)


def _texts(values: np.ndarray, date_only: bool = False, zone: str | None = None) -> list[str]:
    """Instants (UTC) as the facility's clock shows them, or their local days."""
    return (day if date_only else stamp)(pd.Series(values.astype(US)), zone).tolist()


def _texts_of(*arrays: np.ndarray, date_only: bool = False, zone: str | None = None) -> list[list[str]]:
    """`_texts` of several arrays in one pass (each pass has a fixed cost a small sheet feels)."""
    texts = _texts(np.concatenate([a.astype(US) for a in arrays]), date_only, zone)
    bounds = np.cumsum([0] + [len(a) for a in arrays]).tolist()
    return [texts[start:end] for start, end in pairwise(bounds)]


def _violation_details(check: dict[str, Any], frame: pd.DataFrame, b: _Rows, rows: np.ndarray) -> list[str]:
    """The detail of each proven violation (the least it can be when a value is date-only)."""
    at = np.flatnonzero(rows)
    start_name, end_name = check["start"], check["end"]
    late = ~b.missing[at] & (b.e_lo[at] > b.due_hi[at])
    out = [""] * len(at)
    late_at, missing_at = np.flatnonzero(late), np.flatnonzero(b.missing[at])
    early_at = np.flatnonzero(~b.missing[at] & ~late)
    if "deadline_column" in check:
        column = check["deadline_column"]
        ends, dues = _texts(b.e_lo[at][late_at], zone=b.zone), _texts(b.due_hi[at][late_at], zone=b.zone)
        for i, finished, deadline in zip(late_at.tolist(), ends, dues, strict=True):
            out[i] = f"{end_name} {finished} is after {column} {deadline}"
        blank = b.blank_deadline[at][missing_at].tolist()
        dues = _texts(b.due_hi[at][missing_at], zone=b.zone)
        for i, deadline, unknown in zip(missing_at.tolist(), dues, blank, strict=True):
            out[i] = f"no {end_name} recorded" + ("" if unknown else f"; {column} was {deadline}")
        return out
    limit = durations.describe(check["limit"])
    if durations.unit_and_amount(check["limit"])[0] == "working_days":
        return _working_day_details(check, b, at, late_at, missing_at, out)
    unit = durations.display_unit(check["limit"])
    s_lo, s_hi, e_lo, due_hi = (
        b.s_lo[at][late_at],
        b.s_hi[at][late_at],
        b.e_lo[at][late_at],
        b.due_hi[at][late_at],
    )
    day_only = s_hi != s_lo  # measured from the end of the start's day: the least it took
    took = durations.elapsed(pd.Series(e_lo - np.where(day_only, s_hi + MICROSECOND, s_lo)), unit).tolist()
    by_event = np.zeros(len(late_at), dtype=bool)
    if "or_before" in check:  # late against the event, which came before the limit ran out
        by_event = due_hi < s_hi + durations.timedelta(check["limit"]).to_timedelta64()
    # times as text only for the rows whose words show them (most show a duration)
    by_day = day_only & ~by_event
    days = dict(zip(np.flatnonzero(by_day).tolist(), _texts(s_lo[by_day], True, b.zone), strict=True))
    events = np.flatnonzero(by_event).tolist()
    ends = dict(zip(events, _texts(e_lo[by_event], zone=b.zone), strict=True))
    dues = dict(zip(events, _texts(due_hi[by_event], zone=b.zone), strict=True))
    for j, i in enumerate(late_at.tolist()):
        if by_event[j]:
            out[i] = f"{end_name} {ends[j]} is after {check['or_before']} {dues[j]}"
        elif day_only[j]:
            out[i] = (
                f"{end_name} at least {took[j]} after the end of {start_name} day {days[j]} (limit {limit})"
            )
        else:
            out[i] = f"{end_name} {took[j]} after {start_name} (limit {limit})"
    if "not_before" in check:
        window = f"{durations.describe(check['not_before'])} to {limit}"
        took = durations.elapsed(pd.Series(b.e_hi[at][early_at] - b.s_lo[at][early_at]), unit).tolist()
        for i, text in zip(early_at.tolist(), took, strict=True):
            out[i] = f"{end_name} only {text} after {start_name} (window {window})"
    for i, deadline in zip(missing_at.tolist(), _texts(b.due_hi[at][missing_at], zone=b.zone), strict=True):
        out[i] = f"no {end_name} recorded; due by {deadline}"
    return out


def _working_day_details(check, b: _Rows, at, late_at, missing_at, out: list[str]) -> list[str]:
    """A working-day deadline is a day, not a duration: name the day it ran out."""
    end_name, start, limit = check["end"], check["start"], durations.describe(check["limit"])
    declared = decl.SHEETS_BY_NAME[check["sheet"]]
    date_only = end_name in declared.column_names and declared.column(end_name).kind is decl.Kind.DATE
    ends = _texts(b.e_lo[at][late_at], date_only, b.zone)
    dues = _texts(b.due_hi[at][late_at], True, b.zone)
    for i, finished, deadline in zip(late_at.tolist(), ends, dues, strict=True):
        out[i] = f"{end_name} {finished}, after the deadline: the end of {deadline} ({limit} after {start})"
    for i, deadline in zip(missing_at.tolist(), _texts(b.due_hi[at][missing_at], True, b.zone), strict=True):
        out[i] = f"no {end_name} recorded; due by the end of {deadline} ({limit})"
    return out


def _undecided_details(
    check: dict[str, Any],
    frame: pd.DataFrame,
    ctx: Context,
    b: _Rows,
    positions: np.ndarray,
    membership: tuple[Tri, Tri, Tri, Tri],
    violation: Tri,
    rows: np.ndarray,
) -> list[str]:
    """Why each undecided row is undecided: the unknowns that matter, then what the rule finds. `b`, the
    masks and `rows` are of the rows at `positions` of `frame`."""
    at = np.flatnonzero(rows)
    if not len(at):
        return []
    where, stays, in_scope, pending = membership
    start_name, end_name = check["start"], check["end"]
    undecided_at = at[where.unknown[at]]
    why = verdicts.unknowns(frame, check.get("where"), ctx, check["sheet"], positions[undecided_at])[1]
    why = why.to_numpy()
    blanks_of = dict(zip(undecided_at.tolist(), why.tolist(), strict=True))
    limit_text = (
        f"limit {durations.describe(check['limit'])}"
        if "limit" in check
        else f"by {check['deadline_column']}"
    )
    unit = durations.display_unit(check["limit"]) if "limit" in check else "hours"
    s_lo, s_hi, e_lo, e_hi = b.s_lo[at], b.s_hi[at], b.e_lo[at], b.e_hi[at]
    since_start = durations.elapsed(pd.Series(e_hi - s_lo), unit).tolist()
    since_end = durations.elapsed(pd.Series(e_lo - (s_hi + MICROSECOND)), unit).tolist()
    start_days, end_days = _texts_of(s_lo, e_lo, date_only=True, zone=b.zone)
    ends, dues_lo, dues_hi = _texts_of(e_lo, b.due_lo[at], b.due_hi[at], zone=b.zone)
    proven = rows & violation.yes
    proven_text = dict(
        zip(np.flatnonzero(proven).tolist(), _violation_details(check, frame, b, proven), strict=True)
    )
    out = []
    for j, i in enumerate(at.tolist()):
        reasons = [blanks_of[i]] if blanks_of.get(i) else []
        if b.blank_deadline[i]:
            reasons.append(f"{check['deadline_column']} is blank: the deadline is unknown")
        else:
            span = f"due between {dues_lo[j]} and {dues_hi[j]}"
            if stays.unknown[i]:
                reasons.append(f"released around the deadline ({span})")
            if in_scope.unknown[i]:
                reasons.append(f"the deadline may fall before the review period ({span})")
            if pending.unknown[i]:
                reasons.append(f"the deadline may fall after the review period ({span})")
        if violation.yes[i]:  # the rule finds it late; whether it belongs is what is undecided
            out.append("; ".join(reasons) + ": " + proven_text[i])
            continue
        if b.blank_deadline[i]:
            why = f"whether {end_name} {ends[j]} came before it is unknown"
        elif b.no_or_before:
            why = f"{end_name} {ends[j]} is within the limit; no {check['or_before']} column to compare with"
        elif s_hi[j] != s_lo[j] and e_hi[j] == e_lo[j]:
            why = (
                f"{start_name} day {start_days[j]} has no time: {end_name} {ends[j]} is {since_start[j]} "
                f"after the day's start but {since_end[j]} after its end ({limit_text})"
            )
        elif e_hi[j] != e_lo[j]:
            why = f"{end_name} {end_days[j]} has no time: late for some instants of that day ({limit_text})"
        else:
            why = f"{end_name} {ends[j]}: due between {dues_lo[j]} and {dues_hi[j]} ({limit_text})"
        out.append("; ".join([*reasons, why]))
    return out


def _shown(check: dict[str, Any]) -> tuple[str | None, ...]:
    """The columns besides start and end that decide a record's deadline."""
    return check.get("deadline_column"), check.get("or_before")


def _empty(check: dict[str, Any]) -> str:
    parts = [conditions.describe(c) for c in check.get("where", [])]
    base = f"no rows with {check['start']} recorded"
    return base + (" where " + " and ".join(parts) if parts else "")


def describe(check: dict[str, Any]) -> str:
    if "deadline_column" in check:
        return f"{check['end']} no later than {check['deadline_column']}"
    limit = durations.describe(check["limit"])
    if "or_before" in check:
        return f"{check['end']} within {limit} of {check['start']} and no later than {check['or_before']}"
    if "not_before" in check:
        return f"{check['end']} {durations.describe(check['not_before'])} to {limit} after {check['start']}"
    return f"{check['end']} within {limit} of {check['start']}"
