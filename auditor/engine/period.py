"""Whether a row's time lies in the review period, three-valued (docs/verdicts.md, "Events in the period").

An event (`when` alone: a temperature reading, a use of force) is in the period when every instant it
may mean is inside it, out when every one is outside, unknown otherwise. A stay (`when` to `until`: an
admission to its release, a placement to its end) is in the period when it overlaps it for every
reading of its date-only ends, out when it cannot, unknown otherwise; a blank `until` is still open,
and a blank start is some time before the end. An event with a blank `when` is unknown: it may fall
anywhere. The review period starts and ends at local
midnight, so a date-only day is wholly inside or wholly outside it: only a time that cannot be
placed (a blank) leaves membership unknown in practice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from auditor.engine.conditions import Tri

if TYPE_CHECKING:  # the engine's context pulls in the workbook and pandera; lint needs neither
    from auditor.engine.context import Context

_EARLIEST = np.datetime64("0001-01-01", "us")
_LATEST = np.datetime64("9999-12-31", "us")


def within(ctx: Context, sheet: str, when: str, until: str | None = None) -> Tri:
    """Rows of `sheet` whose time (`when`, or the stay `when`..`until`) lies in the review period."""
    opens = np.datetime64(ctx.review_start.to_datetime64(), "us")
    closes = np.datetime64(ctx.review_end.to_datetime64(), "us")
    start_lo, start_hi = ctx.inspection.bounds(sheet, when)
    if until is None:  # an event: the stay of an instant
        blank = np.isnat(start_lo)
        inside = (start_lo >= opens) & (start_hi <= closes)  # NaT compares False
        outside = (start_hi < opens) | (start_lo > closes)
        return Tri.of(inside, ~inside & ~outside | blank)
    if until in ctx.frame(sheet):
        end_lo, end_hi = ctx.inspection.bounds(sheet, until)
        still_open = np.isnat(end_lo)  # a blank end: not yet released or ended
        end_lo = np.where(still_open, closes, end_lo)
        end_hi = np.where(still_open, _LATEST, end_hi)
    else:  # no end column: it may have ended any time after it began
        end_lo = start_lo.copy()
        end_hi = np.full(len(start_lo), _LATEST)
    # a stay ends after it begins: a blank start is some time before its end
    start_lo = np.where(np.isnat(start_lo), _EARLIEST, start_lo)
    start_hi = np.where(np.isnat(start_hi), end_hi, start_hi)
    end_lo = np.maximum(end_lo, start_lo)
    inside = (start_hi <= closes) & (end_lo >= opens)
    outside = (start_lo > closes) | (end_hi < opens)
    return Tri.of(inside, ~inside & ~outside)


def outside_note(scope: Tri, member: Tri) -> str | None:
    """'2 left out (dated outside the review period)': the rows `member` would take in that the
    period leaves out (the words of deadline's pending note), or None when there is none."""
    left_out = int((scope.no & member.maybe).sum())
    return f"{left_out} left out (dated outside the review period)" if left_out else None


def undecided_detail(detail: pd.Series, scope: Tri, when: str | None, until: str | None = None) -> pd.Series:
    """`detail`, followed on the rows the period cannot place by why (a blank `when`, an absent `until`)."""
    if when is None or not scope.unknown.any():
        return detail
    what = f"the stay from {when} to {until} overlaps" if until else f"{when} is in"
    why = f"cannot tell whether {what} the review period"
    return pd.Series(
        np.where(scope.unknown, np.where(detail == "", why, detail + "; " + why), detail),
        index=detail.index,
        dtype=object,
    )
