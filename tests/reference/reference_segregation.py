"""segregation_notices by hand, from docs/segregation.md: a detainee's placement histories, their marks
and notices, and the 14-of-21 trigger, with plain datetimes and loops (nothing from auditor.engine).

The trigger is found differently from the engine: the running maximum of the time within the window
is non-decreasing, so the first instant it reaches the total is found by bisection over whole
microseconds (the maximum up to T is attained at T or at a start, an end, or one of those plus the
window).

`marks(check, inspection)` → {verdict: sorted Excel rows} and the population, placement rows only
(rows with a `report_type` are single reports: the `deadline` kind's, compared in its own tests).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from verdict_reference import Where, conditions, period_of, sheet_of, span

from auditor.contracts.inspection import Inspection

UNITS = {"days": "days", "hours": "hours", "minutes": "minutes"}
US = dt.timedelta(microseconds=1)


def delta(duration: dict[str, Any]) -> dt.timedelta:
    ((unit, amount),) = duration.items()
    return dt.timedelta(**{UNITS[unit]: amount})


@dataclass
class Row:
    row: int
    person: Any
    start: dt.datetime
    end: dt.datetime
    notice: dt.datetime | None


@dataclass(frozen=True)
class Mark:
    key: tuple
    row: int
    late: bool


def marks(check: dict[str, Any], inspection: Inspection) -> dict[str, Any]:
    """Population and the Excel rows of the violations and the undecided marks."""
    sheet = sheet_of(inspection, check["sheet"])
    period = period_of(inspection)
    where = Where(check["sheet"], sheet, period, sheet_of(inspection, "Intake"))
    readings = {}
    for reading in ("least", "most"):
        rows = []
        for row, record in sheet.rows:
            member = conditions(check.get("where"), row, record, where)
            if member is False or (reading == "least" and member is not True):
                continue
            if record.get(check.get("report_type", "")) is not None or record[check["start"]] is None:
                continue
            start = span(sheet, check["start"], row, record[check["start"]])
            end = span(sheet, check["end"], row, record[check["end"]]) or (period.end, period.end)
            notice = span(sheet, check["notified"], row, record[check["notified"]])
            pick = 1 if reading == "least" else 0
            rows.append(
                Row(
                    row,
                    record[check["person"]] if record[check["person"]] is not None else ("row", row),
                    start[pick],
                    end[1 - pick],
                    None if notice is None else notice[1 - pick],
                )
            )
        readings[reading] = _marks(check, rows, period.start, period.end)
    least, most = readings["least"], readings["most"]
    out: dict[str, Any] = {"violation": [], "indeterminate": [], "population": 0}
    for key, mark in most.items():
        out["population"] += 1
        other = least.get(key)
        # only the demanding reading has it: met there, it is met wherever it is due at all
        decided = not mark.late if other is None else other.late == mark.late
        if not decided:
            out["indeterminate"].append(mark.row)
        elif mark.late:
            out["violation"].append(mark.row)
    for key, mark in least.items():
        if key not in most:
            out["population"] += 1
            out["indeterminate"].append(mark.row)
    out["violation"].sort()
    out["indeterminate"].sort()
    return out


def _histories(rows: list[Row], join: dt.timedelta) -> list[list[Row]]:
    """Rows of one person in order of start; a row starting `join` or more after the latest end so far
    starts a new history."""
    out: list[list[Row]] = []
    latest = None
    for row in sorted(rows, key=lambda r: r.start):
        if latest is None or row.start - latest >= join:
            out.append([row])
            latest = row.end
        else:
            out[-1].append(row)
            latest = max(latest, row.end)
    return out


def _marks(check, rows: list[Row], opens: dt.datetime, close: dt.datetime) -> dict[tuple, Mark]:
    people: dict[Any, list[Row]] = {}
    for row in rows:
        people.setdefault(row.person, []).append(row)
    join = delta(check.get("join", {"days": 1}))
    first = delta(check["first"])
    out: dict[tuple, Mark] = {}
    for mine in people.values():
        histories = _histories(mine, join)
        if "window" in check:
            out.update(_triggers(check, histories, opens, close))
            continue
        for history in histories:
            begin = history[0].start
            finish = max(r.end for r in history)
            lengths = [delta(check["counted_before"])] if "counted_before" in check else []
            length = first
            while length <= finish - begin:  # every mark reached, then stop
                lengths.append(length)
                if "every" not in check:
                    break
                length += delta(check["every"])
            for k, length in enumerate(lengths, start=1):
                due = begin + length
                if "counted_before" in check and k == 1:
                    continue
                if due > finish or due < opens or due > close:
                    continue
                shown = max((r for r in history if r.start <= due), key=lambda r: r.start)
                sent = sum(1 for r in history if r.notice is not None and r.notice <= due)
                out[(history[0].row, k)] = Mark((history[0].row, k), shown.row, sent < k)
    return out


def _total(
    spans: list[tuple[dt.datetime, dt.datetime]], at: dt.datetime, window: dt.timedelta
) -> dt.timedelta:
    """Time of the union of `spans` within (at - window, at], minute by minute of overlap."""
    pieces = sorted((max(s, at - window), min(e, at)) for s, e in spans if min(e, at) > max(s, at - window))
    total, reach = dt.timedelta(0), None
    for s, e in pieces:
        if reach is not None and s < reach:
            s = reach
        if e > s:
            total += e - s
        reach = e if reach is None else max(reach, e)
    return total


def _first_reaching(spans, first: dt.timedelta, window: dt.timedelta) -> dt.datetime | None:
    if not spans:
        return None
    lo, hi = min(s for s, _ in spans), max(e for _, e in spans)
    points = sorted({p for s, e in spans for p in (s, e, s + window, e + window)})

    def best(upto: dt.datetime) -> dt.timedelta:
        return max([_total(spans, upto, window)] + [_total(spans, p, window) for p in points if p <= upto])

    if best(hi) < first:
        return None
    while hi - lo > US:  # best(hi) reaches it, best(lo) may not
        middle = lo + (hi - lo) // 2
        if best(middle) >= first:
            hi = middle
        else:
            lo = middle
    return lo if best(lo) >= first else hi


def _triggers(check, histories: list[list[Row]], opens, close) -> dict[tuple, Mark]:
    first, window = delta(check["first"]), delta(check["window"])
    rows = [r for h in histories for r in h]
    out: dict[tuple, Mark] = {}
    since = None
    ordinal = 0
    while True:
        spans = [(r.start if since is None else max(r.start, since), r.end) for r in rows]
        spans = [(s, e) for s, e in spans if e > s]
        trigger = _first_reaching(spans, first, window)
        if trigger is None:
            return out
        since = trigger
        ordinal += 1
        own = [h for h in histories if h[0].start <= trigger <= max(r.end for r in h)]
        if own and trigger - own[0][0].start >= first:
            continue  # a continuous stay's own mark
        if trigger < opens or trigger > close:
            continue
        inside = [r for r in rows if r.end > trigger - window and r.start <= trigger]
        shown = max(inside, key=lambda r: r.start)
        sent = any(r.notice is not None and r.notice <= trigger for r in inside)
        out[(shown.row, ordinal)] = Mark((shown.row, ordinal), shown.row, not sent)
