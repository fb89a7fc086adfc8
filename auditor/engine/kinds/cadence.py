"""cadence: recurring events no more than `limit` apart over the whole review period.

The gaps are review_period_start → first event, event → event, and last event →
review_period_end (per `group_by` value, e.g. per area); each gap is one record. Three-valued
(docs/verdicts.md): a gap over the limit is a violation unless a row that might count falls in it
(its `where` or group not recorded) or rows without a date might split it; then it is
indeterminate. No event at all is one gap the length of the period: a proven violation, the log
being the facility's record of the activity. With `housing_units`, a unit of the Housing sheet the
log never names is one indeterminate gap: the log may name the area differently, or the unit may not
have been in use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from auditor.engine import conditions, durations
from auditor.engine.kinds.parameters import COLUMN, CONDITIONS, DURATION, SHEET, Parameter
from auditor.engine.kinds.undecided import housing_units, unrecorded
from auditor.engine.outcome import INDETERMINATE, Outcome, both, day, evidence

if TYPE_CHECKING:  # the engine's context pulls in the workbook and pandera; lint needs neither
    from auditor.engine.context import Context

NAME = "cadence"
DESCRIPTION = (
    "Gaps from review_period_start to the first event, between events and from the last event to "
    "review_period_end; each gap over `limit` is one violation."
)
PARAMETERS = (
    Parameter("sheet", SHEET, "The sheet of the events.", required=True),
    Parameter("date", COLUMN, "When each event happened.", required=True),
    Parameter("limit", DURATION, "The longest gap allowed.", required=True),
    Parameter("group_by", COLUMN, "Measure the gaps separately for each value (e.g. per area)."),
    Parameter("where", CONDITIONS, "The events that count."),
    Parameter(
        "housing_units",
        CONDITIONS,
        "Housing rows whose unit_id is a `group_by` value too (e.g. every unit): a unit the log never "
        "names is not left out (it is indeterminate).",
    ),
)
ONE_OF: tuple[tuple[str, ...], ...] = ()

TUNABLE = ("limit",)
POPULATION = "intervals"
ALL = "(all areas)"


def evaluate(check: dict[str, Any], ctx: Context) -> Outcome:
    sheet, group_by = check["sheet"], check.get("group_by")
    frame = ctx.frame(sheet)
    first, last = ctx.inspection.review_days
    member = conditions.classify(frame, check.get("where"), ctx, sheet)
    dates = frame[check["date"]].dt.normalize()
    dated = dates.notna().to_numpy()
    inside = dates.between(first, last).fillna(False).to_numpy(dtype=bool)
    groups = frame[group_by].astype(object) if group_by else pd.Series(ALL, index=frame.index, dtype=object)
    no_group = groups.isna().to_numpy()
    proven = member.yes & inside & ~no_group
    # rows that might count: `where` unknown, group not recorded (any group's), or no date (any day)
    maybe = member.maybe & ~proven & (inside | ~dated)
    names = pd.unique(groups[(proven | maybe) & ~no_group])
    if not len(names):
        names = np.array([ALL], dtype=object)
    events = pd.DataFrame(
        {"group": groups[proven], "date": dates[proven], "row": frame.index[proven], "order": 1}
    )
    edges = [
        pd.DataFrame({"group": names, "date": when, "row": pd.NA, "order": order})
        for when, order in ((first, 0), (last, 2))
    ]
    timeline = pd.concat([edges[0], events, edges[1]], ignore_index=True).sort_values(
        ["group", "date", "order"], kind="stable"
    )
    timeline["anchor"] = timeline.groupby("group", sort=False).cumcount()
    previous = timeline.groupby("group", sort=False)[["date", "row", "order", "anchor"]].shift()
    gaps = timeline.assign(
        prev_date=previous["date"],
        prev_row=previous["row"],
        prev_order=previous["order"],
        seg=previous["anchor"],
    )
    gaps = gaps[gaps["prev_date"].notna()]
    length = (gaps["date"] - gaps["prev_date"]).dt.days.to_numpy()
    limit = durations.timedelta(check["limit"]) / pd.Timedelta(days=1)
    over = length > limit
    longest, undated = _split(timeline, gaps, groups, dates, maybe, no_group, dated & inside, names)
    proven_over = over & (longest > limit * (undated + 1))
    unsure = over & ~proven_over
    detail = _detail(gaps, length, check)
    if not len(events) and not maybe.any():
        what = " and ".join(conditions.describe(c) for c in check.get("where", [])) or "event"
        detail = np.array([f"no rows where {what} in the review period"] * len(gaps), dtype=object)
    why = np.where(
        longest < length,
        "a row whose " + unrecorded(check) + " is not recorded falls in it",
        np.char.add(undated.astype(int).astype(str), " row(s) without a date might fall in it"),
    )
    rows = gaps["row"].where(gaps["row"].notna(), gaps["prev_row"]).astype("Int64").to_numpy()
    unlisted = _unlisted(check, ctx, names, last - first, limit)
    return Outcome(
        population=len(gaps) + len(unlisted),
        violations=int(proven_over.sum()),
        indeterminate=int(unsure.sum()) + len(unlisted),
        evidence=both(
            evidence(sheet, rows[proven_over], detail[proven_over].tolist()),
            both(
                evidence(
                    sheet,
                    rows[unsure],
                    [f"{d}; {w}" for d, w in zip(detail[unsure].tolist(), why[unsure].tolist(), strict=True)],
                    INDETERMINATE,
                ),
                unlisted,
            ),
        ),
        cells={sheet: [c for c in (check["date"], group_by) if c]}
        | ({"Housing": ["unit_id"]} if len(unlisted) else {}),
    )


def _split(
    timeline: pd.DataFrame,
    gaps: pd.DataFrame,
    groups: pd.Series,
    dates: pd.Series,
    maybe: np.ndarray,
    no_group: np.ndarray,
    dated: np.ndarray,
    names: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Per gap: its longest part once the rows that might count are put in (a dated one with no
    group in every group), and how many rows without a date might fall in it."""
    points = maybe & dated
    own = pd.DataFrame({"group": groups[points & ~no_group], "date": dates[points & ~no_group]})
    anywhere = dates[points & no_group]
    shared = pd.DataFrame(
        {"group": np.repeat(names, len(anywhere)), "date": np.tile(anywhere.to_numpy(), len(names))}
    )
    marks = pd.concat([own, shared], ignore_index=True).assign(order=1, anchor=-1)
    if len(marks):
        merged = pd.concat([timeline[["group", "date", "order", "anchor"]], marks], ignore_index=True)
        merged = merged.sort_values(["group", "date", "order"], kind="stable")
        merged["seg"] = merged["anchor"].where(merged["anchor"] >= 0).groupby(merged["group"]).ffill()
        before = merged.groupby("group", sort=False)[["date", "seg"]].shift()
        part = (merged["date"] - before["date"]).dt.days
        parts = part.groupby([merged["group"], before["seg"]]).max()
        key = pd.MultiIndex.from_arrays([gaps["group"], gaps["seg"].astype(float)])
        longest = parts.reindex(key).to_numpy(dtype=float)
    else:
        longest = (gaps["date"] - gaps["prev_date"]).dt.days.to_numpy(dtype=float)
    undated = maybe & ~dated
    by_group = pd.Series(groups[undated & ~no_group]).value_counts()
    undated_count = gaps["group"].map(by_group).fillna(0).to_numpy() + int((undated & no_group).sum())
    return longest, undated_count


