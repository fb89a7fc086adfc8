"""A facility's course over its inspections: its deficiencies, and the priority and repeat ones
among them, inspection by inspection from the oldest, as a chart with its table.

The figures are each inspection's headline (ODO's counts, as the report's cover gives them); the
points come from results files (the command line) or from a workspace's recorded results
(auditor.service.trends). A trend needs two inspections: with fewer there is no chart.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from auditor.contracts.results import Results
from auditor.report import charts
from auditor.report.charts import Segment

SERIES = [("bad", "Deficiencies"), ("priority", "Priority"), ("repeat", "Repeat")]
CAPTION = "Deficiencies over the facility's inspections"


@dataclass(frozen=True)
class TrendPoint:
    """One inspection of the facility: its id, end date (ISO) and headline counts."""

    inspection_id: str
    ended: str | None
    deficient: int
    priority: int
    repeat: int

    @property
    def label(self) -> str:
        return f"{self.inspection_id}, {self.ended or 'end unknown'}"


def point_of(results: Results) -> TrendPoint:
    s, inspection = results.summary, results.inspection
    return TrendPoint(
        inspection_id=str(inspection.get("inspection_id") or "unnamed"),
        ended=str(inspection["inspection_end"]) if inspection.get("inspection_end") else None,
        deficient=s.deficient,
        priority=s.priority_deficiencies,
        repeat=s.repeat_deficiencies,
    )


def ordered(points: Iterable[TrendPoint], up_to: TrendPoint | None = None) -> list[TrendPoint]:
    """Oldest first (by end date, then id), an inspection once (the last given wins); with `up_to`,
    only the inspections that ended no later than it, and it: a report never shows its future."""
    by_id = {p.inspection_id: p for p in points}
    if up_to is not None:
        by_id[up_to.inspection_id] = up_to
        limit = (up_to.ended or "", up_to.inspection_id)
        by_id = {i: p for i, p in by_id.items() if (p.ended or "", p.inspection_id) <= limit}
    return sorted(by_id.values(), key=lambda p: (p.ended or "", p.inspection_id))


def results_trend(current: Results, earlier: Iterable[Results]) -> list[TrendPoint]:
    """The points of the current results and earlier results files of the same facility."""
    facility = current.facility.get("facility_id")
    same = [point_of(r) for r in earlier if r.facility.get("facility_id") == facility]
    return ordered(same, up_to=point_of(current))


def trend_chart(points: list[TrendPoint]) -> Markup | None:
    """The grouped bars of the points, oldest at the top, with their table; None for fewer than two."""
    if len(points) < 2:
        return None
    groups = [
        (
            p.label,
            [
                Segment(p.deficient, "bad", f"{p.inspection_id}: {p.deficient} deficiencies"),
                Segment(p.priority, "priority", f"{p.inspection_id}: {p.priority} priority"),
                Segment(p.repeat, "repeat", f"{p.inspection_id}: {p.repeat} repeat"),
            ],
        )
        for p in points
    ]
    return charts.grouped_bars(groups, SERIES, CAPTION, label_width=charts.LABEL_WIDTH, heading="Inspection")


def item_ages_chart(items: list[dict[str, Any]]) -> Markup | None:
    """Open corrective-action items by age in days (each item's `age`, `overdue`, `requirement_id`
    and `inspection`), overdue ones striped; None when there is none."""
    if not items:
        return None
    rows = [
        (
            f"{item['requirement_id']} ({item['inspection']})",
            [
                Segment(
                    item["age"],
                    "bad" if item["overdue"] else "neutral",
                    f"{item['age']} days{', overdue' if item['overdue'] else ''}",
                )
            ],
        )
        for item in items
    ]
    return charts.stacked_bars(
        rows,
        [("bad", "Overdue"), ("neutral", "Not overdue")],
        "Open corrective-action items by age in days",
        label_width=charts.WIDE_LABEL,
        heading="Item (inspection that found it)",
    )
