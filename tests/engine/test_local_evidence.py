"""Evidence reads in the facility's local time, as the inspector wrote it (docs/verdicts.md "Times").

A workbook in Chicago is written with local wall times and read by the real loader, which holds them
as UTC instants (08:00 CST in January is 14:00 UTC); every detail and cell must show 08:00 again.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import pytest
from conftest import FACILITY

from auditor.contracts.results import Result
from auditor.core import audit_inspection
from auditor.engine.outcome import day, stamp
from auditor.workbook.write import write_inspection

if TYPE_CHECKING:
    from conftest import Workbook

CHICAGO = {"time_zone": "America/Chicago"}


def _intake(**fields: str | None) -> dict[str, object]:
    row: dict[str, object] = {
        "detainee_id": "A100000001",
        "arrival": "2026-01-05 08:00",
        "sex": "F",
        "date_of_birth": "1990-05-17",
        "housing_unit": "A",
        "classified": "2026-01-05 09:00",
        "medical_screening": "2026-01-05 21:00",  # 13 h after arrival: late (12 h)
    }
    return {**row, **fields}


@pytest.fixture
def results(tmp_path: Path, workbook: Workbook) -> dict[str, Result]:
    path = workbook(
        tmp_path / "chicago.xlsx",
        facility=CHICAGO,
        Intake=[
            _intake(),
            _intake(
                detainee_id="A100000002",
                arrival="2026-01-06 08:00",
                classified="2026-01-06 09:00",
                medical_screening=None,
            ),
        ],
        Placements=[
            {
                "placement_id": "HR-1",
                "detainee_id": "A100000001",
                "kind": "hold-room",
                "start": "2026-02-01 08:00",
                "end": "2026-02-01 21:00",
                "with_children": False,
            }
        ],
        Checks=[{"placement_id": "HR-1", "checked": "2026-02-01 08:10"}],
        FoodTemps=[
            {"recorded": "2026-02-01 08:00", "location": "Kitchen", "kind": "cold-holding", "temp_f": 45}
        ],
    )
    audit = audit_inspection(path)
    assert audit.results is not None, audit.loaded.problems.records()
    return {r.requirement_id: r for r in audit.results.results}


def _cells(result: Result) -> list[tuple[int | None, dict[str, str], str]]:
    return [(e.row, {c["column"]: c["value"] for c in e.cells}, e.detail) for e in result.evidence]


def test_a_late_intake_screening_shows_the_times_written(results: dict[str, Result]) -> None:
    # due 12 h after 08:00 local; UTC would read 14:00 and 03:00 the next day
    late, missing = _cells(results["MC-INTAKE-SCREEN"])
    assert late[0] == 2
    assert late[1]["arrival"] == "2026-01-05 08:00"
    assert late[1]["medical_screening"] == "2026-01-05 21:00"
    assert late[2] == "medical_screening 13 h after arrival (limit 12 hours)"
    assert missing[1]["arrival"] == "2026-01-06 08:00"
    assert missing[2] == "no medical_screening recorded; due by 2026-01-06 20:00"


def test_a_gap_between_checks_shows_the_times_written(results: dict[str, Result]) -> None:
    ((row, cells, detail),) = _cells(results["HR-CHECKS"])
    assert row == 2
    assert (cells["start"], cells["end"]) == ("2026-02-01 08:00", "2026-02-01 21:00")
    assert "from 2026-02-01 08:10 to 2026-02-01 21:00" in detail


def test_a_long_stay_shows_the_times_written(results: dict[str, Result]) -> None:
    ((row, cells, detail),) = _cells(results["HR-MAX-STAY"])
    assert row == 2
    assert (cells["start"], cells["end"]) == ("2026-02-01 08:00", "2026-02-01 21:00")
    assert detail.startswith("lasted 13 h")


def test_a_temperature_reading_shows_the_time_written(results: dict[str, Result]) -> None:
    ((row, cells, detail),) = _cells(results["FS-COLD-HOLD"])
    assert (row, cells["recorded"]) == (2, "2026-02-01 08:00")
    assert detail.startswith("45 °F")


def test_the_repeated_hour_of_a_fall_back_night_carries_its_offset() -> None:
    # 1 November 2026, Chicago: 06:30 UTC is 01:30 CDT (-05:00), 07:30 UTC is 01:30 CST (-06:00);
    # 05:30 UTC (00:30) and 08:30 UTC (02:30) are unambiguous and shown bare
    utc = pd.Series(
        pd.to_datetime(["2026-11-01 05:30", "2026-11-01 06:30", "2026-11-01 07:30", "2026-11-01 08:30", None])
    )
    assert stamp(utc, "America/Chicago").tolist() == [
        "2026-11-01 00:30",
        "2026-11-01 01:30 -05:00",
        "2026-11-01 01:30 -06:00",
        "2026-11-01 02:30",
        "",
    ]


def test_the_spring_forward_night_is_never_ambiguous() -> None:
    # 8 March 2026: 07:55 UTC is 01:55 CST, 08:07 UTC is 03:07 CDT (the SMU-CHECKS example)
    utc = pd.Series(pd.to_datetime(["2026-03-08 07:55", "2026-03-08 08:07"]))
    assert stamp(utc, "America/Chicago").tolist() == ["2026-03-08 01:55", "2026-03-08 03:07"]


def test_a_local_day_is_the_facilitys_not_utcs() -> None:
    # 05:30 UTC on 6 January is still 5 January in Chicago; without a zone the day is as held
    utc = pd.Series(pd.to_datetime(["2026-01-06 05:30"]))
    assert day(utc, "America/Chicago").tolist() == ["2026-01-05"]
    assert day(utc).tolist() == ["2026-01-06"]


def test_a_time_written_as_a_bare_date_shows_that_day(tmp_path: Path) -> None:
    # a CSV cell `2026-02-01` means some time that day (held as 06:00 UTC, local midnight): the
    # cell reads back as the day, never as a time nobody wrote ("2026-02-01 00:00")
    rows = [
        {"recorded": "2026-02-01", "location": "Kitchen", "kind": "cold-holding", "temp_f": "45"},
        {"recorded": "2026-02-01 23:30", "location": "Kitchen", "kind": "cold-holding", "temp_f": "46"},
    ]
    facility = {**FACILITY, **CHICAGO}
    folder = write_inspection(tmp_path / "csv", facility, {"FoodTemps": pd.DataFrame(rows)}, csv=True)
    audit = audit_inspection(folder)
    assert audit.results is not None, audit.loaded.problems.records()
    (result,) = [r for r in audit.results.results if r.requirement_id == "FS-COLD-HOLD"]
    shown = [(row, cells["recorded"]) for row, cells, _ in _cells(result)]
    # 23:30 CST on 1 February is 05:30 UTC on 2 February: still shown on the day written
    assert shown == [(2, "2026-02-01"), (3, "2026-02-01 23:30")]
