"""Row conditions of the standards (`where`, `violation_when`, `qualifying`), vectorised.

Two readings (docs/verdicts.md):
- `classify` is three-valued (Kleene): each row is proven true, proven false or unknown. An empty
  cell makes `in`, `equals`, `above`, `below`, `between`, `contains_all` and an age unknown; an
  absent column (allowed only inside `any_of`) makes its part unknown for every row. `not_equals`
  and `present` are never unknown: an unrecorded video is not a recorded one.
- `holds` is one condition's two-valued reading (unknown as False), on which `classify` builds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from auditor.engine import durations

if TYPE_CHECKING:  # the engine's context pulls in the workbook and pandera; lint needs neither
    from auditor.engine.context import Context


@dataclass(frozen=True)
class Tri:
    """A three-valued condition over the rows: `yes` proven true, `unknown` undecided, else proven false."""

    yes: np.ndarray
    unknown: np.ndarray

    @property
    def maybe(self) -> np.ndarray:
        return self.yes | self.unknown

    @property
    def no(self) -> np.ndarray:
        return ~(self.yes | self.unknown)

    @classmethod
    def true(cls, n: int) -> Tri:
        return cls(np.ones(n, dtype=bool), np.zeros(n, dtype=bool))

    @classmethod
    def of(cls, yes: np.ndarray, unknown: np.ndarray | None = None) -> Tri:
        yes = np.asarray(yes, dtype=bool)
        unknown = np.zeros(len(yes), dtype=bool) if unknown is None else np.asarray(unknown, dtype=bool)
        return cls(yes & ~unknown, unknown)

    def __and__(self, other: Tri) -> Tri:  # false wins; true only when both are
        yes = self.yes & other.yes
        return Tri(yes, self.maybe & other.maybe & ~yes)

    def __or__(self, other: Tri) -> Tri:  # true wins; false only when both are
        yes = self.yes | other.yes
        return Tri(yes, (self.unknown | other.unknown) & ~yes)


def classify(frame: pd.DataFrame, conditions: list[dict[str, Any]] | None, ctx: Context, sheet: str) -> Tri:
    """Rows meeting every condition, three-valued."""
    result = Tri.true(len(frame))
    for condition in conditions or []:
        result = result & _classify_one(frame, condition, ctx, sheet)
    return result


def _classify_one(frame: pd.DataFrame, condition: dict[str, Any], ctx: Context, sheet: str) -> Tri:
    n = len(frame)
    if "any_of" in condition:
        out = Tri(np.zeros(n, dtype=bool), np.zeros(n, dtype=bool))
        for part in condition["any_of"]:
            out = out | _classify_one(frame, part, ctx, sheet)
        return out
    if "age_at" in condition:
        return Tri.of(
            _age(frame, condition, ctx, sheet).to_numpy(),
            ages(frame, condition["age_at"], ctx, sheet).isna().to_numpy(),
        )
    if "stay_at_least" in condition:
        return Tri.of(
            holds(frame, condition, ctx, sheet).to_numpy(), frame[condition["from"]].isna().to_numpy()
        )
    column = condition.get("column")
    if column not in frame:  # an absent column inside any_of: nothing is known from it
        return Tri(np.zeros(n, dtype=bool), np.ones(n, dtype=bool))
    hit = holds(frame, condition, ctx, sheet).to_numpy(dtype=bool)
    if "not_equals" in condition or "present" in condition:
        return Tri.of(hit)
    return Tri.of(hit, frame[column].isna().to_numpy())


def absent_columns(frame: pd.DataFrame, conditions: list[dict[str, Any]] | None) -> list[str]:
    """The columns the conditions name that the sheet lacks (only `any_of` parts may be absent)."""
    out: list[str] = []
    for condition in conditions or []:
        for part in condition.get("any_of", [condition]):
            if "any_of" in part:
                out += absent_columns(frame, [part])
            elif part.get("column") and part["column"] not in frame:
                out.append(part["column"])
    return list(dict.fromkeys(out))


def holds(frame: pd.DataFrame, condition: dict[str, Any], ctx: Context, sheet: str) -> pd.Series:
    """Rows meeting one condition (False where the cell is empty, but for not_equals)."""
    if "any_of" in condition:
        out = pd.Series(False, index=frame.index)
        for part in condition["any_of"]:
            out |= holds(frame, part, ctx, sheet)
        return out
    if "age_at" in condition:
        return _age(frame, condition, ctx, sheet)
    if "stay_at_least" in condition:
        end = frame[condition["to"]].fillna(ctx.review_end) if condition["to"] in frame else ctx.review_end
        stay = end - frame[condition["from"]]
        return (stay >= durations.timedelta(condition["stay_at_least"])).fillna(False).astype(bool)
    values = frame[condition["column"]]
    if "in" in condition:
        wanted = [_like(v, values) for v in condition["in"]]
        hit = values == wanted[0] if len(wanted) == 1 else values.isin(wanted)  # == is the faster test
        return _definite(hit)
    if "equals" in condition:
        return _definite(values == _like(condition["equals"], values))
    if "not_equals" in condition:
        return ~_definite(values == _like(condition["not_equals"], values))
    if "present" in condition:
        return values.notna() if condition["present"] else values.isna()
    if "contains_all" in condition:
        out = pd.Series(True, index=frame.index)
        text = values.astype("string")
        for item in condition["contains_all"]:
            pattern = rf"(?:^|[,;/\s]){re.escape(str(item))}(?:$|[,;/\s])"
            out &= text.str.contains(pattern, regex=True).fillna(False).astype(bool)
        return out
    raise ValueError(f"unknown condition {condition}")


def _definite(hit: pd.Series) -> pd.Series:
    """A comparison's result with empty cells as False."""
    return pd.Series(hit.to_numpy(dtype=bool, na_value=False), index=hit.index)


