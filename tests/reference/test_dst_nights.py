"""The clock-change nights, by hand: the reference and the engine both give the known answer.

HR-CHECKS (checks at most 15 minutes apart) in Chicago. On 8 March 2026 the clocks go from 01:59
to 03:00: checks at 01:55 and 03:07 local are 12 minutes apart. On 1 November they go from 01:59
CDT back to 01:00 CST: 01:50 CDT to 01:05 CST is 15 minutes, to 01:06 CST 16 minutes. Times are
written as the loader gives them: UTC instants (CDT is UTC-5, CST UTC-6).
"""

from __future__ import annotations

import datetime as dt

import pytest
from generated_inspections import Drawn, engine_result, from_reference, requirements_of

HR_CHECKS = next((e, r) for e, r in requirements_of("max_gap") if r.id == "HR-CHECKS")


def placement(start: str, end: str, checks: list[str], first_day: dt.date) -> Drawn:
    facility = {
        "time_zone": "America/Chicago",
        "review_period_start": first_day,
        "review_period_end": first_day + dt.timedelta(days=19),
        "inspection_start": first_day + dt.timedelta(days=25),
        "inspection_end": first_day + dt.timedelta(days=28),
    }
    sheets = {
        "Placements": [
            {"placement_id": "P1", "detainee_id": "A1", "kind": "hold-room", "start": start, "end": end}
        ],
        "Checks": [{"placement_id": "P1", "checked": when} for when in checks],
    }
    return Drawn(sheets, facility=facility)


SPRING, FALL = dt.date(2026, 3, 1), dt.date(2026, 10, 25)


@pytest.mark.parametrize(
    ("drawn", "status"),
    [
        # 01:50 CST start (07:50Z), checks 01:55 CST (07:55Z) and 03:07 CDT (08:07Z): 12 minutes
        # (72 if the wall times were subtracted), end 03:10 CDT
        (placement("2026-03-08 07:50", "2026-03-08 08:10", ["2026-03-08 07:55", "2026-03-08 08:07"], SPRING),
         "compliant"),
        # a check at 03:20 CDT (08:20Z) instead: 25 minutes after 01:55 CST
        (placement("2026-03-08 07:50", "2026-03-08 08:25", ["2026-03-08 07:55", "2026-03-08 08:20"], SPRING),
         "deficient"),
        # 01:45 CDT start (06:45Z), checks 01:50 CDT (06:50Z) and 01:05 CST (07:05Z), end 01:10 CST
        (placement("2026-11-01 06:45", "2026-11-01 07:10", ["2026-11-01 06:50", "2026-11-01 07:05"], FALL),
         "compliant"),
        # 01:06 CST (07:06Z): 16 minutes after 01:50 CDT
        (placement("2026-11-01 06:45", "2026-11-01 07:10", ["2026-11-01 06:50", "2026-11-01 07:06"], FALL),
         "deficient"),
    ],
)  # fmt: skip
def test_the_clock_change_nights(drawn: Drawn, status: str) -> None:
    edition, req = HR_CHECKS
    inspection = drawn.inspection(edition)
    assert from_reference(req.check, inspection).status == status
    assert engine_result(edition, req, inspection).status == status
