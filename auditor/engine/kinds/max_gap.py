"""max_gap: logged checks no more than `limit` apart, from a placement's start to its end.

The gaps measured are start → first check, check → check, and last check → end, over the part of
the placement inside the review period (an open placement ends at review_period_end; one wholly
before or after the period is left out). Checks outside that part are not counted. One record per
placement, three-valued (docs/verdicts.md): a violation when a gap over the limit is proven, compliant
when every gap is proven within it, else indeterminate (a blank kind, a start or check known only to
the day, checks logged without a time that might fill the gap). The evidence names the longest gap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from auditor.engine import conditions, durations
from auditor.engine.conditions import Tri
from auditor.engine.keys import first_rows
from auditor.engine.kinds.parameters import COLUMN, CONDITIONS, DURATION, SHEET, Parameter
from auditor.engine.order import lexsort, sorted_pairs
from auditor.engine.outcome import INDETERMINATE, Outcome, both, evidence, stamp

if TYPE_CHECKING:  # the engine's context pulls in the workbook and pandera; lint needs neither
    from auditor.engine.context import Context

NAME = "max_gap"
DESCRIPTION = (
    "Gaps from `start` to the first event, between events and from the last event to `end` must not "
    "exceed `limit`; one violation per row with any longer gap."
)
PARAMETERS = (
    Parameter("sheet", SHEET, "The sheet of the placements.", required=True),
    Parameter("key", COLUMN, "The placement's id, also a column of `events_sheet`.", required=True),
    Parameter("start", COLUMN, "When the placement starts.", required=True),
    Parameter("end", COLUMN, "When it ends (empty: review_period_end).", required=True),
    Parameter("events_sheet", SHEET, "The sheet of the logged checks.", required=True),
    Parameter("event", COLUMN, "When each check was made (a column of `events_sheet`).", required=True),
    Parameter("limit", DURATION, "The longest gap allowed.", required=True),
    Parameter("where", CONDITIONS, "The placements the requirement applies to."),
)
ONE_OF: tuple[tuple[str, ...], ...] = ()

TUNABLE = ("limit",)
POPULATION = "placements"


def sorted_events(keys: pd.Series, event_keys: pd.Series, events: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Each event's row position in `keys` (its first row with that key) and its time in µs, sorted by
    (position, time); events with no such key or no time are dropped.

    Vectorised: each event's key looked up among the rows' (engine.keys, no Python objects) and one
    sort of the pairs packed into one int64 (engine.order), skipped when the events already come in
    that order: a shuffled Checks sheet costs one sort, not a lexsort. Every rule reading the same
    sheets shares the result (see Context.cache); the arrays may be read-only views of `events`.
    """
    position = first_rows(keys, event_keys)
    times = events.to_numpy(dtype="datetime64[us]")
    found = (position >= 0) & ~np.isnat(times)
    time = times.view(np.int64)
    if not found.all():  # else no copy: at 15M checks each is 60 to 120 MB
        position, time = position[found], time[found]
    return sorted_pairs(position, time)


