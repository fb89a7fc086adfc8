"""segregation_notices: the field-office notices Directive 11065.1 asks for, counted on each detainee's
placement histories, not on rows (docs/segregation.md).

A detainee's rows (`person`) that `where` selects form histories: a row starting less than `join`
(1 day) after the latest end so far joins the history. A history reaches a mark when it has lasted
`first`, then `first` + `every`, + 2 × `every` …; the k-th mark (counting `counted_before` first) is
met when k of the history's notices (`notified`, one per row) were sent by then. With `window`, the
mark is instead the first instant the time in segregation within the `window` before it reaches
`first` (14 days of any 21), counted again from each trigger.

Three-valued: date-only values are evaluated at both ends of their day (the least and the most
demanding reading); a mark decided alike in both is decided, otherwise indeterminate. A row with a
`report_type` is one report (an SRMS export), evaluated alone as the `deadline` kind evaluates it
against `first`; with `every`, a late report is indeterminate (it may be a later interval's).
Loops run over histories (a detainee's few placements), not over the sheet's rows.
"""

from __future__ import annotations

import bisect
import datetime as dt
import heapq
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from auditor.engine import conditions, durations
from auditor.engine.kinds import deadline
from auditor.engine.kinds.parameters import COLUMN, CONDITIONS, DURATION, SHEET, Parameter
from auditor.engine.outcome import INDETERMINATE, VIOLATION, Outcome, both, evidence, none, stamp

if TYPE_CHECKING:  # the engine's context pulls in the workbook and pandera; lint needs neither
    from auditor.engine.context import Context

NAME = "segregation_notices"
POPULATION = "notices due"
DESCRIPTION = (
    "Each detainee's rows (`person`) form placement histories (rows less than `join` apart joined); a "
    "history reaching `first`, then every `every` after, must have had as many notices (`notified`, one "
    "per row) by each mark as marks so far. With `window`: the time in segregation within any `window` "
    "reaching `first` (14 days of 21) needs a notice by then. Rows with a `report_type` are single "
    "reports, evaluated as `deadline` against `first`."
)
PARAMETERS = (
    Parameter("sheet", SHEET, "The sheet of the placements.", required=True),
    Parameter("person", COLUMN, "Whose placements they are (detainee_id).", required=True),
    Parameter("start", COLUMN, "When a placement starts.", required=True),
    Parameter("end", COLUMN, "When it ends (empty: still going at review_period_end).", required=True),
    Parameter("notified", COLUMN, "When the field office was notified (one notice per row).", required=True),
    Parameter(
        "first", DURATION, "The first mark: a history's length, or the total within `window`.", required=True
    ),
    Parameter("every", DURATION, "Marks at every interval of this after `first` (30 days: 30, 60, 90 …)."),
    Parameter(
        "counted_before",
        DURATION,
        "An earlier mark whose notice is counted first but judged by another requirement (the 14-day "
        "mark before the 30-day ones).",
    ),
    Parameter("window", DURATION, "Sum the time in segregation over any window of this length (21 days)."),
    Parameter("join", DURATION, "Rows starting less than this after the history's end join it (1 day)."),
    Parameter(
        "report_type",
        COLUMN,
        "A column whose value marks a row as one report (an SRMS export), evaluated alone.",
    ),
    Parameter("where", CONDITIONS, "The rows the requirement applies to."),
)
ONE_OF: tuple[tuple[str, ...], ...] = ()

TUNABLE = ("first", "every", "window")

US = "datetime64[us]"
MAX_MARKS = 10_000  # per history: a tailored `every` of a minute must not exhaust memory


@dataclass(frozen=True)
class Mark:
    """One notice due: the row it falls in, which one it is, when, and whether it was met."""

    key: tuple[int, int]  # (first row of its history or the trigger's row, ordinal)
    row: int  # position of the row shown as evidence
    due: np.datetime64
    needed: int
    sent: int


