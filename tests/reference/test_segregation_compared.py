"""segregation_notices: the engine and the plain reference (reference_segregation.py) agree on generated
Placements sheets: a few detainees, rows of either segregation kind or another, gaps around a day,
open ends, notices or none, and starts, ends or notices written as a date only."""

from __future__ import annotations

import datetime as dt

import numpy as np
from generated_inspections import PROFILE
from hypothesis import given, settings
from hypothesis import strategies as st
from reference_segregation import marks

from auditor.engine.context import Context
from auditor.engine.evaluate import evaluate_requirement
from auditor.standards.load import load_edition
from tests.engine.conftest import make_inspection

REQUIREMENTS = ("SMU-NOTIFY-14D", "SMU-NOTIFY-30D", "SMU-NOTIFY-14IN21")
KINDS = ("administrative-segregation", "disciplinary-segregation", "hold-room")
ORIGIN = dt.datetime(2025, 12, 1)  # a month before the review period (2026-01-01 to 2026-03-31)


@st.composite
def placements(draw: st.DrawFn) -> tuple[list[dict], dict[str, list[bool]]]:
    """Rows chained per detainee (each starts near the previous end, so histories join or not), in
    whole hours; some cells a date only (their day, at midnight)."""
    rows, flags = [], {"start": [], "end": [], "field_office_notified": []}
    at = {who: ORIGIN + dt.timedelta(hours=draw(st.integers(0, 24 * 40))) for who in ("D1", "D2")}
    for n in range(draw(st.integers(1, 7))):
        who = draw(st.sampled_from(["D1", "D2", "D3"]))
        start = at.get(who, ORIGIN + dt.timedelta(days=draw(st.integers(0, 100))))
        start += dt.timedelta(hours=draw(st.sampled_from([0, 1, 12, 23, 24, 25, 48, 24 * 5])))
        length = dt.timedelta(hours=draw(st.integers(0, 24 * 35)))
        end = None if draw(st.integers(0, 5)) == 0 else start + length
        notified = None
        if draw(st.booleans()):
            notified = start + dt.timedelta(hours=draw(st.integers(-24, 24 * 45)))
        at[who] = end or start + length
        cells = {"start": start, "end": end, "field_office_notified": notified}
        for column, value in cells.items():
            day = value is not None and draw(st.integers(0, 4)) == 0
            flags[column].append(day)
            if day:
                cells[column] = value.replace(hour=0)
        rows.append(
            {
                "placement_id": f"P{n}",
                "detainee_id": who,
                "kind": draw(st.sampled_from(KINDS)),
                **{c: (v.strftime("%Y-%m-%d %H:%M") if v is not None else None) for c, v in cells.items()},
            }
        )
    return rows, flags


@settings(PROFILE)
@given(drawn=placements(), requirement=st.sampled_from(REQUIREMENTS))
def test_the_engine_agrees_with_the_reference(drawn, requirement: str) -> None:
    rows, flags = drawn
    inspection = make_inspection(Placements=rows)
    for column, flagged in flags.items():
        inspection.date_only.setdefault("Placements", {})[column] = np.array(flagged)
    standards = load_edition("PBNDS-2011")
    req = standards.requirements[requirement]
    result = evaluate_requirement(req, Context(inspection), standards)
    expected = marks(req.check, inspection)
    found = {
        "population": result.population,
        "violation": sorted(e.row for e in result.evidence if e.verdict == "violation"),
        "indeterminate": sorted(e.row for e in result.evidence if e.verdict == "indeterminate"),
    }
    assert found == expected, rows
    assert (result.violations, result.indeterminate) == (
        len(expected["violation"]),
        len(expected["indeterminate"]),
    )
