"""Evidence rows as reports show them: sheet, Excel row, cells (A1 reference and value), detail.

Identifiers are masked to their last 4 characters and dates of birth hidden, here, once,
so no report or results file can show them.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import pandas as pd

from auditor.contracts.inspection import Inspection
from auditor.contracts.results import Evidence
from auditor.engine.outcome import VIOLATION, Outcome, day, stamp
from auditor.workbook import declarations as decl

ID_COLUMNS = {
    "Intake": ["detainee_id", "arrival"],
    "Placements": ["placement_id", "detainee_id", "kind"],
    "Checks": ["placement_id"],
    "HungerStrikes": ["hunger_strike_id", "detainee_id", "started"],
    "Allegations": ["allegation_id", "detainee_id", "received"],
    "UseOfForce": ["incident_id", "kind", "occurred"],
    "Grievances": ["grievance_id", "kind", "received"],
    "SickCall": ["request_id", "detainee_id", "requested"],
    "Requests": ["request_id", "detainee_id", "received"],
    "Restraints": ["restraint_id", "detainee_id", "kind", "applied"],
    "Searches": ["search_id", "detainee_id", "kind", "conducted"],
    "Incidents": ["incident_id", "kind", "occurred"],
    "FoodTemps": ["recorded", "location", "item", "kind"],
    "Housing": ["unit_id"],
    "Staff": ["staff_id", "role"],
    "Activities": ["unit_id", "date"],
    "SafetyLog": ["date", "area", "event"],
    "Checklist": ["requirement_id"],
}
MASKED_DATE = "****-**-**"


SMALL = 2_000  # evidence rows of a sheet below which a Python loop beats pandas' string methods


def mask_ids(values: pd.Series) -> pd.Series:
    """'A12345678' → '****5678'; identifiers of 4 characters or fewer are hidden entirely."""
    if len(values) < SMALL:  # pandas' string methods cost ~2.5 ms a call: an SRMS folder pays 8 a rule
        return pd.Series([_masked(v) for v in values.tolist()], index=values.index, dtype=object)
    text = values.astype("string")
    masked = "****" + text.str[-4:]
    return masked.where(text.str.len() > 4, "****").where(text.notna(), "")


def _masked(value: Any) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    text = str(value)
    return "****" + text[-4:] if len(text) > 4 else "****"


def formatted(
    values: pd.Series,
    column: decl.Column | None,
    zone: str | None = None,
    calendar: bool = False,
    date_only: np.ndarray | None = None,
) -> pd.Series:
    """Typed cells as text, the way the inspector would read them back: an instant (held in UTC) on
    the facility's clock (`zone`), a date cell (`calendar`, or a DATE column) as its day, and a
    datetime written as a bare date (`date_only`, per value) as the facility's day it names."""
    if column is not None and column.personal:
        if column.kind in (decl.Kind.DATE, decl.Kind.DATETIME):
            return pd.Series(np.where(values.notna(), MASKED_DATE, ""), index=values.index, dtype=object)
        return mask_ids(values).astype(object)
    if pd.api.types.is_datetime64_any_dtype(values):
        if calendar or (column is not None and column.kind is decl.Kind.DATE):
            return day(values)
        text = stamp(values, zone)
        if date_only is not None and date_only.any():
            text[date_only] = day(values[date_only], zone)
        return text
    if pd.api.types.is_bool_dtype(values):
        return values.map({True: "TRUE", False: "FALSE"}).astype(object).where(values.notna(), "")
    if pd.api.types.is_float_dtype(values):
        return values.map(lambda v: "" if pd.isna(v) else f"{v:g}").astype(object)
    if isinstance(values.dtype, pd.StringDtype):  # text as read: no str() per cell
        return values.fillna("").astype(object)
    return values.astype(object).where(values.notna(), "").map(str)


def records(outcome: Outcome, inspection: Inspection, texts: dict[Any, Any] | None = None) -> list[Evidence]:
    """The outcome's evidence, in sheet and row order, cells formatted and masked. `texts` keeps each
    column's cells once formatted, for the next requirement showing the same rows (Context.cache)."""
    out: list[Evidence] = []
    frame = outcome.evidence
    if frame.empty:
        return out
    if "verdict" not in frame:
        frame = frame.assign(verdict=VIOLATION)
    texts = {} if texts is None else texts
    for sheet, group in frame.groupby("sheet", sort=False):
        if sheet == "Facility":
            out += _facility(group, outcome, inspection)
            continue
        out += _sheet(sheet, group, outcome, inspection, texts)
    return out


