"""The exact (Clopper-Pearson) interval of a rate found in a sample, and the sentence that states it."""

from __future__ import annotations


def clopper_pearson(found: int, sampled: int, confidence: float = 0.95) -> tuple[float, float]:
    """Two-sided exact binomial interval of found/sampled (scipy's binomtest, method "exact")."""
    if sampled < 1 or not 0 <= found <= sampled:
        raise ValueError(f"no interval for {found} of {sampled}")
    # imported here: scipy.stats takes half a second to import, and most audits have no sample
    from scipy.stats import binomtest

    interval = binomtest(found, sampled).proportion_ci(confidence_level=confidence, method="exact")
    return float(interval.low), float(interval.high)


def percent(value: float) -> str:
    return f"{100 * value:.1f} %"


def statement(found: int, sampled: int, confidence: float, what: str = "records") -> str:
    """ODO's wording with the interval: "found in 3 of 40 sampled records (95 % CI 1.6 %–20.4 %)"."""
    low, high = clopper_pearson(found, sampled, confidence)
    level = f"{100 * confidence:g} %"
    return f"found in {found} of {sampled} sampled {what} ({level} CI {percent(low)}–{percent(high)})"