def _unlisted(
    check: dict[str, Any], ctx: Context, names: np.ndarray, period: pd.Timedelta, limit: float
) -> pd.DataFrame:
    """One indeterminate gap, the whole period, per Housing unit the log never names (when the log
    names some group: a log with nothing in it is a proven violation of its own)."""
    if ALL in names:
        return evidence("Housing", [], [])
    units = housing_units(check.get("housing_units"), ctx)
    missing = units[~units.isin(list(names))]
    if period.days <= limit:  # nothing was due inside so short a period
        return evidence("Housing", [], [])
    text = (
        missing.astype(str)
        + f": no row in the review period ({period.days} days, limit {durations.describe(check['limit'])}); "
        "the Housing sheet lists the unit, but the log may name its area differently or it may not "
        "have been in use"
    )
    return evidence("Housing", missing.index, text.tolist(), INDETERMINATE)


def _detail(gaps: pd.DataFrame, length: np.ndarray, check: dict[str, Any]) -> np.ndarray:
    start_text = np.where(gaps["prev_order"] == 0, "the start of the review period (", "") + day(
        gaps["prev_date"]
    )
    start_text = start_text + np.where(gaps["prev_order"] == 0, ")", "")
    end_text = np.where(gaps["order"] == 2, "the end of the review period (", "") + day(gaps["date"])
    end_text = end_text + np.where(gaps["order"] == 2, ")", "")
    prefix = (gaps["group"].astype(str) + ": ") if check.get("group_by") else ""
    text = (
        prefix
        + pd.Series(length, index=gaps.index).astype(str)
        + " days from "
        + start_text
        + " to "
        + end_text
        + f" (limit {durations.describe(check['limit'])})"
    )
    return text.to_numpy(dtype=object)


def describe(check: dict[str, Any]) -> str:
    text = f"at most {durations.describe(check['limit'])} between events"
    return text + (f", for each {check['group_by']}" if check.get("group_by") else "")
