"""Which column a header names: its field name or its label (auditor/glossary.yml), as the
template writes it, matched ignoring case, spaces, `_` and `-`."""

from __future__ import annotations

from functools import cache

from auditor import glossary
from auditor.workbook import declarations as decl


@cache
def header_keys(sheet_name: str) -> dict[str, str]:
    """Normalised header text → column name, for the names and the labels of a sheet's columns."""
    declared = decl.sheet(sheet_name)
    keys = {
        decl.normalise_name(label): name
        for name, label in glossary.sheet_labels(sheet_name).items()
        if name in declared.column_names
    }
    keys.update({decl.normalise_name(c.name): c.name for c in declared.columns})  # a name wins
    return keys


def canonical(declared: decl.Sheet, header: str) -> str | None:
    """The column `header` names (by field name or label), or None."""
    return header_keys(declared.name).get(decl.normalise_name(header))
