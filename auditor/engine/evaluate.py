"""Evaluate an inspection against an edition: every requirement exactly once, with its evidence."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from typing import TYPE_CHECKING, Any

from auditor import __version__
from auditor.contracts.inspection import Inspection
from auditor.contracts.results import Extent, Result, Results, Threshold
from auditor.engine import evidence as evidence_rows
from auditor.engine.context import Context
from auditor.engine.kinds import KINDS, population_label
from auditor.engine.outcome import Outcome
from auditor.engine.rating import extent_tier, summarise
from auditor.engine.repeats import mark_repeats
from auditor.engine.tailoring import Tailoring
from auditor.engine.waivers import WaiverSet, apply_waivers
from auditor.standards.model import (
    OPTIONAL_PARAMETERS,
    Edition,
    Requirement,
    check_columns,
    condition_columns,
)
from auditor.standards.scopes import Scope

if TYPE_CHECKING:
    from auditor.engine.many import Shared

log = logging.getLogger(__name__)


def evaluate(
    inspection: Inspection,
    edition: Edition,
    *,
    tailoring: Tailoring | None = None,
    waivers: WaiverSet | None = None,
    previous: dict[str, Any] | None = None,
    scope: Scope | None = None,
    shared: Shared | None = None,
) -> Results:
    """Evaluate every requirement of the edition (or, in a scope, the scope's), then apply waivers,
    repeats and the rating. `shared`: rules already run on this inspection's rows, by requirement id,
    and its cache (engine/many.py, which runs them on many inspections at once)."""
    ctx = Context(inspection, shared.cache) if shared else Context(inspection)
    done = shared.outcomes if shared else {}
    results = [
        _evaluate_in(scope, req, ctx, edition, tailoring, done.get(req.id))
        for req in edition.requirements.values()
    ]
    facility_id = str(inspection.facility["facility_id"])
    waiver_report = (
        apply_waivers(results, waivers, facility_id, _date(inspection.facility["inspection_end"]))
        if waivers
        else None
    )
    previous_report = mark_repeats(results, previous) if previous else None
    return Results(
        facility=_facility(inspection),
        inspection=_inspection(inspection),
        standards={
            "edition": edition.name,
            "title": edition.title,
            "catalogue_version": edition.catalogue_version,
            "sha256": edition.sha256,
            "source": edition.source,
        },
        inputs=[{"name": name, "sha256": sha} for name, sha in inspection.inputs],
        summary=summarise(results, edition.policy),
        results=results,
        rating_policy=edition.policy.as_dict(),
        tailoring=tailoring.as_dict(edition) if tailoring else None,
        waivers=waiver_report,
        previous=previous_report,
        software={"name": "auditor", "version": __version__},
        scope=scope.as_dict() if scope else None,
    )


def _evaluate_in(
    scope: Scope | None,
    req: Requirement,
    ctx: Context,
    edition: Edition,
    tailoring: Tailoring | None,
    outcome: Outcome | None = None,
) -> Result:
    """One requirement as the scope has it: evaluated on the scope's population, or not assessed."""
    if scope is None:
        return evaluate_requirement(req, ctx, edition, tailoring, outcome)
    scoped = scope.requirements.get(req.id)
    if scoped is None:
        return result_for(req, reason=scope.reason(req.id), in_scope=False)
    result = evaluate_requirement(_with_where(req, scoped.where), ctx, edition, tailoring, outcome)
    result.note = " ".join(filter(None, [scoped.note, result.note]))
    return result


def in_scope(scope: Scope | None, req: Requirement) -> Requirement:
    """The requirement as the scope evaluates it (its population the scope's `where`)."""
    scoped = scope.requirements.get(req.id) if scope else None
    return req if scoped is None else _with_where(req, scoped.where)


def _with_where(req: Requirement, where: list[dict[str, Any]]) -> Requirement:
    return dataclasses.replace(req, check={**req.check, "where": where})


def result_for(req: Requirement, check: dict[str, Any] | None = None, **fields: Any) -> Result:
    """A Result carrying the requirement's own facts (title, citation, threshold…), not yet assessed."""
    check = check if check is not None else req.check
    kind = KINDS[req.kind]
    tailored = check != req.check
    base: dict[str, Any] = {
        "requirement_id": req.id,
        "status": "not_assessed",
        "priority": req.priority,
        "finding": req.finding,
        "repeat": False,
        "population": 0,
        "violations": 0,
        "evidence": [],
        "title": req.title,
        "area": req.area,
        "standard_number": req.standard_number,
        "standard_name": req.standard_name,
        "citation": req.citation,
        "odo_component": req.odo_component,
        "kind": req.kind,
        "type": req.type,
        "confidence": req.confidence,
        "corrective_action": req.corrective_action,
        "population_label": population_label(check),
        "threshold": Threshold(
            text=kind.describe(check),
            unverified=req.unverified_threshold,
            tailored=tailored,
            default_text=kind.describe(req.check) if tailored else None,
            parameters={k: check[k] for k in kind.TUNABLE if k in check},
        ),
    }
    return Result(**(base | fields))


def evaluate_requirement(
    req: Requirement,
    ctx: Context,
    edition: Edition,
    tailoring: Tailoring | None = None,
    outcome: Outcome | None = None,
) -> Result:
    check = tailoring.check_for(req) if tailoring else req.check
    result = result_for(req, check)
    facility_type = ctx.inspection.facility.get("facility_type")
    if facility_type in req.not_applicable_to.get("facility_type", []):
        result.status, result.reason = "not_applicable", f"does not apply to {facility_type} facilities"
        return result
    missing = missing_data(check, ctx)
    if missing:
        result.reason = missing
        return result
    if outcome is not None:  # run already, on these rows among others', and split (engine/many.py)
        return _finish(result, outcome, ctx, edition)
    params = {**check, "requirement_id": req.id} if req.kind == "attestation" else check
    try:
        outcome = KINDS[req.kind].evaluate(params, ctx)
    except Exception as exc:  # a rule must never take the whole audit down
        log.debug("evaluating %s failed", req.id, exc_info=True)
        result.status, result.reason = (
            "error",
            f"the rule could not be evaluated ({type(exc).__name__}: {exc})",
        )
        return result
    return _finish(result, outcome, ctx, edition)


def _finish(result: Result, outcome: Outcome, ctx: Context, edition: Edition) -> Result:
    result.population, result.violations = outcome.population, outcome.violations
    result.indeterminate, result.compliant = outcome.indeterminate, outcome.compliant
    result.absent_columns = outcome.absent_columns
    result.status = outcome.status or status_of(outcome)
    if result.status in ("not_applicable", "not_assessed"):
        result.reason = outcome.empty_reason
    result.note, result.remarks = outcome.note, outcome.remarks
    result.corrected_on_site = outcome.corrected_on_site
    result.finding = outcome.finding or result.finding
    if outcome.population:
        result.extent = Extent(
            violations=outcome.violations,
            population=outcome.population,
            percent=round(100 * outcome.violations / outcome.population, 1),
            tier=extent_tier(outcome.violations, outcome.population, edition.policy),
        )
    result.evidence = (
        outcome.records
        if outcome.records is not None  # split from a run across inspections (engine/many.py)
        else evidence_rows.records(outcome, ctx.inspection, ctx.cache)
    )
    result.evidence_total = len(result.evidence)
    return result


def status_of(outcome: Outcome) -> str:
    """Deficient when one violation is proven; compliant only when every record is proven compliant."""
    if outcome.population == 0:
        return "not_applicable"
    if outcome.violations:
        return "deficient"
    return "indeterminate" if outcome.indeterminate else "compliant"


def missing_data(check: dict[str, Any], ctx: Context) -> str | None:
    """Why a rule cannot be assessed with this inspection's sheets and columns, or None.

    A column named only inside an `any_of` (prohibited's `violation_when` is one) may be absent while
    another part of it can be read: the rule runs, and that part is unknown (docs/verdicts.md).
    """
    inspection = ctx.inspection
    optional = {check.get(p) for p in OPTIONAL_PARAMETERS}
    conditions = check.get("where", []) + check.get("qualifying", [])
    if check.get("violation_when"):
        conditions = [*conditions, {"any_of": check["violation_when"]}]
    optional |= {c.get("to") for c in _flatten(conditions) if "stay_at_least" in c}
    groups = [c["any_of"] for c in conditions if "any_of" in c]
    outside = [c for c in conditions if "any_of" not in c]
    reads = check_columns({**check, "where": outside, "violation_when": [], "qualifying": []})
    # only a `column` part can be unknown for want of its column (conditions.classify); the times an
    # age or a stay is measured at stay required
    inside = {c["column"] for c in _flatten([{"any_of": g} for g in groups]) if "column" in c}
    optional |= inside - set().union(*reads.values())  # named only inside any_of: checked per group below
    for sheet, columns in check_columns(check).items():
        if sheet not in inspection.sheets:
            return f"the {sheet} sheet is missing"
        absent = sorted(c for c in columns - optional if c not in inspection.sheets[sheet].columns)
        if absent:
            return f"the {sheet} sheet has no {', '.join(absent)} column" + ("s" if len(absent) > 1 else "")
    for group in groups:
        unreadable = _unreadable(group, check["sheet"], ctx)
        if unreadable:
            return unreadable
    if any("age_at" in c for c in outside) and not ctx.can_age(check["sheet"]):
        return _no_birth_dates(check["sheet"])
    return None


def _unreadable(group: list[dict[str, Any]], sheet: str, ctx: Context) -> str | None:
    """Why no part of an `any_of` can be read, or None when one can."""
    frame = ctx.inspection.sheets[sheet]
    absent: list[str] = []
    ages = False
    for part in _flatten(group):
        named = [c for c in condition_columns(part) - {part.get("to")} if c not in frame.columns]
        absent += named
        if "age_at" in part and not named and not ctx.can_age(sheet):
            ages = True
        elif not named:
            return None
    absent = list(dict.fromkeys(absent))
    words = []
    if len(absent) == 1:
        words.append(f"the {sheet} sheet has no {absent[0]} column")
    elif absent:
        words.append(f"the {sheet} sheet has none of the columns {', '.join(absent)}")
    if ages:
        words.append(_no_birth_dates(sheet))
    return ", and ".join(words)


def _no_birth_dates(sheet: str) -> str:
    where = sheet + ("" if sheet == "Intake" else " or Intake")
    return f"dates of birth are missing (no date_of_birth in {where})"


def _flatten(conditions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for condition in conditions:
        out += _flatten(condition["any_of"]) if "any_of" in condition else [condition]
    return out


def _date(value: Any) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _facility(inspection: Inspection) -> dict[str, Any]:
    keys = (
        "facility_id",
        "facility_name",
        "facility_type",
        "detention_standard",
        "aor",
        "state",
        "rated_capacity",
        "time_zone",  # the zone its times were read in (the sheet's or its state's), None when unknown
        *("average_daily_population", "custody_levels", "operator", "accreditation"),  # the overview's
    )
    return {k: _iso(inspection.facility.get(k)) for k in keys}


def _inspection(inspection: Inspection) -> dict[str, Any]:
    keys = (
        "inspection_id",
        "inspection_type",
        "inspection_start",
        "inspection_end",
        "review_period_start",
        "review_period_end",
        "lead_inspector",
        "previous_inspection_id",
    )
    return {k: _iso(inspection.facility.get(k)) for k in keys}


__all__ = ["condition_columns", "evaluate", "evaluate_requirement", "missing_data", "result_for"]