def _like(value: Any, values: pd.Series) -> Any:
    """YAML reads `in: [1, 3]` as numbers; the column may hold text."""
    if isinstance(value, bool):
        return value
    if pd.api.types.is_string_dtype(values) and not isinstance(value, str):
        return str(value)
    return value


def ages(frame: pd.DataFrame, at: str, ctx: Context, sheet: str) -> pd.Series:
    """Age in whole years at the time in column `at` (missing when the birth date is unknown) of each
    row of `frame` (the sheet, or some of its rows). Worked out once per sheet and kept: several
    requirements read the same ages (a minor's, a pregnancy test's), each on 200,000 admissions."""
    key = ("ages", sheet, at)
    if key not in ctx.cache:
        ctx.cache[key] = _ages(ctx.frame(sheet), at, ctx, sheet)
    every = ctx.cache[key]
    return every if frame.index.equals(every.index) else every.reindex(frame.index)


def _ages(frame: pd.DataFrame, at: str, ctx: Context, sheet: str) -> pd.Series:
    birth = ctx.birth_dates(sheet, frame)
    days = ctx.inspection.day_columns.get(sheet, ())  # a time's date is the facility's, not UTC's
    when = frame[at] if at in days else ctx.inspection.local_days(frame[at])
    years = when.dt.year - birth.dt.year
    before_birthday = (when.dt.month * 100 + when.dt.day) < (birth.dt.month * 100 + birth.dt.day)
    return (years - before_birthday.astype("Int64")).astype("Int64")


def _age(frame: pd.DataFrame, condition: dict[str, Any], ctx: Context, sheet: str) -> pd.Series:
    age = ages(frame, condition["age_at"], ctx, sheet)
    if "below" in condition:
        out = age < condition["below"]
    elif "above" in condition:
        out = age > condition["above"]
    else:
        low, high = condition["between"]
        out = (age >= low) & (age <= high)
    return out.fillna(False).astype(bool)


def describe(condition: dict[str, Any]) -> str:
    """A condition in words, for thresholds and evidence."""
    if "any_of" in condition:
        return " or ".join(describe(c) for c in condition["any_of"])
    if "age_at" in condition:
        if "below" in condition:
            return f"aged under {condition['below']:g} at {condition['age_at']}"
        if "above" in condition:
            return f"aged over {condition['above']:g} at {condition['age_at']}"
        low, high = condition["between"]
        return f"aged {low:g}–{high:g} at {condition['age_at']}"
    if "stay_at_least" in condition:
        return f"held at least {durations.describe(condition['stay_at_least'])}"
    column = condition["column"]
    if "in" in condition:
        return f"{column} is " + " or ".join(str(v) for v in condition["in"])
    if "equals" in condition:
        return f"{column} is {_word(condition['equals'])}"
    if "not_equals" in condition:
        return f"{column} is not {_word(condition['not_equals'])} (or not recorded)"
    if "present" in condition:
        return f"{column} is {'recorded' if condition['present'] else 'empty'}"
    return f"{column} includes " + " and ".join(str(v) for v in condition["contains_all"])


def _word(value: Any) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return str(value)
