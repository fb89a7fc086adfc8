"""Hunger-strike rules (4.2): one compliant and one deficient inspection per requirement, counts
worked by hand.

Review period 2026-01-01..2026-03-31 (ends 2026-03-31 23:59:59).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from conftest import Check


def strike(sid: str, started: str, ended: str | None, **cells: Any) -> dict[str, Any]:
    return {"hunger_strike_id": sid, "detainee_id": "A100000001", "started": started, "ended": ended, **cells}


def strikes(result) -> list[tuple[int | None, str | None]]:
    """(Excel row, hunger strike id) of each evidence row."""
    out = []
    for item in result.evidence:
        values = {c["column"]: c["value"] for c in item.cells}
        out.append((item.row, values.get("hunger_strike_id")))
    return out


# ---------------------------------------------------------------- HS-MEDICAL-REFERRAL


def test_hs_medical_referral_by_72_hours_is_compliant(check: Check) -> None:
    result = check(
        "HS-MEDICAL-REFERRAL",
        HungerStrikes=[
            strike(
                "H-1", "2026-02-01 08:00", "2026-02-06 08:00", medical_referral="2026-02-04 08:00"
            ),  # 72 h
            strike("H-2", "2026-02-10 08:00", "2026-02-11 08:00"),  # ate again after a day: owed nothing
            strike("H-3", "2026-02-12 08:00", "2026-02-20 08:00", medical_referral="2026-02-12 20:00"),
        ],
    )
    assert (result.status, result.population, result.violations) == ("compliant", 2, 0)


def test_hs_medical_referral_late_or_missing_is_deficient(check: Check) -> None:
    result = check(
        "HS-MEDICAL-REFERRAL",
        edition="NDS-2019",
        HungerStrikes=[
            strike("H-1", "2026-02-01 08:00", "2026-02-06 08:00", medical_referral="2026-02-04 08:01"),
            strike("H-2", "2026-03-01 08:00", "2026-03-05 08:00"),  # four days, never referred
            strike("H-3", "2026-03-30 08:00", None),  # due 04-02 08:00: pending, left out
        ],
    )
    assert (result.status, result.population, result.violations) == ("deficient", 2, 2)
    assert result.citation.startswith("NDS-2019 4.2")
    assert strikes(result) == [(2, "H-1"), (3, "H-2")]


# ---------------------------------------------------------------- HS-FIELD-OFFICE-NOTICE


def test_hs_field_office_notice_within_24_hours_of_referral_is_compliant(check: Check) -> None:
    result = check(
        "HS-FIELD-OFFICE-NOTICE",
        HungerStrikes=[
            strike(
                "H-1",
                "2026-02-01 08:00",
                "2026-02-06 08:00",
                medical_referral="2026-02-04 08:00",
                field_office_notified="2026-02-05 08:00",  # exactly 24 h
            ),
            strike("H-2", "2026-02-10 08:00", "2026-02-11 08:00"),  # never referred: no notice owed
            strike(
                "H-3",
                "2026-02-12 08:00",
                "2026-02-20 08:00",
                medical_referral="2026-02-12 20:00",
                field_office_notified="2026-02-12 21:00",
            ),
        ],
    )
    assert (result.status, result.population, result.violations) == ("compliant", 2, 0)


def test_hs_field_office_notice_late_or_missing_is_deficient(check: Check) -> None:
    result = check(
        "HS-FIELD-OFFICE-NOTICE",
        HungerStrikes=[
            strike(
                "H-1",
                "2026-02-01 08:00",
                "2026-02-06 08:00",
                medical_referral="2026-02-04 08:00",
                field_office_notified="2026-02-05 08:01",
            ),
            strike("H-2", "2026-02-25 08:00", "2026-03-10 08:00", medical_referral="2026-03-01 10:00"),
            # ate again ten hours after the referral, before the notice came due
            strike("H-3", "2026-02-26 08:00", "2026-03-01 20:00", medical_referral="2026-03-01 10:00"),
        ],
    )
    assert (result.status, result.population, result.violations) == ("deficient", 2, 2)
    assert strikes(result) == [(2, "H-1"), (3, "H-2")]