def evaluate(check: dict[str, Any], ctx: Context) -> Outcome:
    sheet = check["sheet"]
    frame = ctx.frame(sheet)
    where = conditions.classify(frame, check.get("where"), ctx, sheet)
    report = check.get("report_type")
    reports = frame[report].notna().to_numpy() if report and report in frame else np.zeros(len(frame), bool)
    history = _histories(check, ctx, frame, where, ~reports)
    if not reports.any():
        return history
    merged = _merged(history, _reports(check, ctx), check)
    if not reports.all():  # histories join rows: the report rows' masks no longer split it (engine/many.py)
        merged.rows = merged.words = None
    return merged


def _histories(check: dict[str, Any], ctx: Context, frame: pd.DataFrame, where, rows: np.ndarray) -> Outcome:
    """The placement rows' marks in both readings, compared."""
    inspection, sheet = ctx.inspection, check["sheet"]
    s_lo, s_hi = inspection.bounds(sheet, check["start"])
    e_lo, e_hi = inspection.bounds(sheet, check["end"])
    n_lo, n_hi = inspection.bounds(sheet, check["notified"])
    close = np.datetime64(ctx.review_end.to_datetime64(), "us")
    opens = np.datetime64(ctx.review_start.to_datetime64(), "us")
    e_lo, e_hi = np.where(np.isnat(e_lo), close, e_lo), np.where(np.isnat(e_hi), close, e_hi)
    started = ~np.isnat(s_lo)
    people = frame[check["person"]].astype(object).where(frame[check["person"]].notna(), None)
    # a blank person is nobody else's: the row is a history of its own
    person = [p if p is not None else ("row", i) for i, p in enumerate(people.tolist())]
    most = _marks(check, person, rows & started & where.maybe, s_lo, e_hi, n_hi, opens, close)
    # with every time known to the instant and every row's membership decided, the two readings are
    # one (usual data): worked out once
    same = not (where.unknown & rows & started).any() and all(
        np.array_equal(a.view(np.int64), b.view(np.int64))
        for a, b in ((s_lo, s_hi), (e_lo, e_hi), (n_lo, n_hi))
    )
    least = (
        most if same else _marks(check, person, rows & started & where.yes, s_hi, e_lo, n_lo, opens, close)
    )
    # decided alike in both readings; a mark only the demanding reading has, met there, is met
    # whichever way the days fall (due or not); late there, it is undecided
    decided = {k: m for k, m in most.items() if (_late(least[k]) == _late(m) if k in least else not _late(m))}
    late = [m for k, m in decided.items() if _late(m)]
    undecided = [m for k, m in most.items() if k not in decided]
    undecided += [m for k, m in least.items() if k not in most]  # none expected: the reading of fewest marks
    zone = inspection.time_zone
    index = frame.index
    violations = evidence(sheet, [index[m.row] for m in late], _details(check, late, zone))
    why = [
        "a date-only value or an undecided row leaves this mark open: " + text
        for text in _details(check, undecided, zone)
    ]
    shown = evidence(sheet, [index[m.row] for m in undecided], why, verdict=INDETERMINATE)
    population = len(decided) + len(undecided)
    capped = any(m.key[1] >= MAX_MARKS for m in most.values())
    note = f"more than {MAX_MARKS:,} marks in one history: only the first are counted" if capped else None
    return Outcome(
        population=population,
        violations=len(late),
        indeterminate=len(undecided),
        evidence=both(violations, shown),
        cells={
            sheet: [
                c for c in (check["person"], check["start"], check["end"], check["notified"]) if c in frame
            ]
        },
        note=note,
        empty_reason=None if population else _empty(check),
        absent_columns=conditions.absent_columns(frame, check.get("where")),
    )


def _late(mark: Mark) -> bool:
    return mark.sent < mark.needed


