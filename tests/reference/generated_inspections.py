"""Small inspections for the property tests, and the comparison of the engine with the reference.

Rows are drawn as text, as an inspector types them, and typed by the workbook's own column parser,
so the frames have the dtypes a real workbook gives; sheets are indexed by Excel row (2, 3, …).
Times cluster around what decides a verdict: the review period's edges, a limit ± 1 minute,
weekends and federal holidays (the period holds New Year's Day and Martin Luther King Day).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import reference_kinds
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from auditor.contracts.inspection import Inspection
from auditor.contracts.results import Result
from auditor.engine.context import Context
from auditor.engine.evaluate import evaluate_requirement
from auditor.standards.load import load_edition
from auditor.standards.model import Requirement
from auditor.workbook import declarations as decl
from auditor.workbook.parse import parse_column

settings.register_profile(
    "reference", max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "long", max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
PROFILE = settings.get_profile("long" if os.environ.get("HYPOTHESIS_PROFILE") == "long" else "reference")

EDITIONS = ("PBNDS-2011", "NDS-2019", "NDS-2025")
REVIEW_START = dt.datetime(2026, 1, 1)
REVIEW_END = dt.datetime(2026, 1, 20)  # its last day: MLK day is the 19th
FACILITY: dict[str, Any] = {
    "facility_id": "SPC-0001",
    "facility_name": "Generated Processing Center",
    "facility_type": "SPC",
    "aor": "ELP",
    "state": "TX",
    "detention_standard": "PBNDS-2011",
    "rated_capacity": 60,
    "inspection_id": "INS-2026-0001",
    "inspection_type": "full",
    "inspection_start": dt.date(2026, 1, 26),
    "inspection_end": dt.date(2026, 1, 29),
    "review_period_start": REVIEW_START.date(),
    "review_period_end": REVIEW_END.date(),
    "lead_inspector": "A. Inspector",
    "previous_inspection_id": None,
}


@functools.cache
def requirements_of(kind: str) -> list[tuple[str, Requirement]]:
    """(edition, requirement) for each distinct check of the kind, across the editions."""
    out: dict[str, tuple[str, Requirement]] = {}
    for edition in EDITIONS:
        for req in load_edition(edition).requirements.values():
            if req.kind == kind and FACILITY["facility_type"] not in req.not_applicable_to.get(
                "facility_type", []
            ):
                out.setdefault(json.dumps(req.check, sort_keys=True, default=str), (edition, req))
    return list(out.values())


# ---------------------------------------------------------------- drawing values


def stamp(when: dt.datetime) -> str:
    return when.strftime("%Y-%m-%d %H:%M")


@st.composite
def instants(draw: st.DrawFn) -> dt.datetime:
    """A minute near the review period's edges, or anywhere in it (a few days either side)."""
    # the period's edges, and 01:30 on its second day: the clock-change night once zoned()
    night = REVIEW_START + dt.timedelta(days=1, hours=1, minutes=30)
    anchor = draw(st.sampled_from([REVIEW_START, REVIEW_END + dt.timedelta(days=1), night]))
    minutes = draw(
        st.one_of(
            st.integers(-3 * 1440, 3 * 1440),
            st.sampled_from([-1, 0, 1, -1440, 1440]),
            st.integers(-25 * 1440, 25 * 1440),
        )
    )
    return anchor + dt.timedelta(minutes=minutes)


def near(draw: st.DrawFn, start: dt.datetime, limit_minutes: int) -> dt.datetime:
    """A time around `start + limit`: exactly on it, a minute either side, or anywhere about."""
    offset = draw(
        st.one_of(
            st.sampled_from([limit_minutes - 1, limit_minutes, limit_minutes + 1, 0, -1]),
            st.integers(-2 * 1440, limit_minutes + 4 * 1440),
        )
    )
    return start + dt.timedelta(minutes=offset)


