"""The rule kinds, row by row, as docs/verdicts.md and issue 13 describe them (see verdict_reference).

`evaluate(check, inspection)` → Verdicts (an attestation's check also carries its `requirement_id`).
Each function below reads one kind's check and loops over the records; the rules in words are in
the kind's docstring. A record's key starts with its evidence's sheet and Excel row (None: a record
with no row, such as a day without a reading); what follows, if anything, tells apart records
showing the same row (two gaps after one event).
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from verdict_reference import (
    DAY,
    OPTIONAL_PARAMETERS,
    Period,
    Sheet,
    Tri,
    Verdicts,
    Where,
    absent_condition_columns,
    add_months,
    after,
    before,
    condition,
    conditions,
    due_span,
    fixed,
    local_date,
    local_of_utc,
    period_of,
    sheet_of,
    span,
    t_and,
    t_not,
    t_or,
    utc_of_local,
)

from auditor.contracts.inspection import Inspection

ALL = "(all areas)"  # the one group of a rule without group_by

# The columns each kind reads from its own sheet (conditions aside); absent ones make it not_assessed
# unless they are optional parameters.
OWN_COLUMNS = {
    "deadline": ("start", "end", "deadline_column", "released", "or_before"),
    "max_duration": ("start", "end", "also_value_over"),
    "value_limit": ("column", "when"),
    "prohibited": ("when", "until"),
    "credential": ("column",),
    "capacity": ("count", "capacity"),
    "ratio": ("fixtures", "count", "substitute"),
    "max_gap": ("key", "start", "end"),
    "daily_presence": ("timestamp", "group_by"),
    "cadence": ("date", "group_by"),
    "weekly_minimum": ("group_by", "date", "value"),
}


def evaluate(check: dict[str, Any], inspection: Inspection) -> Verdicts:
    """Every record of the check's sheet, classified."""
    kind = check["kind"]
    if kind == "attestation":
        return attestation(check["requirement_id"], inspection)[0]
    sheet = sheet_of(inspection, check["sheet"])
    if sheet is None:
        return Verdicts(status="not_assessed")
    named = [check[p] for p in OWN_COLUMNS[kind] if isinstance(check.get(p), str)]
    optional = {check.get(p) for p in OPTIONAL_PARAMETERS}
    if isinstance(check.get("per"), dict):
        named.append(check["per"]["by"])
    if any(c not in sheet.columns and c not in optional for c in named):
        return Verdicts(status="not_assessed")
    conds = check.get("where", []) + check.get("qualifying", [])
    outside, inside = absent_condition_columns(conds, sheet)
    more = absent_condition_columns(check.get("violation_when", []), sheet, alternatives=True)[1]
    conds += check.get("violation_when", [])
    inside = list(dict.fromkeys(inside + more))
    can_age = _can_age(check["sheet"], sheet, inspection)
    groups = [c["any_of"] for c in conds if "any_of" in c]
    if check.get("violation_when"):
        groups.append(check["violation_when"])
    plain_ages = [c for c in check.get("where", []) + check.get("qualifying", []) if "age_at" in c]
    if outside or (plain_ages and not can_age) or any(not _readable(g, sheet, can_age) for g in groups):
        return Verdicts(status="not_assessed")  # nothing of some condition can be read
    if kind == "max_gap" and (
        check["events_sheet"] not in inspection.sheets
        or not {check["key"], check["event"]} <= set(inspection.sheets[check["events_sheet"]].columns)
    ):
        return Verdicts(status="not_assessed")
    intake = sheet_of(inspection, "Intake") if check["sheet"] != "Intake" else None
    where = Where(check["sheet"], sheet, period_of(inspection), intake)
    for event in (check.get("or_before"), check.get("until")):  # optional columns a result names
        if event and event not in sheet.columns:
            inside.append(event)
    out = Verdicts(absent_columns=inside)
    KINDS[kind](check, sheet, where, out, inspection)
    return out