def longest_gaps(
    starts: np.ndarray, ends: np.ndarray, ev_code: np.ndarray, ev_time: np.ndarray
) -> pd.DataFrame:
    """For placements 0..n-1 (start and end in µs) and their events (codes ascending, times ascending
    within a code): the longest gap, its two ends, and the number of events inside each placement."""
    n = len(starts)
    # one temporary of the events' size at a time: at 15M checks each is 120 MB
    inside = ev_time >= starts[ev_code]
    inside &= ev_time <= ends[ev_code]
    if not inside.all():
        ev_code, ev_time = ev_code[inside], ev_time[inside]
    del inside
    counts = np.bincount(ev_code, minlength=n)
    first = np.cumsum(counts) - counts
    has = counts > 0
    safe = np.clip(first, 0, max(len(ev_time) - 1, 0))
    last = np.clip(first + counts - 1, 0, max(len(ev_time) - 1, 0))
    # start → first check (or → end when there is none)
    best_from = starts.copy()
    best_to = np.where(has, ev_time[safe] if len(ev_time) else ends, ends)
    best = best_to - best_from
    # check → check, within a placement: the first longest of each placement
    if len(ev_time) > 1:
        same = ev_code[1:] == ev_code[:-1]
        inner = np.diff(ev_time)
        inner[~same] = -1  # no gap between two placements' checks (the gaps within are >= 0)
        owner = ev_code[1:]
        # each placement's longest: the owners come sorted, so one reduceat over their runs (the
        # counts but the first event's, not a bincount of an int64 copy of the codes)
        runs = counts.copy()
        runs[ev_code[0]] -= 1
        held = np.flatnonzero(runs)
        top = np.full(n, -1, dtype=np.int64)
        top[held] = np.maximum.reduceat(inner, (np.cumsum(runs) - runs)[held])
        hit = np.flatnonzero(same & (inner == top[owner]))
        hit = hit[np.r_[True, owner[hit][1:] != owner[hit][:-1]]] if len(hit) else hit
        better = inner[hit] > best[owner[hit]]
        hit = hit[better]
        best[owner[hit]] = inner[hit]
        best_from[owner[hit]] = ev_time[hit]
        best_to[owner[hit]] = ev_time[hit + 1]
    # last check → end
    tail = np.where(has, ends - ev_time[last] if len(ev_time) else 0, -1)
    better = tail > best
    best = np.where(better, tail, best)
    best_from = np.where(better, ev_time[last] if len(ev_time) else best_from, best_from)
    best_to = np.where(better, ends, best_to)
    return pd.DataFrame(
        {
            "gap": pd.to_timedelta(best, unit="us"),
            "from": pd.to_datetime(best_from, unit="us"),
            "to": pd.to_datetime(best_to, unit="us"),
            "checks": counts,
        }
    )


