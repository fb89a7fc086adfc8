"""A plain reference evaluator of the rule kinds, written from docs/verdicts.md, not from the engine.

Slow and obviously right: each sheet becomes a list of dicts of plain Python values (datetime,
int, float, bool, str, None), and every rule is a loop over them with datetime arithmetic. Three
values are Python's True, False and None (unknown), combined by Kleene's tables. Nothing here
imports auditor.engine: the property tests compare this with the vectorised kinds.

`evaluate(check, inspection)` classifies every record of the check's sheet: `Verdicts`
holds the Excel rows proven violations, proven compliant and indeterminate (a row-less record,
such as a missing reading of a day, is keyed by its description instead of a row).
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import holidays
import pandas as pd

from auditor.contracts.inspection import Inspection

DAY = dt.timedelta(days=1)
MICROSECOND = dt.timedelta(microseconds=1)
OPTIONAL_PARAMETERS = (
    "released",
    "substitute",
    "also_value_over",
    "or_before",
    "until",
)  # may be absent from the sheet

Tri = bool | None  # True proven, False proven not, None unknown


def t_and(values: Iterable[Tri]) -> Tri:
    """Kleene and: false wins, true only when all are."""
    values = list(values)
    if any(v is False for v in values):
        return False
    return True if all(v is True for v in values) else None


def t_or(values: Iterable[Tri]) -> Tri:
    """Kleene or: true wins, false only when all are."""
    values = list(values)
    if any(v is True for v in values):
        return True
    return False if all(v is False for v in values) else None


@dataclass
class Verdicts:
    """Every record of a rule's population, by verdict; `status` 'not_assessed' when nothing could be
    evaluated (then the sets are empty)."""

    violation: set[Any] = field(default_factory=set)
    compliant: set[Any] = field(default_factory=set)
    indeterminate: set[Any] = field(default_factory=set)
    status: str | None = None
    absent_columns: list[str] = field(default_factory=list)

    def add(self, key: Any, membership: Tri, violation: Tri) -> None:
        """One record, by the table of docs/verdicts.md (membership false: not in the population)."""
        if membership is False:
            return
        if violation is False:
            self.compliant.add(key)
        elif membership is True and violation is True:
            self.violation.add(key)
        else:
            self.indeterminate.add(key)

    @property
    def population(self) -> int:
        return len(self.violation) + len(self.compliant) + len(self.indeterminate)

    def final_status(self) -> str:
        if self.status:
            return self.status
        if not self.population:
            return "not_applicable"
        if self.violation:
            return "deficient"
        return "indeterminate" if self.indeterminate else "compliant"


# ---------------------------------------------------------------- the inspection as plain records


@dataclass
class Sheet:
    columns: list[str]
    rows: list[tuple[int, dict[str, Any]]]  # (Excel row, {column: plain value or None})
    day_only: dict[str, set[int]]  # column → Excel rows whose cell is a date without a time
    zone: str | None = None  # the facility's: datetimes are UTC instants, date columns local days
    calendar: frozenset[str] = frozenset()  # the date columns (local calendar days, not instants)


# ---------------------------------------------------------------- facility time (zoneinfo, by hand)


def utc_of_local(when: dt.datetime, zone: str | None) -> dt.datetime:
    """A local wall time (naive) as a naive UTC instant; no zone: as written."""
    if zone is None:
        return when
    return when.replace(tzinfo=ZoneInfo(zone)).astimezone(dt.UTC).replace(tzinfo=None)


def local_of_utc(when: dt.datetime, zone: str | None) -> dt.datetime:
    """A naive UTC instant as the facility's wall time (naive)."""
    if zone is None:
        return when
    return when.replace(tzinfo=dt.UTC).astimezone(ZoneInfo(zone)).replace(tzinfo=None)


def local_day_span(day: dt.date, zone: str | None) -> tuple[dt.datetime, dt.datetime]:
    """The first and last instant (UTC) of a local calendar day: 23 or 25 hours on a clock change."""
    midnight = dt.datetime(day.year, day.month, day.day)
    return utc_of_local(midnight, zone), utc_of_local(midnight + DAY, zone) - MICROSECOND


def local_date(sheet: Sheet, column: str, value: dt.datetime) -> dt.date:
    """The facility's calendar day of a cell."""
    return value.date() if column in sheet.calendar else local_of_utc(value, sheet.zone).date()


