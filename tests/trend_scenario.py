"""Two inspections of one facility (ATL-SPC-0001) by their Checklist, for the trend tests: three
deficiencies, the fire plan a priority component; six months on the fire plan is posted, storage
is deficient again (a repeat), keys were not observed."""

from __future__ import annotations

from builders import day

FIRST = [
    {"requirement_id": "EHS-FIRE-PLAN", "finding": "deficient", "remarks": "no evacuation plan posted"},
    {"requirement_id": "FS-STORAGE", "finding": "deficient", "remarks": "pallets against the wall"},
    {"requirement_id": "KLC-KEY-CONTROL", "finding": "deficient", "remarks": "two rings unaccounted for"},
]
LATER = [
    {"requirement_id": "EHS-FIRE-PLAN", "finding": "compliant", "evidence": "plan posted in every unit"},
    {"requirement_id": "FS-STORAGE", "finding": "deficient", "remarks": "pallets against the wall again"},
    {"requirement_id": "KLC-KEY-CONTROL", "finding": "not-observed"},
]
LATER_FACILITY = {
    "inspection_id": "INSP-2026-0002",
    "previous_inspection_id": "INSP-2026-0001",
    "inspection_start": day("2026-10-06"),
    "inspection_end": day("2026-10-09"),
    "review_period_start": day("2026-07-01"),
    "review_period_end": day("2026-09-30"),
}
