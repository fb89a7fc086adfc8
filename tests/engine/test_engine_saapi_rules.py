"""Sexual-abuse prevention rules (6 CFR 115.41, 115.81): one compliant and one deficient inspection
per requirement, counts worked by hand.

Review period 2026-01-01..2026-03-31 (ends 2026-03-31 23:59:59); detainee D000n shows as ****000n.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from conftest import Check, Cited


def adm(n: int, arrival: str, **cells: Any) -> dict[str, Any]:
    """An Intake row for detainee D000n."""
    return {"detainee_id": f"D{n:04d}", "arrival": arrival, "release": None, **cells}


def rows(cited: Cited, result) -> list[tuple[int | None, str | None]]:
    return [(row, who) for _, row, who, _ in cited(result)]


# ---------------------------------------------------------------- SAAPI-RISK-SCREEN


def test_saapi_risk_screen_within_12_hours_is_compliant(check: Check) -> None:
    result = check(
        "SAAPI-RISK-SCREEN",
        Intake=[
            adm(1, "2026-02-01 08:00", saapi_screening="2026-02-01 20:00"),  # exactly 12 h: meets it
            adm(2, "2026-02-02 08:00", saapi_screening="2026-02-02 09:00"),
        ],
    )
    assert (result.status, result.population, result.violations) == ("compliant", 2, 0)


def test_saapi_risk_screen_late_or_missing_is_deficient(check: Check, cited: Cited) -> None:
    result = check(
        "SAAPI-RISK-SCREEN",
        edition="NDS-2019",
        Intake=[
            adm(1, "2026-02-01 08:00", saapi_screening="2026-02-01 20:01"),  # 12 h 01 min
            adm(2, "2026-02-02 08:00", saapi_screening=None),  # due 02-02 20:00, long past
            adm(3, "2026-02-03 08:00", saapi_screening="2026-02-03 10:00"),
            adm(4, "2026-03-31 20:00", saapi_screening=None),  # due 04-01 08:00: pending, left out
        ],
    )
    # population 3 (D0004 not yet due); D0001 late, D0002 never assessed → 2 violations
    assert (result.status, result.population, result.violations) == ("deficient", 3, 2)
    assert result.citation.startswith("NDS-2019 2.7")
    assert rows(cited, result) == [(2, "****0001"), (3, "****0002")]


# ---------------------------------------------------------------- SAAPI-REASSESS


def test_saapi_reassess_between_60_and_90_days_is_compliant(check: Check) -> None:
    result = check(
        "SAAPI-REASSESS",
        Intake=[
            adm(
                1,
                "2025-11-01 06:00",
                saapi_screening="2025-11-01 08:00",
                saapi_reassessment="2026-01-15 08:00",
            ),
            # exactly 60 days after: the window's first moment
            adm(
                2,
                "2025-12-01 06:00",
                saapi_screening="2025-12-01 08:00",
                saapi_reassessment="2026-01-30 08:00",
            ),
            # assessed 02-01, held to 03-31: 58 days, not yet owed a reassessment
            adm(3, "2026-02-01 06:00", saapi_screening="2026-02-01 08:00"),
        ],
    )
    assert (result.status, result.population, result.violations) == ("compliant", 2, 0)


def test_saapi_reassess_late_early_or_missing_is_deficient(check: Check, cited: Cited) -> None:
    result = check(
        "SAAPI-REASSESS",
        Intake=[
            adm(
                1,
                "2025-11-01 06:00",
                saapi_screening="2025-11-01 08:00",
                saapi_reassessment="2026-02-05 08:00",
            ),
            adm(
                2,
                "2025-11-10 06:00",
                saapi_screening="2025-11-10 08:00",
                saapi_reassessment="2025-12-30 08:00",
            ),
            adm(3, "2025-11-20 06:00", saapi_screening="2025-11-20 08:00"),  # due 2026-02-18, never done
            adm(
                4,
                "2025-12-01 06:00",
                saapi_screening="2025-12-01 08:00",
                saapi_reassessment="2026-02-10 08:00",
            ),
        ],
    )
    # D0001 96 days (late), D0002 50 days (early), D0003 none by day 90 → 3 of 4
    assert (result.status, result.population, result.violations) == ("deficient", 4, 3)
    assert rows(cited, result) == [(2, "****0001"), (3, "****0002"), (4, "****0003")]


# ---------------------------------------------------------------- SAAPI-MEDICAL-FOLLOWUP


def test_saapi_medical_followup_within_2_working_days_is_compliant(check: Check) -> None:
    result = check(
        "SAAPI-MEDICAL-FOLLOWUP",
        Intake=[
            # assessed Friday 02-13; Monday 02-16 is Presidents' Day: due the end of Wednesday 02-18
            adm(
                1,
                "2026-02-13 06:00",
                saapi_screening="2026-02-13 10:00",
                saapi_medical_referral="2026-02-13 10:30",
                saapi_medical_evaluation="2026-02-18 16:00",
            ),
            adm(
                2,
                "2026-02-20 06:00",
                saapi_screening="2026-02-20 10:00",
                saapi_medical_referral="2026-02-20 10:30",
                saapi_medical_evaluation="2026-02-21 09:00",
            ),
            adm(3, "2026-02-20 06:00", saapi_screening="2026-02-20 11:00"),  # not referred
        ],
    )
    assert (result.status, result.population, result.violations) == ("compliant", 2, 0)


def test_saapi_medical_followup_late_or_missing_is_deficient(check: Check, cited: Cited) -> None:
    result = check(
        "SAAPI-MEDICAL-FOLLOWUP",
        Intake=[
            # assessed Friday 02-06: due the end of Tuesday 02-10; seen Wednesday
            adm(
                1,
                "2026-02-06 06:00",
                saapi_screening="2026-02-06 10:00",
                saapi_medical_referral="2026-02-06 10:30",
                saapi_medical_evaluation="2026-02-11 09:00",
            ),
            adm(
                2,
                "2026-03-02 06:00",
                saapi_screening="2026-03-02 10:00",
                saapi_medical_referral="2026-03-02 10:30",
            ),
            adm(3, "2026-03-02 06:00", saapi_screening="2026-03-02 11:00"),  # not referred
        ],
    )
    assert (result.status, result.population, result.violations) == ("deficient", 2, 2)
    assert rows(cited, result) == [(2, "****0001"), (3, "****0002")]


# ---------------------------------------------------------------- SAAPI-MH-FOLLOWUP


def test_saapi_mh_followup_within_72_hours_is_compliant(check: Check) -> None:
    result = check(
        "SAAPI-MH-FOLLOWUP",
        Intake=[
            adm(
                1,
                "2026-03-01 06:00",
                saapi_mh_referral="2026-03-01 10:00",
                saapi_mh_evaluation="2026-03-04 10:00",
            ),
            adm(
                2,
                "2026-03-09 06:00",
                saapi_mh_referral="2026-03-10 10:00",
                saapi_mh_evaluation="2026-03-11 09:00",
            ),
            adm(3, "2026-03-09 06:00"),  # never referred
        ],
    )
    assert (result.status, result.population, result.violations) == ("compliant", 2, 0)


def test_saapi_mh_followup_late_is_deficient(check: Check, cited: Cited) -> None:
    result = check(
        "SAAPI-MH-FOLLOWUP",
        Intake=[
            adm(
                1,
                "2026-03-01 06:00",
                saapi_mh_referral="2026-03-01 10:00",
                saapi_mh_evaluation="2026-03-04 10:01",
            ),
            adm(
                2,
                "2026-03-09 06:00",
                saapi_mh_referral="2026-03-10 10:00",
                saapi_mh_evaluation="2026-03-11 09:00",
            ),
            # released a day after the referral, before the deadline: never came due
            adm(3, "2026-03-05 06:00", saapi_mh_referral="2026-03-05 10:00", release="2026-03-06 08:00"),
            adm(4, "2026-03-29 06:00", saapi_mh_referral="2026-03-29 10:00"),  # due 04-01: pending
        ],
    )
    # population D0001, D0002; D0001 72 h 01 min → 1 violation
    assert (result.status, result.population, result.violations) == ("deficient", 2, 1)
    assert rows(cited, result) == [(2, "****0001")]


# ---------------------------------------------------------------- SAAPI-GRIEVANCE-DECISION


def allegation(aid: str, received: str, **cells: Any) -> dict[str, Any]:
    return {"allegation_id": aid, "detainee_id": "A100000001", "received": received, **cells}


def allegations(result) -> list[tuple[int | None, str | None, str]]:
    """(Excel row, allegation id, verdict) of each evidence row."""
    out = []
    for item in result.evidence:
        values = {c["column"]: c["value"] for c in item.cells}
        out.append((item.row, values.get("allegation_id"), item.verdict))
    return out


def test_saapi_grievance_decided_within_5_days_is_compliant(check: Check) -> None:
    result = check(
        "SAAPI-GRIEVANCE-DECISION",
        Allegations=[
            allegation(
                "A-1", "2026-02-01 10:00", grievance=True, decided="2026-02-06 10:00"
            ),  # exactly 5 days
            allegation("A-2", "2026-02-01 10:00", grievance=False),  # reported, not as a grievance
            allegation("A-3", "2026-02-02 10:00", grievance=True, decided="2026-02-03 09:00"),
        ],
    )
    assert (result.status, result.population, result.violations) == ("compliant", 2, 0)


def test_saapi_grievance_late_or_undecided_is_deficient_and_an_unmarked_one_undecided(check: Check) -> None:
    result = check(
        "SAAPI-GRIEVANCE-DECISION",
        Allegations=[
            allegation("A-1", "2026-02-01 10:00", grievance=True, decided="2026-02-06 10:01"),
            allegation("A-2", "2026-03-01 10:00", grievance=True),  # due 03-06, never decided
            # grievance left blank: it may or may not be one, and it was never decided
            allegation("A-3", "2026-03-02 10:00", grievance=None),
        ],
    )
    # proven late; A-3 belongs to the population only if it was a grievance: undecided
    assert (result.status, result.population, result.violations, result.indeterminate) == (
        "deficient",
        3,
        2,
        1,
    )
    assert allegations(result) == [
        (2, "A-1", "violation"),
        (3, "A-2", "violation"),
        (4, "A-3", "indeterminate"),
    ]


# ---------------------------------------------------------------- SAAPI-GRIEVANCE-APPEAL


def test_saapi_grievance_appeal_answered_within_30_days_is_compliant(check: Check) -> None:
    result = check(
        "SAAPI-GRIEVANCE-APPEAL",
        Allegations=[
            # 2026-02-01 + 30 days = 2026-03-03 (February has 28 days)
            allegation(
                "A-1",
                "2026-01-20 10:00",
                grievance=True,
                appealed="2026-02-01 10:00",
                appeal_answered="2026-03-03 10:00",
            ),
            allegation("A-2", "2026-01-20 10:00", grievance=True, decided="2026-01-22 10:00"),  # not appealed
        ],
    )
    assert (result.status, result.population, result.violations) == ("compliant", 1, 0)


def test_saapi_grievance_appeal_late_or_unanswered_is_deficient(check: Check) -> None:
    result = check(
        "SAAPI-GRIEVANCE-APPEAL",
        Allegations=[
            allegation(
                "A-1", "2026-01-20 10:00", appealed="2026-02-01 10:00", appeal_answered="2026-03-03 10:01"
            ),
            allegation("A-2", "2026-01-02 10:00", appealed="2026-01-10 10:00"),  # due 02-09, never answered
            allegation("A-3", "2026-03-01 10:00", appealed="2026-03-15 10:00"),  # due 04-14: pending
        ],
    )
    assert (result.status, result.population, result.violations) == ("deficient", 2, 2)
    assert allegations(result) == [(2, "A-1", "violation"), (3, "A-2", "violation")]
