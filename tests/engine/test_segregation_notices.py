"""segregation_notices: Directive 11065.1's notices on placement histories (docs/segregation.md), each
answer worked out by hand. Review period 2026-01-01 to 2026-03-31 (conftest), no zone."""

from __future__ import annotations

from typing import Any

import numpy as np

from auditor.engine.context import Context
from auditor.engine.evaluate import evaluate_requirement
from auditor.standards.load import load_edition
from tests.engine.conftest import evaluate_one, evidence_rows, make_inspection

ADMIN, DISCIPLINARY = "administrative-segregation", "disciplinary-segregation"


def row(pid: str, who: str, start: str, end: str | None, notified: str | None = None, **more: Any) -> dict:
    kind = more.pop("kind", ADMIN)
    return {
        "placement_id": pid,
        "detainee_id": who,
        "kind": kind,
        "start": start,
        "end": end,
        "field_office_notified": notified,
        **more,
    }


def counts(result) -> tuple[str, int, int, int]:
    return result.status, result.population, result.violations, result.indeterminate


def test_rows_less_than_a_day_apart_are_one_history_whatever_their_kind() -> None:
    # D1: 8 days admin, 12 h out, 13 days disciplinary: one history of 20 days, its 14-day mark on
    # 19 January 08:00 (in row 3); the notice of 6 January is counted: compliant
    rows = [
        row("P1", "D1", "2026-01-05 08:00", "2026-01-12 08:00", "2026-01-06 09:00"),
        row("P2", "D1", "2026-01-12 20:00", "2026-01-25 08:00", kind=DISCIPLINARY),
    ]
    assert counts(evaluate_one("SMU-NOTIFY-14D", Placements=rows)) == ("compliant", 1, 0, 0)


def test_a_history_of_short_rows_reaching_14_days_without_a_notice_is_a_violation() -> None:
    # D2: 9 days, 12 h out, 9.5 days: neither row lasts 14 days (the row-by-row rule found nothing);
    # the history reaches 14 days on 15 February 00:00, the only notice is of the 18th
    rows = [
        row("P1", "D2", "2026-02-01 00:00", "2026-02-10 00:00"),
        row("P2", "D2", "2026-02-10 12:00", "2026-02-20 00:00", "2026-02-18 10:00"),
    ]
    result = evaluate_one("SMU-NOTIFY-14D", Placements=rows)
    assert counts(result) == ("deficient", 1, 1, 0)
    [(_, at, _, detail)] = evidence_rows(result)
    assert at == 3 and detail == (
        "14 days in segregation reached 2026-02-15 00:00: 0 notices by then, 1 needed"
    )


def test_a_gap_of_a_whole_day_ends_a_history() -> None:
    # D3: 7 days, exactly one day out, 11 days: two histories, neither reaches 14 days
    rows = [
        row("P1", "D3", "2026-03-01 00:00", "2026-03-08 00:00"),
        row("P2", "D3", "2026-03-09 00:00", "2026-03-20 00:00"),
    ]
    result = evaluate_one("SMU-NOTIFY-14D", Placements=rows)
    assert counts(result) == ("not_applicable", 0, 0, 0)


def test_14_days_of_21_across_two_histories() -> None:
    # D3 again: 7 days, then from 9 March: 7 + 7 = 14 days within the 21 before 16 March 00:00
    rows = [
        row("P1", "D3", "2026-03-01 00:00", "2026-03-08 00:00"),
        row("P2", "D3", "2026-03-09 00:00", "2026-03-20 00:00"),
    ]
    result = evaluate_one("SMU-NOTIFY-14IN21", Placements=rows)
    assert counts(result) == ("deficient", 1, 1, 0)
    [(_, at, _, detail)] = evidence_rows(result)
    assert at == 3 and detail.startswith(
        "14 days in segregation within 21 days reached 2026-03-16 00:00: 0 notices"
    )
    rows[0]["field_office_notified"] = "2026-03-02 10:00"  # a notice of a row inside the window
    assert counts(evaluate_one("SMU-NOTIFY-14IN21", Placements=rows)) == ("compliant", 1, 0, 0)


def test_a_continuous_stay_is_the_14_day_rule_s_not_the_trigger_s() -> None:
    rows = [row("P1", "D9", "2026-01-05 08:00", "2026-01-25 08:00")]
    assert counts(evaluate_one("SMU-NOTIFY-14IN21", Placements=rows)) == ("not_applicable", 0, 0, 0)
    assert counts(evaluate_one("SMU-NOTIFY-14D", Placements=rows)) == ("deficient", 1, 1, 0)