def _marks(
    check: dict[str, Any],
    person: list[Any],
    rows: np.ndarray,
    starts: np.ndarray,
    ends: np.ndarray,
    notices: np.ndarray,
    opens: np.datetime64,
    close: np.datetime64,
) -> dict[tuple[int, int], Mark]:
    """Every mark in the review period of one reading, by key."""
    at = np.flatnonzero(rows)
    at = at[np.argsort(starts[at], kind="stable")]  # in order of start, ties in row order
    by_person: dict[Any, list[int]] = {}
    for i in at.tolist():
        by_person.setdefault(person[i], []).append(i)
    # the loops run over a detainee's few rows: on Python ints (µs), not numpy scalars, which cost a
    # microsecond an operation; the durations worked out once, not per history
    start_us, end_us = starts.view(np.int64).tolist(), ends.view(np.int64).tolist()
    join = _us(check.get("join", {"days": 1}))
    out: dict[tuple[int, int], Mark] = {}
    if "window" in check:
        first, window = _delta(check["first"]), _delta(check["window"])
        least = _us(check["first"])
        for positions in by_person.values():
            # no window can hold more than all of a person's rows together: fewer than `first` in
            # all (most people) reach no trigger, and the sweep is skipped
            if sum(max(end_us[i] - start_us[i], 0) for i in positions) < least:
                continue
            histories = _join(positions, start_us, end_us, join)
            out.update(_triggers(first, window, histories, starts, ends, notices, opens, close))
        return out
    lengths = _Lengths(
        _us(check["counted_before"]) if "counted_before" in check else None,
        _us(check["first"]),
        _us(check["every"]) if "every" in check else None,
    )
    sent: list[int | None] = notices.view(np.int64).tolist()
    for i in np.flatnonzero(np.isnat(notices)).tolist():
        sent[i] = None
    times = _Times(start_us, end_us, sent, _int(opens), _int(close))
    for positions in by_person.values():
        for history in _join(positions, start_us, end_us, join):
            out.update(_history_marks(lengths, history, times))
    return out


def _join(positions: list[int], starts: list[int], ends: list[int], join: int) -> list[list[int]]:
    """A person's rows (in order of start) cut into histories: a row starting `join` or more after
    the latest end so far starts a new one (times in µs)."""
    histories: list[list[int]] = []
    latest = None
    for i in positions:
        if latest is None or starts[i] - latest >= join:
            histories.append([i])
            latest = ends[i]
        else:
            histories[-1].append(i)
            latest = max(latest, ends[i])
    return histories


@dataclass(frozen=True)
class _Lengths:
    """The marks' lengths (µs): counted_before (or None), first, then every `every` (or None)."""

    before: int | None
    first: int
    every: int | None


@dataclass(frozen=True)
class _Times:
    """Each row's start, end and notice (µs; a notice None when not sent), and the review period."""

    starts: list[int]
    ends: list[int]
    notices: list[int | None]
    opens: int
    close: int


def _history_marks(lengths: _Lengths, history: list[int], times: _Times) -> dict[tuple[int, int], Mark]:
    begin = times.starts[history[0]]
    finish = max(times.ends[i] for i in history)
    if finish - begin < lengths.first:  # shorter than the first mark (most histories): none is due
        return {}
    sent = sorted(n for n in (times.notices[i] for i in history) if n is not None)
    begun = [times.starts[i] for i in history]  # in order of start: the row shown is the latest begun
    out = {}
    skip = 1 if lengths.before is not None else 0
    for k, length in enumerate(_lengths(lengths, finish - begin), start=1):
        due = begin + length
        if k <= skip or due > finish or due < times.opens or due > times.close:
            continue
        last = bisect.bisect_right(begun, due) - 1
        row = history[bisect.bisect_left(begun, begun[last])]  # the first of a tie
        count = bisect.bisect_right(sent, due)
        out[(history[0], k)] = Mark((history[0], k), row, np.datetime64(due, "us"), k, count)
    return out


