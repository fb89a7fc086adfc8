"""ratio: at least one working fixture per `per` people in every occupied unit.

`per` may depend on a column (`{by: sex, values: {F: 8}, default: 12}`); `substitute` fixtures
(urinals) count for at most as many as the main fixtures, so no more than half the total.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from auditor.engine import conditions
from auditor.engine.kinds.parameters import COLUMN, CONDITIONS, PER_PEOPLE, SHEET, Parameter
from auditor.engine.outcome import Outcome, evidence, number

if TYPE_CHECKING:  # the engine's context pulls in the workbook and pandera; lint needs neither
    from auditor.engine.context import Context

NAME = "ratio"
DESCRIPTION = "Each unit with people in it needs at least one `fixtures` per `per` people (`count`)."
PARAMETERS = (
    Parameter("sheet", SHEET, "The sheet of the units.", required=True),
    Parameter("fixtures", COLUMN, "Working fixtures in the unit.", required=True),
    Parameter("count", COLUMN, "People in the unit.", required=True),
    Parameter(
        "per",
        PER_PEOPLE,
        "People per fixture: a number, or {by: column, values: {value: number}, default: number}.",
        required=True,
    ),
    Parameter(
        "substitute", COLUMN, "Fixtures that may count for up to half of the total (urinals for toilets)."
    ),
    Parameter("where", CONDITIONS, "The units the requirement applies to."),
)
ONE_OF: tuple[tuple[str, ...], ...] = ()

TUNABLE = ("per",)


def people_per_fixture(check: dict[str, Any], frame: pd.DataFrame) -> pd.Series:
    per = check["per"]
    if isinstance(per, dict):
        by = frame[per["by"]] if per["by"] in frame else pd.Series(pd.NA, index=frame.index)
        return by.map(per["values"]).astype("Float64").fillna(per["default"])
    return pd.Series(float(per), index=frame.index)


def evaluate(check: dict[str, Any], ctx: Context) -> Outcome:
    sheet, column, count_column = check["sheet"], check["fixtures"], check["count"]
    frame = ctx.frame(sheet)
    count, fixtures = frame[count_column], frame[column]
    occupied = conditions.mask(frame, check.get("where"), ctx, sheet) & (count > 0).fillna(False).astype(bool)
    keep = occupied & fixtures.notna()
    effective = fixtures.astype("Float64")
    cells = [count_column, column]
    if check.get("substitute") and check["substitute"] in frame:
        extra = frame[check["substitute"]].fillna(0).astype("Float64")
        effective = effective + np.minimum(extra, effective)
        cells.append(check["substitute"])
    per = people_per_fixture(check, frame)
    needed = np.ceil(count.astype("Float64") / per)
    bad = keep & (effective < needed).fillna(False).astype(bool)
    label = column + (f" (+{check['substitute']})" if check.get("substitute") else "")
    detail = (
        number(effective[bad])
        + f" {label} for "
        + number(count[bad])
        + " people; "
        + number(needed[bad])
        + " needed at 1 per "
        + number(per[bad])
    )
    unrecorded = int((occupied & fixtures.isna()).sum())
    return Outcome(
        population=int(keep.sum()),
        violations=int(bad.sum()),
        evidence=evidence(sheet, frame.index[bad.to_numpy()], detail),
        cells={sheet: cells},
        note=f"{unrecorded} occupied unit(s) left out: {column} not recorded" if unrecorded else None,
        empty_reason=None if keep.any() else f"no occupied units with {column} recorded",
    )


def describe(check: dict[str, Any]) -> str:
    per = check["per"]
    if isinstance(per, dict):
        parts = [f"1 per {v:g} ({per['by']} {k})" for k, v in per["values"].items()]
        text = ", ".join(parts) + f", otherwise 1 per {per['default']:g}"
    else:
        text = f"1 per {per:g}"
    return f"{check['fixtures']}: at least {text} people"
