"""engine.order: several integer keys sorted as one packed int64, exactly as np.lexsort orders them."""

from __future__ import annotations

import numpy as np
import pytest

from auditor.engine.order import lexsort, pack, sorted_pairs


def test_a_small_example_by_hand() -> None:
    # rows: (detainee code, time, stay first) — the last key is the primary one
    code = np.array([1, 0, 1, 0, 1])
    time = np.array([30, 20, 10, 20, 10])
    later = np.array([True, True, False, False, True])
    assert lexsort((later, time, code)).tolist() == [3, 1, 2, 4, 0]
    assert [p.tolist() for p in sorted_pairs(code, time)] == [[0, 0, 1, 1, 1], [20, 20, 10, 10, 30]]


def test_negative_values_and_times_in_microseconds_pack() -> None:
    minor = np.array([-5, 1_735_689_600_000_000, -5, 0], dtype=np.int64)
    major = np.array([3, -2, -2, 3], dtype=np.int64)
    assert pack((minor, major)) is not None
    assert lexsort((minor, major)).tolist() == [2, 1, 0, 3]
    assert [p.tolist() for p in sorted_pairs(major, minor)] == [
        [-2, -2, 3, 3],
        [-5, 1_735_689_600_000_000, -5, 0],
    ]


@pytest.mark.parametrize("n", [0, 1, 2, 1000])
def test_the_same_order_as_numpy_lexsort_shuffled_or_sorted(n: int) -> None:
    rng = np.random.default_rng(n)
    code = rng.integers(0, 50, n)
    time = rng.integers(1_700_000_000_000_000, 1_700_000_000_000_000 + 10**13, n)
    time[: n // 3] = time[n // 3 : 2 * (n // 3)]  # ties, which the stable order keeps in row order
    flag = rng.integers(0, 2, n).astype(bool)
    keys = (flag, time, code)
    assert lexsort(keys).tolist() == np.lexsort(keys).tolist()
    in_order = np.lexsort(keys)
    sorted_keys = tuple(k[in_order] for k in keys)
    assert lexsort(sorted_keys).tolist() == list(range(n))  # already in order: the identity
    expected = np.lexsort((time, code))
    got = sorted_pairs(code, time)
    assert got[0].tolist() == code[expected].tolist() and got[1].tolist() == time[expected].tolist()


def test_keys_too_wide_for_one_int64_fall_back_to_numpy() -> None:
    rng = np.random.default_rng(7)
    wide = rng.integers(-(2**62), 2**62, 500)
    code = rng.integers(0, 4, 500)
    assert pack((wide, code)) is None
    assert lexsort((wide, code)).tolist() == np.lexsort((wide, code)).tolist()
    got = sorted_pairs(code, wide)
    expected = np.lexsort((wide, code))
    assert got[0].tolist() == code[expected].tolist() and got[1].tolist() == wide[expected].tolist()


@pytest.mark.parametrize("majors", [50, 2**16, 2**16 + 1, 200_000])
def test_pairs_already_in_minor_order_as_a_log_exported_by_time(majors: int) -> None:
    rng = np.random.default_rng(majors)
    major = rng.integers(0, majors, 5000) + 7
    major[:2] = (7, 7 + majors - 1)  # the whole range: 2**16 values still take the radix sort, one more not
    minor = np.sort(rng.integers(-(10**12), 10**12, 5000))
    minor[100:200] = minor[100]  # ties in time
    expected = np.lexsort((minor, major))
    got = sorted_pairs(major, minor)
    assert got[0].tolist() == major[expected].tolist() and got[1].tolist() == minor[expected].tolist()


def test_pairs_in_order_come_back_unsorted_even_when_too_wide_to_pack() -> None:
    # a year of microseconds times 300,000 placements overflows one int64: in order, no lexsort
    major = np.repeat(np.arange(300_000, dtype=np.int32), 2)
    minor = np.tile(np.array([0, 2**45], dtype=np.int64), 300_000)
    assert pack((minor, major)) is None
    got = sorted_pairs(major, minor)
    assert got[0] is major and got[1] is minor
    swapped = minor.copy()
    swapped[[10, 11]] = swapped[[11, 10]]  # one placement's two checks out of order: sorted back
    got = sorted_pairs(major, swapped)
    assert got[0].tolist() == major.tolist() and got[1].tolist() == minor.tolist()


def test_wide_keys_in_order_are_compared_not_subtracted() -> None:
    # the difference of these minor keys overflows int64: an in-order test by np.diff says "descending"
    major = np.zeros(2, dtype=np.int64)
    minor = np.array([-(2**62) - 5, 2**62 + 5], dtype=np.int64)
    got = sorted_pairs(major, minor)
    assert got[1].tolist() == minor.tolist()
    backwards = sorted_pairs(major, minor[::-1].copy())
    assert backwards[1].tolist() == minor.tolist()
