"""auditor/report/odo.py on hand-built results: ODO's wording, the C-n numbering, the previous plan's
statuses, and results files that are not the shape the engine writes (every input is hostile)."""

from __future__ import annotations

from auditor.contracts.results import Extent, Result, Results, Summary
from auditor.report import odo


def _result(rid: str, status: str, **fields) -> Result:
    return Result(
        rid, status, False, False, fields.pop("population", 0), fields.pop("violations", 0), [], **fields
    )


def _results(*results: Result, **extra) -> Results:
    summary = Summary(0, 0, 0, 0, 0, 0, 0, 0, 0, "Incomplete", len(results))
    inspection = {"inspection_id": "NOW", "inspection_start": "2026-04-06", "inspection_end": "2026-04-09"}
    return Results({}, inspection, {"edition": "PBNDS-2011"}, [], summary, list(results), **extra)


def test_found_in_x_of_y_says_each_count_once_and_the_undecided_apart() -> None:
    screen = _result(
        "MC-MH-SCREEN",
        "deficient",
        population=40,
        violations=3,
        compliant=35,
        indeterminate=2,
        population_label="admissions",
    )
    # no extent in the file (a hostile or old one): the share is counted, and no tier is invented
    assert odo.found_in(screen) == (
        "Found in 3 of 40 admissions reviewed (7.5 %; 35 compliant, 2 indeterminate): every record of "
        "the review period, not a sample."
    )
    # every record decided: the compliant ones are the rest, so only the share and its tier are said
    decided = _result(
        "MC-MH-SCREEN",
        "deficient",
        population=40,
        violations=3,
        compliant=37,
        extent=Extent(3, 40, 7.5, "isolated"),
        population_label="admissions",
    )
    assert odo.found_in(decided) == (
        "Found in 3 of 40 admissions reviewed (7.5 %, isolated): every record of the review period, "
        "not a sample."
    )
    assert odo.found_in(_result("GS-LOG", "deficient", type="observation", population=1, violations=1)) == ""
    assert odo.found_in(_result("EMPTY", "deficient", population=0)) == ""


def test_corrections_are_numbered_in_the_given_order_deficient_ones_only() -> None:
    shown = [
        _result("B", "deficient", corrected_on_site=True),
        _result("A", "waived", underlying_status="deficient", corrected_on_site=True),
        _result("C", "compliant", corrected_on_site=True),  # nothing to correct: not numbered
        _result("D", "deficient"),
    ]
    assert odo.corrected_numbers(shown) == {"B": "C-1", "A": "C-2"}


def test_the_previous_plan_from_a_results_file() -> None:
    now = _results(
        _result("FIXED", "compliant", title="Fixed"),
        _result("AGAIN", "deficient", title="Again"),
        _result("UNSEEN", "not_assessed", title="Unseen"),
        previous={"inspection_id": "BEFORE", "deficient": ["FIXED", "AGAIN", "UNSEEN", "GONE"]},
    )
    plan, source = odo.previous_plan(now, None)
    assert source == "the previous inspection's results file and this inspection"
    assert [(p.requirement_id, p.inspection, p.status, p.detail) for p in plan] == [
        ("FIXED", "BEFORE", "verified", "compliant in this inspection"),
        ("AGAIN", "BEFORE", "repeat", "deficient in this inspection"),
        ("UNSEEN", "BEFORE", "not_verified", "not assessed in this inspection"),
        ("GONE", "BEFORE", "not_verified", "not in this inspection's standards"),
    ]
    assert plan[0].words == "Verified closed"


def test_a_hostile_results_file_states_no_plan_rather_than_failing() -> None:
    for previous in (
        {"deficient": 5},
        {"deficient": "MC-MH-SCREEN"},
        {"deficient": None},
        ["not", "a", "dict"],
    ):
        plan, _ = odo.previous_plan(_results(previous=previous), None)
        assert plan == []
    # a samples list of the wrong shape counts no file rather than failing
    text = odo.process(_results(samples=[{"reviewed": "40"}, {"reviewed": True}, "junk", {"reviewed": 12}]))
    assert "12 files drawn at random were reviewed by sample" in text


def test_an_item_of_a_status_the_report_does_not_know_is_left_out() -> None:
    items = [
        {
            "requirement_id": "X",
            "inspection": "BEFORE",
            "status": "open",
            "overdue": False,
            "due_date": "2026-01-01",
        },
        {"requirement_id": "Y", "inspection": "BEFORE", "status": "<script>", "overdue": False},
    ]
    plan = odo.plan_from_items(items, _results())
    assert [(p.requirement_id, p.status, p.detail) for p in plan] == [("X", "open", "target 2026-01-01")]


def test_the_overview_shows_only_what_is_known() -> None:
    results = _results()
    results.facility = {"rated_capacity": 400, "average_daily_population": 300, "operator": ""}
    assert odo.overview(results, None) == [
        ("Rated capacity", "400"),
        ("Average daily population", "300"),
        ("Population to capacity", "75 % (average daily population)"),
    ]
    results.facility = {"rated_capacity": 0, "average_daily_population": "many"}  # no share from these
    assert odo.overview(results, None) == [("Rated capacity", "0"), ("Average daily population", "many")]


def test_the_conclusion_reads_a_hostile_previous_comparison_as_none() -> None:
    from auditor.report.view import conclusion

    now = _results(previous={"inspection_id": "BEFORE", "deficient": 3, "new": "X", "resolved": None})
    now.standards = {"edition": "PBNDS-2011"}
    now.rating_policy = {}
    text = " ".join(conclusion(now))
    assert "(BEFORE, ended on an unknown date, rated unrated, 0 deficiencies)" in text
    assert "0 deficiencies are new, 0 were resolved and 0 are repeated" in text
