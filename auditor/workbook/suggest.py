"""Did you mean: the closest allowed value for a cell, a header or a sheet name that is not one.

Matching is rapidfuzz's normalised similarity (case and punctuation folded), so `hold room`,
`Deficent` and `Arival` find `hold-room`, `deficient` and `arrival`. A value far from every
choice gets no suggestion: a wrong guess would mislead more than none. Where a choice has a label
(a state's name, a column's header label), the label is matched too and the choice suggested
(`Arizona` → `AZ`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from auditor import glossary
from auditor.workbook import declarations as decl

CUTOFF = 75.0  # similarity (0-100) below which nothing is suggested
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


def with_suggestions(problems: pd.DataFrame) -> pd.DataFrame:
    """Problems whose value lies outside a closed list, each message ending in the nearest allowed
    value. One match per distinct (sheet, column, value): a column of one repeated typo costs one."""
    if problems.empty or "code" not in problems:
        return problems
    outside = problems["code"].isin(SUGGESTED) & problems["value"].notna()
    if not outside.any():
        return problems
    problems = problems.copy()
    keys = problems.loc[outside, ["sheet", "column", "value"]].astype(str)
    hints: dict[tuple[str, str, str], str] = {}
    for key in set(map(tuple, keys.to_numpy())):
        sheet, column, value = key
        choices, labels = column_choices(sheet, column)
        hints[key] = hint(value, choices, labels) if choices else ""
    added = [hints[tuple(k)] for k in keys.to_numpy()]
    problems.loc[outside, "message"] = problems.loc[outside, "message"].astype(str) + added
    return problems


def header_hint(text: object, sheet: decl.Sheet) -> str:
    """`; did you mean 'arrival' (Arrival (book-in))?` for a header no column of `sheet` has."""
    return hint(text, sheet.column_names, glossary.sheet_labels(sheet.name))


def sheet_hint(name: object) -> str:
    """`; did you mean 'Intake'?` for a sheet name the workbook contract does not declare."""
    return hint(name, [s.name for s in decl.SHEETS])
