"""The roster part of the portfolio: every facility ICE lists, its last ICE inspection and rating,
our latest audit where one exists, and the facilities overdue for inspection."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any

from auditor.contracts.results import Results
from auditor.contracts.roster import Facility, Roster
from auditor.imports.roster import name_key
from auditor.report import charts
from auditor.report.charts import Segment
from auditor.report.view import RATING_CSS, headline

OUTCOMES = (("fail", "fails", "Fail"), ("pending", "incomplete", "Pending"), ("pass", "meets", "Pass"))
NO_RATING = ("none", "na", "No rating reported")


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` earlier (the last day of the month when it is shorter)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    for candidate in range(day.day, 0, -1):
        try:
            return dt.date(year, month, candidate)
        except ValueError:
            continue
    raise ValueError(day)


def latest_audits(roster: Roster, all_results: list[Results]) -> dict[str, Results]:
    """Our latest audit of each roster facility, matched by facility id, else by name and state."""
    by_id = {f.facility_id: f for f in roster.facilities}
    by_name: dict[str, list[Facility]] = defaultdict(list)
    for f in roster.facilities:
        by_name[name_key(f.name, f.state)[0]].append(f)
    latest: dict[str, Results] = {}
    for results in all_results:
        facility = _match(results.facility, by_id, by_name)
        if facility is None:
            continue
        known = latest.get(facility.facility_id)
        if known is None or _ended(results) > _ended(known):
            latest[facility.facility_id] = results
    return latest


def _ended(results: Results) -> str:
    return str(results.inspection["inspection_end"])


def _match(facts: dict[str, Any], by_id: dict[str, Facility], by_name: dict[str, list[Facility]]):
    if facts.get("facility_id") in by_id:
        return by_id[facts["facility_id"]]
    name, state = name_key(str(facts.get("facility_name") or ""), facts.get("state"))
    candidates = [f for f in by_name.get(name, []) if state is None or f.state == state]
    return candidates[0] if len(candidates) == 1 else None  # two same-named jails: no guess


def roster_view(
    roster: Roster, all_results: list[Results], *, as_of: dt.date, overdue_months: int = 12
) -> dict[str, Any]:
    cutoff = months_before(as_of, overdue_months)
    audits = latest_audits(roster, all_results)
    rows = [_row(f, audits.get(f.facility_id), cutoff) for f in roster.facilities]
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in sorted(rows, key=lambda r: (r["aor"], r["name"])):
        groups[row["aor"]].append(row)
    overdue = sorted(
        (r for r in rows if r["overdue"]), key=lambda r: (r["last_end"] or "", r["aor"], r["name"])
    )
    outcomes = Counter(r["outcome"] for r in rows)
    return {
        "source": roster.source,
        "as_of": as_of.isoformat(),
        "cutoff": cutoff.isoformat(),
        "overdue_months": overdue_months,
        "total": len(rows),
        "groups": sorted(groups.items()),
        "overdue": overdue,
        "never": sum(1 for r in overdue if r["last_end"] is None),
        "audited": len(audits),
        "outcomes": [(label, outcomes.get(key, 0), css) for key, css, label in (*OUTCOMES, NO_RATING)],
        "aor_chart": _outcome_chart(rows, "aor", "ICE's last ratings by area of responsibility"),
        "type_chart": _outcome_chart(rows, "type", "ICE's last ratings by facility type"),
        "standards": Counter(r["standard"] for r in rows).most_common(),
    }


def _row(f: Facility, audit: Results | None, cutoff: dt.date) -> dict[str, Any]:
    outcome = f.rating_outcome if f.rating_outcome in ("pass", "fail", "pending") else "none"
    return {
        "id": f.facility_id,
        "name": f.name,
        "place": ", ".join(p for p in (f.city, f.state) if p),
        "aor": f.aor or "—",
        "type": f.facility_type or f.facility_type_label or "not reported",
        "standard": f.detention_standard or f.detention_standard_label or "not reported",
        "standard_label": f.detention_standard_label,
        "inspection_type": f.last_inspection_type_label,
        "last_end": f.last_inspection_end,
        "status": f.last_inspection_status,
        "rating": f.final_rating or "—",
        "outcome": outcome,
        "css": dict((key, css) for key, css, _ in (*OUTCOMES, NO_RATING))[outcome],
        "overdue": f.last_inspection_end is None or f.last_inspection_end < cutoff.isoformat(),
        "audit": _audit(audit) if audit else None,
    }


def _audit(results: Results) -> dict[str, Any]:
    rating, head = results.summary.rating, headline(results)
    return {
        "rating": rating,
        "css": RATING_CSS.get(rating, "fails"),
        "date": results.inspection["inspection_end"],
        "inspection": results.inspection["inspection_id"],
        "deficient": results.summary.deficient,
        "priority": head.priority,
        "repeat": head.repeat,
        "decided": head.decided,
        "in_scope": head.in_scope,
        "indeterminate": head.indeterminate,
    }


def _outcome_chart(rows: list[dict[str, Any]], key: str, caption: str):
    groups: dict[str, Counter] = defaultdict(Counter)
    for row in rows:
        groups[row[key]][row["outcome"]] += 1
    kinds = (*OUTCOMES, NO_RATING)
    bars = [
        (name, [Segment(groups[name][k], css, f"{groups[name][k]} {label}") for k, css, label in kinds])
        for name in sorted(groups)
    ]
    return charts.stacked_bars(bars, [(css, label) for _, css, label in kinds], caption)