def _lengths(lengths: _Lengths, longest: int) -> list[int]:
    """The marks' lengths up to `longest` (µs): counted_before, first, then every `every`."""
    out = [lengths.before] if lengths.before is not None else []
    first = lengths.first
    out.append(first)
    if lengths.every is not None:
        every = lengths.every
        count = min((longest - first) // every, MAX_MARKS) if longest >= first else 0
        out += [first + every * n for n in range(1, count + 1)]
    return out


def _triggers(first, window, histories, starts, ends, notices, opens, close) -> dict[tuple[int, int], Mark]:
    """14 days of any 21: the first instant the time in segregation within the window before it
    reaches `first`, then again counting from each trigger; a trigger that is the `first` mark of
    one history is that mark's (another requirement's), not counted twice."""
    rows = np.array([i for h in histories for i in h])
    row_starts, row_ends = starts[rows], ends[rows]
    spans = _union(list(zip(row_starts.tolist(), row_ends.tolist(), strict=True)))
    span_starts = np.array([np.datetime64(s, "us") for s, _ in spans], dtype=US)
    begins = np.array([starts[h[0]] for h in histories], dtype=US)
    finishes = np.array([max(ends[i] for i in h) for h in histories], dtype=US)
    out: dict[tuple[int, int], Mark] = {}
    since, ordinal, at = None, 0, 0
    while True:
        found = _reaches(spans, at, since, first, window)
        if found is None:
            return out
        since, ordinal, trigger = found, ordinal + 1, np.datetime64(found, "us")
        at = max(0, int(np.searchsorted(span_starts, trigger, side="right")) - 1)
        own = np.flatnonzero((begins <= trigger) & (trigger <= finishes))
        if len(own) and trigger - begins[own[0]] >= first:
            continue  # the history's own `first` mark: judged by the continuous-stay requirement
        if trigger < opens or trigger > close:
            continue
        inside = (row_ends > trigger - window) & (row_starts <= trigger)
        latest = row_starts[inside].max()
        row = int(rows[np.flatnonzero(inside & (row_starts == latest))[0]])
        told = notices[rows[inside]]
        sent = int((~np.isnat(told) & (told <= trigger)).any())
        out[(row, ordinal)] = Mark((row, ordinal), row, trigger, 1, sent)


def _union(spans: list[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    merged: list[list[Any]] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        elif e > s:
            merged.append([s, e])
    return [(s, e) for s, e in merged]


def _reaches(spans, at: int, since, first: np.timedelta64, window: np.timedelta64):
    """The first instant T at which the time of `spans` (disjoint, in order; from span `at`, and
    after `since`) within (T - window, T] reaches `first`, or None. A sweep over the instants where
    the total's slope changes (a span's start or end, or either a window later): +1 while T is in a
    span, -1 while T - window is; it stops at the first crossing, so each search costs what it
    passes over."""
    first, window = first.astype("timedelta64[us]").item(), window.astype("timedelta64[us]").item()

    def clipped():  # lazily, from span `at`: a search reads only the spans before its crossing
        for k in range(at, len(spans)):
            s, e = spans[k]
            s = s if since is None else max(s, since)
            if e > s:
                yield s, e

    events = heapq.merge(
        ((s, 1) for s, _ in clipped()),
        ((e, -1) for _, e in clipped()),
        ((s + window, -1) for s, _ in clipped()),
        ((e + window, 1) for _, e in clipped()),
    )
    total, slope, now = dt.timedelta(0), 0, None
    for when, change in events:
        if now is not None and slope > 0 and total + (when - now) * slope >= first:
            return now + (first - total) / slope
        if now is not None:
            total += (when - now) * slope
        now, slope = when, slope + change
    return None


def _delta(duration: dict[str, Any]) -> np.timedelta64:
    return durations.timedelta(duration).to_timedelta64().astype("timedelta64[us]")


def _us(duration: dict[str, Any]) -> int:
    return int(_delta(duration).view(np.int64))


def _int(when: np.datetime64) -> int:
    return int(np.datetime64(when, "us").view(np.int64))


def _details(check: dict[str, Any], marks: list[Mark], zone: str | None) -> list[str]:
    if not marks:
        return []
    dues = stamp(pd.Series(np.array([m.due for m in marks], dtype=US)), zone).tolist()
    what = _what(check)
    out = []
    for mark, due in zip(marks, dues, strict=True):
        counted = f"{mark.sent} notice{'s' if mark.sent != 1 else ''} by then, {mark.needed} needed"
        out.append(f"{what} reached {due}: {counted}")
    return out


def _what(check: dict[str, Any]) -> str:
    first = durations.describe(check["first"])
    if "window" in check:
        return f"{first} in segregation within {durations.describe(check['window'])}"
    if "every" in check:
        return f"{first} (or a further {durations.describe(check['every'])}) in segregation"
    return f"{first} in segregation"


def _reports(check: dict[str, Any], ctx: Context) -> Outcome:
    """The report rows, each the notice for the first mark, as `deadline` evaluates a notice."""
    as_deadline = {
        "kind": deadline.NAME,
        "sheet": check["sheet"],
        "start": check["start"],
        "end": check["notified"],
        "limit": check["first"],
        "where": [*check.get("where", []), {"column": check["report_type"], "present": True}],
    }
    outcome = deadline.evaluate(as_deadline, ctx)
    if "every" not in check or not outcome.violations:
        return outcome
    # a late interval report may be the next interval's, early: unlinked rows cannot say which
    shown = outcome.evidence.copy()
    late = shown["verdict"] == VIOLATION
    shown.loc[late, "detail"] = (
        "a later interval's report, or this one late (reports are not linked): " + shown.loc[late, "detail"]
    )
    shown.loc[late, "verdict"] = INDETERMINATE
    outcome.indeterminate += outcome.violations
    outcome.violations = 0
    outcome.evidence = shown
    if outcome.rows is not None:
        late_rows = outcome.rows["violation"]
        outcome.rows = outcome.rows | {
            "violation": np.zeros_like(late_rows),
            "indeterminate": outcome.rows["indeterminate"] | late_rows,
        }
    return outcome


def _merged(history: Outcome, reports: Outcome, check: dict[str, Any]) -> Outcome:
    """Placement histories and single reports of one sheet, as one outcome."""
    shown = (
        pd.concat([history.evidence, reports.evidence], ignore_index=True)
        if len(history.evidence)
        else reports.evidence
    )
    ordered = both(shown[shown["verdict"] == VIOLATION], shown[shown["verdict"] == INDETERMINATE])
    population = history.population + reports.population
    cells = {
        k: list(dict.fromkeys(history.cells.get(k, []) + reports.cells.get(k, [])))
        for k in {**history.cells, **reports.cells}
    }
    note = "; ".join(n for n in (history.note, reports.note) if n) or None
    return Outcome(
        population=population,
        violations=history.violations + reports.violations,
        indeterminate=history.indeterminate + reports.indeterminate,
        evidence=ordered if len(ordered) else none(),
        cells=cells,
        note=note,
        empty_reason=None if population else reports.empty_reason or history.empty_reason,
        absent_columns=list(dict.fromkeys(history.absent_columns + reports.absent_columns)),
        rows=reports.rows,
        words=reports.words,
    )


def _empty(check: dict[str, Any]) -> str:
    parts = [conditions.describe(c) for c in check.get("where", [])]
    base = f"no history reached {_what(check)}"
    return base + (" where " + " and ".join(parts) if parts else "")


def describe(check: dict[str, Any]) -> str:
    text = f"field office notified by {_what(check)}"
    if "counted_before" in check:
        text += f" (after the {durations.describe(check['counted_before'])} notice)"
    return text