def plain(value: Any) -> Any:
    """A typed cell as a plain Python value (None when empty)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def sheet_of(inspection: Inspection, name: str) -> Sheet | None:
    if name not in inspection.sheets:
        return None
    frame = inspection.sheets[name]
    columns = list(frame.columns)
    rows = []
    for position, row in enumerate(frame.index):
        rows.append((int(row), {c: plain(frame[c].iloc[position]) for c in columns}))
    flags = inspection.date_only.get(name, {})
    day_only = {c: {int(r) for r, flag in zip(frame.index, flags[c], strict=True) if flag} for c in flags}
    return Sheet(columns, rows, day_only, inspection.time_zone, inspection.day_columns.get(name, frozenset()))


def span(
    sheet: Sheet, column: str, row: int, value: dt.datetime | None
) -> tuple[dt.datetime, dt.datetime] | None:
    """The earliest and the latest instant a cell may mean: a date-only cell is its whole local day."""
    if value is None:
        return None
    if row in sheet.day_only.get(column, set()):
        return local_day_span(local_date(sheet, column, value), sheet.zone)
    return value, value


@dataclass
class Period:
    start: dt.datetime  # first instant of the review period (UTC with a zone)
    end: dt.datetime  # its last instant
    first_day: dt.date  # its first and last local calendar day
    last_day: dt.date
    inspection_start: dt.datetime  # the first instant of the inspection
    zone: str | None


def period_of(inspection: Inspection) -> Period:
    def day(value: Any) -> dt.date:
        return dt.date(value.year, value.month, value.day)

    facility, zone = inspection.facility, inspection.time_zone
    first, last = day(facility["review_period_start"]), day(facility["review_period_end"])
    return Period(
        local_day_span(first, zone)[0],
        local_day_span(last, zone)[1],
        first,
        last,
        local_day_span(day(facility["inspection_start"]), zone)[0],
        zone,
    )


# ---------------------------------------------------------------- conditions


@dataclass
class Where:
    """What a condition may look at besides its own row."""

    sheet_name: str
    sheet: Sheet
    period: Period
    intake: Sheet | None


def condition(cond: dict[str, Any], row: int, record: dict[str, Any], where: Where) -> Tri:
    if "any_of" in cond:
        return t_or(condition(part, row, record, where) for part in cond["any_of"])
    if "age_at" in cond:
        return _age_condition(cond, record, where)
    if "stay_at_least" in cond:
        return _stay(cond, row, record, where)
    column = cond["column"]
    if column not in where.sheet.columns:  # absent (only inside any_of): nothing known from it
        return None
    value = record[column]
    if "not_equals" in cond:  # an unrecorded action is not a recorded one
        return value is None or not _same(value, cond["not_equals"])
    if "present" in cond:
        return (value is not None) == bool(cond["present"])
    if value is None:
        return None
    if "in" in cond:
        return any(_same(value, wanted) for wanted in cond["in"])
    if "equals" in cond:
        return _same(value, cond["equals"])
    if "contains_all" in cond:
        tokens = set(re.split(r"[,;/\s]", str(value)))
        return all(str(item) in tokens for item in cond["contains_all"])
    raise ValueError(f"the reference knows no condition {cond}")


def conditions(conds: list[dict[str, Any]] | None, row: int, record: dict[str, Any], where: Where) -> Tri:
    return t_and(condition(c, row, record, where) for c in conds or [])


def _same(value: Any, wanted: Any) -> bool:
    if isinstance(wanted, bool) or isinstance(value, bool):
        return value is wanted or (isinstance(value, bool) and value == wanted)
    if isinstance(value, str):
        return value == str(wanted)
    return value == wanted


def birth_date(record: dict[str, Any], where: Where) -> dt.datetime | None:
    """The row's own date of birth, else Intake's first recorded one for the same detainee_id."""
    own = record.get("date_of_birth")
    if own is not None:
        return own
    if where.sheet_name == "Intake" or where.intake is None or record.get("detainee_id") is None:
        return None
    if "detainee_id" not in where.intake.columns or "date_of_birth" not in where.intake.columns:
        return None
    for _, other in where.intake.rows:
        if other["detainee_id"] == record["detainee_id"] and other["date_of_birth"] is not None:
            return other["date_of_birth"]
    return None


def age(birth: dt.datetime, when: dt.datetime) -> int:
    """Whole years: one fewer until the birthday of that year."""
    return when.year - birth.year - ((when.month, when.day) < (birth.month, birth.day))


def _age_condition(cond: dict[str, Any], record: dict[str, Any], where: Where) -> Tri:
    birth, when = birth_date(record, where), record.get(cond["age_at"])
    if birth is None or when is None:
        return None
    years = age(birth, when)
    if "below" in cond:
        return years < cond["below"]
    if "above" in cond:
        return years > cond["above"]
    low, high = cond["between"]
    return low <= years <= high


def _stay(cond: dict[str, Any], row: int, record: dict[str, Any], where: Where) -> Tri:
    """Held at least a duration: proven when the shortest reading of the stay is that long."""
    begin = span(where.sheet, cond["from"], row, record.get(cond["from"]))
    if begin is None:
        return None
    to = cond["to"]
    finish = span(where.sheet, to, row, record.get(to)) if to in where.sheet.columns else None
    finish = finish or (where.period.end, where.period.end)
    need = fixed(cond["stay_at_least"])
    if finish[0] - begin[1] >= need:
        return True
    if finish[1] - begin[0] < need:
        return False
    return None


def absent_condition_columns(
    conds: list[dict[str, Any]], sheet: Sheet, alternatives: bool = False
) -> tuple[list[str], list[str]]:
    """(columns outside any_of that the sheet lacks, columns inside any_of that it lacks). With
    `alternatives` the conditions are themselves parts of an or (prohibited's `violation_when`)."""
    outside: list[str] = []
    inside: list[str] = []

    def walk(cond: dict[str, Any], nested: bool) -> None:
        if "any_of" in cond:
            for part in cond["any_of"]:
                walk(part, True)
            return
        for key in ("column", "age_at", "from"):
            if key in cond and cond[key] not in sheet.columns:
                (inside if nested else outside).append(cond[key])

    for cond in conds:
        walk(cond, alternatives)
    return outside, list(dict.fromkeys(inside))


# ---------------------------------------------------------------- durations


def fixed(duration: dict[str, Any]) -> dt.timedelta:
    ((unit, amount),) = duration.items()
    return dt.timedelta(**{unit: amount})


def add_months(when: dt.datetime, months: int) -> dt.datetime:
    """The same day `months` later (the last day of a shorter month)."""
    total = when.month - 1 + months
    year, month = when.year + total // 12, total % 12 + 1
    return when.replace(year=year, month=month, day=min(when.day, calendar.monthrange(year, month)[1]))


def working_day_end(start: dt.datetime, n: int, zone: str | None = None) -> dt.datetime:
    """The last instant of the n-th working day after the start's local date: the working days
    strictly after it are counted (Saturday + 2 working days: Tuesday; a federal holiday is not one)."""
    day = local_of_utc(start, zone).date()
    days_off = holidays.country_holidays("US", years=range(day.year - 1, day.year + 3))
    for _ in range(n):
        day += DAY
        while day.weekday() >= 5 or day in days_off:
            day += DAY
    return local_day_span(day, zone)[1]


def due_span(check: dict[str, Any], sheet: Sheet, row: int, record: dict[str, Any]) -> tuple | None:
    """The earliest and the latest the deadline may be, or None when there is none.

    A date-only start runs the clock from the start or from the end of its day (issue 13: a notice
    more than 72 h after the end of the placement day is late). With `or_before` the deadline is the
    earlier of that and the column's time (empty: no such event; a sheet without the column: the
    event may have been any time from the start on)."""
    if "deadline_column" in check:
        column = check["deadline_column"]
        return span(sheet, column, row, record[column])
    start = span(sheet, check["start"], row, record[check["start"]])
    if start is None:
        return None
    latest = start[1] if start[0] == start[1] else start[1] + MICROSECOND  # the day's end: midnight
    ((unit, amount),) = check["limit"].items()
    if unit == "working_days":
        due = (
            working_day_end(start[0], int(amount), sheet.zone),
            working_day_end(start[1], int(amount), sheet.zone),
        )
    elif unit == "months":
        due = add_months(start[0], int(amount)), add_months(latest, int(amount))
    else:
        due = start[0] + fixed(check["limit"]), latest + fixed(check["limit"])
    event = check.get("or_before")
    if event and event not in sheet.columns:
        return min(due[0], start[0]), due[1]
    if event and record[event] is not None:
        other = span(sheet, event, row, record[event])
        return min(due[0], other[0]), min(due[1], other[1])
    return due


# ---------------------------------------------------------------- comparisons of spans


def after(a: tuple, b: tuple) -> Tri:
    """a > b for every reading (True), for none (False), or it depends (None)."""
    if a[0] > b[1]:
        return True
    if a[1] <= b[0]:
        return False
    return None


def before(a: tuple, b: tuple) -> Tri:
    """a < b."""
    if a[1] < b[0]:
        return True
    if a[0] >= b[1]:
        return False
    return None


def t_not(value: Tri) -> Tri:
    return None if value is None else not value