def evaluate(check: dict[str, Any], ctx: Context) -> Outcome:
    sheet, key = check["sheet"], check["key"]
    frame = ctx.frame(sheet)
    first, last = _us(ctx.review_start), _us(ctx.review_end)
    start_lo, start_hi = (a.view(np.int64) for a in ctx.inspection.bounds(sheet, check["start"]))
    end_lo, end_hi = (a.view(np.int64) for a in ctx.inspection.bounds(sheet, check["end"]))
    # an empty end is "ongoing at review_period_end" (the sheet's contract), not unknown; and no
    # placement outlasts its detainee's stay: it ends at the latest at the release
    cache_key = ("max_gap releases", sheet, check["start"])  # the same for every rule on the sheet
    if cache_key not in ctx.cache:
        ctx.cache[cache_key] = _released(sheet, ctx, start_lo)
    out_lo, out_hi = ctx.cache[cache_key]
    # a placement starting after its detainee's release contradicts Intake: it is measured on its
    # own dates, and can be proven compliant but not deficient
    astray = (out_hi != NAT) & (start_lo != NAT) & (start_lo > out_hi)
    out_lo, out_hi = (
        np.where(astray | (out_lo == NAT), last, out_lo),
        np.where(astray | (out_hi == NAT), last, out_hi),
    )
    end_lo, end_hi = np.where(end_lo == NAT, last, end_lo), np.where(end_hi == NAT, last, end_hi)
    end_lo, end_hi = np.minimum(end_lo, out_lo), np.minimum(end_hi, out_hi)
    no_start = start_lo == NAT
    # only the part of a placement inside the review period counts: one that ends before it or
    # starts after it has nothing there to measure (an unrecorded start might be anywhere)
    member = conditions.classify(frame, check.get("where"), ctx, sheet)
    keep = member.maybe & (no_start | ((start_lo <= last) & (end_hi >= first)))
    chosen = frame[keep]
    checks, ev_time, timeless, dated = _events(check, ctx)
    # the events come sorted by row, `checks` of each: the chosen rows' are picked and numbered by
    # repeating per row, not by a lookup per event (15M checks: 60 MB of int32, not 120 MB of int64)
    mine = np.repeat(keep, checks)
    ev_time = ev_time if mine.all() else ev_time[mine]
    ev_code = np.repeat(np.arange(len(chosen), dtype=np.int32), checks[keep])
    limit = durations.timedelta(check["limit"])
    # Widest window (earliest start, latest end), checks known only to the day left out: fewer
    # checks and a longer window only lengthen gaps, so a placement within the limit here is
    # within it however the unknowns fall.
    widest = _gaps(start_lo[keep], end_hi[keep], first, last, ev_code, ev_time)
    within = (widest["gap"] <= limit).to_numpy()
    # Narrowest window (latest start, earliest end): each of its gaps lies inside a real gap, so
    # one over the limit is over it wherever the day-only start or end fell. k checks logged
    # without a time could split one gap into k + 1, so only a gap over (k + 1) × limit is proven.
    vague = ((start_lo != start_hi) | (end_lo != end_hi))[keep]
    narrowest = _gaps(start_hi[keep], end_lo[keep], first, last, ev_code, ev_time) if vague.any() else widest
    blank = timeless[keep]
    proven = (narrowest["gap"] > limit * (blank + 1)).to_numpy() & (dated[keep] == 0) & ~no_start[keep]
    proven &= ~astray[keep]
    verdict = Tri(member.yes[keep], member.unknown[keep]) & Tri.of(proven, ~within & ~proven)
    shown = verdict.yes | verdict.unknown
    detail = _detail(
        narrowest[verdict.yes], widest[verdict.unknown], verdict, check, ctx.inspection.time_zone
    )
    open_gap = ~within & ~proven  # why the gap itself is undecided, else why the membership is
    reason = np.select(
        [
            open_gap & astray[keep],
            open_gap & no_start[keep],
            open_gap & (dated[keep] > 0),
            open_gap & vague,
            open_gap,
        ],
        [
            "it starts after its detainee's release recorded in Intake: the two sheets disagree",
            "the start is not recorded",
            "check(s) recorded as a date only (the day, not the time) might fall in it",
            "the start or end is recorded as a date only (the day, not the time)",
            np.char.add(blank.astype(str), " check(s) logged without a time might fall in it"),
        ],
        "whether the requirement applies is not recorded (" + _where_text(check) + ")",
    )[verdict.unknown]
    undecided = detail[verdict.unknown[shown]]
    undecided = np.array([f"{d}; {r}" for d, r in zip(undecided.tolist(), reason.tolist(), strict=True)])
    return Outcome(
        population=len(chosen),
        violations=int(verdict.yes.sum()),
        indeterminate=int(verdict.unknown.sum()),
        evidence=both(
            evidence(sheet, chosen.index[verdict.yes], detail[verdict.yes[shown]].tolist()),
            evidence(sheet, chosen.index[verdict.unknown], undecided.tolist(), INDETERMINATE),
        ),
        cells={sheet: [key, check["start"], check["end"]]},
        empty_reason=None if len(chosen) else "no placements where " + _where_text(check),
    )


NAT = np.iinfo(np.int64).min  # NaT as int64


def _us(when: pd.Timestamp) -> int:
    return int(when.to_datetime64().astype("datetime64[us]").astype(np.int64))


def _gaps(
    starts: np.ndarray, ends: np.ndarray, first: int, last: int, ev_code: np.ndarray, ev_time: np.ndarray
) -> pd.DataFrame:
    """longest_gaps over the part of each placement inside the review period [first, last]."""
    starts = np.clip(np.where(starts == NAT, first, starts), first, last)
    return longest_gaps(starts, np.maximum(np.clip(ends, first, last), starts), ev_code, ev_time)


