"""Did you mean: the closest allowed value for a cell, a header or a sheet name that is not one.

Matching is rapidfuzz's normalised similarity (case and punctuation folded), so `hold room`,
`Deficent` and `Arival` find `hold-room`, `deficient` and `arrival`. A value far from every
choice gets no suggestion: a wrong guess would mislead more than none. Where a choice has a label
(a state's name, a column's header label), the label is matched too and the choice suggested
(`Arizona` → `AZ`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from auditor import glossary
from auditor.workbook import declarations as decl

CUTOFF = 75.0  # similarity (0-100) below which nothing is suggested
MAX_DISTINCT = 1_000  # distinct wrong values matched per column (a hostile file has millions)
SUGGESTED = ("not_allowed", "not_a_boolean")  # the problem codes of a value outside a closed list
# Facility columns whose codes have glossary labels: `Arizona` finds AZ, `Atlanta` ATL.
LABELLED = {
    ("Facility", "state"): "states",
    ("Facility", "aor"): "aors",
    ("Facility", "facility_type"): "facility_types",
    ("Facility", "detention_standard"): "editions",
}
BOOL_SPELLINGS = ("Yes", "No", "TRUE", "FALSE", "Y", "N", "1", "0")  # what parse.py reads as yes/no


def closest(value: object, choices: Iterable[str], labels: Mapping[str, str] | None = None) -> str | None:
    """The choice nearest `value` (or whose label is), or None when none is near enough."""
    from rapidfuzz import fuzz, process, utils  # only when a value is wrong

    text = str(value).strip()
    if not text:
        return None
    candidates: dict[str, str] = {}  # what is matched → the choice it stands for
    for choice in choices:
        candidates.setdefault(choice, choice)
        if labels and labels.get(choice):
            candidates.setdefault(labels[choice], choice)
    found = process.extractOne(
        text, list(candidates), scorer=fuzz.ratio, processor=utils.default_process, score_cutoff=CUTOFF
    )
    return candidates[found[0]] if found else None


def hint(value: object, choices: Iterable[str], labels: Mapping[str, str] | None = None) -> str:
    """`; did you mean 'x'?` for the nearest choice, or "" when there is none."""
    found = closest(value, choices, labels)
    if found is None or found == str(value).strip():
        return ""
    label = labels.get(found) if labels else None
    return f"; did you mean {found!r}" + (f" ({label})" if label and label != found else "") + "?"


def column_choices(sheet: str, column: str) -> tuple[tuple[str, ...], Mapping[str, str] | None]:
    """The closed list of a column (and the labels its values have), or () when it has none."""
    declared = decl.SHEETS_BY_NAME.get(sheet)
    if declared is None or column not in declared.column_names:
        return (), None
    found = declared.column(column)
    if found.kind is decl.Kind.BOOL:
        return BOOL_SPELLINGS, None
    group = LABELLED.get((sheet, column))
    return found.choices, glossary.glossary()[group] if group else None


def hints(values: np.ndarray, choices: Iterable[str], labels: Mapping[str, str] | None = None) -> np.ndarray:
    """`hint` for each value: one match per distinct value, and none past the first MAX_DISTINCT."""
    codes, distinct = pd.factorize(values)
    choices = tuple(choices)
    found = [hint(value, choices, labels) for value in distinct[:MAX_DISTINCT]]
    return np.array(found + [""] * max(0, len(distinct) - MAX_DISTINCT), dtype=object)[codes]


def with_suggestions(problems: pd.DataFrame) -> pd.DataFrame:
    """Problems whose value lies outside a closed list, each message ending in the nearest allowed
    value. One match per distinct value of a column (a column of one repeated typo costs one), and
    at most MAX_DISTINCT of them: a column of a million different wrong values is told none."""
    if problems.empty or "code" not in problems:
        return problems
    where = np.flatnonzero((problems["code"].isin(SUGGESTED) & problems["value"].notna()).to_numpy())
    if not len(where):
        return problems
    chosen = problems.iloc[where]
    message = problems["message"].to_numpy(dtype=object, copy=True)
    for (sheet, column), positions in chosen.groupby(["sheet", "column"], sort=False).indices.items():
        choices, labels = column_choices(str(sheet), str(column))
        if not choices:
            continue
        added = hints(chosen["value"].iloc[positions].to_numpy(dtype=object), choices, labels)
        told = added != ""
        rows = where[positions[told]]
        message[rows] = message[rows] + added[told]
    problems = problems.copy()
    problems["message"] = message
    return problems


def header_hint(text: object, sheet: decl.Sheet) -> str:
    """`; did you mean 'arrival' (Arrival (book-in))?` for a header no column of `sheet` has."""
    return hint(text, sheet.column_names, glossary.sheet_labels(sheet.name))


def sheet_hint(name: object) -> str:
    """`; did you mean 'Intake'?` for a sheet name the workbook contract does not declare."""
    return hint(name, [s.name for s in decl.SHEETS])
