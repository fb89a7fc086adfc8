"""Evidence rows as reports show them: sheet, Excel row, cells (A1 reference and value), detail.

Identifiers are masked to their last 4 characters and dates of birth hidden, here, once,
so no report or results file can show them.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from auditor.engine.outcome import Outcome
from auditor.results import Evidence
from auditor.workbook import declarations as decl
from auditor.workbook.inspection import Inspection

ID_COLUMNS = {
    "Intake": ["detainee_id", "arrival"],
    "Placements": ["placement_id", "detainee_id", "kind"],
    "Checks": ["placement_id"],
    "UseOfForce": ["incident_id", "kind", "occurred"],
    "Grievances": ["grievance_id", "kind", "received"],
    "FoodTemps": ["recorded", "location", "item", "kind"],
    "Housing": ["unit_id"],
    "Staff": ["staff_id", "role"],
    "Activities": ["unit_id", "date"],
    "SafetyLog": ["date", "area", "event"],
    "Checklist": ["requirement_id"],
}
MASKED_DATE = "****-**-**"


def mask_ids(values: pd.Series) -> pd.Series:
    """'A12345678' → '****5678'; identifiers of 4 characters or fewer are hidden entirely."""
    text = values.astype("string")
    masked = "****" + text.str[-4:]
    return masked.where(text.str.len() > 4, "****").where(text.notna(), "")


def formatted(values: pd.Series, column: decl.Column | None) -> pd.Series:
    """Typed cells as text, the way the inspector would read them back."""
    if column is not None and column.personal:
        if column.kind in (decl.Kind.DATE, decl.Kind.DATETIME):
            return pd.Series(np.where(values.notna(), MASKED_DATE, ""), index=values.index, dtype=object)
        return mask_ids(values).astype(object)
    if pd.api.types.is_datetime64_any_dtype(values):
        pattern = "%Y-%m-%d" if column is not None and column.kind is decl.Kind.DATE else "%Y-%m-%d %H:%M"
        return values.dt.strftime(pattern).astype(object).where(values.notna(), "")
    if pd.api.types.is_bool_dtype(values):
        return values.map({True: "TRUE", False: "FALSE"}).astype(object).where(values.notna(), "")
    if pd.api.types.is_float_dtype(values):
        return values.map(lambda v: "" if pd.isna(v) else f"{v:g}").astype(object)
    return values.astype(object).where(values.notna(), "").map(str)


def records(outcome: Outcome, inspection: Inspection) -> list[Evidence]:
    """The outcome's evidence, in sheet and row order, cells formatted and masked."""
    out: list[Evidence] = []
    frame = outcome.evidence
    if frame.empty:
        return out
    for sheet, group in frame.groupby("sheet", sort=False):
        if sheet == "Facility":
            out += _facility(group, outcome, inspection)
            continue
        out += _sheet(sheet, group, outcome, inspection)
    return out


def _sheet(sheet: str, group: pd.DataFrame, outcome: Outcome, inspection: Inspection) -> list[Evidence]:
    data = inspection.sheets[sheet]
    declared = decl.SHEETS_BY_NAME.get(sheet)
    letters = inspection.letters.get(sheet, {})
    wanted = ID_COLUMNS.get(sheet, []) + outcome.cells.get(sheet, [])
    columns = [c for c in dict.fromkeys(wanted) if c in data.columns]
    group = group.sort_values("row", na_position="last", kind="stable")
    rows = group["row"]
    present = rows.notna().to_numpy()
    located = rows[present].astype("int64").to_numpy()
    texts = {
        c: formatted(
            data.loc[located, c], declared.column(c) if declared and c in declared.column_names else None
        ).to_numpy()
        for c in columns
    }
    result = []
    position = 0
    for has_row, row, detail in zip(present, rows.to_numpy(), group["detail"].to_numpy(), strict=True):
        if not has_row:
            result.append(Evidence(sheet=sheet, row=None, cells=[], detail=str(detail)))
            continue
        r = int(row)
        cells = [
            {"column": c, "ref": f"{letters.get(c, '?')}{r}", "value": texts[c][position]} for c in columns
        ]
        result.append(Evidence(sheet=sheet, row=r, cells=cells, detail=str(detail)))
        position += 1
    return result


def _facility(group: pd.DataFrame, outcome: Outcome, inspection: Inspection) -> list[Evidence]:
    result = []
    for row, detail in zip(group["row"], group["detail"], strict=True):
        cells: list[dict[str, Any]] = []
        for name in outcome.cells.get("Facility", []):
            where = inspection.facility_rows.get(name)
            if where is not None:
                cells.append(
                    {"column": name, "ref": f"B{where}", "value": str(inspection.facility.get(name))}
                )
        result.append(
            Evidence(sheet="Facility", row=None if pd.isna(row) else int(row), cells=cells, detail=detail)
        )
    return result
