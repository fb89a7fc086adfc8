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
    their ranges multiplied do not fit in 63 bits. Keys are integers or booleans, of equal length."""
    packed: np.ndarray | None = None
    room = 1  # the product of the ranges packed so far, as a Python int (never overflows)
    for key in keys:  # least significant first
        key = np.asarray(key, dtype=np.int64)
        low = int(key.min()) if len(key) else 0
        span = (int(key.max()) - low + 1) if len(key) else 1
        if room * span > LIMIT:
            return None
        shifted = key - low if low else key
        packed = shifted if packed is None else shifted * room + packed
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
    """The (major, minor) int64 pairs in lexicographic order, as values (no order of the rows is
    kept: a sort of the values alone, faster than an argsort and the two takes it needs; pairs
    already in minor order with fewer than 65,536 major values, by a radix sort of the major key)."""
    packed = pack((minor, major))
    if packed is None:
        order = np.lexsort((minor, major))
        return major[order], minor[order]
    if len(packed) < 2 or (np.diff(packed) >= 0).all():
        return major, minor
    first = int(major.min())
    if int(major.max()) - first < 2**16 and (np.diff(minor) >= 0).all():
        # in minor order already (a log exported by time): a stable sort by the major key alone
        # orders the pairs, and numpy's stable sort of 16-bit keys is a radix sort, linear
        order = np.argsort((major - first).astype(np.uint16), kind="stable")
        return major[order], minor[order]
    low = int(minor.min())
    span = int(minor.max()) - low + 1
    packed = np.sort(packed)
    return packed // span + first, packed % span + low