def _sheet(
    sheet: str, group: pd.DataFrame, outcome: Outcome, inspection: Inspection, cache: dict[Any, Any]
) -> list[Evidence]:
    data = inspection.sheets[sheet]
    declared = decl.SHEETS_BY_NAME.get(sheet)
    letters = inspection.letters.get(sheet, {})
    wanted = ID_COLUMNS.get(sheet, []) + outcome.cells.get(sheet, [])
    columns = [c for c in dict.fromkeys(wanted) if c in data.columns]
    # rows before row-less gaps; the proven violations before the records the data cannot decide
    no_row = group["row"].isna().to_numpy()
    order = np.lexsort(
        (group["row"].fillna(0).to_numpy(dtype="int64"), (group["verdict"] != VIOLATION).to_numpy(), no_row)
    )
    group = group.iloc[order]
    rows = group["row"]
    present = rows.notna().to_numpy()
    located = rows[present].astype("int64").to_numpy()
    positions = data.index.get_indexer(located)  # once for every column
    texts = [_cells(inspection, sheet, c, positions, declared, cache) for c in columns]
    details = [str(d) for d in group["detail"].tolist()]
    verdicts = group["verdict"].tolist()
    with _without_gc():
        rows_text = [str(r) for r in located.tolist()]
        # each column's cells built in one pass over its rows, then gathered row by row
        per_column = [
            [{"column": c, "ref": ref + r, "value": v} for r, v in zip(rows_text, text, strict=True)]
            for c, ref, text in zip(columns, (letters.get(c, "?") for c in columns), texts, strict=True)
        ]
        cells = [list(row) for row in zip(*per_column, strict=True)] if columns else [[] for _ in rows_text]
        result = [
            Evidence(sheet, r, row_cells, detail, verdict)
            for r, row_cells, detail, verdict in zip(located.tolist(), cells, details, verdicts, strict=False)
        ]
        result += [
            Evidence(sheet=sheet, row=None, cells=[], detail=d, verdict=v)
            for d, v in zip(details[len(located) :], verdicts[len(located) :], strict=True)
        ]
    return result


@contextmanager
def _without_gc() -> Iterator[None]:
    """The cyclic collector paused while evidence rows are built: tens of thousands of dicts that
    hold no cycle, whose allocation would otherwise make it walk the growing heap again and again (a
    third of the time spent here). Left as found: only the caller that paused it resumes it."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def _cells(
    inspection: Inspection,
    sheet: str,
    column: str,
    positions: np.ndarray,
    declared: decl.Sheet | None,
    cache: dict[Any, Any],
) -> list[str]:
    """One column's cells of the evidence rows (at `positions` of the sheet) as text, times on the
    facility's clock. Each cell is formatted once per evaluation: requirements on one sheet show
    many of the same rows (an admission's id and arrival in every intake finding)."""
    values = inspection.sheets[sheet][column]
    key = ("evidence text", sheet, column)
    if key not in cache:
        cache[key] = (np.empty(len(values), dtype=object), np.zeros(len(values), dtype=bool))
    text, done = cache[key]
    todo = np.unique(positions[~done[positions]])
    if len(todo):
        marks = inspection.date_only.get(sheet, {}).get(column)
        text[todo] = formatted(
            values.iloc[todo],
            declared.column(column) if declared and column in declared.column_names else None,
            inspection.time_zone,
            column in inspection.day_columns.get(sheet, ()),
            marks[todo] if marks is not None else None,
        ).to_numpy(dtype=object)
        done[todo] = True
    return text[positions].tolist()


def _facility(group: pd.DataFrame, outcome: Outcome, inspection: Inspection) -> list[Evidence]:
    result = []
    for row, detail, verdict in zip(group["row"], group["detail"], group["verdict"], strict=True):
        cells: list[dict[str, Any]] = []
        for name in outcome.cells.get("Facility", []):
            where = inspection.facility_rows.get(name)
            if where is not None:
                cells.append(
                    {"column": name, "ref": f"B{where}", "value": str(inspection.facility.get(name))}
                )
        result.append(
            Evidence(
                sheet="Facility",
                row=None if pd.isna(row) else int(row),
                cells=cells,
                detail=detail,
                verdict=verdict,
            )
        )
    return result
