"""The operations users ask for, composed once: the CLI and the web app both call these."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from auditor.contracts.problems import problem
from auditor.contracts.results import Results
from auditor.errors import StandardsError
from auditor.standards.load import available_editions, load_edition
from auditor.standards.model import Edition
from auditor.standards.scopes import Scope, load_scope
from auditor.workbook.inspection import Loaded, load, unknown_checklist_ids
from auditor.workbook.read import read_here

if TYPE_CHECKING:
    from auditor.engine.many import Shared
    from auditor.engine.waivers import WaiverSet


@dataclass
class Audit:
    loaded: Loaded
    results: Results | None  # None when the input has errors: nothing is evaluated on bad data


def validate_inspection(path: str | Path, *, text: bool = True) -> Loaded:
    """Read and validate an inspection: the workbook contract, then what its edition requires
    (`text=False`: without the cells' text once checked, which `auditor sample` reads)."""
    return _checked(load(path, text=text))


def audit_inspections(
    paths: list[Path], *, jobs: int = 2, most: int = 64, json_beside: bool = False
) -> list[Audit]:
    """Several inspections (an importer's folders), each validated and evaluated exactly as
    `audit_inspection` does, in bounded children: `jobs` at a time, at most `most` folders each
    (a child pays its readers' first-use costs once, and stays well inside its time limit).
    `json_beside`: each child also writes each valid folder's results JSON beside it (FOLDER.json,
    one line), in parallel rather than one by one in the caller (an SRMS import's 126: a fifth of it)."""
    from auditor import untrusted

    share = max(1, min(most, -(-len(paths) // max(1, jobs))))
    batches = [list(paths[i : i + share]) for i in range(0, len(paths), share)]
    audits: list[Audit] = []
    for start in range(0, len(batches), jobs):
        rounds = [(batch, json_beside) for batch in batches[start : start + jobs]]
        for done in untrusted.run_each(_audit_here, rounds, what=f"{len(paths)} folders"):
            audits += done
    return audits


def _audit_here(paths: list[Path], json_beside: bool = False) -> list[Audit]:
    """`audit_inspection` of each path in this (bounded) process, without the raw cells and the typed
    frames, which the caller does not need: pickled back, they were half of what the children sent
    and the parent unpickled one child at a time. Each folder is read here, in this bounded child (not
    in one more child forked from it, whose raw cells would be pickled back); alike folders are then
    parsed, validated and evaluated together (workbook/many.py, engine/many.py), each split back to
    what it gives alone."""
    from auditor.engine.many import shared_outcomes
    from auditor.workbook.many import load_many

    loaded = [_checked(one) for one in load_many([read_here(path) for path in paths])]
    valid = [one for one in loaded if one.valid]
    shared = shared_outcomes([(one.inspection, edition_of(one), scope_of(one)) for one in valid])  # type: ignore[misc]
    by_inspection = {id(one): found for one, found in zip(valid, shared, strict=True)}
    audits = [audit_loaded(one, shared=by_inspection.get(id(one))) for one in loaded]
    for path, audit in zip(paths, audits, strict=True):
        if json_beside and audit.results is not None:
            text = audit.results.to_json(indent=None) + "\n"
            path.with_name(f"{path.name}.json").write_text(text, encoding="utf-8")
        audit.loaded.raw.sheets.clear()
        audit.loaded.inspection = dataclasses.replace(audit.loaded.inspection, sheets={}, date_only={})
    return audits


def _checked(loaded: Loaded) -> Loaded:
    """Add what the facility's edition requires of the workbook (Checklist ids it knows)."""
    edition = edition_of(loaded)
    if edition is not None:
        loaded.add(unknown_checklist_ids(loaded, edition.observation_ids()))
    return loaded


def validation_json(path: str | Path, loaded: Loaded) -> dict:
    """The documented JSON form of a validation (docs/validation-json.md): CLI and web API alike."""
    problems = loaded.problems
    records = problems.records()
    for rec in records:
        rec["ref"] = f"{rec['sheet']}!{rec['cell']}" if rec["cell"] else rec["sheet"]
    return {
        "schema_version": "1",
        "file": str(path),
        "valid": not problems.has_errors,
        "errors": problems.errors,
        "warnings": problems.warnings,
        "problems": records,
    }


def scope_of(loaded: Loaded) -> Scope | None:
    """The scope the Facility sheet names, or None for a full inspection."""
    name = loaded.inspection.facility.get("scope")
    return load_scope(name) if name else None


def edition_of(loaded: Loaded) -> Edition | None:
    """The facility's edition (in a scope, the scope's when the sheet names none); an edition with
    no standards files becomes a Problem at its cell."""
    name = loaded.inspection.facility.get("detention_standard")
    if name is None:
        scope = scope_of(loaded)
        return load_edition(scope.edition_when_unknown) if scope else None
    try:
        return load_edition(name)
    except StandardsError as exc:
        if name in available_editions():
            raise
        row = loaded.inspection.facility_rows.get("detention_standard")
        loaded.add(
            [
                problem(
                    "unknown_edition",
                    str(exc).replace("there is no", "this tool has no"),
                    sheet="Facility",
                    column="detention_standard",
                    cell=f"B{row}" if row else None,
                    row=row,
                    value=name,
                    expected="an edition with standards files: " + ", ".join(available_editions()),
                )
            ]
        )
        return None


def audit_inspection(
    path: str | Path,
    *,
    tailoring: str | Path | None = None,
    waivers: str | Path | None = None,
    previous: str | Path | None = None,
    waiver_set: WaiverSet | None = None,
) -> Audit:
    """Validate, then evaluate every requirement of the facility's edition.

    Waivers come from a file (`waivers`) or, already loaded, as a `waiver_set` (the web app keeps
    them in its database); both together are refused.
    """
    loaded = validate_inspection(path, text=False)  # its text is not needed: at 1M admissions, 1.2 GB
    loaded.raw.sheets.clear()
    return audit_loaded(
        loaded,
        tailoring=tailoring,
        waivers=waivers,
        previous=previous,
        waiver_set=waiver_set,
    )


def audit_loaded(
    loaded: Loaded,
    *,
    tailoring: str | Path | None = None,
    waivers: str | Path | None = None,
    previous: str | Path | None = None,
    waiver_set: WaiverSet | None = None,
    shared: Shared | None = None,
) -> Audit:
    """Evaluate an inspection `validate_inspection` has loaded (the web app reads its Facility
    sheet in between, to find the facility's previous results); `shared`: rules already run on its
    rows with other inspections' (engine/many.py)."""
    from auditor.configs.previous import load_previous
    from auditor.configs.tailoring import load_tailoring
    from auditor.configs.waivers import load_waivers
    from auditor.engine.evaluate import evaluate
    from auditor.sampling.summary import sample_summaries

    if waivers and waiver_set is not None:
        raise ValueError("give waivers as a file or as a WaiverSet, not both")
    if not loaded.valid:
        return Audit(loaded, None)
    inspection = loaded.inspection
    edition = edition_of(loaded)
    assert edition is not None  # a valid inspection names one, or is in a scope that does
    facility_id = str(inspection.facility["facility_id"])
    results = evaluate(
        inspection,
        edition,
        scope=scope_of(loaded),
        tailoring=load_tailoring(tailoring, edition, facility_id) if tailoring else None,
        waivers=load_waivers(waivers) if waivers else waiver_set,
        previous=load_previous(previous, facility_id) if previous else None,
        shared=None if tailoring else shared,
    )
    results.samples = sample_summaries(inspection)  # file reviews by sample, beside the verdicts
    return Audit(loaded, results)


def results_of(
    path: str | Path,
    *,
    tailoring: str | Path | None = None,
    waivers: str | Path | None = None,
    previous: str | Path | None = None,
) -> Audit:
    """Results from a results JSON as they are, or from an inspection by auditing it."""
    from auditor.contracts.results import looks_like_results
    from auditor.errors import ConfigError

    if looks_like_results(path):
        if tailoring or waivers or previous:
            raise ConfigError(
                f"{path} is a results file: tailoring, waivers and previous results apply when auditing "
                "the inspection workbook itself"
            )
        return Audit(loaded=None, results=Results.read(path))  # type: ignore[arg-type]
    return audit_inspection(path, tailoring=tailoring, waivers=waivers, previous=previous)
