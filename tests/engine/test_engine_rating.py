"""The rating policy (standards/policies/auditor-rating.yml) on hand-built result lists.

Applied in order: a priority deficiency → Does Not Meet Standards; more than 25 % of the
edition not assessed → Incomplete; under 90 % of the assessed compliant → Does Not Meet
Standards; otherwise Meets Standards. Waived and not-applicable results leave the denominator.
"""

from __future__ import annotations

from auditor.contracts.results import Result
from auditor.engine.rating import extent_tier, summarise
from auditor.standards.load import load_edition
from auditor.standards.model import RatingPolicy

POLICY = load_edition("PBNDS-2011").policy


def results(
    *,
    compliant: int = 0,
    deficient: int = 0,
    priority_deficient: int = 0,
    not_assessed: int = 0,
    not_applicable: int = 0,
    waived: int = 0,
    error: int = 0,
    indeterminate: int = 0,
) -> list[Result]:
    made: list[Result] = []

    def add(count: int, status: str, priority: bool = False) -> None:
        for _ in range(count):
            n = len(made) + 1
            made.append(
                Result(
                    f"REQ-{n:03d}",
                    status,
                    priority,
                    False,
                    1,
                    int(status == "deficient"),
                    [],
                    standard_number=f"{n}.1",
                    standard_name=f"Standard {n}",
                )
            )

    add(compliant, "compliant")
    add(deficient, "deficient")
    add(priority_deficient, "deficient", priority=True)
    add(not_assessed, "not_assessed")
    add(not_applicable, "not_applicable")
    add(waived, "waived", priority=True)
    add(error, "error")
    add(indeterminate, "indeterminate")
    return made


def rating(made: list[Result], policy: RatingPolicy = POLICY) -> str:
    return summarise(made, policy).rating


def test_a_priority_deficiency_does_not_meet_standards() -> None:
    summary = summarise(results(compliant=60, priority_deficient=1), POLICY)
    assert (summary.rating, summary.priority_deficiencies) == ("Does Not Meet Standards", 1)
    assert summary.rating_reason == "A priority component is deficient."


def test_a_priority_deficiency_wins_over_a_partly_decided_inspection() -> None:
    # 41 of 60 decided (68 %): enough to prove failure, not enough to say it meets the standards
    assert rating(results(compliant=40, priority_deficient=1, not_assessed=19)) == "Does Not Meet Standards"


def test_no_rating_from_a_few_decided_requirements() -> None:
    # issue 13, finding 6: one priority deficiency among 3 decided of 68 is no rating at all
    summary = summarise(results(compliant=2, priority_deficient=1, not_assessed=65), POLICY)
    assert (summary.rating, summary.decided, summary.in_scope, summary.coverage_percent) == (
        "Incomplete",
        3,
        68,
        4.4,
    )
    assert summary.rating_reason.startswith("The data decided (deficient or compliant) fewer than half")


def test_more_than_a_quarter_not_assessed_is_incomplete() -> None:
    # 26 of 100 not assessed: 74 % decided → Incomplete, even though every decided one is compliant
    summary = summarise(results(compliant=74, not_assessed=26), POLICY)
    assert (summary.rating, summary.coverage_percent) == ("Incomplete", 74.0)
    assert summary.rating_reason == (
        "The data decided fewer than 75 % of the requirements in the inspection's scope that apply: "
        "too few to say the facility meets the standards."
    )


def test_indeterminate_requirements_are_not_decided() -> None:
    summary = summarise(results(compliant=70, indeterminate=30), POLICY)
    assert (summary.rating, summary.indeterminate, summary.decided, summary.compliant) == (
        "Incomplete",
        30,
        70,
        70,
    )


def test_out_of_scope_requirements_leave_the_coverage() -> None:
    made = results(compliant=2, not_assessed=66)
    for result in made[2:]:
        result.in_scope = False
    summary = summarise(made, POLICY)
    assert (summary.rating, summary.decided, summary.in_scope, summary.coverage_percent) == (
        "Meets Standards",
        2,
        2,
        100.0,
    )


def test_exactly_a_quarter_not_assessed_is_not_incomplete() -> None:
    assert rating(results(compliant=75, not_assessed=25)) == "Meets Standards"


