"""The roster part of the portfolio: every facility ICE lists, its last ICE inspection and rating,
our latest audit where one exists, and the facilities overdue for inspection as of a stated date.

Only facilities these standards govern are counted (PBNDS 2011, NDS 2019, NDS 2025: the editions
the auditor checks); the others are listed apart with the reason, so the roster's total is the
sum of both and every headline figure is a count of the table it heads. The reasoning, with its
sources, is in docs/portfolio.md.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any

from auditor.contracts.results import Results
from auditor.contracts.roster import Facility, Roster
from auditor.errors import ConfigError
from auditor.imports.roster import name_key
from auditor.report import charts
from auditor.report.charts import Segment
from auditor.report.view import RATING_CSS, headline

OUTCOMES = (("fail", "fails", "Fail"), ("pending", "incomplete", "Pending"), ("pass", "meets", "Pass"))
NO_RATING = ("none", "na", "No rating reported")

# The editions the auditor checks: a facility whose last ICE inspection was against one of them is
# governed by them, whatever ICE calls its type.
EDITIONS = ("PBNDS-2011", "NDS-2019", "NDS-2025")
# Facility types these standards govern (detention-standards.md §1.1): PBNDS 2011 for SPCs, CDFs
# and dedicated IGSAs; NDS 2019 for non-dedicated IGSAs and USMS facilities that hold ICE detainees.
GOVERNED = {
    "SPC": "Service processing center (ICE-owned): PBNDS 2011",
    "CDF": "Contract detention facility: PBNDS 2011",
    "DIGSA": "Dedicated IGSA: PBNDS 2011",
    "IGSA": "Non-dedicated IGSA: NDS 2019 (or PBNDS 2011 by contract)",
    "USMS-IGA": "USMS IGA facility holding ICE detainees: NDS 2019",
    "USMS-CDF": "USMS contract facility holding ICE detainees: NDS 2019",
}
# Why every other type is left out when the roster names none of our editions for it.
NOT_GOVERNED = {
    "FAMILY": "family residential center: the Family Residential Standards govern it",
    "FAMILY-STAGING": "family staging site: the Family Residential Standards, not these",
    "JUVENILE": "juvenile facility: ICE's juvenile standards govern it",
    "BOP": "Bureau of Prisons institution: run under BOP's own policies",
    "STATE": "state-run facility: no ICE detention standard is named for it",
    "DOD": "Department of Defense site: no ICE detention standard is named for it",
    "MOC": "Migrant Operations Center: no ICE detention standard is named for it",
    "STAGING": "staging site (short holds before transfer or removal): no standard is named for it",
    "TAP-ICE": "no ICE detention standard is named for this type",
    "OTHER": "no ICE detention standard is named for this type",
}
OTHER_STANDARDS = {
    "FPBDS": "last inspected against the USMS's FPBDS, not these standards",
    "FRS": "last inspected against the Family Residential Standards",
    "NDS-2000": "last inspected against NDS 2000, an edition the auditor does not check",
    "PBNDS-2008": "last inspected against PBNDS 2008, an edition the auditor does not check",
    "JUVENILE": "last inspected against ICE's juvenile standards",
}


def governed(f: Facility) -> tuple[bool, str]:
    """Whether these standards govern the facility, and why: the standard of its last ICE inspection
    when the roster names one (the edition is fixed by the facility's contract), else its type."""
    if f.detention_standard in EDITIONS:
        return True, f"last inspected against {f.detention_standard}"
    if f.detention_standard in OTHER_STANDARDS:
        return False, OTHER_STANDARDS[f.detention_standard]
    if f.detention_standard or f.detention_standard_label:
        return False, f"last inspected against {f.detention_standard_label or f.detention_standard}"
    if f.facility_type in GOVERNED:
        return True, GOVERNED[f.facility_type]
    if f.facility_type in NOT_GOVERNED:
        return False, NOT_GOVERNED[f.facility_type]
    return False, "neither its type nor a standard of its last inspection is reported"


def as_of_day(text: str | None, today: dt.date | None = None) -> dt.date:
    """The as-of date from its ISO text (`--as-of`, the web's `as_of`); today when none is given."""
    if text is None or not text.strip():
        return today or dt.date.today()
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ConfigError(f"as-of date {text[:40]!r}: give a date as YYYY-MM-DD") from None
    if not 1990 <= day.year <= 2200:
        raise ConfigError(f"as-of date {text[:40]!r}: give a date between 1990 and 2200")
    return day


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
    roster: Roster,
    all_results: list[Results],
    *,
    as_of: dt.date,
    overdue_months: int = 12,
    open_items: dict[str, dict[str, int]] | None = None,
) -> dict[str, Any]:
    """The roster's figures as of `as_of`: every headline count is a count of the rows of a table it
    heads (counted + not counted = the roster; overdue + current + unknown = counted). `open_items`
    (a data folder's: facility id of our audits → open and overdue corrective-action items) is
    shown beside our latest audit."""
    cutoff = months_before(as_of, overdue_months)
    audits = latest_audits(roster, all_results)
    rows, left_out = [], []
    for f in roster.facilities:
        counts, why = governed(f)
        row = _row(f, audits.get(f.facility_id), cutoff, as_of)
        row["why"] = why
        if row["audit"] and open_items is not None:
            row["audit"]["cap"] = open_items.get(row["audit"]["facility_id"], {"open": 0, "overdue": 0})
        (rows if counts else left_out).append(row)
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in sorted(rows, key=lambda r: (r["aor"], r["name"])):
        groups[row["aor"]].append(row)
    overdue = sorted(
        (r for r in rows if r["due"] == "overdue"), key=lambda r: (r["last_end"] or "", r["aor"], r["name"])
    )
    outcomes = Counter(r["outcome"] for r in rows)
    data_date = roster.source.get("data_date")
    return {
        "source": roster.source,
        "as_of": as_of.isoformat(),
        "cutoff": cutoff.isoformat(),
        "overdue_months": overdue_months,
        # the roster cannot know of inspections that ended after its data date
        "after_data": bool(data_date) and str(data_date) < as_of.isoformat(),
        "listed": len(roster.facilities),
        "total": len(rows),
        "left_out": sorted(left_out, key=lambda r: (r["type"], r["aor"], r["name"])),
        "governed_types": list(GOVERNED.items()),
        "editions": [e.replace("-", " ") for e in EDITIONS],
        "groups": sorted(groups.items()),
        "overdue": overdue,
        "never": sum(1 for r in overdue if r["last_end"] is None),
        "current": sum(1 for r in rows if r["due"] == "current"),
        "unknown": sorted((r for r in rows if r["due"] == "unknown"), key=lambda r: (r["aor"], r["name"])),
        "audited": sum(1 for r in rows if r["audit"]),
        "outcomes": [(label, outcomes.get(key, 0), css) for key, css, label in (*OUTCOMES, NO_RATING)],
        "aor_chart": _outcome_chart(rows, "aor", "ICE's last ratings by area of responsibility"),
        "type_chart": _outcome_chart(rows, "type", "ICE's last ratings by facility type"),
        "standards": Counter(r["standard"] for r in rows).most_common(),
    }


