"""Many inspections evaluated as one (an importer's hundred facility folders of a hundred rows each):
each rule that decides every row alone runs once on all their rows, and its outcome is split back
per inspection, so that a pandas call's fixed cost is paid once rather than once per facility.

Only kinds whose verdict on a row depends on that row alone, and on what the inspections evaluated
together share (their edition, scope, zone, review period and columns: the group's key), are run
across inspections: `deadline`, and `segregation_notices` when every row is a report (an SRMS export:
each report evaluated as `deadline` evaluates it). Such an outcome gives per-row masks (`Outcome.rows`)
and the words of any part of its rows (`Outcome.words`), which split it. A kind that joins rows (a
detainee's placement histories, the gaps between checks, counts per day or per unit) never runs
across inspections: one facility's rows could join another's. Each inspection is then evaluated by
`evaluate` as alone, with the split outcomes in place of running those rules again: its Results are
what it gives alone (tests/engine/test_engine_many.py, tests/imports/test_srms_batch.py).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from auditor.contracts.inspection import Inspection
from auditor.contracts.results import Evidence
from auditor.engine import evidence as evidence_rows
from auditor.engine.context import Context
from auditor.engine.evaluate import in_scope, missing_data
from auditor.engine.kinds import KINDS
from auditor.engine.outcome import Outcome, none
from auditor.standards.model import Edition, check_columns
from auditor.standards.scopes import Scope

BY_ROW = frozenset({"deadline", "segregation_notices"})  # kinds that decide each row alone


@dataclass
class Shared:
    """What an inspection takes from the run across alike ones: the outcomes of the rules run once, by
    requirement id, and its Context's cache seeded with the text of the cells their evidence shows
    (formatted once for all: a cell's text reads only the cell, its column, the zone and its mark)."""

    outcomes: dict[str, Outcome] = field(default_factory=dict)
    cache: dict[Any, Any] = field(default_factory=dict)


def shared_outcomes(items: list[tuple[Inspection, Edition, Scope | None]]) -> list[Shared]:
    """For each (inspection, its edition, its scope): what the rules run once across it and the
    inspections alike give it (nothing for an inspection alone in its group). Without tailoring: a
    tailored threshold is one facility's."""
    out = [Shared() for _ in items]
    groups: dict[tuple[Any, ...], list[int]] = {}
    for i, (inspection, edition, scope) in enumerate(items):
        groups.setdefault(_key(inspection, edition, scope), []).append(i)
    for members in groups.values():
        if len(members) < 2:
            continue
        inspections = [items[i][0] for i in members]
        _, edition, scope = items[members[0]]
        ctx = Context(_joined(inspections))
        for req in edition.requirements.values():
            if scope is not None and req.id not in scope.requirements:
                continue
            check = in_scope(scope, req).check
            if req.kind not in BY_ROW or not _one_sheet(check) or missing_data(check, ctx):
                continue
            try:
                outcome = KINDS[req.kind].evaluate(check, ctx)
            except Exception:  # each inspection runs the rule alone, and says what failed
                continue
            if not _splits(outcome, check["sheet"]):
                continue
            # the evidence as records once for all (each cell formatted once), then split
            shown = evidence_rows.records(outcome, ctx.inspection, ctx.cache)
            for i, part in zip(members, _split(outcome, shown, inspections, check["sheet"]), strict=True):
                out[i].outcomes[req.id] = part
        for k, i in enumerate(members):
            out[i].cache = _texts_of(ctx.cache, inspections, k)
    return out


def _records_of(shown: list[Evidence], inspections: list[Inspection], sheet: str) -> list[list[Evidence]]:
    """Each inspection's evidence records from the joined ones (rows by position in the joined sheet):
    its own Excel rows, and cell references (column letter and row, as evidence.records writes them)
    to them. evidence.records orders violations then undecided records, each by row: the joined
    order, taken facility by facility, is each facility's own."""
    bounds = np.cumsum([0, *(len(x.sheets[sheet]) for x in inspections)])
    positions = np.array([record.row for record in shown], dtype=np.int64)  # _splits refused row-less ones
    owners = (np.searchsorted(bounds, positions, side="right") - 1).tolist()
    excel_rows = np.concatenate([x.sheets[sheet].index.to_numpy() for x in inspections])[positions].tolist()
    letters = [x.letters.get(sheet, {}) for x in inspections]
    out: list[list[Evidence]] = [[] for _ in inspections]
    for record, k, row in zip(shown, owners, excel_rows, strict=True):
        cells = [{**cell, "ref": f"{letters[k].get(cell['column'], '?')}{row}"} for cell in record.cells]
        out[k].append(Evidence(record.sheet, row, cells, record.detail, record.verdict))
    return out


def _texts_of(cache: dict[Any, Any], inspections: list[Inspection], k: int) -> dict[Any, Any]:
    """Inspection k's part of the evidence text formatted on the joined sheets (evidence._cells: by
    key ("evidence text", sheet, column), the text and whether it is done, by position in the sheet)."""
    out: dict[Any, Any] = {}
    for key, value in cache.items():
        if not (isinstance(key, tuple) and len(key) == 3 and key[0] == "evidence text"):
            continue
        sheet = key[1]
        start = sum(len(x.sheets[sheet]) for x in inspections[:k])
        at = slice(start, start + len(inspections[k].sheets[sheet]))
        text, done = value
        out[key] = (text[at].copy(), done[at].copy())
    return out


def _key(inspection: Inspection, edition: Edition, scope: Scope | None) -> tuple[Any, ...]:
    """What a row's verdict reads besides the row: the rules, the zone, the review period, the form
    (every sheet's columns and their types)."""
    facility = inspection.facility
    form = tuple(
        (name, tuple(frame.columns), tuple(str(t) for t in frame.dtypes))
        for name, frame in inspection.sheets.items()
    )
    period = (str(facility.get("review_period_start")), str(facility.get("review_period_end")))
    return (edition.name, edition.sha256, scope.id if scope else None, inspection.time_zone, period, form)


def _one_sheet(check: dict[str, Any]) -> bool:
    """The rule reads one sheet and no age (an age may come from another sheet, by detainee_id)."""
    return len(check_columns(check)) == 1 and not _has_age(check)


def _has_age(value: Any) -> bool:
    if isinstance(value, dict):
        return "age_at" in value or any(_has_age(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_age(v) for v in value)
    return False


def _joined(inspections: list[Inspection]) -> Inspection:
    """One inspection of every row of the given ones, sheet by sheet, indexed by position (0, 1, …)."""
    sheets, date_only = {}, {}
    for name in inspections[0].sheets:
        frames = [x.sheets[name] for x in inspections]
        sheets[name] = pd.concat(frames, ignore_index=True)
        columns = dict.fromkeys(c for x in inspections for c in x.date_only.get(name, {}))
        if columns:
            date_only[name] = {
                c: np.concatenate(
                    [
                        x.date_only.get(name, {}).get(c, np.zeros(len(f), dtype=bool))
                        for x, f in zip(inspections, frames, strict=True)
                    ]
                )
                for c in columns
            }
    return dataclasses.replace(inspections[0], sheets=sheets, date_only=date_only)


def _splits(outcome: Outcome, sheet: str) -> bool:
    """Whether the outcome gives its rows' masks and words, and every evidence row is a row of `sheet`."""
    shown = outcome.evidence
    return (
        outcome.rows is not None
        and outcome.words is not None
        and not shown["row"].isna().any()
        and bool((shown["sheet"] == sheet).all())
    )


def _split(
    outcome: Outcome, shown: list[Evidence], inspections: list[Inspection], sheet: str
) -> list[Outcome]:
    """Each inspection's part of an outcome over all their rows, its evidence given as records (`shown`,
    the joined outcome's, split); the evidence frame, which only records() reads, is left empty."""
    assert outcome.rows is not None and outcome.words is not None  # _splits
    bounds = np.cumsum([0, *(len(x.sheets[sheet]) for x in inspections)])
    empty = none()  # one for all: records() never reads a frame whose records are given
    parts = []
    for k, records in enumerate(_records_of(shown, inspections, sheet)):
        rows = slice(bounds[k], bounds[k + 1])
        counts = {name: int(mask[rows].sum()) for name, mask in outcome.rows.items()}
        note, empty_reason = outcome.words(counts)
        parts.append(
            dataclasses.replace(
                outcome,
                population=counts["population"],
                violations=counts["violation"],
                indeterminate=counts["indeterminate"],
                evidence=empty,
                records=records,
                cells={name: list(columns) for name, columns in outcome.cells.items()},
                note=note,
                empty_reason=empty_reason,
                absent_columns=list(outcome.absent_columns),
                rows=None,
                words=None,
            )
        )
    return parts
