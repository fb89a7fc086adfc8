"""One linear pass that says whether a window of sheet XML may hold something rare.

The sheet checks (extent.FastCells, xlsx_scan) look for what a normal sheet never holds: a cell
without an Excel reference, a formula, a merged range, an error value. Python's regexes find none
of them in a 150 MB sheet only after trying their lookaheads at each of its four million cells
(0.2 s for the cell check, 0.08 s a substring). Arrow's RE2 is a DFA: one pass whatever the
pattern, with no lookaheads. A pattern here matches everything its exact check could find (and
may match more), so a window it finds nothing in needs no exact check; one it finds something in
gets the exact check as before. The window is handed to Arrow without a copy.
"""

from __future__ import annotations

import functools
import struct

import pyarrow as pa
import pyarrow.compute as pc

_SPACE = r"\t\n\r\f\v"  # what Python's bytes \s matches, besides the space


def may_match(pattern: str, data: bytes, start: int = 0, end: int | None = None) -> bool:
    """Whether RE2 `pattern` (bytes read as Latin-1: any byte is one character) matches in data[start:end]."""
    end = len(data) if end is None else end
    if end <= start:
        return False
    window = pa.py_buffer(memoryview(data)[start:end])
    offsets = pa.py_buffer(struct.pack("<ii", 0, end - start))
    array = pa.Array.from_buffers(pa.binary(), 1, [None, offsets, window])
    return bool(pc.match_substring_regex(array, pattern).to_pylist()[0])


def may_hold_odd_cell(data: bytes, start: int, end: int, limit: int) -> bool:
    """False only when data[start:end] holds nothing extent.odd_cell(limit) or its prefixed-cell
    pattern could find: three passes of Arrow's, each at memchr or DFA speed."""
    if may_match(_odd_cell(limit), data, start, end) or may_match(_PREFIXED, data, start, end):
        return True
    last = data.rfind(b"<c", start, end)  # a `<c` tag the window cuts (only a part's last can be)
    return last >= 0 and data.find(b">", last, end) < 0


_PREFIXED = f":c[{_SPACE} />]"


@functools.cache
def _odd_cell(limit: int) -> str:
    """A superset, for RE2, of the complete tags extent.odd_cell(limit) finds: a `<c` tag that
    does not begin ` r="` + a reference within `limit` columns (702, ZZ, when more) and 999,999
    rows + `"`.

    Each branch is a way of leaving that form; a cell of the form matches none of them. (An odd
    cell that closes itself, which odd_cell lets pass, matches: the exact check decides.) One
    pattern, all branches after the common `<c`: RE2's alternation of unlike branches is slower.
    """
    capped = max(1, min(limit, 702))
    full, rest = divmod(max(capped - 26, 0), 26)
    far: list[str] = []  # references whose letters go past the limit
    if capped < 26:
        far.append(f"[{chr(65 + capped)}-Z][0-9]")
    if rest:  # the partly allowed first letter, then the letters after it
        far.append(f"{chr(65 + full)}[{chr(65 + rest)}-Z]")
        if full + 1 < 26:
            far.append(f"[{chr(66 + full)}-Z][A-Z]")
    elif full < 26:
        far.append(f"[{chr(65 + full)}-Z][A-Z]")
    reference = "|".join(
        [
            "[^A-Z]",  # no letter first
            "[A-Z][^A-Z0-9]",  # a letter, then neither letter nor digit
            "[A-Z]{2}[^0-9]",  # two letters, then no digit (a third letter among them)
            *far,
            '[A-Z]{1,2}[0-9]{1,6}[^0-9"]',  # digits that do not end the reference
            "[A-Z]{1,2}[0-9]{7}",  # a row past 999,999
        ]
    )
    return f'<c(?:[{_SPACE}/>]| [^r]| r[^=]| r=[^"]| r="(?:{reference}))'
