"""Three-valued verdicts of the row kinds (issue 13, docs/verdicts.md): prohibited, value_limit,
max_duration, credential, ratio, capacity, attestation, and `missing_data` with absent `any_of` columns.

Every expected count is worked out by hand in the comments: population = violations + compliant +
indeterminate, and an indeterminate record is never counted as compliant.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from auditor.contracts.results import Result
from auditor.engine.context import Context
from auditor.engine.evaluate import evaluate_requirement, missing_data
from auditor.standards.load import load_edition
from tests.engine.conftest import Build, Check


def counts(result: Result) -> tuple[str, int, int, int, int]:
    return (result.status, result.population, result.violations, result.compliant, result.indeterminate)


def verdicts(result: Result) -> list[tuple[int | None, str, str]]:
    """Each evidence row as (Excel row, verdict, detail)."""
    return [(item.row, item.verdict, item.detail) for item in result.evidence]


def placement(n: int, kind: str, start: str, end: str | None = None, **cells: Any) -> dict[str, Any]:
    return {
        "placement_id": f"P{n}",
        "detainee_id": f"D{n:04d}",
        "kind": kind,
        "start": start,
        "end": end,
        **cells,
    }


def adm(n: int, arrival: str, **cells: Any) -> dict[str, Any]:
    return {"detainee_id": f"A{n:08d}", "arrival": arrival, **cells}


def staff(n: int, supervises: bool | None, **cells: Any) -> dict[str, Any]:
    return {"staff_id": f"S-{1000 + n}", "role": "custody", "supervises_detainees": supervises, **cells}


def force(n: int, **cells: Any) -> dict[str, Any]:
    return {"incident_id": f"F{n}", "occurred": "2026-02-01 10:00", "kind": "calculated", **cells}


def unit(name: str, **cells: Any) -> dict[str, Any]:
    return {"unit_id": name, **cells}


# ---------------------------------------------------------------- finding 2: absent any_of columns


def test_hr_vulnerable_without_with_children_keeps_the_proven_minor_and_leaves_adults_undecided(
    check: Check,
) -> None:
    # Placements has no with_children column: the minor is proven by age alone; the adult of 40
    # might have been with children, so that placement is indeterminate, not compliant.
    result = check(
        "HR-VULNERABLE",
        Placements=[
            placement(1, "hold-room", "2026-02-01 08:00", "2026-02-01 10:00", date_of_birth="2010-01-01"),
            placement(2, "hold-room", "2026-02-01 08:00", "2026-02-01 10:00", date_of_birth="1986-01-01"),
            placement(3, "disciplinary-segregation", "2026-02-01 08:00", None, date_of_birth="2010-01-01"),
        ],
    )
    assert counts(result) == ("deficient", 2, 1, 0, 1)
    assert result.absent_columns == ["with_children"]
    assert verdicts(result) == [
        (2, "violation", "aged 16 at start"),
        (
            3,
            "indeterminate",
            "cannot tell whether with_children is TRUE: the sheet has no with_children column",
        ),
    ]


def test_hr_vulnerable_without_with_children_or_any_date_of_birth_is_not_assessed(check: Check) -> None:
    # every part of violation_when is unreadable: nothing can be evaluated
    result = check(
        "HR-VULNERABLE", Placements=[placement(1, "hold-room", "2026-02-01 08:00", "2026-02-01 10:00")]
    )
    assert result.status == "not_assessed"
    assert result.reason == (
        "the Placements sheet has no with_children column, and dates of birth are missing "
        "(no date_of_birth in Placements or Intake)"
    )


def test_uof_calc_chemical_consult_without_the_chemical_agent_column_is_not_assessed(check: Check) -> None:
    # chemical_agent is a condition of its own (not a part of any_of): the rule cannot run without it
    result = check(
        "UOF-CALC-CHEMICAL-CONSULT",
        UseOfForce=[
            {
                "incident_id": "F1",
                "occurred": "2026-02-01 10:00",
                "kind": "calculated",
                "medical_consulted": None,
            }
        ],
    )
    assert result.status == "not_assessed"
    assert result.reason == "the UseOfForce sheet has no chemical_agent column"


def test_uof_calc_chemical_consult_blank_chemical_agent_is_indeterminate_and_a_proven_one_deficient(
    check: Check,
) -> None:
    # F1: chemical agent, never consulted → violation; F2: chemical_agent blank, never consulted →
    # indeterminate (it matters whether an agent was used); F3: blank, consulted before → compliant
    result = check(
        "UOF-CALC-CHEMICAL-CONSULT",
        UseOfForce=[
            force(1, chemical_agent=True, medical_consulted=None),
            force(2, chemical_agent=None, medical_consulted=None),
            force(3, chemical_agent=None, medical_consulted="2026-02-01 09:30"),
        ],
    )
    assert counts(result) == ("deficient", 3, 1, 1, 1)
    assert [(row, verdict) for row, verdict, _ in verdicts(result)] == [
        (2, "violation"),
        (3, "indeterminate"),
    ]


def test_missing_data_lets_an_any_of_run_on_one_present_column(build: Build) -> None:
    standards = load_edition("NDS-2019")
    check = standards.requirements["SMU-NOTIFY-VULNERABLE"].check
    only_mental = build(
        edition="NDS-2019",
        Placements=[
            placement(
                1,
                "administrative-segregation",
                "2026-02-01 08:00",
                mental_illness=True,
                field_office_notified=None,
            )
        ],
    )
    assert missing_data(check, Context(only_mental)) is None
    none_of_them = build(
        edition="NDS-2019",
        Placements=[
            placement(1, "administrative-segregation", "2026-02-01 08:00", field_office_notified=None)
        ],
    )
    assert missing_data(check, Context(none_of_them)) == (
        "the Placements sheet has none of the columns mental_illness, serious_medical_illness, "
        "serious_disability, elderly, pregnant, nursing, sogi_risk, abuse_victim, suicide_risk"
    )


# ---------------------------------------------------------------- finding 3: blanks are not compliant


def test_ar_juvenile_blank_date_of_birth_is_indeterminate(check: Check) -> None:
    # an adult (compliant), a blank date of birth (indeterminate), a minor of 17 (violation)
    result = check(
        "AR-JUVENILE",
        Intake=[
            adm(1, "2026-02-01 08:00", date_of_birth="1990-05-05"),
            adm(2, "2026-02-01 08:00", date_of_birth=None),
            adm(3, "2026-02-01 08:00", date_of_birth="2008-06-01"),
        ],
    )
    assert counts(result) == ("deficient", 3, 1, 1, 1)
    assert verdicts(result) == [
        (4, "violation", "aged 17 at arrival"),
        (3, "indeterminate", "cannot tell whether aged under 18 at arrival: date_of_birth is blank"),
    ]


def test_ar_juvenile_only_blank_dates_of_birth_is_indeterminate_not_compliant(check: Check) -> None:
    result = check(
        "AR-JUVENILE",
        Intake=[
            adm(1, "2026-02-01 08:00", date_of_birth="1990-05-05"),
            adm(2, "2026-02-01 08:00", date_of_birth=None),
        ],
    )
    assert counts(result) == ("indeterminate", 2, 0, 1, 1)


def test_hr_vulnerable_blank_date_of_birth(check: Check) -> None:
    # P1: blank birth date, no children → indeterminate (might be a minor or over 70);
    # P2: blank birth date, with children → a violation whatever the age; P3: 30, no children → compliant
    result = check(
        "HR-VULNERABLE",
        Placements=[
            placement(
                1,
                "hold-room",
                "2026-02-01 08:00",
                "2026-02-01 10:00",
                date_of_birth=None,
                with_children=False,
            ),
            placement(
                2, "hold-room", "2026-02-01 08:00", "2026-02-01 10:00", date_of_birth=None, with_children=True
            ),
            placement(
                3,
                "hold-room",
                "2026-02-01 08:00",
                "2026-02-01 10:00",
                date_of_birth="1996-01-01",
                with_children=False,
            ),
        ],
    )
    assert counts(result) == ("deficient", 3, 1, 1, 1)
    assert verdicts(result) == [
        (3, "violation", "with_children is TRUE"),
        (
            2,
            "indeterminate",
            "cannot tell whether aged under 18 at start or aged over 70 at start: date_of_birth is blank",
        ),
    ]


def test_staff_training_with_blank_supervises_detainees_is_not_silently_compliant(check: Check) -> None:
    # inspection starts 2026-04-06: a training on or after 2025-04-06 is current.
    # S1 supervises, stale → violation; S2 blank, stale → indeterminate (it matters whether S2
    # supervises); S3 blank, current → compliant either way; S4 does not supervise → outside.
    result = check(
        "STAFF-SUICIDE-TRAINING",
        Staff=[
            staff(1, True, suicide_prevention_training="2025-01-10"),
            staff(2, None, suicide_prevention_training="2025-01-10"),
            staff(3, None, suicide_prevention_training="2025-09-10"),
            staff(4, False, suicide_prevention_training="2024-01-10"),
        ],
    )
    assert counts(result) == ("deficient", 3, 1, 1, 1)
    assert [(row, verdict) for row, verdict, _ in verdicts(result)] == [
        (2, "violation"),
        (3, "indeterminate"),
    ]
    assert verdicts(result)[1][2] == (
        "suicide_prevention_training 2025-01-10, more than 12 months before the inspection (2026-04-06); "
        "cannot tell whether it applies: supervises_detainees is blank"
    )


def test_staff_cpr_only_blank_supervises_detainees_is_indeterminate(check: Check) -> None:
    # S1: blank, expired → indeterminate; S2: blank, no expiry on file → indeterminate
    result = check(
        "STAFF-CPR",
        Staff=[staff(1, None, cpr_expires="2025-12-31"), staff(2, None, cpr_expires=None)],
    )
    assert counts(result) == ("indeterminate", 2, 0, 0, 2)


def test_staff_credential_blank_date_is_a_violation(check: Check) -> None:
    # the Staff sheet is the facility's training record: a blank date is no training on file
    result = check(
        "STAFF-CPR", Staff=[staff(1, True, cpr_expires=None), staff(2, True, cpr_expires="2026-04-06")]
    )
    assert counts(result) == ("deficient", 2, 1, 1, 0)
    assert verdicts(result) == [(2, "violation", "no cpr_expires recorded")]


# ---------------------------------------------------------------- value_limit


def reading(temp: float | None, kind: str = "cold-holding") -> dict[str, Any]:
    return {"recorded": "2026-02-01 08:00", "location": "Cooler 1", "kind": kind, "temp_f": temp}


def test_value_limit_a_blank_reading_is_indeterminate(check: Check) -> None:
    # 41 meets the 41 °F maximum; 45 is over; a blank reading is neither
    result = check(
        "FS-COLD-HOLD", FoodTemps=[reading(41), reading(None), reading(45), reading(None, "freezer")]
    )
    assert counts(result) == ("deficient", 3, 1, 1, 1)
    assert verdicts(result) == [
        (4, "violation", "45 °F (maximum 41 °F)"),
        (3, "indeterminate", "temp_f is blank"),
    ]


def test_value_limit_blank_readings_alone_are_indeterminate(check: Check) -> None:
    result = check("FS-HOT-HOLD", FoodTemps=[reading(None, "hot-holding"), reading(140, "hot-holding")])
    assert counts(result) == ("indeterminate", 2, 0, 1, 1)


# ---------------------------------------------------------------- max_duration


def test_max_duration_a_date_only_end_is_the_whole_day(build: Build) -> None:
    # HR-MAX-STAY (12 h). P1 starts 08:00 and ends "2026-02-01" (some time that day): between 0 and
    # 16 h → indeterminate. P2 ends "2026-02-02" (date only): at least 16 h → violation. P3 ends
    # "2026-02-01" after a 00:00 start: at most 24 h, at least 0 → indeterminate. P4: 2 h → compliant.
    inspection = build(
        Placements=[
            placement(1, "hold-room", "2026-02-01 08:00", "2026-02-01"),
            placement(2, "hold-room", "2026-02-01 08:00", "2026-02-02"),
            placement(3, "hold-room", "2026-02-03", "2026-02-03"),
            placement(4, "hold-room", "2026-02-04 08:00", "2026-02-04 10:00"),
        ]
    )
    inspection.date_only["Placements"] = {
        "start": np.array([False, False, True, False]),
        "end": np.array([True, True, True, False]),
    }
    standards = load_edition("PBNDS-2011")
    result = evaluate_requirement(standards.requirements["HR-MAX-STAY"], Context(inspection), standards)
    assert counts(result) == ("deficient", 4, 1, 1, 2)
    assert verdicts(result) == [
        (3, "violation", "lasted at least 16 h (limit 12 hours)"),
        (2, "indeterminate", "lasted between 0 h and 16 h (limit 12 hours): a date-only value"),
        (4, "indeterminate", "lasted between 0 h and 24 h (limit 12 hours): a date-only value"),
    ]


def test_max_duration_a_blank_start_is_indeterminate(check: Check) -> None:
    result = check(
        "HR-MAX-STAY",
        Placements=[
            placement(1, "hold-room", None, "2026-02-01 10:00"),
            placement(2, "hold-room", "2026-02-01 08:00", "2026-02-01 10:00"),
        ],
    )
    assert counts(result) == ("indeterminate", 2, 0, 1, 1)
    assert verdicts(result) == [(2, "indeterminate", "start is blank")]


def test_max_duration_sanction_days_over_the_limit_still_proves_a_violation(check: Check) -> None:
    # SMU-DISCIPLINARY-MAX (30 days): P1 lasted 10 days but was sanctioned 45 → violation;
    # P2 10 days, sanction blank → compliant (no sanction recorded is not a sanction over the limit)
    result = check(
        "SMU-DISCIPLINARY-MAX",
        Placements=[
            placement(
                1, "disciplinary-segregation", "2026-02-01 08:00", "2026-02-11 08:00", sanction_days=45
            ),
            placement(
                2, "disciplinary-segregation", "2026-02-01 08:00", "2026-02-11 08:00", sanction_days=None
            ),
        ],
    )
    assert counts(result) == ("deficient", 2, 1, 1, 0)
    assert verdicts(result) == [(2, "violation", "sanction_days 45 over the limit of 30 days")]


# ---------------------------------------------------------------- ratio


def test_ratio_blank_sex_decides_only_when_every_reading_agrees(check: Check) -> None:
    # PH-TOILETS: 1 per 8 for F units, otherwise 1 per 12. 20 people need 3 (F) or 2 (otherwise).
    # U1 sex blank, 2 toilets: enough only if not F → indeterminate; U2 sex blank, 3 toilets → compliant;
    # U3 sex blank, 1 toilet → short either way → violation; U4 F, 2 toilets → violation.
    result = check(
        "PH-TOILETS",
        Housing=[
            unit("U1", rated_capacity=30, population=20, toilets=2),
            unit("U2", rated_capacity=30, population=20, toilets=3),
            unit("U3", rated_capacity=30, population=20, toilets=1),
            unit("U4", sex="F", rated_capacity=30, population=20, toilets=2),
        ],
    )
    assert counts(result) == ("deficient", 4, 2, 1, 1)
    assert verdicts(result) == [
        (4, "violation", "1 toilets (+urinals) for 20 people; at least 2 needed at 1 per 12 (sex blank)"),
        (5, "violation", "2 toilets (+urinals) for 20 people; 3 needed at 1 per 8"),
        (2, "indeterminate", "2 toilets (+urinals) for 20 people; 2 to 3 needed: sex is blank"),
    ]


def test_ratio_a_blank_substitute_counts_for_none_up_to_as_many_as_the_fixtures(check: Check) -> None:
    # men's units of 24 need 2 toilets at 1 per 12. M1: 1 toilet, urinals blank → 1 to 2 → indeterminate;
    # M2: 1 toilet and 1 urinal → 2 → compliant; M3: 0 toilets, urinals blank → 0 → violation
    result = check(
        "PH-TOILETS",
        Housing=[
            unit("M1", sex="M", rated_capacity=30, population=24, toilets=1, urinals=None),
            unit("M2", sex="M", rated_capacity=30, population=24, toilets=1, urinals=1),
            unit("M3", sex="M", rated_capacity=30, population=24, toilets=0, urinals=None),
        ],
    )
    assert counts(result) == ("deficient", 3, 1, 1, 1)
    assert verdicts(result) == [
        (4, "violation", "0 toilets (+urinals) for 24 people; 2 needed at 1 per 12"),
        (2, "indeterminate", "1–2 toilets (+urinals) for 24 people; 2 needed: urinals is blank"),
    ]


def test_ratio_blank_sex_and_blank_urinals_together(check: Check) -> None:
    # 20 people need 2 (1 per 12) or 3 (F: 1 per 8); 1 toilet and blank urinals give 1 to 2 → short of 3
    # only if F, enough for 2 only with a urinal: undecided, both blanks named
    result = check(
        "PH-TOILETS",
        Housing=[unit("U1", sex=None, rated_capacity=30, population=20, toilets=1, urinals=None)],
    )
    assert verdicts(result) == [
        (
            2,
            "indeterminate",
            "1–2 toilets (+urinals) for 20 people; 2 to 3 needed: sex is blank; urinals is blank",
        )
    ]


def test_ratio_blank_counts_are_indeterminate(check: Check) -> None:
    # U1: population blank → cannot tell whether it is occupied or how many are needed;
    # U2: showers blank → indeterminate (it was left out before); U3: 0 people → outside
    result = check(
        "PH-SHOWERS",
        Housing=[
            unit("U1", rated_capacity=30, population=None, showers=1),
            unit("U2", rated_capacity=30, population=20, showers=None),
            unit("U3", rated_capacity=30, population=0, showers=0),
        ],
    )
    assert counts(result) == ("indeterminate", 2, 0, 0, 2)
    assert verdicts(result) == [
        (2, "indeterminate", "population is blank"),
        (3, "indeterminate", "showers is blank"),
    ]


# ---------------------------------------------------------------- capacity


def test_capacity_blank_counts_are_indeterminate_and_the_total_only_when_they_matter(check: Check) -> None:
    # units: A 5/10 compliant, B blank/10 indeterminate, C 3/blank indeterminate, D 0/blank compliant.
    # The facility's 500: the known counts add to 8 and B could hold any number → indeterminate.
    result = check(
        "POP-CAPACITY",
        Housing=[
            unit("A", rated_capacity=10, population=5),
            unit("B", rated_capacity=10, population=None),
            unit("C", rated_capacity=None, population=3),
            unit("D", rated_capacity=None, population=0),
        ],
    )
    assert counts(result) == ("indeterminate", 5, 0, 2, 3)
    assert verdicts(result) == [
        (3, "indeterminate", "population is blank"),
        (4, "indeterminate", "rated_capacity is blank"),
        (
            8,  # the Facility sheet's rated_capacity row
            "indeterminate",
            "the units hold at least 8 people against the facility's rated capacity of 500; the population "
            "of 1 unit is blank",
        ),
    ]


def test_capacity_a_known_total_over_the_facility_capacity_is_proven_despite_a_blank(check: Check) -> None:
    result = check(
        "POP-CAPACITY",
        facility={"rated_capacity": 20},
        Housing=[unit("A", rated_capacity=30, population=25), unit("B", rated_capacity=10, population=None)],
    )
    # A compliant, B indeterminate, the facility total at least 25 > 20 → violation
    assert counts(result) == ("deficient", 3, 1, 1, 1)
    assert verdicts(result) == [
        (3, "indeterminate", "population is blank"),
        (8, "violation", "the units hold at least 25 people against the facility's rated capacity of 20"),
    ]


# ---------------------------------------------------------------- attestation


def test_attestation_counts_are_consistent(check: Check) -> None:
    deficient = check(
        "FS-STORAGE",
        Checklist=[{"requirement_id": "FS-STORAGE", "finding": "deficient", "remarks": "Boxes."}],
    )
    assert counts(deficient) == ("deficient", 1, 1, 0, 0)
    assert verdicts(deficient) == [(2, "violation", "Boxes.")]
    compliant = check("FS-STORAGE", Checklist=[{"requirement_id": "FS-STORAGE", "finding": "compliant"}])
    assert counts(compliant) == ("compliant", 1, 0, 1, 0)


def test_max_duration_stays_outside_the_review_period_are_not_counted(check: Check) -> None:
    # review period 2026-01-01..03-31. P1 (20 h, all in December) and P3 (after the period) are out of
    # scope; P2 started in December and ran into January (40 h): a violation; P4 inside, 2 h: compliant
    result = check(
        "HR-MAX-STAY",
        Placements=[
            placement(1, "hold-room", "2025-12-20 08:00", "2025-12-21 04:00"),
            placement(2, "hold-room", "2025-12-31 08:00", "2026-01-02 00:00"),
            placement(3, "hold-room", "2026-04-02 08:00", "2026-04-03 08:00"),
            placement(4, "hold-room", "2026-02-01 08:00", "2026-02-01 10:00"),
        ],
    )
    assert counts(result) == ("deficient", 2, 1, 1, 0)
    assert verdicts(result) == [(3, "violation", "lasted 40 h (limit 12 hours)")]


def test_attestation_a_blank_finding_is_not_assessed_never_compliant(check: Check) -> None:
    result = check("FS-STORAGE", Checklist=[{"requirement_id": "FS-STORAGE", "finding": None}])
    assert counts(result) == ("not_assessed", 0, 0, 0, 0)
    assert result.reason == "the Checklist row for this requirement has no finding"


def test_missing_data_an_age_inside_any_of_still_needs_its_time_column(build: Build) -> None:
    # conditions.classify can leave only a `column` part unknown; an age measured at an absent time
    # column cannot be read at all, so the rule is not assessed rather than failing
    check = {
        "kind": "prohibited",
        "sheet": "Placements",
        "violation_when": [
            {"age_at": "released_at", "below": 18},
            {"column": "with_children", "equals": True},
        ],
    }
    inspection = build(Placements=[placement(1, "hold-room", "2026-02-01 08:00", with_children=True)])
    assert missing_data(check, Context(inspection)) == "the Placements sheet has no released_at column"