def _value(draw: st.DrawFn, sheet: str, column: decl.Column, row: int) -> str | None:
    """A random cell of the column, as text (None: empty, only where the column is optional)."""
    if not column.required and draw(st.integers(0, 4)) == 0:
        return None
    kind = column.kind
    if kind is decl.Kind.ENUM:
        return draw(st.sampled_from(list(column.choices)))
    if kind is decl.Kind.BOOL:
        return draw(st.sampled_from(["TRUE", "FALSE"]))
    if kind in (decl.Kind.INT, decl.Kind.NUMBER):
        return str(draw(st.integers(0, 40)))
    if kind is decl.Kind.DATE:
        if column.name == "date_of_birth":  # around 18, 56 and 70 years before the period
            years = draw(st.sampled_from([17, 18, 19, 55, 56, 57, 69, 70, 71, 30]))
            day = REVIEW_START.date().replace(year=2026 - years) + dt.timedelta(
                days=draw(st.integers(-20, 40))
            )
            return day.isoformat()
        return (REVIEW_START.date() + dt.timedelta(days=draw(st.integers(-400, 40)))).isoformat()
    if kind is decl.Kind.DATETIME:
        return stamp(draw(instants()))
    if column.name == "classification_levels":
        levels = draw(st.lists(st.sampled_from(["1", "2", "3", "13"]), max_size=3))
        return draw(st.sampled_from([",", ", ", " ", ";", "/"])).join(levels) or None
    if column.name in ("detainee_id",):
        return f"A{draw(st.integers(1, 4))}"
    return f"{column.name[:3].upper()}{row}"  # ids and names: unique per row


@st.composite
def rows_of(
    draw: st.DrawFn, sheet: str, min_rows: int = 0, max_rows: int = 5, columns: set[str] | None = None
) -> list[dict[str, str | None]]:
    """Rows of the sheet's required columns and of `columns` (default: every declared column)."""
    declared = decl.sheet(sheet)
    chosen = [c for c in declared.columns if columns is None or c.required or c.name in columns]
    count = draw(st.integers(min_rows, max_rows))
    return [{c.name: _value(draw, sheet, c, i + 2) for c in chosen} for i in range(count)]


@dataclass
class Drawn:
    """A generated inspection before typing: sheets of text rows, columns left out, date-only cells."""

    sheets: dict[str, list[dict[str, str | None]]]
    dropped: dict[str, set[str]] = field(default_factory=dict)
    day_only: dict[str, dict[str, set[int]]] = field(default_factory=dict)  # sheet → column → rows
    facility: dict[str, Any] = field(default_factory=dict)  # fields other than FACILITY's

    def inspection(self, edition: str) -> Inspection:
        frames = {
            name: _typed(name, rows, self.dropped.get(name, set())) for name, rows in self.sheets.items()
        }
        day_only: dict[str, dict[str, np.ndarray]] = {}
        for name, frame in frames.items():
            declared = decl.sheet(name)
            for column in frame.columns:
                marked = self.day_only.get(name, {}).get(column, set())
                whole = declared.column(column).kind is decl.Kind.DATE
                if whole or marked:
                    day_only.setdefault(name, {})[column] = np.array(
                        [whole or row in marked for row in frame.index], dtype=bool
                    )
        fields = {**FACILITY, "detention_standard": edition, **self.facility}
        return Inspection(
            source=Path("generated.xlsx"),
            format="xlsx",
            facility=fields,
            facility_rows={name: row for row, name in enumerate(fields, start=2)},
            sheets=frames,
            letters={n: {c: _letter(i) for i, c in enumerate(f.columns)} for n, f in frames.items()},
            inputs=[("generated.xlsx", "0" * 64)],
            date_only=day_only,
            day_columns={
                name: frozenset(c for c in frame.columns if decl.sheet(name).column(c).kind is decl.Kind.DATE)
                for name, frame in frames.items()
            },
        )

    def in_zone(self, zone: str, shift: dt.timedelta, fold: int) -> Drawn:
        """The same inspection moved by `shift` days and kept at a facility in `zone`, as the loader
        gives it: wall times as UTC instants (a time the spring-forward change skipped read as the
        adjusted clock shows it, one the fall-back change repeats as its first or second occurrence,
        `fold`), a date-only time as the UTC instant of its local midnight, date columns as days."""
        sheets = {}
        for name, rows in self.sheets.items():
            declared = decl.sheet(name)
            moved = []
            for position, row in enumerate(rows):
                out = dict(row)
                for column, text in row.items():
                    kind = declared.column(column).kind
                    if text is None or kind not in (decl.Kind.DATE, decl.Kind.DATETIME):
                        continue
                    when = dt.datetime.fromisoformat(text) + shift
                    if kind is decl.Kind.DATE:
                        out[column] = when.date().isoformat()
                        continue
                    if position + 2 in self.day_only.get(name, {}).get(column, set()):
                        when = when.replace(hour=0, minute=0)
                    out[column] = stamp(_to_utc(when, zone, fold))
                moved.append(out)
            sheets[name] = moved
        facility = {**self.facility, "time_zone": zone}
        for key in ("review_period_start", "review_period_end", "inspection_start", "inspection_end"):
            facility[key] = facility.get(key, FACILITY[key]) + shift
        return Drawn(sheets, self.dropped, self.day_only, facility)


