"""Intake rules: one compliant and one deficient inspection per requirement, counts worked by hand.

Review period 2026-01-01..2026-03-31 (ends 2026-03-31 23:59:59); detainee D000n shows as ****000n.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from conftest import Check, Cited


def adm(n: int, arrival: str, **cells: Any) -> dict[str, Any]:
    """An Intake row for detainee D000n."""
    return {"detainee_id": f"D{n:04d}", "arrival": arrival, **cells}


# ---------------------------------------------------------------- AR-JUVENILE


def test_ar_juvenile_adults_and_an_18th_birthday_on_arrival_are_compliant(check: Check) -> None:
    result = check(
        "AR-JUVENILE",
        Intake=[
            adm(1, "2026-02-01 08:00", date_of_birth="1990-05-05"),
            adm(2, "2026-02-01 08:00", date_of_birth="2008-02-01"),  # 18 that very day
        ],
    )
    # population 2 admissions, neither under 18
    assert (result.status, result.population, result.violations) == ("compliant", 2, 0)


def test_ar_juvenile_a_17_year_old_admitted_is_deficient(check: Check, cited: Cited) -> None:
    result = check(
        "AR-JUVENILE",
        Intake=[
            adm(1, "2026-02-01 08:00", date_of_birth="1990-05-05"),
            adm(2, "2026-02-01 08:00", date_of_birth="2008-02-02"),  # turns 18 the next day
        ],
    )
    # population 2; D0002 is 17 at arrival → 1 violation
    assert (result.status, result.population, result.violations) == ("deficient", 2, 1)
    assert result.priority is True
    assert cited(result) == [("Intake", 3, "****0002", "aged 17 at arrival")]


def test_ar_juvenile_is_not_applicable_at_a_family_residential_center(check: Check) -> None:
    result = check(
        "AR-JUVENILE",
        facility={"facility_type": "FRC"},
        Intake=[adm(1, "2026-02-01 08:00", date_of_birth="2015-01-01")],
    )
    assert result.status == "not_applicable"
    assert result.reason == "does not apply to FRC facilities"
    assert result.violations == 0 and result.evidence == []


# ---------------------------------------------------------------- CCS-CLASSIFY-BEFORE-GP


def test_ccs_classify_before_gp_classified_at_or_before_placement_is_compliant(check: Check) -> None:
    result = check(
        "CCS-CLASSIFY-BEFORE-GP",
        Intake=[
            adm(1, "2026-01-05 08:00", classified="2026-01-05 10:00", general_population="2026-01-05 10:00"),
            adm(2, "2026-01-05 08:00", classified="2026-01-05 09:00", general_population="2026-01-06 08:00"),
            adm(3, "2026-01-05 08:00", classified=None, general_population=None),  # never placed in GP
        ],
    )
    # population = admissions placed in GP: D0001 (equal times meet the rule), D0002 → 2, none late
    assert (result.status, result.population, result.violations) == ("compliant", 2, 0)


def test_ccs_classify_before_gp_late_or_missing_classification_is_deficient(
    check: Check, cited: Cited
) -> None:
    result = check(
        "CCS-CLASSIFY-BEFORE-GP",
        Intake=[
            adm(1, "2026-01-05 08:00", classified="2026-01-05 11:00", general_population="2026-01-05 10:00"),
            adm(2, "2026-01-05 08:00", classified=None, general_population="2026-01-06 08:00"),
            adm(3, "2026-01-05 08:00", classified="2026-01-05 09:00", general_population="2026-01-06 08:00"),
        ],
    )
    # population 3 placed in GP; D0001 classified an hour after GP, D0002 never → 2 violations
    assert (result.status, result.population, result.violations) == ("deficient", 3, 2)
    assert cited(result) == [
        ("Intake", 2, "****0001", "classified 2026-01-05 11:00 is after general_population 2026-01-05 10:00"),
        ("Intake", 3, "****0002", "no classified recorded; general_population was 2026-01-06 08:00"),
    ]


# ---------------------------------------------------------------- CCS-RECLASSIFY


def test_ccs_reclassify_within_60_to_90_days_is_compliant(check: Check) -> None:
    result = check(
        "CCS-RECLASSIFY",
        facility={"review_period_start": dt.date(2025, 12, 1)},  # day 90 (2025-12-30) inside the period
        Intake=[
            # classified 2025-10-01 12:00: day 60 is 2025-11-30 12:00, day 90 is 2025-12-30 12:00
            adm(1, "2025-10-01 08:00", classified="2025-10-01 12:00", reclassified="2025-11-30 12:00"),
            adm(2, "2025-10-01 08:00", classified="2025-10-01 12:00", reclassified="2025-12-30 12:00"),
            adm(3, "2025-10-01 08:00", classified="2025-10-01 12:00", reclassified="2025-12-15 12:00"),
            # detained 79 days (released 2025-12-19): under 90 days, not in the population
            adm(4, "2025-10-01 08:00", classified="2025-10-01 12:00", release="2025-12-19 08:00"),
            # arrived 2026-02-01: 59 days to the end of the review period, not in the population
            adm(5, "2026-02-01 08:00", classified="2026-02-01 12:00"),
            # held 92 days from arrival but released 88 days after a late classification (day 90 would
            # be 2026-01-03 08:00): no reclassification was due yet, not in the population
            adm(6, "2025-10-01 08:00", classified="2025-10-05 08:00", release="2026-01-01 08:00"),
        ],
    )
    # population 3 (D0001–D0003 held ≥ 90 days after classification), both window edges inclusive
    assert (result.status, result.population, result.violations) == ("compliant", 3, 0)


def test_ccs_reclassify_early_late_or_missing_is_deficient(check: Check, cited: Cited) -> None:
    result = check(
        "CCS-RECLASSIFY",
        facility={"review_period_start": dt.date(2025, 12, 1)},  # day 90 (2025-12-30) inside the period
        Intake=[
            adm(1, "2025-10-01 08:00", classified="2025-10-01 12:00", reclassified="2025-11-15 12:00"),
            adm(2, "2025-10-01 08:00", classified="2025-10-01 12:00", reclassified="2025-12-30 12:01"),
            adm(3, "2025-10-01 08:00", classified="2025-10-01 12:00", reclassified=None),
            adm(4, "2025-10-01 08:00", classified="2025-10-01 12:00", reclassified="2025-12-15 12:00"),
        ],
    )
    # population 4; D0001 at 45 days (too early), D0002 1 minute past day 90, D0003 never → 3
    assert (result.status, result.population, result.violations) == ("deficient", 4, 3)
    assert cited(result) == [
        ("Intake", 2, "****0001", "reclassified only 45 days after classified (window 60 days to 90 days)"),
        ("Intake", 3, "****0002", "reclassified 90 days 1 min after classified (limit 90 days)"),
        ("Intake", 4, "****0003", "no reclassified recorded; due by 2025-12-30 12:00"),
    ]


# ---------------------------------------------------------------- MC-INTAKE-SCREEN


def test_mc_intake_screen_exactly_12_hours_is_compliant(check: Check) -> None:
    result = check(
        "MC-INTAKE-SCREEN",
        Intake=[
            adm(1, "2026-01-05 08:00", medical_screening="2026-01-05 20:00"),  # 12 h 00 min: the limit
            adm(2, "2026-01-05 08:00", medical_screening="2026-01-05 11:00"),
        ],
    )
    assert (result.status, result.population, result.violations) == ("compliant", 2, 0)
    assert (
        result.threshold is not None
        and result.threshold.text == "medical_screening within 12 hours of arrival"
    )


def test_mc_intake_screen_12_hours_1_minute_is_deficient(check: Check, cited: Cited) -> None:
    result = check(
        "MC-INTAKE-SCREEN",
        Intake=[
            adm(1, "2026-01-05 08:00", medical_screening="2026-01-05 11:00"),
            adm(2, "2026-01-05 08:00", medical_screening="2026-01-05 20:01"),
        ],
    )
    # population 2; D0002 one minute late → 1
    assert (result.status, result.population, result.violations) == ("deficient", 2, 1)
    assert result.priority is True
    assert cited(result) == [
        ("Intake", 3, "****0002", "medical_screening 12 h 1 min after arrival (limit 12 hours)")
    ]
    assert [c["ref"] for c in result.evidence[0].cells] == ["A3", "B3", "C3"]


# ---------------------------------------------------------------- MC-MH-SCREEN


def test_mc_mh_screen_within_12_hours_is_compliant(check: Check) -> None:
    result = check(
        "MC-MH-SCREEN",
        Intake=[
            adm(1, "2026-01-05 08:00", mental_health_screening="2026-01-05 20:00"),
            adm(2, "2026-01-06 22:00", mental_health_screening="2026-01-07 06:00"),
        ],
    )
    assert (result.status, result.population, result.violations) == ("compliant", 2, 0)


def test_mc_mh_screen_missing_screening_is_deficient(check: Check, cited: Cited) -> None:
    result = check(
        "MC-MH-SCREEN",
        Intake=[
            adm(1, "2026-01-05 08:00", mental_health_screening="2026-01-05 09:00"),
            adm(2, "2026-01-06 22:00", mental_health_screening=None),
            adm(3, "2026-01-07 08:00", mental_health_screening="2026-01-08 08:00"),
        ],
    )
    # population 3; D0002 never screened (due 01-07 10:00, long passed), D0003 24 h → 2
    assert (result.status, result.population, result.violations) == ("deficient", 3, 2)
    assert cited(result) == [
        ("Intake", 3, "****0002", "no mental_health_screening recorded; due by 2026-01-07 10:00"),
        ("Intake", 4, "****0003", "mental_health_screening 24 h after arrival (limit 12 hours)"),
    ]


# ---------------------------------------------------------------- MC-TB-SCREEN (editions differ)

TB_ROWS = [
    adm(1, "2026-02-01 07:00", general_population="2026-02-02 07:00", tb_screening="2026-02-01 20:00"),
    # screened a minute after the GP placement, but 24 h 1 min after arrival
    adm(2, "2026-02-01 07:00", general_population="2026-02-02 07:00", tb_screening="2026-02-02 07:01"),
    # never placed in GP, screened 73 h after arrival
    adm(3, "2026-02-01 07:00", general_population=None, tb_screening="2026-02-04 08:00"),
]


def test_mc_tb_screen_pbnds_screening_before_gp_is_compliant(check: Check) -> None:
    result = check(
        "MC-TB-SCREEN",
        Intake=[
            adm(
                1, "2026-02-01 07:00", general_population="2026-02-02 07:00", tb_screening="2026-02-01 20:00"
            ),
            adm(
                2, "2026-02-01 07:00", general_population="2026-02-02 07:00", tb_screening="2026-02-02 07:00"
            ),
            adm(3, "2026-02-01 07:00", general_population=None, tb_screening=None),
        ],
    )
    # PBNDS-2011: before GP. Population = the 2 placed in GP (equal times meet it); D0003 left out
    assert (result.status, result.population, result.violations) == ("compliant", 2, 0)
    assert result.threshold is not None
    assert result.threshold.text == "tb_screening no later than general_population"


def test_mc_tb_screen_pbnds_screening_after_gp_is_deficient(check: Check, cited: Cited) -> None:
    result = check("MC-TB-SCREEN", Intake=TB_ROWS)
    # population 2 placed in GP; D0002 screened after GP → 1 (D0003's 73 h does not matter here)
    assert (result.status, result.population, result.violations) == ("deficient", 2, 1)
    assert cited(result) == [
        (
            "Intake",
            3,
            "****0002",
            "tb_screening 2026-02-02 07:01 is after general_population 2026-02-02 07:00",
        )
    ]


def test_mc_tb_screen_nds_2019_within_72_hours_is_compliant(check: Check) -> None:
    result = check(
        "MC-TB-SCREEN",
        edition="NDS-2019",
        Intake=[
            TB_ROWS[0],
            adm(3, "2026-02-01 07:00", tb_screening="2026-02-04 07:00"),  # exactly 72 h
        ],
    )
    # population 2 (every admission), none later than 72 h nor than a GP placement
    assert (result.status, result.population, result.violations) == ("compliant", 2, 0)
    assert result.threshold is not None and result.threshold.text == (
        "tb_screening within 72 hours of arrival and no later than general_population"
    )


def test_mc_tb_screen_nds_2019_after_72_hours_is_deficient(check: Check, cited: Cited) -> None:
    result = check("MC-TB-SCREEN", edition="NDS-2019", Intake=TB_ROWS)
    # population 3; D0002 screened after its GP placement (NDS 2019: the earlier deadline), D0003 at 73 h → 2
    assert (result.status, result.population, result.violations) == ("deficient", 3, 2)
    late_for_gp = "tb_screening 2026-02-02 07:01 is after general_population 2026-02-02 07:00"
    assert cited(result) == [
        ("Intake", 3, "****0002", late_for_gp),
        ("Intake", 4, "****0003", "tb_screening 73 h after arrival (limit 72 hours)"),
    ]


# ---------------------------------------------------------------- MC-HEALTH-ASSESS


def test_mc_health_assess_day_14_and_early_releases_are_compliant(check: Check) -> None:
    result = check(
        "MC-HEALTH-ASSESS",
        Intake=[
            adm(1, "2026-01-05 08:00", health_assessment="2026-01-19 08:00"),  # exactly 14 days
            # released on day 9 without an assessment: not still detained at the limit, left out
            adm(2, "2026-01-05 08:00", health_assessment=None, release="2026-01-14 08:00"),
            adm(3, "2026-01-05 08:00", health_assessment="2026-01-10 08:00", release="2026-02-10 08:00"),
        ],
    )
    # population 2 (D0001, D0003), none late
    assert (result.status, result.population, result.violations) == ("compliant", 2, 0)


def test_mc_health_assess_missing_for_someone_still_detained_is_deficient(check: Check, cited: Cited) -> None:
    result = check(
        "MC-HEALTH-ASSESS",
        Intake=[
            adm(1, "2026-01-05 08:00", health_assessment="2026-01-19 10:00"),
            adm(2, "2026-01-05 08:00", health_assessment=None, release="2026-01-19 08:00"),
            adm(3, "2026-01-05 08:00", health_assessment="2026-01-12 08:00"),
        ],
    )
    # population 3 (D0002 released exactly at the limit is still detained then);
    # D0001 14 days 2 h, D0002 never assessed → 2
    assert (result.status, result.population, result.violations) == ("deficient", 3, 2)
    assert cited(result) == [
        ("Intake", 2, "****0001", "health_assessment 14 days 2 h after arrival (limit 14 days)"),
        ("Intake", 3, "****0002", "no health_assessment recorded; due by 2026-01-19 08:00"),
    ]


# ---------------------------------------------------------------- MC-DENTAL-SCREEN


def test_mc_dental_screen_within_14_days_is_compliant(check: Check) -> None:
    result = check(
        "MC-DENTAL-SCREEN",
        Intake=[
            adm(1, "2026-01-05 08:00", dental_screening="2026-01-15 08:00"),
            adm(2, "2026-01-05 08:00", dental_screening=None, release="2026-01-08 08:00"),  # left out
        ],
    )
    assert (result.status, result.population, result.violations) == ("compliant", 1, 0)


def test_mc_dental_screen_after_14_days_is_deficient(check: Check, cited: Cited) -> None:
    result = check(
        "MC-DENTAL-SCREEN",
        Intake=[
            adm(1, "2026-01-05 08:00", dental_screening="2026-01-15 08:00"),
            adm(2, "2026-01-05 08:00", dental_screening="2026-01-20 08:00"),
        ],
    )
    # population 2; D0002 at 15 days → 1
    assert (result.status, result.population, result.violations) == ("deficient", 2, 1)
    assert cited(result) == [
        ("Intake", 3, "****0002", "dental_screening 15 days after arrival (limit 14 days)")
    ]


# ---------------------------------------------------------------- MC-ACUTE-EVAL (working days)


def test_mc_acute_eval_by_the_second_working_day_is_compliant(check: Check) -> None:
    result = check(
        "MC-ACUTE-EVAL",
        Intake=[
            # Friday 2026-01-16; Monday 01-19 is Martin Luther King Jr. Day: day 1 Tue, day 2 Wed 01-21
            adm(1, "2026-01-16 10:00", acute_condition=True, acute_evaluation="2026-01-21 23:00"),
            adm(2, "2026-01-16 10:00", acute_condition=False, acute_evaluation=None),  # no condition
        ],
    )
    # population 1 (acute conditions only), evaluated within the deadline
    assert (result.status, result.population, result.violations) == ("compliant", 1, 0)
    assert result.threshold is not None
    assert result.threshold.text == "acute_evaluation within 2 working days of arrival"


def test_mc_acute_eval_on_the_third_working_day_is_deficient(check: Check, cited: Cited) -> None:
    result = check(
        "MC-ACUTE-EVAL",
        Intake=[
            adm(1, "2026-01-16 10:00", acute_condition=True, acute_evaluation="2026-01-21 23:00"),
            adm(2, "2026-01-16 10:00", acute_condition=True, acute_evaluation="2026-01-22 09:00"),
        ],
    )
    # population 2; D0002 evaluated Thursday 01-22, after the Wednesday deadline → 1
    assert (result.status, result.population, result.violations) == ("deficient", 2, 1)
    assert cited(result) == [
        (
            "Intake",
            3,
            "****0002",
            "acute_evaluation 2026-01-22 09:00, after the deadline: the end of 2026-01-21 "
            "(2 working days after arrival)",
        )
    ]


# ---------------------------------------------------------------- MC-MH-REFERRAL (editions differ)

REFERRALS = [
    # referred Friday 2026-01-16 15:00: next working day (MLK Monday skipped) is Tuesday 01-20
    adm(
        1,
        "2026-01-10 08:00",
        mental_health_referral="2026-01-16 15:00",
        mental_health_evaluation="2026-01-20 10:00",
    ),
    adm(
        2,
        "2026-01-10 08:00",
        mental_health_referral="2026-01-16 15:00",
        mental_health_evaluation="2026-01-21 09:00",
    ),
    adm(3, "2026-01-10 08:00", mental_health_referral=None, mental_health_evaluation=None),
]


def test_mc_mh_referral_pbnds_next_working_day_is_compliant(check: Check) -> None:
    result = check("MC-MH-REFERRAL", Intake=REFERRALS[:1] + REFERRALS[2:])
    # population 1 (referrals only)
    assert (result.status, result.population, result.violations) == ("compliant", 1, 0)


def test_mc_mh_referral_pbnds_second_working_day_is_deficient(check: Check, cited: Cited) -> None:
    result = check("MC-MH-REFERRAL", Intake=REFERRALS)
    # population 2 referrals; D0002 evaluated Wednesday, after Tuesday's deadline → 1
    assert (result.status, result.population, result.violations) == ("deficient", 2, 1)
    assert result.priority is False  # MC-151 is no priority component in ODO's reports
    assert cited(result) == [
        (
            "Intake",
            3,
            "****0002",
            "mental_health_evaluation 2026-01-21 09:00, after the deadline: the end of 2026-01-20 "
            "(1 working day after mental_health_referral)",
        )
    ]


def test_mc_mh_referral_nds_2019_allows_7_days(check: Check) -> None:
    result = check("MC-MH-REFERRAL", edition="NDS-2019", Intake=REFERRALS)
    # the same rows under NDS 2019's 7 days: both evaluations in time
    assert (result.status, result.population, result.violations) == ("compliant", 2, 0)


def test_mc_mh_referral_nds_2019_after_7_days_is_deficient(check: Check, cited: Cited) -> None:
    result = check(
        "MC-MH-REFERRAL",
        edition="NDS-2019",
        Intake=[
            adm(
                1,
                "2026-01-10 08:00",
                mental_health_referral="2026-01-16 15:00",
                mental_health_evaluation="2026-01-23 15:00",
            ),  # exactly 7 days
            adm(
                2,
                "2026-01-10 08:00",
                mental_health_referral="2026-01-16 15:00",
                mental_health_evaluation="2026-01-23 15:01",
            ),
        ],
    )
    assert (result.status, result.population, result.violations) == ("deficient", 2, 1)
    assert cited(result) == [
        (
            "Intake",
            3,
            "****0002",
            "mental_health_evaluation 7 days 1 min after mental_health_referral (limit 7 days)",
        )
    ]
    assert result.priority is True  # MC-127, flagged a priority component (Alamance 2023)


# ---------------------------------------------------------------- MC-PREGNANCY-TEST


def test_mc_pregnancy_test_women_18_to_56_tested_in_time_is_compliant(check: Check) -> None:
    result = check(
        "MC-PREGNANCY-TEST",
        Intake=[
            adm(
                1, "2026-02-01 07:00", sex="F", date_of_birth="1996-03-03", pregnancy_test="2026-02-01 19:00"
            ),
            adm(2, "2026-02-01 07:00", sex="M", date_of_birth="1996-03-03", pregnancy_test=None),
            adm(3, "2026-02-01 07:00", sex="F", date_of_birth="1960-01-01", pregnancy_test=None),  # 66
            adm(4, "2026-02-01 07:00", sex="F", date_of_birth="2009-01-01", pregnancy_test=None),  # 17
        ],
    )
    # population 1 (D0001: female aged 29); tested at exactly 12 h
    assert (result.status, result.population, result.violations) == ("compliant", 1, 0)


def test_mc_pregnancy_test_untested_56_year_old_is_deficient(check: Check, cited: Cited) -> None:
    result = check(
        "MC-PREGNANCY-TEST",
        Intake=[
            adm(1, "2026-02-01 07:00", sex="F", date_of_birth="1969-02-02", pregnancy_test=None),  # 56
            adm(
                2, "2026-02-01 07:00", sex="F", date_of_birth="2008-02-01", pregnancy_test="2026-02-01 20:00"
            ),
            adm(3, "2026-02-01 07:00", sex="F", date_of_birth="1969-02-01", pregnancy_test=None),  # 57
        ],
    )
    # population 2 (ages 56 and 18 inclusive; 57 is out); D0001 untested, D0002 at 13 h → 2
    assert (result.status, result.population, result.violations) == ("deficient", 2, 2)
    assert cited(result) == [
        ("Intake", 2, "****0001", "no pregnancy_test recorded; due by 2026-02-01 19:00"),
        ("Intake", 3, "****0002", "pregnancy_test 13 h after arrival (limit 12 hours)"),
    ]


def test_mc_pregnancy_test_cites_a_different_standard_in_each_edition(check: Check) -> None:
    rows = [
        adm(1, "2026-02-01 07:00", sex="F", date_of_birth="1996-03-03", pregnancy_test="2026-02-01 09:00")
    ]
    pbnds = check("MC-PREGNANCY-TEST", Intake=rows)
    nds = check("MC-PREGNANCY-TEST", edition="NDS-2019", Intake=rows)
    assert (pbnds.standard_number, pbnds.standard_name) == ("4.4", "Medical Care (Women)")
    assert (nds.standard_number, nds.standard_name) == ("4.3", "Medical Care")
    assert pbnds.status == nds.status == "compliant"


def test_mc_pregnancy_test_without_dates_of_birth_is_not_assessed(check: Check) -> None:
    result = check("MC-PREGNANCY-TEST", Intake=[adm(1, "2026-02-01 07:00", sex="F", pregnancy_test=None)])
    assert result.status == "not_assessed"
    assert result.reason == "dates of birth are missing (no date_of_birth in Intake)"


# ---------------------------------------------------------------- DH-HANDBOOK


def test_dh_handbook_within_24_hours_is_compliant(check: Check) -> None:
    result = check(
        "DH-HANDBOOK",
        Intake=[
            adm(1, "2026-01-05 08:00", handbook_issued="2026-01-06 08:00"),
            adm(2, "2026-01-05 08:00", handbook_issued="2026-01-05 09:00"),
        ],
    )
    assert (result.status, result.population, result.violations) == ("compliant", 2, 0)


def test_dh_handbook_after_a_day_and_a_half_is_deficient(check: Check, cited: Cited) -> None:
    result = check(
        "DH-HANDBOOK",
        Intake=[
            adm(1, "2026-01-05 08:00", handbook_issued="2026-01-06 20:00"),
            adm(2, "2026-01-05 08:00", handbook_issued="2026-01-05 09:00"),
        ],
    )
    assert (result.status, result.population, result.violations) == ("deficient", 2, 1)
    assert cited(result) == [("Intake", 2, "****0001", "handbook_issued 36 h after arrival (limit 24 hours)")]
