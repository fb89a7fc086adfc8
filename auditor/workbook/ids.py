"""Facility ids: one rule for every way an id comes in (the Facility sheet, a roster, a URL, the
API, `--facility` on the command line).

An id becomes part of URLs, file names and folder names, so it is limited to characters that
mean nothing there: no `/` (a path), `?` or `#` (a URL), spaces or control characters, and no
leading `.` (a hidden or parent folder).
"""

from __future__ import annotations

import re

FACILITY_ID_MAX = 128
FACILITY_ID = re.compile(rf"[A-Za-z0-9][A-Za-z0-9._-]{{0,{FACILITY_ID_MAX - 1}}}")
FACILITY_ID_RULE = (
    f"1 to {FACILITY_ID_MAX} letters (A-Z, a-z), digits, '-', '_' or '.', starting with a letter or digit"
)


def is_facility_id(value: object) -> bool:
    return isinstance(value, str) and FACILITY_ID.fullmatch(value) is not None


def facility_id_problem(value: object) -> str | None:
    """Why `value` cannot be a facility id, in a sentence that says the rule; None when it can."""
    if is_facility_id(value):
        return None
    text = value if isinstance(value, str) else str(value)
    if not text:
        why = "it is empty"
    elif len(text) > FACILITY_ID_MAX:
        why = f"it has {len(text)} characters"
    elif not (text[0].isascii() and text[0].isalnum()):
        why = f"it starts with {text[0]!r}"
    else:
        bad = sorted({c for c in text if not (c.isascii() and (c.isalnum() or c in "._-"))})
        why = "it contains " + " ".join(repr(c) for c in bad[:5])
    return f"not a usable facility id ({why}): use {FACILITY_ID_RULE}"
