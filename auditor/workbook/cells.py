"""Excel cell addresses: the way inspectors see them (`Intake!D57`)."""

from __future__ import annotations

import re

_A1 = re.compile(r"^([A-Z]{1,3})(\d+)$")


def column_letter(index: int) -> str:
    """0-based column index → Excel letters (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def split_ref(ref: str) -> tuple[str, int]:
    match = _A1.match(ref)
    if not match:
        raise ValueError(f"not an A1 cell reference: {ref!r}")
    return match.group(1), int(match.group(2))
