"""Results with undecided records, built by hand (the faces must show them; the engine's kinds are
tested elsewhere): six requirements of the small inspection, their counts and evidence set here.

Known answers:
    SMU-NOTIFY-VULNERABLE  deficient, priority, repeat: 4 placements = 1 violation + 1 compliant
                           + 2 indeterminate; absent columns serious_medical_illness, with_children
    MC-PREGNANCY-TEST      indeterminate: 3 admissions = 0 + 1 compliant + 2 indeterminate
    HR-VULNERABLE          indeterminate: 2 placements = 0 + 0 + 2; absent column with_children
    AR-JUVENILE            compliant: 5 admissions, every one proven
    EHS-FIRE-DRILL         not assessed (no SafetyLog sheet)
    MC-DENTAL-SCREEN       not applicable
    Requirements in scope that apply: 5; decided (deficient or compliant): 2 → coverage 40 %,
    below the policy's 50 % minimum: rated Incomplete. 1 deficiency, 1 priority, 1 repeat,
    2 indeterminate, 1 compliant.
"""

from __future__ import annotations

from auditor.contracts.results import Evidence, Extent, Results

PREGNANCY_WHY = "date_of_birth is blank: the detainee's age, and so the obligation, cannot be decided"
JUVENILE_ROWS = 5
HIDDEN = "MC-PREGNANCY-TEST"  # undecided: must never be listed as compliant


def _ev(sheet: str, row: int, column: str, value: str, detail: str, verdict: str) -> Evidence:
    ref = f"B{row}"
    return Evidence(sheet, row, [{"column": column, "ref": ref, "value": value}], detail, verdict)


def undecided_results(base: Results) -> Results:
    """The small inspection's facility and policy, with the six results of the module docstring."""
    from auditor.engine.rating import summarise
    from auditor.standards.model import RatingPolicy

    copy = Results.from_dict(base.to_dict())
    by_id = copy.by_id()

    notify = by_id["SMU-NOTIFY-VULNERABLE"]
    notify.status, notify.repeat = "deficient", True
    notify.population, notify.violations, notify.compliant, notify.indeterminate = 4, 1, 1, 2
    notify.absent_columns = ["serious_medical_illness", "with_children"]
    notify.extent = Extent(violations=1, population=4, percent=25.0, tier="pattern")
    notify.evidence = [
        _ev("Placements", 3, "mental_illness", "Yes", "notified 97 hours after the start", "violation"),
        _ev(
            "Placements",
            4,
            "mental_illness",
            "No",
            "notified 80 hours after the start; an absent column might make the placement vulnerable",
            "indeterminate",
        ),
        _ev(
            "Placements",
            5,
            "mental_illness",
            "",
            "mental_illness is blank and the notice was late",
            "indeterminate",
        ),
    ]

    pregnancy = by_id[HIDDEN]
    pregnancy.status = "indeterminate"
    pregnancy.population, pregnancy.violations, pregnancy.compliant, pregnancy.indeterminate = 3, 0, 1, 2
    pregnancy.extent = Extent(violations=0, population=3, percent=0.0, tier="")
    pregnancy.evidence = [
        _ev("Intake", 7, "date_of_birth", "", PREGNANCY_WHY, "indeterminate"),
        _ev("Intake", 9, "date_of_birth", "", PREGNANCY_WHY, "indeterminate"),
    ]

    vulnerable = by_id["HR-VULNERABLE"]
    vulnerable.status = "indeterminate"
    vulnerable.population, vulnerable.violations, vulnerable.compliant, vulnerable.indeterminate = 2, 0, 0, 2
    vulnerable.absent_columns = ["with_children"]
    vulnerable.evidence = [
        _ev("Placements", 2, "date_of_birth", "1990", "only with_children could decide", "indeterminate"),
        _ev("Placements", 6, "date_of_birth", "1985", "only with_children could decide", "indeterminate"),
    ]

    juvenile = by_id["AR-JUVENILE"]
    juvenile.status, juvenile.repeat, juvenile.evidence = "compliant", False, []
    juvenile.population, juvenile.compliant = JUVENILE_ROWS, JUVENILE_ROWS
    juvenile.violations = juvenile.indeterminate = 0

    fire = by_id["EHS-FIRE-DRILL"]  # whatever the workbook held: set here
    fire.status, fire.reason, fire.repeat, fire.extent = (
        "not_assessed",
        "the SafetyLog sheet is missing",
        False,
        None,
    )
    fire.population = fire.violations = fire.compliant = fire.indeterminate = 0
    fire.evidence = []
    dental = by_id["MC-DENTAL-SCREEN"]
    dental.status, dental.reason = "not_applicable", "no admission stayed 14 days"
    dental.population = dental.violations = dental.compliant = dental.indeterminate = 0
    dental.evidence, dental.extent, dental.repeat = [], None, False

    keep = ("SMU-NOTIFY-VULNERABLE", HIDDEN, "HR-VULNERABLE", "AR-JUVENILE", "EHS-FIRE-DRILL")
    keep += ("MC-DENTAL-SCREEN",)
    copy.results = [by_id[rid] for rid in keep]
    for result in copy.results:
        result.evidence_total = len(result.evidence)
    copy.summary = summarise(copy.results, RatingPolicy.from_data(copy.rating_policy))
    return copy
