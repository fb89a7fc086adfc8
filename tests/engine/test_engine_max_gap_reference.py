"""max_gap's vectorised gap search against a plain-Python reference on random placements."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from auditor.engine.kinds.max_gap import longest_gaps, sorted_events


def reference(
    starts: list[int], ends: list[int], events: list[tuple[int, int]]
) -> list[tuple[int, int, int, int]]:
    """(gap, from, to, checks) per placement, the first longest gap in time order."""
    out = []
    for code, (start, end) in enumerate(zip(starts, ends, strict=True)):
        times = sorted(t for c, t in events if c == code and start <= t <= end)
        points = [start, *times, end]
        gaps = [(b - a, a, b) for a, b in itertools.pairwise(points)]
        gap, first, second = max(gaps, key=lambda g: g[0])  # max() keeps the first of equals
        out.append((gap, first, second, len(times)))
    return out


@pytest.mark.parametrize("seed", range(8))
def test_longest_gaps_match_the_reference(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = 40
    starts = rng.integers(0, 1_000, n) * 60_000_000
    ends = starts + rng.integers(0, 300, n) * 60_000_000
    codes = rng.integers(-1, n, 600)  # -1: a check of a placement the rule does not examine
    times = starts[np.clip(codes, 0, None)] + rng.integers(-30, 330, 600) * 60_000_000
    keys = pd.Series([f"P{i}" for i in range(n)], dtype="string")
    event_keys = pd.Series([f"P{c}" if c >= 0 else "OTHER" for c in codes], dtype="string")
    events = pd.Series(pd.to_datetime(times, unit="us")).astype("datetime64[us]")
    position, ev_time = sorted_events(keys, event_keys, events)
    got = longest_gaps(starts, ends, position, ev_time)
    expected = reference(
        list(starts), list(ends), [(int(c), int(t)) for c, t in zip(codes, times, strict=True)]
    )
    assert [
        (int(g.value // 1000), int(f.value // 1000), int(t.value // 1000), int(k))
        for g, f, t, k in zip(got["gap"], got["from"], got["to"], got["checks"], strict=True)
    ] == expected


def test_sorted_events_drops_unknown_keys_and_empty_times() -> None:
    keys = pd.Series(["A", "B", None], dtype="string")
    event_keys = pd.Series(["B", "Z", "A", None, "B"], dtype="string")
    events = pd.Series(pd.to_datetime(["2026-01-01 10:00", "2026-01-01 09:00", None, "2026-01-01 08:00",
                                       "2026-01-01 07:00"])).astype("datetime64[us]")  # fmt: skip
    position, time = sorted_events(keys, event_keys, events)
    assert position.tolist() == [1, 1]  # A's event has no time; Z and the empty key are unknown
    assert pd.to_datetime(time, unit="us").strftime("%H:%M").tolist() == ["07:00", "10:00"]
