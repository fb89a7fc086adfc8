"""outcome.put: a rule's detail set on its rows, by position when the text is of those rows in order."""

from __future__ import annotations

import numpy as np
import pandas as pd

from auditor.engine.outcome import put


def test_text_of_the_rows_in_order_a_string_or_text_in_another_order() -> None:
    detail = pd.Series("", index=pd.RangeIndex(2, 7), dtype=object)  # Excel rows 2..6
    rows = np.array([False, True, False, True, True])  # rows 3, 5, 6
    put(detail, rows, pd.Series(["a", "b", "c"], index=[3, 5, 6]))
    assert detail.tolist() == ["", "a", "", "b", "c"]
    put(detail, np.array([True, False, False, False, False]), "blank")
    assert detail.tolist() == ["blank", "a", "", "b", "c"]
    # the same rows in another order: matched by row, as pandas aligns them, not by position
    put(detail, rows, pd.Series(["z6", "z3", "z5"], index=[6, 3, 5]))
    assert detail.tolist() == ["blank", "z3", "", "z5", "z6"]


def test_nothing_to_set() -> None:
    detail = pd.Series(["x", "y"], index=[2, 3], dtype=object)
    put(detail, np.zeros(2, dtype=bool), pd.Series([], dtype=object))
    assert detail.tolist() == ["x", "y"]
