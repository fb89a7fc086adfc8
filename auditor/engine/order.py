"""Sorting by several integer keys at the cost of one: the keys packed into one int64 when their
ranges fit, so that shuffled rows cost one sort of one column, not numpy's lexsort (an indirect
stable sort per key, three to five times slower on a million rows).

Keys are given as np.lexsort takes them: the last is the primary one.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

LIMIT = 2**63 - 1


def pack(keys: Sequence[np.ndarray]) -> np.ndarray | None:
    """One int64 per row, ordered as the keys are lexicographically (last key first), or None when
    their ranges multiplied do not fit in 63 bits. Keys are integers or booleans, of equal length.
    Always a new array, which the caller may sort in place."""
    packed: np.ndarray | None = None
    room = 1  # the product of the ranges packed so far, as a Python int (never overflows)
    for key in keys:  # least significant first
        key = np.asarray(key)
        low = int(key.min()) if len(key) else 0
        span = (int(key.max()) - low + 1) if len(key) else 1
        if room * span > LIMIT:
            return None
        # in place, on one int64 copy of the key: at 15M rows each temporary is 120 MB
        shifted = key.astype(np.int64)
        if low:
            shifted -= low
        if packed is None:
            packed = shifted
        else:
            shifted *= room
            packed += shifted
            del shifted
        room *= span
    return packed


def lexsort(keys: Sequence[np.ndarray]) -> np.ndarray:
    """np.lexsort(keys): the stable order of the rows by the keys (the last key first)."""
    packed = pack(keys)
    if packed is None:
        return np.lexsort(keys)
    if len(packed) < 2 or (np.diff(packed) >= 0).all():  # already in order: nothing to sort
        return np.arange(len(packed))
    return np.argsort(packed, kind="stable")


def sorted_pairs(major: np.ndarray, minor: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The (major, minor) integer pairs in lexicographic order, as values (no order of the rows is
    kept: a sort of the values alone, faster than an argsort and the two takes it needs; pairs
    already in minor order with fewer than 65,536 major values, by a radix sort of the major key).
    Pairs already in order come back as they are, the arrays given."""
    if in_order(major, minor):  # checked first: pairs too wide to pack may well be in order
        return major, minor
    packed = pack((minor, major))
    if packed is None:
        order = np.lexsort((minor, major))
        return major[order], minor[order]
    first = int(major.min())
    if int(major.max()) - first < 2**16 and (np.diff(minor) >= 0).all():
        # in minor order already (a log exported by time): a stable sort by the major key alone
        # orders the pairs, and numpy's stable sort of 16-bit keys is a radix sort, linear
        order = np.argsort((major - first).astype(np.uint16), kind="stable")
        return major[order], minor[order]
    low = int(minor.min())
    span = int(minor.max()) - low + 1
    packed.sort()  # pack's own array: sorted and unpacked in place, one copy of the pairs alive
    minors = packed % span
    minors += low
    packed //= span
    packed += first
    return packed, minors


CHUNK = 1 << 20  # rows compared at a time by in_order: its temporaries stay a few MB


def in_order(major: np.ndarray, minor: np.ndarray) -> bool:
    """Whether the (major, minor) pairs are already in lexicographic order."""
    for lo in range(0, max(len(major) - 1, 0), CHUNK):
        a, b = major[lo : lo + CHUNK + 1], minor[lo : lo + CHUNK + 1]
        if (a[1:] < a[:-1]).any():  # compared, not subtracted: a difference of wide keys overflows
            return False
        tie = a[1:] == a[:-1]
        if (b[1:][tie] < b[:-1][tie]).any():
            return False
    return True
