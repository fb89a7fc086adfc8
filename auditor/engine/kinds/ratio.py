"""ratio: at least one working fixture per `per` people in every occupied unit.

`per` may depend on a column (`{by: sex, values: {F: 8}, default: 12}`); `substitute` fixtures
(urinals) count for at most as many as the main fixtures, so no more than half the total.

Three-valued (docs/verdicts.md): a blank count or fixture number is indeterminate; a blank `per`
column (sex) or substitute cell decides only when every value it could hold gives the same answer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from auditor.engine import conditions, verdicts
from auditor.engine.conditions import Tri
from auditor.engine.kinds.parameters import COLUMN, CONDITIONS, PER_PEOPLE, SHEET, Parameter
from auditor.engine.outcome import Outcome, number

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


def people_per_fixture(check: dict[str, Any], frame: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """The fewest and the most people per fixture each row may allow: the same number unless `per`
    depends on a column left blank (or absent), when it may be any of its values or the default."""
    per = check["per"]
    if not isinstance(per, dict):
        same = pd.Series(float(per), index=frame.index)
        return same, same
    by = frame[per["by"]] if per["by"] in frame else pd.Series(pd.NA, index=frame.index)
    known = by.map(per["values"]).astype("Float64").fillna(per["default"]).astype("float64")
    choices = [float(v) for v in per["values"].values()] + [float(per["default"])]
    blank = by.isna().to_numpy()
    return (
        pd.Series(np.where(blank, min(choices), known), index=frame.index),
        pd.Series(np.where(blank, max(choices), known), index=frame.index),
    )


def evaluate(check: dict[str, Any], ctx: Context) -> Outcome:
    sheet, column, count_column, where = check["sheet"], check["fixtures"], check["count"], check.get("where")
    frame = ctx.frame(sheet)
    count = frame[count_column].to_numpy(dtype="float64", na_value=np.nan)
    fixtures = frame[column].to_numpy(dtype="float64", na_value=np.nan)
    in_where = conditions.classify(frame, where, ctx, sheet)
    member = in_where & Tri.of(count > 0, np.isnan(count))  # a blank count may be an occupied unit
    cells = [count_column, column]
    low = high = fixtures
    substitute = check.get("substitute")
    if substitute and substitute in frame:
        # a substitute counts for at most as many as the main fixtures; a blank one for 0 up to that many
        extra = frame[substitute].to_numpy(dtype="float64", na_value=np.nan)
        low = np.where(np.isnan(extra), fixtures, fixtures + np.minimum(extra, fixtures))
        high = np.where(np.isnan(extra), 2 * fixtures, low)
        cells.append(substitute)
    fewest, most = people_per_fixture(check, frame)
    need_low = np.ceil(count / most.to_numpy())
    need_high = np.ceil(count / fewest.to_numpy())
    short = high < need_low  # NaN compares False
    enough = low >= need_high
    verdict = verdicts.of(member, Tri.of(short, ~short & ~enough))
    index = frame.index
    label = column + (f" (+{substitute})" if substitute else "")
    by = check["per"]["by"] if isinstance(check["per"], dict) else ""
    have = np.where(low == high, _numbers(low), _numbers(low) + "–" + _numbers(high))
    head = have + f" {label} for " + _numbers(count) + " people; "
    lowest, highest, per = _numbers(need_low), _numbers(need_high), _numbers(most)
    exact = (fewest == most).to_numpy()
    open_ = ~short & ~enough
    text = np.full(len(frame), "", dtype=object)
    text = np.where(short & exact, head + lowest + " needed at 1 per " + per, text)
    text = np.where(
        short & ~exact, head + "at least " + lowest + " needed at 1 per " + per + f" ({by} blank)", text
    )
    text = np.where(open_ & ~exact, head + lowest + " to " + highest + f" needed: {by} is blank", text)
    text = np.where(open_ & exact, head + lowest + f" needed: {substitute} is blank", text)
    text = np.where(open_ & ~exact & (low != high), text + f"; {substitute} is blank", text)
    count_blank, fixtures_blank = np.isnan(count), np.isnan(fixtures)
    text = np.where(fixtures_blank, f"{column} is blank", text)
    text = np.where(count_blank, f"{count_column} is blank", text)
    text = np.where(count_blank & fixtures_blank, f"{count_column} is blank; {column} is blank", text)
    detail = pd.Series(text, index=index, dtype=object)
    detail = verdicts.undecided_detail(detail, frame, where, in_where, ctx, sheet)
    return verdict.outcome(
        sheet,
        index,
        detail,
        cells={sheet: cells},
        absent_columns=conditions.absent_columns(frame, where),
        empty_reason=None if verdict.population.any() else "no occupied units",
    )


def _numbers(values: Any) -> np.ndarray:
    return number(pd.Series(np.asarray(values, dtype="float64"))).to_numpy(dtype=object)


def describe(check: dict[str, Any]) -> str:
    per = check["per"]
    if isinstance(per, dict):
        parts = [f"1 per {v:g} ({per['by']} {k})" for k, v in per["values"].items()]
        text = ", ".join(parts) + f", otherwise 1 per {per['default']:g}"
    else:
        text = f"1 per {per:g}"
    return f"{check['fixtures']}: at least {text} people"
