"""The reader trims a column only when a cell may have spaces around it; the check must never
say no to a column trimming would change (a cell would keep spaces the contract trims away)."""

from __future__ import annotations

import random

import pyarrow as pa
import pyarrow.compute as pc

from auditor.workbook.read import _may_have_spaces_around, _trim

SPACES = [" ", "\t", "\n", "\r", "\x0b", "\x0c", "\x1c", "\u00a0", "\u2003", "\u3000", "\u0085", "\u2028"]
EDGES = [*SPACES, ""]  # a space, or none
WORDS = ["A-1", "2026-01-05 10:00", "é", "x", "", "Ünit 7", "A\u00a0B"]


def changes(column: pa.ChunkedArray) -> bool:
    return pc.utf8_trim_whitespace(column).to_pylist() != column.to_pylist()


def test_a_column_trimming_changes_is_always_checked() -> None:
    rng = random.Random(3)
    changed = 0
    for _ in range(3_000):
        cells = [
            None
            if rng.random() < 0.2
            else rng.choice(EDGES) * rng.randint(0, 1)
            + rng.choice(WORDS)
            + rng.choice(EDGES) * rng.randint(0, 1)
            for _ in range(rng.randint(1, 6))
        ]
        kind = rng.choice([pa.string(), pa.large_string()])
        column = pa.chunked_array([pa.array(cells, kind)])
        if rng.random() < 0.5 and len(cells) > 2:  # a slice: the buffers' offset is not 0
            column = pa.chunked_array([pa.array(["  pad  ", *cells], kind).slice(1)])
        if changes(column):
            changed += 1
            assert _may_have_spaces_around(column), cells
    assert changed > 1_000


def test_plain_columns_skip_the_trim_and_keep_their_cells() -> None:
    column = pa.chunked_array([pa.array(["A-1", None, "2026-01-05 10:00"]), pa.array(["B-2", ""])])
    assert not _may_have_spaces_around(column)
    assert not _may_have_spaces_around(pa.chunked_array([pa.array([None, ""], pa.string())]))
    assert _may_have_spaces_around(pa.chunked_array([pa.array(["A-1 "])]))
    assert _may_have_spaces_around(pa.chunked_array([pa.array(["\u00a0A"])]))  # a no-break space
    assert _may_have_spaces_around(pa.array(["x", " y"])) and not _may_have_spaces_around(pa.array(["x"]))


def test_trim_gives_the_same_cells_either_way() -> None:
    table = pa.table({"0": ["A-1", " B-2 ", "", None], "1": ["x", "y", "z", "\u00a0"]})
    assert _trim(table).to_pydict() == {"0": ["A-1", "B-2", None, None], "1": ["x", "y", "z", None]}
