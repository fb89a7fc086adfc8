"""Waivers: a deficient requirement accepted, with justification, until an expiry date.

    waivers:
      - requirement_id: FS-HOT-HOLD
        facility_id: CDF-0002      # or "*" for every facility
        justification: Why the deficiency is accepted for now.
        approved_by: J. Rivera, Field Office Director
        expires: 2026-12-31

A waiver turns `deficient` into `waived` and keeps the evaluated result visible; one that has
expired by the inspection's last day is ignored and reported as expired, never silently applied.
The files are read and checked by auditor.configs.waivers; this module holds the model and applies it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from auditor.contracts.results import Result, Waiver


@dataclass
class WaiverEntry:
    requirement_id: str
    facility_id: str
    justification: str
    approved_by: str
    expires: dt.date


@dataclass
class WaiverSet:
    entries: list[WaiverEntry]
    file: str
    sha256: str
    warnings: list[str] = field(default_factory=list)  # e.g. a CSV read as Windows-1252


def apply_waivers(results: list[Result], waivers: WaiverSet, facility_id: str, on: dt.date) -> dict[str, Any]:
    """Waive deficient results covered by a current waiver; note expired and unneeded ones."""
    applied, expired, not_needed = [], [], []
    by_id = {r.requirement_id: r for r in results}
    mine = [w for w in waivers.entries if w.facility_id in ("*", facility_id)]
    for rid in dict.fromkeys(w.requirement_id for w in mine):
        entry = max((w for w in mine if w.requirement_id == rid), key=lambda w: w.expires)
        result = by_id.get(rid)
        if result is None or result.status != "deficient":
            not_needed.append(rid)
            continue
        current = entry.expires >= on
        result.waiver = Waiver(
            justification=entry.justification,
            approved_by=entry.approved_by,
            expires=entry.expires.isoformat(),
            facility_id=entry.facility_id,
            expired=not current,
            applied=current,
        )
        if current:
            result.underlying_status, result.status = result.status, "waived"
            applied.append(rid)
        else:
            expired.append(rid)
    summary: dict[str, Any] = {
        "file": waivers.file,
        "sha256": waivers.sha256,
        "checked_on": on.isoformat(),
        "applied": applied,
        "expired": expired,
        "not_needed": not_needed,
    }
    if waivers.warnings:  # only then: results without one read as they always did
        summary["warnings"] = list(waivers.warnings)
    return summary
