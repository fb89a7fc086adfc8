"""Load an inspection: read, parse and validate, giving typed sheets and every Problem."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from auditor.errors import WorkbookError
from auditor.workbook import declarations as decl
from auditor.workbook.parse import parse_column, parse_sheet
from auditor.workbook.problems import Problems, cell_problems, problem
from auditor.workbook.read import RawWorkbook, read
from auditor.workbook.validate import (
    checks_outside_placements,
    conditional_required,
    pandera_column,
    references,
    row_order,
    validate_sheet,
)

SHEET_ORDER = [s.name for s in decl.SHEETS]


@dataclass
class Inspection:
    """A read, typed and validated inspection. Sheet frames are indexed by Excel row number."""

    source: Path
    format: str
    facility: dict[str, Any]
    facility_rows: dict[str, int]
    sheets: dict[str, pd.DataFrame]
    letters: dict[str, dict[str, str]]
    inputs: list[tuple[str, str]] = field(default_factory=list)

    @property
    def review_start(self) -> pd.Timestamp:
        return pd.Timestamp(self.facility["review_period_start"])

    @property
    def review_end(self) -> pd.Timestamp:
        """The last instant of the review period (end of its last day)."""
        return pd.Timestamp(self.facility["review_period_end"]) + pd.Timedelta(days=1) - pd.Timedelta(
            microseconds=1
        )

    @property
    def inspection_start(self) -> pd.Timestamp:
        return pd.Timestamp(self.facility["inspection_start"])

    def has(self, sheet: str, *columns: str) -> bool:
        return sheet in self.sheets and all(c in self.sheets[sheet].columns for c in columns)


@dataclass
class Loaded:
    """What loading gives: the inspection (even when invalid) and its problems."""

    inspection: Inspection
    problems: Problems
    raw: RawWorkbook

    @property
    def valid(self) -> bool:
        return not self.problems.has_errors


def load(path: str | Path, checklist_ids: set[str] | None = None) -> Loaded:
    """Read, parse and validate an inspection. Raises WorkbookError only when it cannot be read."""
    raw = read(path)
    if raw.facility is None:
        raise WorkbookError(
            f"{raw.path}: there is no Facility sheet; every inspection needs one "
            "(column A the field names, column B their values)"
        )
    parts = list(raw.problems)
    facility, facility_rows = _facility(raw, parts)
    frames: dict[str, pd.DataFrame] = {}
    for name, sheet in raw.sheets.items():
        declared = decl.sheet(name)
        frame, parse_problems = parse_sheet(sheet, declared)
        frames[name] = frame
        parts += parse_problems
        parts += validate_sheet(frame, sheet, declared)
        parts += conditional_required(frame, sheet, declared)
        parts += row_order(frame, sheet, declared)
    for name in frames:
        parts += references(frames, raw.sheets, decl.sheet(name))
    parts += checks_outside_placements(frames, raw.sheets)
    if checklist_ids is not None and "Checklist" in frames:
        parts += _unknown_checklist_ids(frames["Checklist"], raw, checklist_ids)
    inspection = Inspection(
        source=raw.path, format=raw.format, facility=facility, facility_rows=facility_rows,
        sheets=frames, letters={n: s.letters for n, s in raw.sheets.items()}, inputs=raw.inputs,
    )
    return Loaded(inspection, Problems.collect(parts, SHEET_ORDER), raw)


def _facility(raw: RawWorkbook, parts: list[pd.DataFrame]) -> tuple[dict[str, Any], dict[str, int]]:
    fields = raw.facility
    values: dict[str, Any] = {}
    rows: dict[str, int] = {}
    for column in decl.FACILITY.columns:
        if column.name not in fields.index or fields.loc[column.name, "value"] is None:
            values[column.name] = None
            if column.required:
                where = fields.loc[column.name, "row"] if column.name in fields.index else None
                parts.append(
                    problem(
                        "required",
                        f"the Facility field {column.name!r} is required"
                        + ("" if where is not None else "; add a row with it in column A and its value in column B"),
                        sheet="Facility", column=column.name,
                        cell=f"B{where}" if where is not None else None, row=where,
                        expected=column.expected,
                    )
                )
            continue
        row = int(fields.loc[column.name, "row"])
        rows[column.name] = row
        text = pd.Series([fields.loc[column.name, "value"]], index=[row], dtype="string")
        parsed, bad, (code, message) = parse_column(text, column)
        if bad is not None and bad.any():
            parts.append(
                cell_problems(
                    sheet="Facility", column=column.name, letter="B", rows=[row], values=text,
                    code=code, message=message if isinstance(message, str) else message,
                    expected=column.expected,
                )
            )
            values[column.name] = None
            continue
        failures = _field_failures(parsed, column)
        if failures:
            parts.append(
                cell_problems(
                    sheet="Facility", column=column.name, letter="B", rows=[row], values=text,
                    code=failures, message="not one of the allowed values" if failures == "not_allowed"
                    else "out of the allowed range", expected=column.expected,
                )
            )
        value = parsed.iloc[0]
        values[column.name] = None if pd.isna(value) else _scalar(value)
    for earlier, later, meaning in decl.FACILITY.order:
        first, second = values.get(earlier), values.get(later)
        if first is not None and second is not None and second < first:
            parts.append(
                problem(
                    "out_of_order", f"{meaning}: {later} is earlier than {earlier} ({first})",
                    sheet="Facility", column=later, cell=f"B{rows[later]}", row=rows[later],
                    value=str(second), expected=f"no earlier than {earlier}",
                )
            )
    return values, rows


def _field_failures(parsed: pd.Series, column: decl.Column) -> str | None:
    try:
        pandera_column(column).set_name(column.name).validate(parsed.to_frame(column.name))
    except Exception as exc:  # pandera's SchemaError: isin or range
        return "not_allowed" if "isin" in str(exc) else "out_of_range"
    return None


def _scalar(value: Any) -> Any:
    if isinstance(value, pd.Timestamp):
        return value.date() if value == value.normalize() else value.to_pydatetime()
    if hasattr(value, "item"):
        return value.item()
    return value


def _unknown_checklist_ids(frame: pd.DataFrame, raw: RawWorkbook, known: set[str]) -> list[pd.DataFrame]:
    if "requirement_id" not in frame:
        return []
    ids = frame["requirement_id"]
    unknown = ids.notna() & ~ids.isin(known)
    if not unknown.any():
        return []
    rows = frame.index[unknown.to_numpy()]
    return [
        cell_problems(
            sheet="Checklist", column="requirement_id", letter=raw.sheets["Checklist"].letters["requirement_id"],
            rows=rows, values=ids[unknown], code="unknown_requirement",
            message="not an observation requirement of this facility's edition",
            expected="an observation requirement id (see the README sheet of the template)",
        )
    ]


def as_date(value: Any) -> dt.date | None:
    if value is None:
        return None
    return value if isinstance(value, dt.date) and not isinstance(value, dt.datetime) else value.date()
