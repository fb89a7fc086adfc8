"""max_gap: logged checks no more than `limit` apart, from a placement's start to its end.

The gaps measured are start → first check, check → check, and last check → end (an open
placement ends at review_period_end). Checks outside the placement are not counted. One
violation per placement with any longer gap; the evidence names the longest.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from auditor.engine import conditions, durations
from auditor.engine.context import Context
from auditor.engine.outcome import Outcome, evidence, stamp

TUNABLE = ("limit",)
POPULATION = "placements"


def longest_gaps(
    keys: pd.Series, starts: pd.Series, ends: pd.Series, event_keys: pd.Series, events: pd.Series
) -> pd.DataFrame:
    """For each placement (position in `keys`): longest gap, its two ends and the count over nothing.

    Vectorised: every placement contributes its start and end as events; one lexsort by
    (placement, time) and one diff give every gap.
    """
    n = len(keys)
    code = pd.Series(np.arange(n), index=pd.Index(keys.to_numpy()))
    code = code[~code.index.duplicated(keep="first")]
    event_code = code.reindex(event_keys.to_numpy()).to_numpy()
    found = ~np.isnan(event_code) & events.notna().to_numpy()
    ev_code = event_code[found].astype(np.int64)
    ev_time = events.to_numpy()[found].astype("datetime64[us]")
    start = starts.to_numpy().astype("datetime64[us]")
    end = ends.to_numpy().astype("datetime64[us]")
    inside = (ev_time >= start[ev_code]) & (ev_time <= end[ev_code])
    ev_code, ev_time = ev_code[inside], ev_time[inside]
    codes = np.concatenate([np.arange(n), ev_code, np.arange(n)])
    times = np.concatenate([start, ev_time, end])
    order = np.lexsort((times, codes))
    codes, times = codes[order], times[order]
    gaps = np.diff(times).astype("timedelta64[us]")
    same = codes[1:] == codes[:-1]
    gap_codes = codes[1:][same]
    gap_values = gaps[same].astype(np.int64)
    frame = pd.DataFrame(
        {"code": gap_codes, "gap": gap_values, "from": times[:-1][same], "to": times[1:][same]}
    )
    idx = frame.groupby("code")["gap"].idxmax()
    best = frame.loc[idx.to_numpy()].set_index("code").reindex(np.arange(n))
    return pd.DataFrame(
        {
            "gap": pd.to_timedelta(best["gap"].to_numpy(), unit="us"),
            "from": pd.to_datetime(best["from"].to_numpy()),
            "to": pd.to_datetime(best["to"].to_numpy()),
            "checks": np.bincount(ev_code, minlength=n),
        },
        index=keys.index,
    )


def evaluate(check: dict[str, Any], ctx: Context) -> Outcome:
    sheet = check["sheet"]
    frame = ctx.frame(sheet)
    keep = conditions.mask(frame, check.get("where"), ctx, sheet) & frame[check["start"]].notna()
    chosen = frame[keep.to_numpy()]
    events = ctx.frame(check["events_sheet"])
    ends = chosen[check["end"]].fillna(ctx.review_end).clip(upper=ctx.review_end)
    gaps = longest_gaps(
        chosen[check["key"]], chosen[check["start"]], ends, events[check["key"]], events[check["event"]]
    )
    limit = durations.timedelta(check["limit"])
    over = (gaps["gap"] > limit).to_numpy()
    worst = gaps[over]
    detail = (
        "longest gap "
        + durations.elapsed(worst["gap"], "minutes")
        + ", from "
        + stamp(worst["from"])
        + " to "
        + stamp(worst["to"])
        + f" (limit {durations.describe(check['limit'])}; "
        + worst["checks"].astype(str)
        + " checks logged)"
    )
    return Outcome(
        population=len(chosen),
        violations=int(over.sum()),
        evidence=evidence(sheet, chosen.index[over], detail),
        cells={sheet: [check["key"], check["start"], check["end"]]},
        empty_reason=None
        if len(chosen)
        else "no placements where " + " and ".join(conditions.describe(c) for c in check.get("where", [])),
    )


def describe(check: dict[str, Any]) -> str:
    return f"checks at most {durations.describe(check['limit'])} apart"
