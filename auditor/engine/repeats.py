"""Repeat deficiencies: deficient now and in the previous inspection's results."""

from __future__ import annotations

from typing import Any

from auditor.contracts.results import Result


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
