"""Identifiers in evidence are masked the same way whether a sheet has few evidence rows (a Python
loop) or many (pandas' string methods): '****' and the last 4 characters, short ones hidden whole."""

import pandas as pd
import pytest

from auditor.engine.evidence import SMALL, mask_ids

CASES = [("A12345678", "****5678"), ("SRMS-D000042", "****0042"), ("ABCD", "****"), ("12345", "****2345")]


@pytest.mark.parametrize("dtype", ["string", object])
@pytest.mark.parametrize("size", [len(CASES) + 2, SMALL + 10])
def test_masks_alike_below_and_above_the_small_size(size: int, dtype) -> None:
    raw = [CASES[i % len(CASES)][0] for i in range(size - 2)] + [None, None]
    want = [CASES[i % len(CASES)][1] for i in range(size - 2)] + ["", ""]
    values = pd.Series(raw, index=range(2, size + 2), dtype=dtype)
    masked = mask_ids(values)
    assert masked.astype(object).tolist() == want
    assert masked.index.tolist() == values.index.tolist()


def test_a_number_read_as_an_identifier_is_masked_as_its_text() -> None:
    assert mask_ids(pd.Series([123456789.0, float("nan")])).astype(object).tolist() == ["****89.0", ""]
