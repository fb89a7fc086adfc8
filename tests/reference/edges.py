"""Generated cases of one requirement: random rows, then the cells that decide its verdict moved onto
its edges (a limit ± 1 minute, a reading on the limit, a credential a day either side of current),
some optional columns left out, and some time cells written as a date only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from generated_inspections import (
    FACILITY,
    REVIEW_END,
    REVIEW_START,
    Drawn,
    dropped_columns,
    near,
    requirements_of,
    rows_of,
    stamp,
)
from hypothesis import strategies as st

from auditor.standards.model import Requirement, check_columns
from auditor.workbook import declarations as decl

Rows = list[dict[str, str | None]]


def _when(text: str | None) -> dt.datetime | None:
    return None if text is None else dt.datetime.fromisoformat(text)


def _minutes(duration: dict[str, Any]) -> int:
    ((unit, amount),) = duration.items()
    per = {"minutes": 1, "hours": 60, "days": 1440, "working_days": 1440, "months": 30 * 1440}[unit]
    return int(amount * per)


def _cell(sheet: str, column: str, when: dt.datetime) -> str:
    """A time as the column takes it: a date column, the date only."""
    date = decl.sheet(sheet).column(column).kind is decl.Kind.DATE
    return when.date().isoformat() if date else stamp(when)


def _keep_blank(draw: st.DrawFn, text: str | None) -> bool:
    """An empty cell stays empty most of the time (blanks are what the three values are about)."""
    return text is None and draw(st.integers(0, 2)) > 0


def deadline(draw: st.DrawFn, check: dict[str, Any], rows: Rows) -> None:
    sheet, start_col, end_col = check["sheet"], check["start"], check["end"]
    for row in rows:
        start = _when(row[start_col])
        if start is None:
            continue
        if "deadline_column" in check:
            column = check["deadline_column"]
            if not _keep_blank(draw, row[column]):
                row[column] = _cell(sheet, column, near(draw, start, draw(st.integers(0, 3 * 1440))))
            due = _when(row[column]) or start
        else:
            due = start + dt.timedelta(minutes=_minutes(check["limit"]))
        if not _keep_blank(draw, row[end_col]):
            row[end_col] = _cell(sheet, end_col, near(draw, due, 0))
        for column in (check.get("released"), check.get("or_before")):
            if column and not _keep_blank(draw, row.get(column)):
                row[column] = _cell(sheet, column, near(draw, due, 0))


def max_duration(draw: st.DrawFn, check: dict[str, Any], rows: Rows) -> None:
    limit = _minutes(check["limit"])
    for row in rows:
        start = _when(row[check["start"]])
        if start is not None and not _keep_blank(draw, row[check["end"]]):
            row[check["end"]] = _cell(check["sheet"], check["end"], near(draw, start, limit))
        column = check.get("also_value_over")
        if column and not _keep_blank(draw, row[column]):
            row[column] = str(next(iter(check["limit"].values())) + draw(st.integers(-2, 2)))


def value_limit(draw: st.DrawFn, check: dict[str, Any], rows: Rows) -> None:
    bound = check.get("max", check.get("min"))
    for row in rows:
        step = draw(st.one_of(st.sampled_from([-1, -0.5, 0, 0.5, 1]), st.integers(-30, 30)))
        row[check["column"]] = f"{bound + step:g}"


def credential(draw: st.DrawFn, check: dict[str, Any], rows: Rows) -> None:
    on = FACILITY["inspection_start"]
    edge = on if check.get("expires") else on.replace(year=on.year - 1)  # only 12-month trainings exist
    for row in rows:
        if not _keep_blank(draw, row[check["column"]]):
            row[check["column"]] = (edge + dt.timedelta(days=draw(st.integers(-2, 2)))).isoformat()


def ratio(draw: st.DrawFn, check: dict[str, Any], rows: Rows) -> None:
    for row in rows:  # people around a multiple of `per`, fixtures around what they need
        row[check["count"]] = str(draw(st.sampled_from([0, 1, 7, 8, 9, 12, 13, 16, 17, 24, 25, 26])))
        if not _keep_blank(draw, row[check["fixtures"]]):
            row[check["fixtures"]] = str(draw(st.integers(0, 4)))


def _satisfy(draw: st.DrawFn, conds: list[dict[str, Any]], rows: Rows) -> None:
    """Most rows meet the `in` and `equals` conditions, so that populations are not mostly empty."""
    for cond in conds:
        if "any_of" in cond:
            _satisfy(draw, cond["any_of"], rows)
            continue
        wanted = cond.get("in", [cond["equals"]] if "equals" in cond else [])
        for row in rows:
            if wanted and cond["column"] in row and draw(st.integers(0, 2)) > 0:
                value = draw(st.sampled_from(wanted))
                row[cond["column"]] = (
                    ("TRUE" if value else "FALSE") if isinstance(value, bool) else str(value)
                )


@st.composite
def max_gap_cases(draw: st.DrawFn, requirements: list[tuple[str, Requirement]]):
    """Placements with checks stepping around the limit, and Intake stays that may end them early."""
    edition, req = draw(st.sampled_from(requirements))
    check = req.check
    limit = _minutes(check["limit"])
    placements = draw(rows_of("Placements", 1, 4, {"end", "date_of_birth", "detainee_id"}))
    _satisfy(draw, check.get("where", []), placements)
    checks: Rows = []
    intake: Rows = []
    day_only: dict[str, set[int]] = {}
    for position, row in enumerate(placements):
        row["placement_id"] = f"P{position}"
        start = _when(row["start"])
        if not _keep_blank(draw, row["end"]):
            row["end"] = stamp(near(draw, start, draw(st.sampled_from([limit, 4 * limit, 600]))))
        when = start + dt.timedelta(minutes=draw(st.integers(-limit, limit)))
        for _ in range(draw(st.integers(0, 6))):
            checks.append({"placement_id": row["placement_id"], "checked": stamp(when)})
            step = draw(
                st.one_of(st.sampled_from([limit - 1, limit, limit + 1, 1]), st.integers(0, 3 * limit))
            )
            when += dt.timedelta(minutes=step)
        if draw(st.booleans()):  # the Intake stay it began in, perhaps released early
            # restricted: an arrival after a placement's start of the same detainee makes the engine
            # fail (IndexError in max_gap._released; reported), so each stay has its own detainee
            # and arrives by the start's day
            row["detainee_id"] = f"D{position}"
            midnight = start.replace(hour=0, minute=0)
            arrival = midnight - dt.timedelta(minutes=draw(st.integers(0, 3 * 1440)))
            left = (
                None if draw(st.booleans()) else stamp(near(draw, start, draw(st.integers(-60, 4 * limit))))
            )
            intake.append({"detainee_id": row["detainee_id"], "arrival": stamp(arrival), "release": left})
        for column in ("start", "end"):
            if row[column] is not None and draw(st.integers(0, 4)) == 0:
                row[column] = row[column][:10]
                day_only.setdefault(column, set()).add(position + 2)
    sheets = {"Placements": placements, "Checks": checks, "Intake": intake}
    dropped = {"Placements": draw(dropped_columns("Placements", _alternatives(check)))}
    return edition, req, Drawn(sheets, dropped, {"Placements": day_only})


@st.composite
def daily_presence_cases(draw: st.DrawFn, requirements: list[tuple[str, Requirement]]):
    """Readings at two or three locations on some days of the period and just outside it."""
    edition, req = draw(st.sampled_from(requirements))
    check = req.check
    rows = draw(rows_of(check["sheet"], 0, 30, set()))
    _satisfy(draw, check.get("where", []), rows)
    day_only: set[int] = set()
    last_day = (REVIEW_END - REVIEW_START).days
    for position, row in enumerate(rows):
        row[check["group_by"]] = draw(st.sampled_from(["walk-in", "freezer 2", "line"]))
        day = REVIEW_START + dt.timedelta(days=draw(st.integers(-1, last_day + 1)))
        minute = draw(st.sampled_from([0, 1, 719, 1439]))
        row[check["timestamp"]] = stamp(day + dt.timedelta(minutes=minute))
        if minute == 0 and draw(st.booleans()):
            row[check["timestamp"]] = row[check["timestamp"]][:10]
            day_only.add(position + 2)
    return edition, req, Drawn({check["sheet"]: rows}, {}, {check["sheet"]: {check["timestamp"]: day_only}})


QUARTER_END = dt.datetime(2026, 3, 31)  # a longer period, for monthly and weekly rules


@st.composite
def cadence_cases(draw: st.DrawFn, requirements: list[tuple[str, Requirement]]):
    """Events over a quarter, stepping around the limit in days, some areas blank; Housing units of
    which some are named by the log."""
    edition, req = draw(st.sampled_from(requirements))
    check = req.check
    limit = fixed_days(check["limit"])
    rows: Rows = []
    for area in draw(st.lists(st.sampled_from(["A", "B", "C", None]), min_size=0, max_size=3, unique=True)):
        day = REVIEW_START + dt.timedelta(days=draw(st.integers(-3, limit + 1)))
        while day <= QUARTER_END + dt.timedelta(days=2) and len(rows) < 12:
            rows.append({"date": day.date().isoformat(), "area": area, "event": "x"})
            day += dt.timedelta(days=draw(st.sampled_from([limit - 1, limit, limit + 1, 0, 3])))
    wanted = [c for c in check.get("where", []) if "in" in c]
    choices = list(decl.sheet("SafetyLog").column("event").choices)
    for row in rows:
        row["event"] = draw(
            st.sampled_from(wanted[0]["in"] if wanted and draw(st.integers(0, 3)) else choices)
        )
    housing = [
        {"unit_id": unit, "unit_type": draw(st.sampled_from(["general", "hold-room", None])),
         "rated_capacity": "10", "population": "5"}
        for unit in draw(st.lists(st.sampled_from(["A", "B", "D"]), max_size=3, unique=True))
    ]  # fmt: skip
    sheets = {"SafetyLog": rows, "Housing": housing}
    return edition, req, Drawn(sheets, facility={"review_period_end": QUARTER_END.date()})


@st.composite
def weekly_minimum_cases(draw: st.DrawFn, requirements: list[tuple[str, Requirement]]):
    """Unit-days over the period's two whole weeks and the days either side, minutes around the
    daily minimum (or adding up around the weekly total), some blank; Housing units, some unnamed."""
    edition, req = draw(st.sampled_from(requirements))
    check = req.check
    around = check.get("daily_minimum", check.get("weekly_total", 60) / 5)
    rows: Rows = []
    for unit in draw(st.lists(st.sampled_from(["A", "B", "C"]), max_size=2, unique=True)):
        dense = draw(st.integers(0, 6))  # of 6: how often a day has a row
        for day in range(-4, 24):
            if draw(st.integers(0, 5)) >= dense:
                continue
            levels = [None, 0, around - 1, around, around, around + 1, 4 * around, 4 * around]
            minutes = draw(st.sampled_from(levels))
            rows.append({
                "unit_id": unit,
                "date": (REVIEW_START + dt.timedelta(days=day)).date().isoformat(),
                check["value"]: None if minutes is None else str(int(minutes)),
                "outdoor": draw(st.sampled_from(["TRUE", "TRUE", "FALSE", None])),
            })  # fmt: skip
    housing = [
        {"unit_id": unit, "unit_type": draw(st.sampled_from(["general", "hold-room", "medical", None])),
         "rated_capacity": "10", "population": "5"}
        for unit in draw(st.lists(st.sampled_from(["A", "B", "D"]), max_size=3, unique=True))
    ]  # fmt: skip
    dropped = {"Activities": {"outdoor"} if draw(st.integers(0, 5)) == 0 else set()}
    return edition, req, Drawn({"Activities": rows, "Housing": housing}, dropped)


def fixed_days(duration: dict[str, Any]) -> int:
    ((unit, amount),) = duration.items()
    assert unit == "days", unit
    return int(amount)


SHAPES: dict[str, Callable[[st.DrawFn, dict[str, Any], Rows], None]] = {
    "deadline": deadline,
    "max_duration": max_duration,
    "value_limit": value_limit,
    "credential": credential,
    "ratio": ratio,
}


def time_columns(check: dict[str, Any]) -> list[str]:
    """The check's own datetime columns, which a workbook may give as a date only."""
    names = [check.get(p) for p in ("start", "end", "deadline_column", "released", "or_before")]
    declared = decl.sheet(check["sheet"])
    return [
        n for n in names if n and n in declared.column_names and declared.column(n).kind is decl.Kind.DATETIME
    ]


