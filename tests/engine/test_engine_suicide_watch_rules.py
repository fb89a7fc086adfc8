"""Suicide-watch rules beyond the observation checks (SSH-CONSTANT and SSH-CLOSE-CHECKS have their
own tests): the mental-health evaluation after a watch begins and who ends it. Counts worked by hand.

Review period 2026-01-01..2026-03-31 (ends 2026-03-31 23:59:59).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from conftest import Check, Cited


def watch(pid: str, start: str, end: str | None, kind: str = "suicide-watch-close", **cells: Any) -> dict:
    return {
        "placement_id": pid,
        "detainee_id": "A100000001",
        "kind": kind,
        "start": start,
        "end": end,
        **cells,
    }


def placements(cited: Cited, result) -> list[tuple[int | None, str | None]]:
    """(Excel row, placement id) of each evidence row."""
    out = []
    for item in result.evidence:
        values = {c["column"]: c["value"] for c in item.cells}
        out.append((item.row, values.get("placement_id")))
    return out


# ---------------------------------------------------------------- SSH-WATCH-EVAL


def test_ssh_watch_eval_within_24_hours_is_compliant(check: Check) -> None:
    result = check(
        "SSH-WATCH-EVAL",
        Placements=[
            watch(
                "W-1",
                "2026-02-01 08:00",
                "2026-02-03 08:00",
                "suicide-watch-constant",
                watch_evaluation="2026-02-02 08:00",
            ),
            watch("W-2", "2026-02-05 08:00", "2026-02-07 08:00", watch_evaluation="2026-02-05 10:00"),
            # ended after 12 h, before the evaluation came due: never owed one
            watch("W-3", "2026-02-10 08:00", "2026-02-10 20:00"),
            watch("HR-1", "2026-02-10 08:00", "2026-02-10 20:00", "hold-room"),  # not a watch
        ],
    )
    # population W-1 (exactly 24 h), W-2 → compliant
    assert (result.status, result.population, result.violations) == ("compliant", 2, 0)


def test_ssh_watch_eval_late_or_missing_is_deficient(check: Check, cited: Cited) -> None:
    result = check(
        "SSH-WATCH-EVAL",
        edition="NDS-2019",
        Placements=[
            watch("W-1", "2026-02-01 08:00", "2026-02-03 08:00", watch_evaluation="2026-02-02 08:01"),
            watch("W-2", "2026-02-05 08:00", "2026-02-08 08:00"),  # three days, never evaluated
            watch("W-3", "2026-03-31 12:00", None),  # due 04-01 12:00: pending, left out
        ],
    )
    assert (result.status, result.population, result.violations) == ("deficient", 2, 2)
    assert result.citation.startswith("NDS-2019 4.5")
    assert placements(cited, result) == [(2, "W-1"), (3, "W-2")]


# ---------------------------------------------------------------- SSH-RELEASE-QMHP


def test_ssh_release_qmhp_released_by_a_professional_is_compliant(check: Check) -> None:
    result = check(
        "SSH-RELEASE-QMHP",
        Placements=[
            watch("W-1", "2026-02-01 08:00", "2026-02-03 08:00", released_by_qmhp=True),
            watch("W-2", "2026-03-30 08:00", None),  # still on watch: nothing ended
            watch("W-3", "2025-12-28 08:00", "2025-12-30 08:00", released_by_qmhp=False),  # before the period
            watch("HR-1", "2026-02-10 08:00", "2026-02-10 20:00", "hold-room"),
        ],
    )
    assert (result.status, result.population, result.violations) == ("compliant", 1, 0)


def test_ssh_release_qmhp_ended_by_anyone_else_or_unrecorded_is_deficient(check: Check, cited: Cited) -> None:
    result = check(
        "SSH-RELEASE-QMHP",
        Placements=[
            watch("W-1", "2026-02-01 08:00", "2026-02-03 08:00", released_by_qmhp=True),
            watch(
                "W-2",
                "2026-02-08 08:00",
                "2026-02-10 08:00",
                "suicide-watch-constant",
                released_by_qmhp=False,
            ),
            watch("W-3", "2026-02-11 08:00", "2026-02-12 08:00", released_by_qmhp=None),  # not recorded
        ],
    )
    assert (result.status, result.population, result.violations) == ("deficient", 3, 2)
    assert placements(cited, result) == [(3, "W-2"), (4, "W-3")]
