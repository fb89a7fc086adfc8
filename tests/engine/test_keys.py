"""engine.keys.first_rows: each wanted key's first row, alike for Arrow text, objects and categories."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from auditor.engine.keys import _run_heads, first_rows

KEYS = ["P1", "P2", None, "P1", "P3", None]  # P1 twice: its first row (0) wins; empty keys match nothing
WANTED = ["P3", "P1", None, "P9", "P2", "P1", ""]
EXPECTED = [4, 0, -1, -1, 1, 0, -1]


@pytest.mark.parametrize("keys_dtype", ["string", object])
@pytest.mark.parametrize("wanted_dtype", ["string", object, "category"])
def test_first_row_of_each_key_by_hand(keys_dtype: object, wanted_dtype: object) -> None:
    keys = pd.Series(KEYS, dtype=keys_dtype)
    wanted = pd.Series(WANTED, dtype=wanted_dtype)
    assert first_rows(keys, wanted).tolist() == EXPECTED


def test_arrow_lookup_matches_the_joint_factorize_on_random_ids() -> None:
    rng = np.random.default_rng(3)
    keys = [f"PL-{i:06d}" if i % 97 else None for i in rng.integers(0, 5_000, 4_000)]
    wanted = [f"PL-{i:06d}" if i % 89 else None for i in rng.integers(0, 6_000, 20_000)]
    arrow = first_rows(pd.Series(keys, dtype="string"), pd.Series(wanted, dtype="string"))
    python = first_rows(pd.Series(keys, dtype=object), pd.Series(wanted, dtype=object))
    first = {}
    for row, key in enumerate(keys):
        if key is not None:
            first.setdefault(key, row)
    expected = [first.get(w, -1) if w is not None else -1 for w in wanted]
    assert arrow.tolist() == python.tolist() == expected
    assert (arrow >= 0).sum() > 5_000 and (arrow == -1).sum() > 1_000  # both kinds of answer present


def test_nothing_to_look_up_or_nothing_to_find() -> None:
    assert first_rows(pd.Series(["A"], dtype="string"), pd.Series([], dtype="string")).tolist() == []
    none = pd.Series([], dtype="string")
    assert first_rows(none, pd.Series(["A", None], dtype="string")).tolist() == [-1, -1]


def test_wanted_in_runs_of_equal_keys_as_a_log_exported_by_placement() -> None:
    # runs of 1 to 20 checks per key, empty keys among them: looked up once per run, the same answer
    rng = np.random.default_rng(11)
    keys = [f"PL-{i:04d}" for i in range(300)] + ["PL-0007", None]
    runs = rng.integers(1, 21, 400)
    names = [f"PL-{i:04d}" if i % 50 else None for i in rng.integers(0, 330, 400)]
    wanted = [name for name, run in zip(names, runs, strict=True) for _ in range(run)]
    first = {}
    for row, key in enumerate(keys):
        if key is not None:
            first.setdefault(key, row)
    expected = [first.get(w, -1) if w is not None else -1 for w in wanted]
    got = first_rows(pd.Series(keys, dtype="string"), pd.Series(wanted, dtype="string"))
    assert got.tolist() == expected
    assert _run_heads(pa.chunked_array([pa.array(wanted, pa.large_string())])) is not None  # runs taken
    assert -1 in expected and (np.array(expected) >= 0).sum() > 3_000
