"""attestation: the inspector's own finding, from the Checklist sheet row of this requirement.

The inspector decides it, so it is never indeterminate: deficient and compliant are the inspector's
verdicts; not-observed, a missing row or a blank finding leave it not assessed. An area of concern or a
best practice (ODO's words) is no deficiency: the requirement is met, and the result carries the
finding so that the rating leaves it out and the report lists it in its own section.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from auditor.engine.kinds.parameters import Parameter
from auditor.engine.outcome import Outcome, evidence, none

if TYPE_CHECKING:  # the engine's context pulls in the workbook and pandera; lint needs neither
    from auditor.engine.context import Context

NAME = "attestation"
DESCRIPTION = "Answered by the inspector in the Checklist sheet."
PARAMETERS: tuple[Parameter, ...] = ()
ONE_OF: tuple[tuple[str, ...], ...] = ()

TUNABLE: tuple[str, ...] = ()
POPULATION = "observation"
STATUSES = {
    "compliant": "compliant",
    "deficient": "deficient",
    "not-applicable": "not_applicable",
    "not-observed": "not_assessed",
    "area-of-concern": "compliant",
    "best-practice": "compliant",
}
FINDINGS = {"area-of-concern": "area_of_concern", "best-practice": "best_practice"}


def evaluate(check: dict[str, Any], ctx: Context) -> Outcome:
    frame = ctx.frame("Checklist")
    rows = frame[frame["requirement_id"] == check["requirement_id"]]
    if rows.empty:
        return Outcome(
            0, 0, none(), status="not_assessed", empty_reason="no Checklist row for this requirement"
        )
    row = rows.iloc[0]
    status = STATUSES.get(row["finding"]) if row.notna()["finding"] else None
    if status is None:  # validation requires a finding; a blank one decides nothing, and is never compliant
        return Outcome(
            0,
            0,
            none(),
            status="not_assessed",
            empty_reason="the Checklist row for this requirement has no finding",
        )
    remarks = None if "remarks" not in rows or row.isna().get("remarks", True) else str(row["remarks"])
    corrected = (
        bool(row["corrected_on_site"])
        if "corrected_on_site" in rows and row.notna()["corrected_on_site"]
        else False
    )
    deficient = status == "deficient"
    reasons = {
        "not_applicable": "the inspector found it not applicable" + (f": {remarks}" if remarks else ""),
        "not_assessed": "the inspector did not observe it" + (f": {remarks}" if remarks else ""),
    }
    return Outcome(
        population=1 if status in ("compliant", "deficient") else 0,
        violations=1 if deficient else 0,
        evidence=evidence("Checklist", [rows.index[0]], [remarks or "found deficient"])
        if deficient
        else none(),
        cells={
            "Checklist": [c for c in ("finding", "remarks", "evidence", "corrected_on_site") if c in rows]
        },
        status=status,
        remarks=remarks,
        corrected_on_site=corrected,
        finding=FINDINGS.get(row["finding"]),
        empty_reason=reasons.get(status),
    )


def describe(check: dict[str, Any]) -> str:
    return "observed by the inspector"
