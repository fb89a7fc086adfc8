"""The deadline kind, three-valued (docs/verdicts.md): issue 13's findings on small workbooks, and
date-only starts read as their whole day. Counts worked by hand.

Review period 2026-01-01..2026-03-31 (ends 2026-03-31 23:59:59); detainee D000n.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import numpy as np
import pytest
from conftest import make_inspection

from auditor.engine.context import Context
from auditor.engine.evaluate import evaluate_requirement
from auditor.standards.load import load_edition

if TYPE_CHECKING:
    from conftest import Audit, Check

    from auditor.contracts.results import Result


def adm(n: int, arrival: str, **cells: Any) -> dict[str, Any]:
    """An Intake row for detainee D000n."""
    return {"detainee_id": f"D{n:04d}", "arrival": arrival, **cells}


def counts(result: Result) -> tuple[str, int, int, int, int]:
    return result.status, result.population, result.violations, result.compliant, result.indeterminate


def details(result: Result) -> list[tuple[int | None, str, str]]:
    return [(e.row, e.verdict, e.detail) for e in result.evidence]


# Someone held and screened on time for every rule, so that each rule has one compliant record
HELD = adm(
    2,
    "2026-02-02 08:00",  # a Monday
    sex="F",
    date_of_birth="1990-01-01",
    general_population="2026-02-02 20:00",
    medical_screening="2026-02-02 10:00",
    mental_health_screening="2026-02-02 10:00",
    tb_screening="2026-02-02 10:00",
    pregnancy_test="2026-02-02 10:00",
    acute_condition=True,
    acute_evaluation="2026-02-03 10:00",
    mental_health_referral="2026-02-02 10:00",
    mental_health_evaluation="2026-02-03 10:00",
    handbook_issued="2026-02-02 10:00",
)
RELEASED_EARLY = adm(
    1,
    "2026-02-02 08:00",
    sex="F",
    date_of_birth="1990-01-01",
    acute_condition=True,
    mental_health_referral="2026-02-02 09:00",
    release="2026-02-02 12:00",  # 4 h after arrival, nothing done
)
RELEASE_RULES = (
    "MC-INTAKE-SCREEN",
    "MC-MH-SCREEN",
    "MC-TB-SCREEN",
    "MC-ACUTE-EVAL",
    "MC-PREGNANCY-TEST",
    "DH-HANDBOOK",
    "MC-MH-REFERRAL",
)


# ---------------------------------------------------------------- finding 1: releases


@pytest.mark.parametrize("edition", ["PBNDS-2011", "NDS-2019"])
def test_released_4_hours_after_arrival_never_screened_is_cited_nowhere(audit: Audit, edition: str) -> None:
    results = audit(edition=edition, Intake=[RELEASED_EARLY, HELD])
    by_id = {r.requirement_id: r for r in results.results}
    for requirement in RELEASE_RULES:
        # D0001 left before any of these fell due: only D0002 is in the population, compliant
        assert counts(by_id[requirement]) == ("compliant", 1, 0, 1, 0), requirement
        assert not any("D0001" in str(e.cells) for e in by_id[requirement].evidence)


def test_screened_before_release_is_compliant_and_counted(check: Check) -> None:
    result = check(
        "MC-INTAKE-SCREEN",
        Intake=[
            adm(1, "2026-02-02 08:00", medical_screening="2026-02-02 10:00", release="2026-02-02 12:00"),
            adm(2, "2026-02-02 08:00", release="2026-02-02 12:00"),  # left first: not counted
            adm(3, "2026-02-02 08:00", release="2026-02-03 12:00"),  # held past 20:00: late
        ],
    )
    assert counts(result) == ("deficient", 2, 1, 1, 0)
    assert details(result) == [(4, "violation", "no medical_screening recorded; due by 2026-02-02 20:00")]


# ---------------------------------------------------------------- finding 3: blanks


def test_pregnancy_test_with_a_blank_date_of_birth_is_indeterminate_not_compliant(check: Check) -> None:
    result = check(
        "MC-PREGNANCY-TEST",
        Intake=[
            adm(1, "2026-02-02 08:00", sex="F", date_of_birth=None),  # never tested, age unknown
            adm(2, "2026-02-02 08:00", sex="F", date_of_birth=None, pregnancy_test="2026-02-02 09:00"),
            adm(
                3, "2026-02-02 08:00", sex="F", date_of_birth="1990-01-01", pregnancy_test="2026-02-02 09:00"
            ),
        ],
    )
    # D0002 is tested on time whatever her age: compliant; D0001 is undecided, not compliant
    assert counts(result) == ("indeterminate", 3, 0, 2, 1)
    assert details(result) == [
        (2, "indeterminate", "date_of_birth is blank: no pregnancy_test recorded; due by 2026-02-02 20:00")
    ]


def test_pbnds_tb_screening_with_general_population_blank_is_left_out_and_said(check: Check) -> None:
    result = check(
        "MC-TB-SCREEN",
        Intake=[
            adm(1, "2026-02-02 08:00", general_population=None),  # never placed in GP: never came due
            adm(
                2, "2026-02-02 08:00", general_population="2026-02-03 08:00", tb_screening="2026-02-02 09:00"
            ),
        ],
    )
    assert counts(result) == ("compliant", 1, 0, 1, 0)
    assert result.note == "1 left out with no general_population recorded (never came due)"


def test_pbnds_tb_screening_is_due_at_general_population_only_not_by_an_arrival_limit(check: Check) -> None:
    # PBNDS 2011's TB passage is unread (MC-TB-SCREEN.yml): no hour limit is applied, unlike NDS 2019
    rows = [
        # screened 100 h after arrival, 20 h before the GP placement: on time under PBNDS, late under NDS
        adm(1, "2026-02-02 08:00", tb_screening="2026-02-06 12:00", general_population="2026-02-07 08:00"),
        # screened 2 h after arrival but 1 h after the GP placement: late under both
        adm(2, "2026-02-02 08:00", tb_screening="2026-02-02 10:00", general_population="2026-02-02 09:00"),
    ]
    pbnds = check("MC-TB-SCREEN", Intake=rows)
    assert counts(pbnds) == ("deficient", 2, 1, 1, 0)
    assert [row for row, _, _ in details(pbnds)] == [3]
    nds = check("MC-TB-SCREEN", edition="NDS-2019", Intake=rows)
    assert counts(nds) == ("deficient", 2, 2, 0, 0)


# ---------------------------------------------------------------- item 8: TB by the earlier deadline


def test_nds_tb_screening_is_due_at_the_earlier_of_72_hours_and_general_population(check: Check) -> None:
    result = check(
        "MC-TB-SCREEN",
        edition="NDS-2019",
        Intake=[
            # in GP after 5 h, screened after 10 h: late against the placement, within 72 h
            adm(
                1, "2026-02-02 08:00", general_population="2026-02-02 13:00", tb_screening="2026-02-02 18:00"
            ),
            # never in GP, screened after 80 h: late against the 72 h
            adm(2, "2026-02-02 08:00", tb_screening="2026-02-05 16:00"),
            # screened after 20 h, in GP after 30 h: on time for both
            adm(
                3, "2026-02-02 08:00", general_population="2026-02-03 14:00", tb_screening="2026-02-03 04:00"
            ),
            # exactly at the placement: limits are inclusive
            adm(
                4, "2026-02-02 08:00", general_population="2026-02-02 13:00", tb_screening="2026-02-02 13:00"
            ),
        ],
    )
    assert counts(result) == ("deficient", 4, 2, 2, 0)
    assert details(result) == [
        (2, "violation", "tb_screening 2026-02-02 18:00 is after general_population 2026-02-02 13:00"),
        (3, "violation", "tb_screening 80 h after arrival (limit 72 hours)"),
    ]


def test_nds_tb_screening_without_a_general_population_column_decides_only_the_late(check: Check) -> None:
    result = check(
        "MC-TB-SCREEN",
        edition="NDS-2019",
        Intake=[
            adm(1, "2026-02-02 08:00", tb_screening="2026-02-05 16:00"),  # 80 h: late whatever GP was
            adm(2, "2026-02-02 08:00", tb_screening="2026-02-02 10:00"),  # GP might have come first
        ],
    )
    assert counts(result) == ("deficient", 2, 1, 0, 1)
    assert result.absent_columns == ["general_population"]
    assert details(result)[1] == (
        3,
        "indeterminate",
        "tb_screening 2026-02-02 10:00 is within the limit; no general_population column to compare with",
    )


# ---------------------------------------------------------------- finding 4: review-period edges


def test_a_deadline_before_the_review_period_is_out_of_scope(check: Check) -> None:
    result = check(
        "MC-INTAKE-SCREEN",
        Intake=[
            adm(1, "2025-12-31 10:00", medical_screening=None),  # due 2025-12-31 22:00: before the period
            adm(2, "2025-12-31 20:00"),  # due 2026-01-01 08:00, inside it: a violation
            adm(3, "2026-03-31 20:00"),  # due 2026-04-01 08:00, after it: pending
        ],
    )
    assert counts(result) == ("deficient", 1, 1, 0, 0)
    assert details(result) == [(3, "violation", "no medical_screening recorded; due by 2026-01-01 08:00")]
    assert result.note == "1 left out as pending (deadline after the review period)"


# ---------------------------------------------------------------- finding 2: partial columns


def test_one_vulnerability_column_proves_a_notice_97_hours_late(check: Check) -> None:
    def seg(n: int, notified: str, mental_illness: bool) -> dict[str, Any]:
        return {
            "placement_id": f"P{n}",
            "detainee_id": f"D{n:04d}",
            "kind": "administrative-segregation",
            "start": "2026-02-01 08:00",
            "end": "2026-02-20 08:00",
            "mental_illness": mental_illness,
            "field_office_notified": notified,
        }

    result = check(
        "SMU-NOTIFY-VULNERABLE",
        Placements=[
            seg(1, "2026-02-05 09:00", True),  # 97 h late, mental illness proven: a violation
            seg(2, "2026-02-05 09:00", False),  # late, but an absent column might make it vulnerable
            seg(3, "2026-02-02 09:00", False),  # on time: compliant whatever the absent columns say
        ],
    )
    assert counts(result) == ("deficient", 3, 1, 1, 1)
    assert result.absent_columns == [
        "serious_medical_illness",
        "serious_disability",
        "elderly",
        "pregnant",
        "nursing",
        "sogi_risk",
        "abuse_victim",
        "suicide_risk",
    ]
    assert details(result) == [
        (2, "violation", "field_office_notified 97 h after start (limit 72 hours)"),
        (
            3,
            "indeterminate",
            "the sheet has no serious_medical_illness column; the sheet has no serious_disability column; "
            "the sheet has no elderly column; the sheet has no pregnant column; the sheet has no nursing "
            "column; the sheet has no sogi_risk column; the sheet has no abuse_victim column; the sheet "
            "has no suicide_risk column: field_office_notified 97 h after start (limit 72 hours)",
        ),
    ]


# ---------------------------------------------------------------- date-only starts (item 5)


def _placement_day_result(notices: list[str]) -> Result:
    """SMU-NOTIFY-VULNERABLE on placements whose start is known only to the day (2026-02-01)."""
    rows = [
        {
            "placement_id": f"P{n}",
            "kind": "disciplinary-segregation",
            "start": "2026-02-01",
            "mental_illness": True,
            "field_office_notified": notified,
        }
        for n, notified in enumerate(notices, start=1)
    ]
    inspection = make_inspection(edition="NDS-2019", Placements=rows)
    inspection.date_only.setdefault("Placements", {})["start"] = np.ones(len(rows), dtype=bool)
    standards = load_edition("NDS-2019")
    return evaluate_requirement(
        standards.requirements["SMU-NOTIFY-VULNERABLE"], Context(inspection), standards
    )


def test_a_date_only_start_is_the_whole_day() -> None:
    result = _placement_day_result(
        [
            "2026-02-04 00:00",  # 72 h after the day's start: on time whenever that day it began
            "2026-02-04 08:00",  # 80 h after its start, 56 h after its end: undecided
            "2026-02-05 00:00",  # exactly 72 h after its end: not more, so undecided
            "2026-02-05 00:01",  # more than 72 h after the day's end: late
            "2026-01-31 12:00",  # before the placement date: on time, a data anomaly
        ]
    )
    assert counts(result) == ("deficient", 5, 1, 2, 2)
    assert details(result) == [
        (5, "violation", "field_office_notified at least 72 h 1 min after the end of start day 2026-02-01 "
         "(limit 72 hours)"),
        (3, "indeterminate", "start day 2026-02-01 has no time: field_office_notified 2026-02-04 08:00 is "
         "80 h after the day's start but 56 h after its end (limit 72 hours)"),
        (4, "indeterminate", "start day 2026-02-01 has no time: field_office_notified 2026-02-05 00:00 is "
         "96 h after the day's start but 72 h after its end (limit 72 hours)"),
    ]  # fmt: skip
    assert result.note == "1 with field_office_notified before start: on time, a data anomaly"


def test_a_date_only_start_without_a_notice_is_late_once_the_latest_deadline_passed() -> None:
    assert counts(_placement_day_result([None])) == ("deficient", 1, 1, 0, 0)  # type: ignore[list-item]


def test_released_date_only_is_not_needed_a_blank_release_is_still_held(check: Check) -> None:
    result = check(
        "MC-INTAKE-SCREEN", Intake=[adm(1, "2026-02-02 08:00", release=None, medical_screening=None)]
    )
    assert counts(result) == ("deficient", 1, 1, 0, 0)


def test_a_working_day_deadline_from_a_friday(check: Check) -> None:
    # Friday 2026-02-06 + 2 working days: the end of Tuesday 2026-02-10
    result = check(
        "MC-ACUTE-EVAL",
        Intake=[
            adm(1, "2026-02-06 08:00", acute_condition=True, acute_evaluation="2026-02-10 23:00"),
            adm(2, "2026-02-06 08:00", acute_condition=True, acute_evaluation="2026-02-11 08:00"),
            adm(3, "2026-02-06 08:00", acute_condition=None),  # unknown condition, never evaluated
        ],
    )
    assert counts(result) == ("deficient", 3, 1, 1, 1)
    assert [d[:2] for d in details(result)] == [(3, "violation"), (4, "indeterminate")]
    assert details(result)[1][2].startswith("acute_condition is blank: no acute_evaluation recorded")


def test_the_review_period_is_the_facilitys(check: Check) -> None:
    # the same late screening, with a period that ends before it fell due: pending, not cited
    result = check(
        "MC-INTAKE-SCREEN",
        facility={"review_period_end": dt.date(2026, 2, 1)},
        Intake=[adm(1, "2026-02-01 20:00", medical_screening=None)],
    )
    assert result.status == "not_applicable"
    assert result.note == "1 left out as pending (deadline after the review period)"


def test_evidence_shows_the_facilitys_clock(check: Check) -> None:
    # cells hold UTC instants once read; arrival 13:00 UTC is 08:00 in New York (EST, UTC-5)
    result = check(
        "MC-INTAKE-SCREEN",
        facility={"time_zone": "America/New_York"},
        Intake=[adm(1, "2026-02-02 13:00", medical_screening=None)],
    )
    assert details(result) == [(2, "violation", "no medical_screening recorded; due by 2026-02-02 20:00")]


def test_the_evidence_shows_the_placement_that_made_the_deadline(check: Check) -> None:
    result = check(
        "MC-TB-SCREEN",
        edition="NDS-2019",
        Intake=[
            adm(1, "2026-02-02 08:00", general_population="2026-02-02 13:00", tb_screening="2026-02-02 18:00")
        ],
    )
    (item,) = result.evidence
    shown = {c["column"]: c["value"] for c in item.cells}
    assert (shown["general_population"], shown["tb_screening"]) == ("2026-02-02 13:00", "2026-02-02 18:00")
