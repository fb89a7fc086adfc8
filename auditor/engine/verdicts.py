"""A record's verdict from its membership and its violation, and why an undecided record is undecided.

docs/verdicts.md: a record is in the population when its `where` is true or unknown; its verdict is
the Kleene *and* of membership and violation. The words say which condition the data cannot decide
and which cell leaves it open, so an inspector knows what to fill in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from auditor.engine import conditions
from auditor.engine.conditions import Tri
from auditor.engine.outcome import INDETERMINATE, Outcome, both, evidence

if TYPE_CHECKING:  # the engine's context pulls in the workbook and pandera; lint needs neither
    from auditor.engine.context import Context


@dataclass(frozen=True)
class Verdicts:
    """Boolean masks over the rows: each row of `population` is in exactly one of the other three."""

    population: np.ndarray
    violation: np.ndarray
    compliant: np.ndarray
    undecided: np.ndarray

    def outcome(self, sheet: str, index: pd.Index, detail: pd.Series, **fields: Any) -> Outcome:
        """The Outcome of one sheet's rows: the three counts, and evidence rows for the violations
        and for the undecided records (`detail` says why each is what it is)."""
        return Outcome(
            population=int(self.population.sum()),
            violations=int(self.violation.sum()),
            indeterminate=int(self.undecided.sum()),
            evidence=both(
                evidence(sheet, index[self.violation], detail[self.violation]),
                evidence(sheet, index[self.undecided], detail[self.undecided], INDETERMINATE),
            ),
            **fields,
        )


def of(member: Tri, violation: Tri) -> Verdicts:
    """The Kleene and of membership and violation (the table in docs/verdicts.md)."""
    population = member.maybe
    proven = member.yes & violation.yes
    compliant = population & violation.no  # met whichever way an unknown membership falls
    return Verdicts(population, proven, compliant, population & ~proven & ~compliant)


def unknowns(
    frame: pd.DataFrame,
    conditions_: list[dict[str, Any]] | None,
    ctx: Context,
    sheet: str,
    rows: np.ndarray | None = None,
) -> tuple[pd.Series, pd.Series]:
    """For each row (or only the rows at positions `rows`), the conditions left unknown (' or '
    joined, in words) and why ('; ' joined): empty strings on rows where none is unknown. The words
    are built for those rows alone (text joined on every row of a sheet costs more than the rule);
    which causes come first is decided on the whole frame, so a row reads the same either way."""
    at = np.arange(len(frame)) if rows is None else rows
    what = np.full(len(at), "", dtype=object)
    why = np.full(len(at), "", dtype=object)
    reasons: dict[str, np.ndarray] = {}  # one text per cause, so two ages on one birth date say it once
    for leaf in _leaves(conditions_ or []):
        unknown = conditions.classify(frame, [leaf], ctx, sheet).unknown
        if not unknown.any():
            continue
        what = _join(what, unknown[at], conditions.describe(leaf), " or ")
        for text, where in _causes(frame, leaf, ctx, sheet):
            reasons[text] = reasons.get(text, np.zeros(len(frame), dtype=bool)) | (where & unknown)
    for text, where in reasons.items():
        why = _join(why, where[at], text, "; ")
    index = frame.index[at]
    return pd.Series(what, index=index), pd.Series(why, index=index)


def undecided_detail(
    detail: pd.Series,
    frame: pd.DataFrame,
    where: list[dict[str, Any]] | None,
    member: Tri,
    ctx: Context,
    sheet: str,
) -> pd.Series:
    """`detail` (of the violation, proven or not), followed where membership is unknown by why it is."""
    if not member.unknown.any():
        return detail
    rows = np.flatnonzero(member.unknown)
    suffix = "cannot tell whether it applies: " + unknowns(frame, where, ctx, sheet, rows)[1].to_numpy()
    out = detail.to_numpy(dtype=object, copy=True)
    out[rows] = np.where(out[rows] == "", suffix, out[rows] + "; " + suffix)
    return pd.Series(out, index=detail.index, dtype=object)


def _leaves(conditions_: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for condition in conditions_:
        out += _leaves(condition["any_of"]) if "any_of" in condition else [condition]
    return out


def _causes(
    frame: pd.DataFrame, leaf: dict[str, Any], ctx: Context, sheet: str
) -> list[tuple[str, np.ndarray]]:
    """The cells that leave one condition unknown: an absent column, a blank cell, a blank birth date."""
    n = len(frame)
    if "age_at" in leaf:
        at = leaf["age_at"]
        births = ctx.birth_dates(sheet, frame).isna().to_numpy()
        why = "date_of_birth is blank" if ctx.can_age(sheet) else "no date of birth in the inspection"
        return [(why, births), (f"{at} is blank", frame[at].isna().to_numpy())]
    column = leaf["from"] if "stay_at_least" in leaf else leaf["column"]
    if column not in frame:
        return [(f"the sheet has no {column} column", np.ones(n, dtype=bool))]
    return [(f"{column} is blank", frame[column].isna().to_numpy())]


def _join(texts: np.ndarray, where: np.ndarray, text: str, separator: str) -> np.ndarray:
    joined = np.where(texts == "", text, texts + separator + text)
    return np.where(where, joined, texts)
