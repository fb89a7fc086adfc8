"""What the interval kinds share about undecided records: the words for why, and the Housing units a
log must name."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from auditor.engine import conditions

if TYPE_CHECKING:  # the engine's context pulls in the workbook and pandera; lint needs neither
    from auditor.engine.context import Context


def unrecorded(check: dict[str, Any]) -> str:
    """The columns whose blank leaves a row's part open ('event or area'): those of `where`, then
    `group_by`."""
    columns = conditions.absent_columns(pd.DataFrame(), check.get("where"))
    if check.get("group_by"):
        columns.append(check["group_by"])
    return " or ".join(dict.fromkeys(columns)) or "kind"


def housing_units(conditions_: list[dict[str, Any]] | None, ctx: Context) -> pd.Series:
    """The unit_id of each Housing row whose `conditions_` are true or unknown (by Housing row): the
    units a log must name (`housing_units`). None given, or no Housing sheet: no unit."""
    if not conditions_ or not ctx.inspection.has("Housing", "unit_id"):
        return pd.Series([], dtype=object)
    housing = ctx.frame("Housing")
    # a condition on a column the sheet lacks says nothing: the unit stays in (undecided)
    readable = [c for c in conditions_ if not conditions.absent_columns(housing, [c])]
    listed = housing["unit_id"][conditions.classify(housing, readable, ctx, "Housing").maybe]
    return listed[listed.notna()].astype(object)