def _to_utc(local: dt.datetime, zone: str, fold: int) -> dt.datetime:
    """A wall time at the facility as a naive UTC instant (zoneinfo)."""
    aware = local.replace(tzinfo=ZoneInfo(zone), fold=fold)
    back = aware.astimezone(dt.UTC).astimezone(ZoneInfo(zone)).replace(tzinfo=None)
    if back != local:  # skipped by the spring-forward change: the adjusted clock's reading
        aware = (local + dt.timedelta(hours=1)).replace(tzinfo=ZoneInfo(zone))
    return aware.astimezone(dt.UTC).replace(tzinfo=None)


# The facility zones and the first day of a review period that holds a clock change (its 20 days
# then hold the spring-forward night of 8 March, or the fall-back night of 1 November)
ZONES = [
    ("America/Chicago", dt.date(2026, 3, 7)),
    ("America/New_York", dt.date(2026, 3, 7)),
    ("America/Chicago", dt.date(2026, 10, 31)),
    ("America/Denver", dt.date(2026, 10, 31)),
]


@st.composite
def zoned(draw: st.DrawFn, inner: st.SearchStrategy) -> tuple:
    """A case of `inner`, moved to a review period with a clock change at a facility with a zone."""
    edition, req, drawn = draw(inner)
    zone, first = draw(st.sampled_from(ZONES))
    shift = dt.datetime.combine(first, dt.time()) - REVIEW_START
    return edition, req, drawn.in_zone(zone, shift, draw(st.integers(0, 1)))