def _due(end: str | None, cutoff: dt.date, as_of: dt.date) -> str:
    """overdue: no inspection ended in the months before as-of; current: one did; unknown: the last
    one ended after as-of, and the roster keeps only the last, so one before it cannot be seen."""
    if end is None or end < cutoff.isoformat():
        return "overdue"
    return "current" if end <= as_of.isoformat() else "unknown"


def _row(f: Facility, audit: Results | None, cutoff: dt.date, as_of: dt.date) -> dict[str, Any]:
    outcome = f.rating_outcome if f.rating_outcome in ("pass", "fail", "pending") else "none"
    due = _due(f.last_inspection_end, cutoff, as_of)
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
        "due": due,
        "overdue": due == "overdue",
        "audit": _audit(audit) if audit else None,
    }


def _audit(results: Results) -> dict[str, Any]:
    rating, head = results.summary.rating, headline(results)
    return {
        "rating": rating,
        "css": RATING_CSS.get(rating, "fails"),
        "date": results.inspection["inspection_end"],
        "inspection": results.inspection["inspection_id"],
        "facility_id": results.facility.get("facility_id"),
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


def roster_summary(
    all_results: list[Results], *, roster: Roster, as_of: dt.date, overdue_months: int = 12
) -> str:
    """The roster portfolio's headline in one line, as the command line prints it."""
    view = roster_view(roster, all_results, as_of=as_of, overdue_months=overdue_months)
    return (
        f"{view['total']} of the {view['listed']} facilities in ICE's roster governed by these standards, "
        f"{len(view['overdue'])} overdue as of {view['as_of']}, {view['audited']} audited"
    )