@st.composite
def cases(draw: st.DrawFn, kind: str, requirements: list[tuple[str, Requirement]] | None = None):
    """(edition, requirement, Drawn) for a requirement of the kind read from one sheet."""
    edition, req = draw(st.sampled_from(requirements or requirements_of(kind)))
    check, sheet = req.check, req.check["sheet"]
    rows = draw(
        rows_of(sheet, 1, 6, check_columns(check).get(sheet, set()) | {"date_of_birth", "detainee_id"})
    )
    _satisfy(draw, check.get("where", []), rows)
    if kind in SHAPES:
        SHAPES[kind](draw, check, rows)
    day_only: dict[str, set[int]] = {}
    for column in time_columns(check):
        for position, row in enumerate(rows):
            if row[column] is not None and draw(st.integers(0, 4)) == 0:
                row[column] = row[column][:10]  # "2026-01-05": some time that day
                day_only.setdefault(column, set()).add(position + 2)
    sheets = {sheet: rows}
    if sheet != "Intake":  # dates of birth may come from Intake
        sheets["Intake"] = draw(rows_of("Intake", 0, 4, {"date_of_birth"}))
    return (
        edition,
        req,
        Drawn(sheets, {sheet: draw(dropped_columns(sheet, _alternatives(check)))}, {sheet: day_only}),
    )


def _alternatives(check: dict[str, Any]) -> set[str]:
    """Columns the rule may run without: optional parameters and the parts of an or."""
    out = {check[p] for p in ("released", "substitute", "also_value_over", "or_before") if p in check}

    def walk(conds: list[dict[str, Any]], nested: bool) -> None:
        for cond in conds:
            if "any_of" in cond:
                walk(cond["any_of"], True)
            elif nested:
                out.update(cond[k] for k in ("column", "age_at") if k in cond)

    walk(check.get("where", []) + check.get("qualifying", []), False)
    walk(check.get("violation_when", []), True)
    return out