def _released(sheet: str, ctx: Context, starts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The earliest and latest instant of each placement's detainee's release (int64 µs, NAT when not
    known): the release of the Intake stay of the same detainee_id with the latest arrival at or
    before the placement's start.

    Vectorised: one factorize of both id columns, then stays and placements in one sort by
    (detainee, time, stay first), each placement taking the last stay before it.
    """
    frame = ctx.frame(sheet)
    none = np.full(len(frame), NAT, dtype=np.int64)
    if "detainee_id" not in frame or not ctx.inspection.has("Intake", "detainee_id", "arrival", "release"):
        return none, none
    intake = ctx.frame("Intake")
    out_lo, out_hi = (a.view(np.int64) for a in ctx.inspection.bounds("Intake", "release"))
    arrival = intake["arrival"].to_numpy(dtype="datetime64[us]").view(np.int64)
    codes, count = ctx.joint_codes(sheet, "detainee_id")  # the ones the placements' birth dates use
    stay_code, placed_code = codes[: len(intake)], codes[len(intake) :]
    placed = np.flatnonzero((placed_code >= 0) & (starts != NAT))
    # only the stays of detainees with a placement can be matched: the others are not sorted
    held = np.zeros(count + 1, dtype=bool)  # [-1]: no id
    held[placed_code[placed]] = True
    stays = np.flatnonzero((stay_code >= 0) & (arrival != NAT) & held[stay_code])
    if not len(stays) or not len(placed):
        return none, none
    code = np.r_[stay_code[stays], placed_code[placed]]
    time = np.r_[arrival[stays], starts[placed]]
    is_stay = np.r_[np.ones(len(stays), dtype=bool), np.zeros(len(placed), dtype=bool)]
    order = lexsort((~is_stay, time, code))  # a stay arriving at the start instant comes first
    last_stay = np.maximum.accumulate(np.where(is_stay[order], np.arange(len(order)), -1))
    mine = ~is_stay[order]
    at = last_stay[mine]
    who = order[mine] - len(stays)  # position in `placed`
    found = (at >= 0) & (code[order][np.maximum(at, 0)] == code[order][mine])
    stay = stays[order[at[found]]]  # only found ones: a placement before any stay has no row in stays
    lo, hi = none.copy(), none.copy()
    lo[placed[who[found]]] = out_lo[stay]
    hi[placed[who[found]]] = out_hi[stay]
    return lo, hi


def _events(check: dict[str, Any], ctx: Context) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The times of the checks known to the minute, sorted by placement row (see sorted_events), and
    per placement row the number of those checks, of its checks with no time and with a date only.
    Shared by every rule reading the same sheets."""
    sheet, events_sheet, key, event = check["sheet"], check["events_sheet"], check["key"], check["event"]
    cache_key = ("max_gap events", sheet, key, events_sheet, event)
    if cache_key not in ctx.cache:
        frame, events = ctx.frame(sheet), ctx.frame(events_sheet)
        lo, hi = ctx.inspection.bounds(events_sheet, event)
        exact = lo == hi  # False where empty (NaT never equals NaT)
        every = bool(exact.all())  # usually: then no check lacks a time or has a date only
        times = events[event] if every else events[event].where(exact)
        position, ev_time = sorted_events(frame[key], events[key], times)
        no_time = np.zeros(len(exact), dtype=bool) if every else np.isnat(lo)
        day_only = no_time if every else ~(no_time | exact)
        del exact
        ctx.cache[cache_key] = (
            np.bincount(position, minlength=len(frame)),  # the sorted positions, as counts per row
            ev_time,
            _per_row(frame[key], events[key], no_time),
            _per_row(frame[key], events[key], day_only),
        )
    return ctx.cache[cache_key]


def _per_row(keys: pd.Series, event_keys: pd.Series, which: np.ndarray) -> np.ndarray:
    """How many of the `which` events' keys name each row's key."""
    if not which.any():  # usually: a filter of 15M ids that keeps none still costs 0.3 s
        return np.zeros(len(keys), dtype=np.int64)
    return keys.map(event_keys[which].value_counts()).fillna(0).to_numpy(dtype=np.int64)


def _detail(
    proven: pd.DataFrame, undecided: pd.DataFrame, verdict: Tri, check: dict[str, Any], zone: str | None
) -> np.ndarray:
    """The longest gap of each placement with evidence, in population order, on the facility's clock."""
    gaps = pd.concat([proven, undecided]).sort_index()
    text = (
        "longest gap "
        + durations.elapsed(gaps["gap"], "minutes")
        + ", from "
        + stamp(gaps["from"], zone)
        + " to "
        + stamp(gaps["to"], zone)
        + f" (limit {durations.describe(check['limit'])}; "
        + gaps["checks"].astype(str)
        + np.where(gaps["checks"].to_numpy() == 1, " check logged)", " checks logged)").astype(object)
    )
    return text.to_numpy(dtype=object)


def _where_text(check: dict[str, Any]) -> str:
    return " and ".join(conditions.describe(c) for c in check.get("where", []))


def describe(check: dict[str, Any]) -> str:
    return f"checks at most {durations.describe(check['limit'])} apart"
