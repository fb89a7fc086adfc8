"""max_gap: logged checks no more than `limit` apart, from a placement's start to its end.

The gaps measured are start → first check, check → check, and last check → end (an open
placement ends at review_period_end; one starting after it is left out). Checks outside the
placement are not counted. One violation per placement with any longer gap; the evidence names
the longest.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from auditor.engine import conditions, durations
from auditor.engine.kinds.parameters import COLUMN, CONDITIONS, DURATION, SHEET, Parameter
from auditor.engine.outcome import Outcome, evidence, stamp

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

    Vectorised: one factorize of both key columns (hashing, no Python objects) and one lexsort,
    skipped when the events already come in that order. Every rule reading the same sheets
    shares the result (see Context.cache).
    """
    codes, uniques = pd.factorize(pd.concat([keys, event_keys], ignore_index=True))
    key_codes, event_codes = codes[: len(keys)], codes[len(keys) :]
    first_row = np.full(len(uniques) + 1, -1, dtype=np.int64)  # the last slot serves code -1 (empty)
    present = key_codes >= 0
    first_row[key_codes[present][::-1]] = np.flatnonzero(present)[::-1]
    position = first_row[event_codes]
    time = events.to_numpy(dtype="datetime64[us]").view(np.int64)
    found = (position >= 0) & ~np.isnat(events.to_numpy(dtype="datetime64[us]"))
    position, time = position[found], time[found]
    step = np.diff(position)
    if not (len(position) < 2 or ((step > 0) | ((step == 0) & (np.diff(time) >= 0))).all()):
        order = np.lexsort((time, position))
        position, time = position[order], time[order]
    return position, time


def longest_gaps(
    starts: np.ndarray, ends: np.ndarray, ev_code: np.ndarray, ev_time: np.ndarray
) -> pd.DataFrame:
    """For placements 0..n-1 (start and end in µs) and their events (codes ascending, times ascending
    within a code): the longest gap, its two ends, and the number of events inside each placement."""
    n = len(starts)
    inside = (ev_time >= starts[ev_code]) & (ev_time <= ends[ev_code])
    ev_code, ev_time = ev_code[inside], ev_time[inside]
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
        inner = np.where(same, np.diff(ev_time), -1)
        owner = ev_code[1:]
        top = np.full(n, -1, dtype=np.int64)
        np.maximum.at(top, owner[same], inner[same])
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
    sheet, events_sheet, key = check["sheet"], check["events_sheet"], check["key"]
    frame = ctx.frame(sheet)
    started = frame[check["start"]].to_numpy(dtype="datetime64[us]")
    # a placement starting after the review period has nothing inside it to measure
    keep = conditions.mask(frame, check.get("where"), ctx, sheet).to_numpy(dtype=bool) & (
        started <= ctx.review_end.to_datetime64()
    )
    chosen = frame[keep]
    cache_key = ("max_gap events", sheet, key, events_sheet, check["event"])
    if cache_key not in ctx.cache:
        events = ctx.frame(events_sheet)
        ctx.cache[cache_key] = sorted_events(frame[key], events[key], events[check["event"]])
    position, ev_time = ctx.cache[cache_key]
    code_of_row = np.full(len(frame), -1, dtype=np.int64)
    code_of_row[keep] = np.arange(len(chosen))
    ev_code = code_of_row[position]
    mine = ev_code >= 0
    review_end = ctx.review_end.to_datetime64().astype("datetime64[us]").astype(np.int64)
    starts = chosen[check["start"]].to_numpy(dtype="datetime64[us]").view(np.int64)
    ends = chosen[check["end"]].to_numpy(dtype="datetime64[us]")
    ends = np.minimum(np.where(np.isnat(ends), review_end, ends.view(np.int64)), review_end)
    gaps = longest_gaps(starts, ends, ev_code[mine], ev_time[mine])
    limit = durations.timedelta(check["limit"])
    over = (gaps["gap"] > limit).to_numpy()
    worst = gaps[over]
    detail = (
        "longest gap "
        + durations.elapsed(worst["gap"], "minutes")
        + ", from "
        + stamp(worst["from"])
        + " to "
        + stamp(worst["to"])
        + f" (limit {durations.describe(check['limit'])}; "
        + worst["checks"].astype(str)
        + np.where(worst["checks"].to_numpy() == 1, " check logged)", " checks logged)").astype(object)
    )
    return Outcome(
        population=len(chosen),
        violations=int(over.sum()),
        evidence=evidence(sheet, chosen.index[over], detail),
        cells={sheet: [key, check["start"], check["end"]]},
        empty_reason=None
        if len(chosen)
        else "no placements where " + " and ".join(conditions.describe(c) for c in check.get("where", [])),
    )


def describe(check: dict[str, Any]) -> str:
    return f"checks at most {durations.describe(check['limit'])} apart"