def test_errors_count_as_not_assessed() -> None:
    assert rating(results(compliant=74, not_assessed=20, error=6)) == "Incomplete"


def test_incomplete_wins_over_a_low_compliance_share() -> None:
    assert rating(results(compliant=30, deficient=40, not_assessed=30)) == "Incomplete"


def test_under_90_percent_compliant_does_not_meet_standards() -> None:
    # 8 of 10 assessed compliant = 80 %
    summary = summarise(results(compliant=8, deficient=2), POLICY)
    assert (summary.rating, summary.compliance_percent) == ("Does Not Meet Standards", 80.0)
    assert summary.rating_reason.startswith("Fewer than 90 % of the assessed requirements are compliant")


def test_exactly_90_percent_compliant_meets_standards() -> None:
    summary = summarise(results(compliant=9, deficient=1), POLICY)
    assert (summary.rating, summary.compliance_percent) == ("Meets Standards", 90.0)
    assert summary.rating_reason == (
        "No priority component is deficient, enough requirements were decided, and 90.0 % of the decided "
        "requirements are compliant."
    )


def test_waived_and_not_applicable_leave_the_denominator() -> None:
    # 9 compliant, 1 deficient; 5 waived (priority ones) and 5 not applicable change nothing: 90 %
    summary = summarise(results(compliant=9, deficient=1, waived=5, not_applicable=5), POLICY)
    assert (summary.rating, summary.compliance_percent) == ("Meets Standards", 90.0)
    assert (summary.waived, summary.not_applicable, summary.priority_deficiencies) == (5, 5, 0)
    assert summary.requirements_assessed == 15  # compliant + deficient + waived


def test_not_assessed_never_counts_as_compliant() -> None:
    # 17 compliant, 3 deficient (85 %); 5 not assessed of 25 (20 %) must not lift the share
    summary = summarise(results(compliant=17, deficient=3, not_assessed=5), POLICY)
    assert (summary.rating, summary.compliance_percent) == ("Does Not Meet Standards", 85.0)


def test_the_policy_is_data_an_administrator_can_change() -> None:
    data = POLICY.as_dict()
    data["rules"] = [
        {**rule, "value": 0.75} if rule["when"] == "compliant_share_below" else rule for rule in data["rules"]
    ]
    lenient = RatingPolicy.from_data(data)
    made = results(compliant=8, deficient=2)
    assert (rating(made), rating(made, lenient)) == ("Does Not Meet Standards", "Meets Standards")
    assert POLICY.id == "auditor-rating-2026.2"
    assert "not an ICE rating" in POLICY.statement


def test_extent_tiers() -> None:
    assert extent_tier(0, 10, POLICY) == ""
    assert extent_tier(1, 100, POLICY) == "isolated"
    assert extent_tier(10, 100, POLICY) == "pattern"
    assert extent_tier(50, 100, POLICY) == "widespread"


def test_an_area_of_concern_is_counted_but_never_rated() -> None:
    # 19 compliant and 1 deficient: 95 % → Meets Standards. A deficient area of concern beside them would
    # make 2 of 21 deficient (90.5 %), and as a priority deficiency would fail the facility; the rating
    # reads neither, while the counts show it as it was evaluated
    made = results(compliant=19, deficient=1)
    concern = Result("POP-CAPACITY", "deficient", True, False, 3, 2, [], finding="area_of_concern")
    summary = summarise([*made, concern], POLICY)
    assert summary.rating == "Meets Standards"
    assert summary.rating_reason.endswith(
        "95.0 % of the decided requirements (areas of concern aside) are compliant."
    )
    assert (summary.deficient, summary.compliant, summary.decided, summary.areas_of_concern) == (2, 19, 21, 1)
    assert summary.compliance_percent == 90.5  # the figures as evaluated; the rating's share is 95 %
    # the same result as a deficiency: a priority deficiency, Does Not Meet Standards
    concern.finding = "deficiency"
    as_deficiency = summarise([*made, concern], POLICY)
    assert (as_deficiency.rating, as_deficiency.areas_of_concern) == ("Does Not Meet Standards", 0)
