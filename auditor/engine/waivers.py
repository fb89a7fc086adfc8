"""Waivers: a deficient requirement accepted, with justification, until an expiry date.

    waivers:
      - requirement_id: FS-HOT-HOLD
        facility_id: CDF-0002      # or "*" for every facility
        justification: Why the deficiency is accepted for now.
        approved_by: J. Rivera, Field Office Director
        expires: 2026-12-31

A CSV with the same columns works too. A waiver turns `deficient` into `waived` and keeps the
evaluated result visible; one that has expired by the inspection's last day is ignored and
reported as expired, never silently applied.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from auditor.errors import ConfigError
from auditor.results import Result, Waiver

FIELDS = ("requirement_id", "facility_id", "justification", "approved_by", "expires")


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


def load_waivers(path: str | Path) -> WaiverSet:
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the waivers file ({exc})") from None
    records = _csv(raw, path) if path.suffix.lower() == ".csv" else _yaml(raw, path)
    entries = [_entry(path, number, record) for number, record in enumerate(records, start=1)]
    return WaiverSet(entries, path.name, hashlib.sha256(raw).hexdigest())


def _yaml(raw: bytes, path: Path) -> list[dict[str, Any]]:
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("waivers"), list):
        raise ConfigError(f"{path}: expected a list under 'waivers:'")
    return data["waivers"]


def _csv(raw: bytes, path: Path) -> list[dict[str, Any]]:
    frame = pd.read_csv(io.BytesIO(raw), dtype=str, keep_default_na=False)
    return frame.to_dict(orient="records")


def _entry(path: Path, number: int, record: Any) -> WaiverEntry:
    where = f"{path}: waiver {number}"
    if not isinstance(record, dict):
        raise ConfigError(
            f"{where}: expected requirement_id, facility_id, justification, approved_by, expires"
        )
    missing = [f for f in FIELDS if not str(record.get(f) or "").strip()]
    if missing:
        rid = record.get("requirement_id") or "?"
        raise ConfigError(f"{where} ({rid}): {', '.join(missing)} required")
    expires = record["expires"]
    if not isinstance(expires, dt.date):
        try:
            expires = dt.date.fromisoformat(str(expires).strip())
        except ValueError:
            raise ConfigError(f"{where}: expires {expires!r} is not a YYYY-MM-DD date") from None
    return WaiverEntry(
        requirement_id=str(record["requirement_id"]).strip(),
        facility_id=str(record["facility_id"]).strip(),
        justification=" ".join(str(record["justification"]).split()),
        approved_by=str(record["approved_by"]).strip(),
        expires=expires,
    )


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
    return {
        "file": waivers.file,
        "sha256": waivers.sha256,
        "checked_on": on.isoformat(),
        "applied": applied,
        "expired": expired,
        "not_needed": not_needed,
    }
