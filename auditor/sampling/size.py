"""Attribute-sampling sample sizes: how many records to review so that, if no more deviations are
found than expected, the population's deviation rate is below the tolerable rate at the stated
confidence.

The tolerable rate is the expected rate plus the margin (the AICPA's "allowance for sampling risk").
The smallest n is taken whose one-sided exact upper bound stays at or below it when ceil(n × expected
rate) deviations are found: binomial for a population of unknown size (the AICPA's tables),
hypergeometric when the population is known, as RAT-STATS does (without replacement, so a small
population needs fewer records). scipy.stats computes the distributions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.stats import binom, hypergeom

from auditor.errors import AuditorError

# Bounds that keep every size search short (a margin of 0.01 at 99.9 % needs at most ~27,000 records)
# and the numbers meaningful: below 50 % confidence a "confidence" claims nothing.
CONFIDENCE_RANGE = (0.5, 0.999)
MARGIN_RANGE = (0.01, 0.5)
FIRST_CHUNK = 256  # sizes tried at once; the chunk doubles, so the search costs at most 2n evaluations


class DesignError(AuditorError):
    """Raised when a sample cannot be drawn as asked: its sheet, confidence, margin, expected rate or seed."""

    exit_code = 2  # a usage error: the numbers given cannot define a sample


@dataclass(frozen=True)
class Design:
    """What the sample must show: confidence, margin (tolerable minus expected rate), expected rate."""

    confidence: float
    margin: float
    expected_rate: float = 0.0

    def __post_init__(self) -> None:
        low, high = CONFIDENCE_RANGE
        if not low <= self.confidence <= high:  # also refuses NaN
            raise DesignError(f"confidence must be from {low} to {high}, e.g. 0.95; got {self.confidence}")
        low, high = MARGIN_RANGE
        if not low <= self.margin <= high:
            raise DesignError(f"margin must be from {low} to {high}, e.g. 0.05; got {self.margin}")
        if not 0 <= self.expected_rate < 1 - self.margin:
            raise DesignError(
                f"expected rate must be from 0 to below 1 - margin ({1 - self.margin:g}); "
                f"got {self.expected_rate}"
            )

    @property
    def tolerable_rate(self) -> float:
        return self.expected_rate + self.margin


@dataclass(frozen=True)
class Size:
    records: int  # how many to review
    expected_deviations: int  # ceil(records × expected rate): the most that still supports the design
    distribution: str  # "binomial" or "hypergeometric"
    census: bool = False  # the design needs every record of the population


def expected_deviations(records: np.ndarray | int, rate: float) -> np.ndarray:
    """ceil(n × rate), rounded first so 100 × 0.01 is 1, not 2 (its float is 1.0000000000000002)."""
    return np.ceil(np.round(np.asarray(records, dtype=float) * rate, 9)).astype(np.int64)


def sample_size(design: Design, population: int | None = None) -> Size:
    """The smallest sample meeting the design: hypergeometric over `population` records when it is
    known, binomial otherwise. A design no sample smaller than the population meets is a census."""
    if population is not None and population < 1:
        raise DesignError("the population has no records to sample")
    alpha = 1 - design.confidence
    deviant = None if population is None else math.ceil(round(design.tolerable_rate * population, 9))
    start, chunk = 1, FIRST_CHUNK
    while population is None or start <= population:
        stop = start + chunk if population is None else min(start + chunk, population + 1)
        n = np.arange(start, stop)
        k = expected_deviations(n, design.expected_rate)
        if population is None:
            risk = binom.cdf(k, n, design.tolerable_rate)
        else:
            risk = hypergeom.cdf(k, population, deviant, n)
        met = np.flatnonzero(risk <= alpha)
        if met.size:
            records = int(n[met[0]])
            return Size(
                records,
                int(k[met[0]]),
                "binomial" if population is None else "hypergeometric",
                census=population is not None and records == population,
            )
        start, chunk = stop, chunk * 2
    assert population is not None
    return Size(
        population, int(expected_deviations(population, design.expected_rate)), "hypergeometric", True
    )
