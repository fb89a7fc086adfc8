"""Which records to review: a seeded simple random draw without replacement, and how it was made."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import numpy as np
import pandas as pd

from auditor.sampling.size import Design, DesignError, Size, sample_size

SEED_LIMIT = 2**53  # a seed kept in a spreadsheet cell (a double) must read back exactly


@dataclass(frozen=True)
class Draw:
    sheet: str
    population: int
    design: Design
    size: Size
    seed: int
    rows: np.ndarray  # the drawn records' Excel rows, in row order
    method: str


def fresh_seed() -> int:
    """A seed for a draw given none: nine digits, short enough to read aloud and type again."""
    return secrets.randbelow(10**9)


def draw(sheet: str, rows: pd.Index | np.ndarray, design: Design, seed: int | None = None) -> Draw:
    """Size the sample for the records at `rows` (their Excel rows) and draw it. The same rows,
    design and seed draw the same records (numpy's Generator, PCG64, with this numpy)."""
    if seed is None:
        seed = fresh_seed()
    if not 0 <= seed < SEED_LIMIT:
        raise DesignError(f"the seed must be from 0 to {SEED_LIMIT - 1}; got {seed}")
    rows = np.asarray(rows, dtype=np.int64)
    size = sample_size(design, population=len(rows))
    picked = np.random.default_rng(seed).choice(len(rows), size=size.records, replace=False)
    return Draw(
        sheet, len(rows), design, size, seed, np.sort(rows[picked]), method(size, design, seed, len(rows))
    )


def method(size: Size, design: Design, seed: int, population: int) -> str:
    """The method in words, stored with the sample: enough to check the size and repeat the draw."""
    sized = (
        "every record (a census: no smaller sample meets the design)"
        if size.census
        else f"smallest n with P(≤ {size.expected_deviations} deviations | {size.distribution}, "
        f"{population} records, tolerable rate {design.tolerable_rate:g}) ≤ {1 - design.confidence:g}"
    )
    return (
        f"Attribute sample: {sized} (scipy.stats); simple random draw without replacement: "
        f"numpy {np.__version__} default_rng({seed}).choice({population}, {size.records}, replace=False) "
        "over the sheet's records in row order."
    )
