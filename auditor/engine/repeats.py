"""Repeat deficiencies: deficient now and in the previous inspection's results."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from auditor.errors import ConfigError
from auditor.results import Result


def load_previous(path: str | Path, facility_id: str) -> dict[str, Any]:
    path = Path(path)
    try:
        raw = path.read_bytes()
        data = json.loads(raw)
        facility = data["facility"]["facility_id"]
        rows = data["results"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"{path}: not a results file from `auditor audit --format json` ({exc})") from None
    if facility != facility_id:
        raise ConfigError(f"{path}: the previous results are for facility {facility}, not {facility_id}")
    deficient = sorted(
        r["requirement_id"] for r in rows if (r.get("underlying_status") or r.get("status")) == "deficient"
    )
    return {
        "file": path.name,
        "sha256": hashlib.sha256(raw).hexdigest(),
        "inspection_id": data["inspection"].get("inspection_id"),
        "inspection_end": data["inspection"].get("inspection_end"),
        "rating": data.get("summary", {}).get("rating"),
        "deficient": deficient,
    }


def mark_repeats(results: list[Result], previous: dict[str, Any]) -> dict[str, Any]:
    before = set(previous["deficient"])
    now = {r.requirement_id for r in results if r.deficient}
    for result in results:
        result.repeat = result.deficient and result.requirement_id in before
    return {
        **previous,
        "repeat": sorted(now & before),
        "resolved": sorted(before - now),
        "new": sorted(now - before),
    }
