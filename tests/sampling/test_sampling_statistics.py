"""Sample sizes and intervals against published tables, and a small population worked by hand."""

from __future__ import annotations

import math

import pytest

from auditor.sampling.interval import clopper_pearson, statement
from auditor.sampling.size import Design, DesignError, sample_size

# AICPA Audit Guide "Audit Sampling" (2019), Table A-1: statistical sample sizes for tests of
# controls, 5 percent risk of overreliance (95 % confidence), large population; the expected
# number of deviations in parentheses. Rows: expected population deviation rate; columns:
# tolerable deviation rate. Our margin is the tolerable rate minus the expected rate.
AICPA_A1 = {
    # expected rate: {tolerable rate: (sample size, expected deviations)}
    0.0: {0.02: (149, 0), 0.03: (99, 0), 0.05: (59, 0), 0.10: (29, 0), 0.20: (14, 0)},
    0.0025: {0.02: (236, 1), 0.05: (93, 1), 0.10: (46, 1)},
    0.01: {0.04: (156, 2), 0.05: (93, 1), 0.10: (46, 1)},
    0.02: {0.05: (181, 4), 0.06: (127, 3), 0.10: (46, 1)},
    0.03: {0.06: (195, 6), 0.07: (129, 4), 0.10: (61, 2)},
}


@pytest.mark.parametrize(
    ("expected", "tolerable", "size", "deviations"),
    [(e, t, n, k) for e, row in AICPA_A1.items() for t, (n, k) in row.items()],
)
def test_sizes_match_the_aicpa_table_for_a_large_population(expected, tolerable, size, deviations):
    found = sample_size(Design(0.95, round(tolerable - expected, 6), expected))
    assert (found.records, found.expected_deviations) == (size, deviations)
    assert found.distribution == "binomial"


def test_the_brief_s_two_reference_sizes():
    assert sample_size(Design(0.95, 0.05)).records == 59  # 5 % tolerable, none expected
    assert sample_size(Design(0.95, 0.04, 0.01)).records == 93  # 5 % tolerable, 1 % expected


def test_a_small_population_needs_fewer_records_hypergeometric_by_hand():
    # 20 files, 10 % tolerable, none expected, 95 %: a population at the tolerable rate holds
    # ceil(0.10 × 20) = 2 deviant files; the chance that n files drawn without replacement miss both
    # is C(18, n) / C(20, n) = (20 - n)(19 - n) / 380. n = 15: 5 × 4 / 380 = 0.0526 > 0.05;
    # n = 16: 4 × 3 / 380 = 0.0316 ≤ 0.05. So 16 (the binomial, for an unknown population, says 29).
    assert (20 - 15) * (19 - 15) / 380 > 0.05 >= (20 - 16) * (19 - 16) / 380
    size = sample_size(Design(0.95, 0.10), population=20)
    assert (size.records, size.distribution, size.census) == (16, "hypergeometric", False)
    assert sample_size(Design(0.95, 0.10)).records == 29


def test_a_large_known_population_comes_close_to_the_binomial_size():
    # 100,000 records at 5 % tolerable: 59 binomial; without replacement a hair fewer at most
    assert sample_size(Design(0.95, 0.05), population=100_000).records in (58, 59)


def test_a_tiny_population_is_reviewed_whole():
    # 3 records, 10 % tolerable: ceil(0.3) = 1 deviant record, missed by any draw short of all 3
    size = sample_size(Design(0.95, 0.10), population=3)
    assert (size.records, size.census) == (3, True)
    assert math.comb(2, 2) / math.comb(3, 2) > 0.05  # two of the three miss it a third of the time


@pytest.mark.parametrize(
    "design",
    [
        dict(confidence=0.4, margin=0.05),
        dict(confidence=1.0, margin=0.05),
        dict(confidence=float("nan"), margin=0.05),
        dict(confidence=0.95, margin=0.0),
        dict(confidence=0.95, margin=0.001),
        dict(confidence=0.95, margin=0.05, expected_rate=-0.1),
        dict(confidence=0.95, margin=0.5, expected_rate=0.5),
    ],
)
def test_a_design_out_of_range_is_one_clear_error(design):
    with pytest.raises(DesignError, match="must be from"):
        Design(**design)


# Clopper-Pearson two-sided 95 % limits as tabulated (e.g. Geigy Scientific Tables, vol. 2,
# "Confidence limits for the binomial distribution"; Collett, Modelling Binary Data, table of exact
# limits): 3 of 40 → 0.0157–0.2039; 0 of 30 → 0–0.1157 (= 1 - 0.025^(1/30)); 40 of 40 → 0.9119–1.
@pytest.mark.parametrize(
    ("found", "sampled", "low", "high"),
    [(3, 40, 0.0157, 0.2039), (0, 30, 0.0, 0.1157), (40, 40, 0.9119, 1.0)],
)
def test_exact_intervals_match_the_tables(found, sampled, low, high):
    got = clopper_pearson(found, sampled, 0.95)
    assert got == pytest.approx((low, high), abs=5e-5)


def test_zero_found_upper_limit_is_the_closed_form():
    assert clopper_pearson(0, 30)[1] == pytest.approx(1 - 0.025 ** (1 / 30), rel=1e-9)


def test_the_statement_in_odo_s_words():
    assert statement(3, 40, 0.95, "files") == "found in 3 of 40 sampled files (95 % CI 1.6 %–20.4 %)"
    # 90 %, none found: the upper limit is 1 - 0.05^(1/30) = 0.0950
    assert statement(0, 30, 0.9) == "found in 0 of 30 sampled records (90 % CI 0.0 %–9.5 %)"