def _readable(group: list[dict[str, Any]], sheet: Sheet, can_age: bool) -> bool:
    """Whether some part of an or can be read (its columns present, ages computable)."""
    for part in group:
        if "any_of" in part:
            if _readable(part["any_of"], sheet, can_age):
                return True
        elif "age_at" in part:
            if can_age and part["age_at"] in sheet.columns:
                return True
        elif part.get("column", part.get("from")) in sheet.columns:
            return True
    return False


def _can_age(name: str, sheet: Sheet, inspection: Inspection) -> bool:
    if "date_of_birth" in sheet.columns:
        return True
    intake = inspection.sheets.get("Intake")
    return (
        name != "Intake"
        and "detainee_id" in sheet.columns
        and intake is not None
        and {"detainee_id", "date_of_birth"} <= set(intake.columns)
    )


def _instant(when: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    return when, when


def deadline(check: dict[str, Any], sheet: Sheet, where: Where, out: Verdicts, _: Inspection) -> None:
    """`end` by the deadline (start + limit, or the deadline column), limits inclusive.

    Out of the population: no deadline (its column empty); a deadline before the review period
    (out of scope); released before the deadline without the action; pending (deadline after the
    period and not met by its end). Empty `end` once due: a violation. A `not_before` window
    also makes an `end` too early a violation. Date-only cells are their whole day.
    """
    period = where.period
    for row, record in sheet.rows:
        member = conditions(check.get("where"), row, record, where)
        start = span(sheet, check["start"], row, record[check["start"]])
        due = due_span(check, sheet, row, record)
        if start is None or due is None:
            continue
        end = span(sheet, check["end"], row, record[check["end"]])
        in_scope = t_not(before(due, _instant(period.start)))
        stays: Tri = True
        released = check.get("released")
        if released and released in sheet.columns and record[released] is not None:
            left = span(sheet, released, row, record[released])
            without_action = True if end is None else after(end, left)
            stays = t_not(t_and([before(left, due), without_action]))
        unmet_at_end = True if end is None else after(end, _instant(period.end))
        pending = t_and([after(due, _instant(period.end)), unmet_at_end])
        if end is None:
            violation: Tri = True
        else:
            parts = [after(end, due)]
            if "not_before" in check:
                earliest = (start[0] + fixed(check["not_before"]), start[1] + fixed(check["not_before"]))
                parts.append(before(end, earliest))
            violation = t_or(parts)
        out.add((check["sheet"], row), t_and([member, in_scope, stays, t_not(pending)]), violation)


def max_duration(check: dict[str, Any], sheet: Sheet, where: Where, out: Verdicts, _: Inspection) -> None:
    """From `start` to `end` (empty: the end of the review period) no longer than `limit`; a value in
    `also_value_over` (sanction days) no more than the limit's amount either (empty: no sanction
    recorded, nothing added). A stay wholly before the review period, or starting after it, is out."""
    limit = fixed(check["limit"])
    amount = next(iter(check["limit"].values()))
    extra = check.get("also_value_over")
    period = where.period
    for row, record in sheet.rows:
        member = conditions(check.get("where"), row, record, where)
        start = span(sheet, check["start"], row, record[check["start"]])
        if start is None:
            out.add((check["sheet"], row), member, None)
            continue
        end = span(sheet, check["end"], row, record[check["end"]])
        ended_before = False if end is None else before(end, _instant(period.start))
        in_period = t_not(t_or([after(start, _instant(period.end)), ended_before]))
        end = end or _instant(period.end)
        if end[0] - start[1] > limit:
            over: Tri = True
        elif end[1] - start[0] <= limit:
            over = False
        else:
            over = None
        parts = [over]
        if extra and extra in sheet.columns and record[extra] is not None:
            parts.append(record[extra] > amount)
        out.add((check["sheet"], row), t_and([member, in_period]), t_or(parts))


def value_limit(check: dict[str, Any], sheet: Sheet, where: Where, out: Verdicts, _: Inspection) -> None:
    """A reading above `max` (or below `min`) is a violation; the limit itself meets it. With `when`,
    a reading dated outside the review period is out; one with no date may be in."""
    period = where.period
    for row, record in sheet.rows:
        member = conditions(check.get("where"), row, record, where)
        if check.get("when"):
            at = span(sheet, check["when"], row, record[check["when"]])
            outside = [before(at, _instant(period.start)), after(at, _instant(period.end))] if at else [None]
            member = t_and([member, t_not(t_or(outside))])
        value = record[check["column"]]
        if value is None:
            violation: Tri = None
        elif "max" in check:
            violation = value > check["max"]
        else:
            violation = value < check["min"]
        out.add((check["sheet"], row), member, violation)


def prohibited(check: dict[str, Any], sheet: Sheet, where: Where, out: Verdicts, _: Inspection) -> None:
    """A record of the population meeting any condition of `violation_when` is a violation. With
    `when`, an event outside the review period is out; with `until` too, a stay that does not overlap
    it (no end: still open; no end column: it may have ended any time; no start: some time before its
    end)."""
    period, start_col, end_col = where.period, check.get("when"), check.get("until")
    for row, record in sheet.rows:
        member = conditions(check.get("where"), row, record, where)
        if start_col and end_col:
            member = t_and([member, _stay_in_period(sheet, row, record, start_col, end_col, period)])
        elif start_col:
            at = span(sheet, start_col, row, record[start_col])
            outside = [before(at, _instant(period.start)), after(at, _instant(period.end))] if at else [None]
            member = t_and([member, t_not(t_or(outside))])
        violation = t_or(condition(c, row, record, where) for c in check["violation_when"])
        out.add((check["sheet"], row), member, violation)


def _stay_in_period(
    sheet: Sheet, row: int, record: dict, start_col: str, end_col: str, period: Period
) -> Tri:
    """Whether a stay overlaps the review period, whatever instants its cells mean."""
    began = span(sheet, start_col, row, record[start_col])
    if end_col not in sheet.columns:  # it may have ended any time after it began
        ended = (began[0] if began else dt.datetime.min, dt.datetime.max)
    elif record[end_col] is None:  # still open
        ended = (period.end, dt.datetime.max)
    else:
        ended = span(sheet, end_col, row, record[end_col])
    if began is None:  # some time before it ended
        began = (dt.datetime.min, ended[1])
    earliest_end = max(ended[0], began[0])
    if began[1] <= period.end and earliest_end >= period.start:
        return True
    if began[0] > period.end or ended[1] < period.start:
        return False
    return None


def credential(check: dict[str, Any], sheet: Sheet, where: Where, out: Verdicts, _: Inspection) -> None:
    """Current at the inspection's start: completed within `valid_for` before it, or (`expires`) not
    expired before it. No date on file: a violation."""
    on = where.period.inspection_start  # local midnight of its first day
    if check.get("expires"):
        oldest = on
    else:
        ((unit, amount),) = check["valid_for"].items()
        local = local_of_utc(on, where.period.zone)
        earlier = add_months(local, -int(amount)) if unit == "months" else local - fixed(check["valid_for"])
        oldest = utc_of_local(earlier, where.period.zone)
    for row, record in sheet.rows:
        member = conditions(check.get("where"), row, record, where)
        when = span(sheet, check["column"], row, record[check["column"]])
        violation = True if when is None else before(when, _instant(oldest))
        out.add((check["sheet"], row), member, violation)


def capacity(
    check: dict[str, Any], sheet: Sheet, where: Where, out: Verdicts, inspection: Inspection
) -> None:
    """Each unit's count at most its capacity; the units' total at most the facility's rated capacity."""
    total, units = 0, 0
    for row, record in sheet.rows:
        count, cap = record[check["count"]], record[check["capacity"]]
        if count is None or cap is None:
            continue
        units += 1
        total += count
        out.add((check["sheet"], row), True, count > cap)
    facility_cap = inspection.facility.get("rated_capacity")
    if facility_cap is not None and units:
        out.add(("Facility", inspection.facility_rows.get("rated_capacity")), True, total > facility_cap)


def ratio(check: dict[str, Any], sheet: Sheet, where: Where, out: Verdicts, _: Inspection) -> None:
    """An occupied unit needs ceil(people / per) fixtures; a substitute counts for at most as many as
    the fixtures. An empty fixtures cell, substitute or `per` column leaves what it could be open."""
    per = check["per"]
    substitute = check.get("substitute")
    for row, record in sheet.rows:
        count = record[check["count"]]
        member = t_and(
            [conditions(check.get("where"), row, record, where), None if count is None else count > 0]
        )
        fixtures = record[check["fixtures"]]
        if fixtures is None or count is None:
            out.add((check["sheet"], row), member, None)
            continue
        low = high = fixtures
        if substitute and substitute in sheet.columns:
            extra = record[substitute]
            if extra is None:
                high = 2 * fixtures
            else:
                low = high = fixtures + min(extra, fixtures)
        if isinstance(per, dict):
            by = record.get(per["by"])
            choices = (
                [per["default"], *per["values"].values()]
                if by is None
                else [per["values"].get(by, per["default"])]
            )
        else:
            choices = [per]
        needs = [math.ceil(count / p) for p in choices]
        if high < min(needs):
            violation: Tri = True
        elif low >= max(needs):
            violation = False
        else:
            violation = None
        out.add((check["sheet"], row), member, violation)


def max_gap(check: dict[str, Any], sheet: Sheet, where: Where, out: Verdicts, inspection: Inspection) -> None:
    """Checks no more than `limit` apart over the part of each placement inside the review period and
    inside the detainee's stay: from its start to the first check, between checks, and from the last
    check to its end (open: the period's end; at the latest the release of the Intake stay it began
    in). A placement wholly outside the period is out. Date-only starts and ends: compliant when even
    the widest reading has no gap over the limit, a violation when even the narrowest has one. A
    placement starting after its detainee's release contradicts Intake: never a proven violation."""
    events = sheet_of(inspection, check["events_sheet"])
    limit = fixed(check["limit"])
    period = where.period
    for row, record in sheet.rows:
        member = conditions(check.get("where"), row, record, where)
        start = span(sheet, check["start"], row, record[check["start"]])
        if start is None:
            continue
        end = span(sheet, check["end"], row, record[check["end"]]) or _instant(period.end)
        left = _release(record, start[0], where.intake)
        astray = left is not None and start[0] > left[1]
        if left is not None and not astray:
            end = (min(end[0], left[0]), min(end[1], left[1]))
        if start[0] > period.end or end[1] < period.start:
            continue  # nothing of it inside the review period
        times = [
            e[check["event"]]
            for _, e in events.rows
            if e[check["key"]] == record[check["key"]] and e[check["event"]] is not None
        ]
        widest = _longest_gap(start[0], end[1], times, period)
        narrowest = _longest_gap(start[1], end[0], times, period)
        if widest <= limit:
            violation: Tri = False
        elif narrowest > limit and not astray:
            violation = True
        else:
            violation = None
        out.add((check["sheet"], row), member, violation)


def _longest_gap(
    start: dt.datetime, end: dt.datetime, times: list[dt.datetime], period: Period
) -> dt.timedelta:
    """The longest gap between the window's ends and the checks inside it (the window clipped to the
    review period; an empty window has none)."""
    first = min(max(start, period.start), period.end)
    last = max(min(end, period.end), first)
    points = [first, *sorted(t for t in times if first <= t <= last), last]
    return max(b - a for a, b in itertools.pairwise(points))


def _release(record: dict[str, Any], start: dt.datetime, intake: Sheet | None) -> tuple | None:
    """The release of the detainee's Intake stay that the placement began in (the latest arrival at
    or before its start), or None."""
    if intake is None or record.get("detainee_id") is None:
        return None
    if not {"detainee_id", "arrival", "release"} <= set(intake.columns):
        return None
    stay = None
    for row, other in intake.rows:
        mine = other["detainee_id"] == record["detainee_id"] and other["arrival"] is not None
        if mine and other["arrival"] <= start and (stay is None or other["arrival"] >= stay[1]["arrival"]):
            stay = (row, other)
    if stay is None:
        return None
    return span(intake, "release", stay[0], stay[1]["release"])


def daily_presence(check: dict[str, Any], sheet: Sheet, where: Where, out: Verdicts, _: Inspection) -> None:
    """Every local day of the review period, a reading for each group that has any in it."""
    period = where.period
    seen: dict[Any, set[dt.date]] = {}
    for row, record in sheet.rows:
        if conditions(check.get("where"), row, record, where) is not True:
            continue
        when, group = record[check["timestamp"]], record[check["group_by"]]
        if when is None:
            continue
        day = local_date(sheet, check["timestamp"], when)
        if period.first_day <= day <= period.last_day:
            seen.setdefault(group, set()).add(day)
    for group, days in seen.items():
        day = period.first_day
        while day <= period.last_day:
            out.add((check["sheet"], None, group, day), True, day not in days)
            day += DAY


def cadence(check: dict[str, Any], sheet: Sheet, where: Where, out: Verdicts, inspection: Inspection) -> None:
    """Per `group_by` value (or one group), each gap between the review period's first day, the days
    of the events that count, and its last day is one record: over `limit` days a violation, unless
    rows that might count (their `where` unknown, or no group: in every group) split it so that no part
    is over; then indeterminate. A group is any value of a row that counts or might; none: one group.
    With `housing_units`, each Housing unit the log never names is one indeterminate record."""
    first, last = where.period.first_day, where.period.last_day
    limit = fixed(check["limit"]).days
    group_by = check.get("group_by")
    counted: dict[Any, list[tuple[dt.date, int]]] = {}
    maybe: list[tuple[Any, dt.date]] = []  # (group or None: any group, day)
    for row, record in sheet.rows:
        member = conditions(check.get("where"), row, record, where)
        when = record[check["date"]]
        group = record[group_by] if group_by else ALL
        day = None if when is None else local_date(sheet, check["date"], when)
        if member is False or day is None or not first <= day <= last:
            continue
        if member is True and group is not None:
            counted.setdefault(group, []).append((day, row))
        else:
            maybe.append((group, day))
    names = list(counted) + [g for g, _ in maybe if g is not None and g not in counted]
    names = list(dict.fromkeys(names)) or [ALL]
    for group in names:
        events = sorted(counted.get(group, []))
        extra = sorted(d for g, d in maybe if g in (group, None))
        points = [(first, None), *events, (last, None)]
        for position, ((begin, begin_row), (finish, finish_row)) in enumerate(itertools.pairwise(points)):
            length = (finish - begin).days
            row = finish_row if finish_row is not None else begin_row  # the evidence's row
            key = (check["sheet"], row, group, position)  # two gaps may show the same row
            if length <= limit:
                out.add(key, True, False)
                continue
            inside = [begin, *(d for d in extra if begin <= d <= finish), finish]
            longest = max((b - a).days for a, b in itertools.pairwise(inside))
            out.add(key, True, True if longest > limit else None)
    if ALL in names or (last - first).days <= limit:
        return
    for row, _ in _unlisted_units(check, names, where, inspection):
        out.add(("Housing", row), True, None)


def weekly_minimum(
    check: dict[str, Any], sheet: Sheet, where: Where, out: Verdicts, inspection: Inspection
) -> None:
    """Every unit named in the sheet, every Monday-to-Sunday week wholly inside the review period:
    `weekly_total` minutes, or `daily_minimum` minutes on `min_days` days meeting `qualifying`. A day
    with no row is 0 minutes; a blank (minutes, or a `qualifying` cell) might make up the shortfall.
    With `housing_units`, each week of a Housing unit the sheet never names is indeterminate."""
    first, last = where.period.first_day, where.period.last_day
    monday = first + dt.timedelta(days=(7 - first.weekday()) % 7)
    weeks = []
    while monday + dt.timedelta(days=6) <= last:
        weeks.append(monday)
        monday += dt.timedelta(days=7)
    unit_col, value_col = check["group_by"], check["value"]
    units = sorted({record[unit_col] for _, record in sheet.rows if record[unit_col] is not None})
    for unit in units:
        for week in weeks:
            days = [
                (row, record)
                for row, record in sheet.rows
                if record[unit_col] == unit
                and record[check["date"]] is not None
                and week
                <= local_date(sheet, check["date"], record[check["date"]])
                <= week + dt.timedelta(days=6)
            ]
            key = (check["sheet"], min((row for row, _ in days), default=None), unit, week)
            values = [record[value_col] for _, record in days]
            if "weekly_total" in check:
                total = sum(v for v in values if v is not None)
                if total >= check["weekly_total"]:
                    violation: Tri = False
                else:
                    violation = None if any(v is None for v in values) else True
            else:
                proven = possible = 0
                for row, record in days:
                    value = record[value_col]
                    qualifies = conditions(check.get("qualifying"), row, record, where)
                    enough = None if value is None else value >= check["daily_minimum"]
                    day = t_and([enough, qualifies])
                    proven += day is True
                    possible += day is not False
                if proven >= check["min_days"]:
                    violation = False
                else:
                    violation = True if possible < check["min_days"] else None
            out.add(key, True, violation)
    for row, _ in _unlisted_units(check, units, where, inspection):
        for week in weeks:
            out.add(("Housing", row, week), True, None)


def _unlisted_units(check: dict[str, Any], names: list[Any], where: Where, inspection: Inspection) -> list:
    """The Housing rows (`housing_units`: conditions true or unknown) whose unit the log never names."""
    housing = sheet_of(inspection, "Housing")
    if not check.get("housing_units") or housing is None or "unit_id" not in housing.columns:
        return []
    readable = [c for c in check["housing_units"] if not absent_condition_columns([c], housing)[0]]
    housing_where = Where("Housing", housing, where.period, where.intake)
    return [
        (row, record)
        for row, record in housing.rows
        if record["unit_id"] is not None
        and record["unit_id"] not in names
        and conditions(readable, row, record, housing_where) is not False
    ]


FINDINGS = {"compliant": "compliant", "deficient": "deficient", "not-applicable": "not_applicable"}
# ODO's other findings: no deficiency, so the requirement is met; the result says which it was
FINDINGS |= {"area-of-concern": "compliant", "best-practice": "compliant"}
NOTED = {"area-of-concern": "area_of_concern", "best-practice": "best_practice"}


@dataclass
class Attested:
    """What an attestation carries besides its verdict: the inspector's remarks, and the flag."""

    remarks: str | None = None
    corrected_on_site: bool = False
    finding: str = "deficiency"  # or area_of_concern, best_practice


def attestation(requirement_id: str, inspection: Inspection) -> tuple[Verdicts, Attested]:
    """The inspector's finding in the Checklist row whose requirement_id is exactly this one: one
    record, compliant or a violation as the inspector found it, never indeterminate. Not-applicable:
    an empty population. Not-observed, a blank finding, no such row, or a Checklist without the sheet
    or its `requirement_id` or `finding` column: not assessed, never compliant (docs/verdicts.md)."""
    sheet = sheet_of(inspection, "Checklist")
    if sheet is None or not {"requirement_id", "finding"} <= set(sheet.columns):
        return Verdicts(status="not_assessed"), Attested()
    mine = [(row, record) for row, record in sheet.rows if record["requirement_id"] == requirement_id]
    if not mine:
        return Verdicts(status="not_assessed"), Attested()
    row, record = mine[0]  # requirement ids are unique in the sheet (validation)
    finding = FINDINGS.get(record["finding"])
    if finding is None:  # not-observed or blank: the inspector decided nothing
        return Verdicts(status="not_assessed"), Attested()
    remarks = record.get("remarks")
    attested = Attested(
        None if remarks is None else str(remarks),
        record.get("corrected_on_site") is True,
        NOTED.get(record["finding"], "deficiency"),
    )
    out = Verdicts()
    if finding != "not_applicable":
        out.add(("Checklist", row), True, finding == "deficient")
    return out, attested


KINDS: dict[str, Callable[[dict[str, Any], Sheet, Where, Verdicts, Inspection], None]] = {
    "deadline": deadline,
    "max_duration": max_duration,
    "value_limit": value_limit,
    "prohibited": prohibited,
    "credential": credential,
    "capacity": capacity,
    "ratio": ratio,
    "max_gap": max_gap,
    "daily_presence": daily_presence,
    "cadence": cadence,
    "weekly_minimum": weekly_minimum,
}

__all__ = ["KINDS", "Attested", "Period", "attestation", "evaluate"]
