"""A previous inspection's results file (`--previous`), read within bounds and checked: the
deficient requirement ids the engine marks repeats against."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from auditor.errors import ConfigError
from auditor.untrusted import load_json


def load_previous(path: str | Path, facility_id: str) -> dict[str, Any]:
    """The deficient requirement ids of a previous results JSON of the same facility."""
    path = Path(path)
    data = load_json(path, what=str(path))  # bounded: size cap, no NaN, no deep nesting
    not_results = f"{path}: not a results file from `auditor audit --format json`"
    try:
        facility = data["facility"]["facility_id"]
        rows = data["results"]
        inspection = data["inspection"]
        summary = data.get("summary") or {}
        deficient = sorted(
            str(r["requirement_id"])
            for r in rows
            if (r.get("underlying_status") or r.get("status")) == "deficient"
        )
        facts = (inspection.get("inspection_id"), inspection.get("inspection_end"), summary.get("rating"))
    except (KeyError, TypeError, AttributeError) as exc:
        raise ConfigError(f"{not_results} ({type(exc).__name__}: {exc})") from None
    if not isinstance(rows, list) or not all(isinstance(v, (str, type(None))) for v in facts):
        raise ConfigError(f"{not_results} (results is not a list, or an inspection field is not text)")
    if facility != facility_id:
        raise ConfigError(f"{path}: the previous results are for facility {facility}, not {facility_id}")
    return {
        "file": path.name,
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "inspection_id": facts[0],
        "inspection_end": facts[1],
        "rating": facts[2],
        "deficient": deficient,
    }