def test_30_days_needs_a_second_notice() -> None:
    # D4: 45 days from 1 January with one notice (2 January): the 14-day mark takes it, the 30-day
    # mark (31 January 00:00) needs a second; no 60-day mark
    rows = [row("P1", "D4", "2026-01-01 00:00", "2026-02-15 00:00", "2026-01-02 09:00")]
    result = evaluate_one("SMU-NOTIFY-30D", Placements=rows)
    assert counts(result) == ("deficient", 1, 1, 0)
    assert evidence_rows(result)[0][3] == (
        "30 days (or a further 30 days) in segregation reached 2026-01-31 00:00: 1 notice by then, 2 needed"
    )
    assert counts(evaluate_one("SMU-NOTIFY-14D", Placements=rows)) == ("compliant", 1, 0, 0)
    # the same stay written as two rows, split at the second notice (29 January): compliant
    split = [
        row("P1", "D4", "2026-01-01 00:00", "2026-01-20 00:00", "2026-01-02 09:00"),
        row("P2", "D4", "2026-01-20 00:00", "2026-02-15 00:00", "2026-01-29 09:00"),
    ]
    assert counts(evaluate_one("SMU-NOTIFY-30D", Placements=split)) == ("compliant", 1, 0, 0)


def test_every_30_days_after_and_an_open_stay_runs_to_the_end_of_the_period() -> None:
    # D5: from 1 January, still held on 31 March 23:59: marks at 14 (counted), 30, 60 days (31
    # January, 2 March); notices on 2 and 25 January, and 10 March (late for 2 March)
    rows = [
        row("P1", "D5", "2026-01-01 00:00", "2026-01-20 00:00", "2026-01-02 09:00"),
        row("P2", "D5", "2026-01-20 00:00", "2026-02-20 00:00", "2026-01-25 09:00"),
        row("P3", "D5", "2026-02-20 00:00", None, "2026-03-10 09:00"),
    ]
    result = evaluate_one("SMU-NOTIFY-30D", Placements=rows)
    assert counts(result) == ("deficient", 2, 1, 0)
    [(_, at, _, detail)] = evidence_rows(result)
    assert at == 4 and detail.endswith("reached 2026-03-02 00:00: 2 notices by then, 3 needed")


def test_a_date_only_stay_that_may_or_may_not_reach_14_days_is_undecided() -> None:
    # 10 to 24 January, days only: between 13 and 15 days
    rows = [row("P1", "D6", "2026-01-10", "2026-01-24")]
    result = days_only("SMU-NOTIFY-14D", rows)
    assert counts(result) == ("indeterminate", 1, 0, 1)
    assert result.evidence[0].detail.startswith("a date-only value or an undecided row leaves this mark open")
    # a notice on its first day decides it: met whichever way the days fall
    rows[0]["field_office_notified"] = "2026-01-10 12:00"
    assert counts(days_only("SMU-NOTIFY-14D", rows)) == ("compliant", 1, 0, 0)
    # 1 to 24 January: at least 22 days whichever instants they are, no notice: a violation
    rows = [row("P1", "D6", "2026-01-01", "2026-01-24")]
    assert counts(days_only("SMU-NOTIFY-14D", rows)) == ("deficient", 1, 1, 0)


def days_only(requirement: str, rows: list[dict]):
    """The requirement on Placements whose start and end are known only to the day (text dates)."""
    inspection = make_inspection(Placements=rows)
    for column in ("start", "end"):
        inspection.date_only.setdefault("Placements", {})[column] = np.ones(len(rows), dtype=bool)
    standards = load_edition("PBNDS-2011")
    return evaluate_requirement(standards.requirements[requirement], Context(inspection), standards)


def test_report_rows_are_evaluated_alone_and_a_late_interval_report_is_undecided() -> None:
    # SRMS-like rows (report_type set): one report each, unlinked
    rows = [
        row("R1", "S1", "2026-01-01", None, "2026-01-20 10:00", report_type="30-day-interval"),  # day 19
        row("R2", "S2", "2026-01-01", None, "2026-02-15 10:00", report_type="30-day-interval"),  # day 45
        row("R3", "S3", "2026-01-01", None, "2026-01-17 10:00", report_type="14-day"),  # day 16: late
    ]
    where30 = [{"column": "report_type", "in": ["30-day-interval"]}]
    result = evaluate_one("SMU-NOTIFY-30D", Placements=rows[:2])
    assert counts(result) == ("indeterminate", 2, 0, 1)
    [(_, at, _, detail)] = evidence_rows(result)
    assert at == 3 and detail.startswith("a later interval's report, or this one late")
    late = evaluate_one("SMU-NOTIFY-14D", Placements=rows[2:])
    assert counts(late) == ("deficient", 1, 1, 0)
    assert where30  # the scope's population is the test_import_srms tests'