def _letter(position: int) -> str:
    """0 → A, 26 → AA."""
    return (_letter(position // 26 - 1) if position >= 26 else "") + chr(65 + position % 26)


def _typed(sheet: str, rows: list[dict[str, str | None]], dropped: set[str]) -> pd.DataFrame:
    """The rows typed with the dtypes the workbook's parser gives (test_typing checks they agree),
    built directly: the parser's checks of every cell would take most of each example's time."""
    declared = decl.sheet(sheet)
    index = pd.RangeIndex(2, 2 + len(rows))
    names = [c for c in dict.fromkeys(k for r in rows for k in r) if c not in dropped]
    if not rows:
        names = [c.name for c in declared.columns if c.name not in dropped]
    return pd.DataFrame(
        {n: typed_column(declared.column(n), [r.get(n) for r in rows], index) for n in names}, index=index
    )


def typed_column(column: decl.Column, texts: list[str | None], index: pd.Index) -> pd.Series:
    kind = column.kind
    if kind in (decl.Kind.DATE, decl.Kind.DATETIME):
        values = [None if t is None else dt.datetime.fromisoformat(t) for t in texts]
        return pd.Series(pd.to_datetime(values), index=index).astype("datetime64[us]")
    if kind is decl.Kind.BOOL:
        return pd.Series(
            pd.array([None if t is None else t == "TRUE" for t in texts], dtype="boolean"), index=index
        )
    if kind is decl.Kind.INT:
        return pd.Series(pd.array([None if t is None else int(t) for t in texts], dtype="Int64"), index=index)
    if kind is decl.Kind.NUMBER:
        return pd.Series(
            pd.array([None if t is None else float(t) for t in texts], dtype="Float64"), index=index
        )
    return pd.Series(texts, index=index, dtype=object).astype("string")


def parsed(sheet: str, rows: list[dict[str, str | None]]) -> pd.DataFrame:
    """The same rows typed by the workbook's own column parser."""
    declared = decl.sheet(sheet)
    index = pd.RangeIndex(2, 2 + len(rows))
    typed = {}
    for name in dict.fromkeys(k for r in rows for k in r):
        text = pd.Series([r.get(name) for r in rows], index=index, dtype=object)
        values, bad, _ = parse_column(text, declared.column(name))
        if bad is not None and bad.any():
            raise ValueError(f"generated {sheet}.{name} does not parse: {list(text[bad])}")
        typed[name] = values
    return pd.DataFrame(typed, index=index)


@st.composite
def dropped_columns(draw: st.DrawFn, sheet: str, often: set[str] = frozenset()) -> set[str]:
    """Some optional columns of the sheet left out: those in `often` (columns a rule may run without)
    with probability 1/3, the others 1/20 (an absent column the rule needs: not assessed)."""
    optional = [c.name for c in decl.sheet(sheet).columns if not c.required]
    return {c for c in optional if draw(st.integers(0, 2 if c in often else 19)) == 0}


# ---------------------------------------------------------------- comparing


@dataclass
class Compared:
    status: str
    population: int
    violations: int
    indeterminate: int
    violation_rows: list[tuple[str, int]]
    indeterminate_rows: list[tuple[str, int]]
    rowless: tuple[int, int]  # evidence with no row: (violations, indeterminate)
    absent_columns: list[str]


def from_engine(result: Result) -> Compared:
    def rows(verdict: str) -> list[tuple[str, int]]:
        return sorted((e.sheet, e.row) for e in result.evidence if e.verdict == verdict and e.row is not None)

    def rowless(verdict: str) -> int:
        return sum(1 for e in result.evidence if e.verdict == verdict and e.row is None)

    assessed = result.status != "not_assessed"
    return Compared(
        status=result.status,
        population=result.population if assessed else 0,
        violations=result.violations if assessed else 0,
        indeterminate=result.indeterminate if assessed else 0,
        violation_rows=rows("violation"),
        indeterminate_rows=rows("indeterminate"),
        rowless=(rowless("violation"), rowless("indeterminate")),
        absent_columns=sorted(result.absent_columns),
    )


def from_reference(check: dict[str, Any], inspection: Inspection) -> Compared:
    verdicts = reference_kinds.evaluate(check, inspection)

    def rows(keys: set[Any]) -> list[tuple[str, int]]:
        return sorted((k[0], k[1]) for k in keys if k[1] is not None)

    return Compared(
        status=verdicts.final_status(),
        population=verdicts.population,
        violations=len(verdicts.violation),
        indeterminate=len(verdicts.indeterminate),
        violation_rows=rows(verdicts.violation),
        indeterminate_rows=rows(verdicts.indeterminate),
        rowless=(
            sum(1 for k in verdicts.violation if k[1] is None),
            sum(1 for k in verdicts.indeterminate if k[1] is None),
        ),
        absent_columns=sorted(verdicts.absent_columns),
    )


def engine_result(edition: str, req: Requirement, inspection: Inspection) -> Result:
    return evaluate_requirement(req, Context(inspection), load_edition(edition))


def assert_agree(edition: str, req: Requirement, drawn: Drawn) -> None:
    """The engine classifies every record as the reference does (counts, and evidence rows by verdict)."""
    inspection = drawn.inspection(edition)
    engine = from_engine(engine_result(edition, req, inspection))
    # an attestation's check is only its kind: the Checklist row it reads is the requirement's id
    check = {**req.check, "requirement_id": req.id} if req.kind == "attestation" else req.check
    expected = from_reference(check, inspection)
    assert engine == expected, f"{edition} {req.id}: engine {engine} != reference {expected}"
