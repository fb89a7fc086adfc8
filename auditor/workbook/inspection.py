"""Load an inspection: read, parse and validate, giving typed sheets and every Problem."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from auditor.contracts.inspection import Inspection
from auditor.contracts.problems import Problems, cell_problems
from auditor.errors import WorkbookError
from auditor.workbook import declarations as decl
from auditor.workbook.facility_sheet import facility_fields
from auditor.workbook.parse import parse_sheet
from auditor.workbook.read import RawSheet, RawWorkbook, read
from auditor.workbook.sample_checks import sample_problems
from auditor.workbook.suggest import hints, with_suggestions
from auditor.workbook.validate import (
    checks_outside_placements,
    conditional_required,
    events_after_period,
    events_after_release,
    references,
    row_order,
    validate_sheet,
)
from auditor.workbook.zones import facility_zone

SHEET_ORDER = [s.name for s in decl.SHEETS]
BARE_DATE_LENGTH = len("2025-03-01")


@dataclass
class Loaded:
    """What loading gives: the inspection (even when invalid) and its problems."""

    inspection: Inspection
    problems: Problems
    raw: RawWorkbook

    @property
    def valid(self) -> bool:
        return not self.problems.has_errors

    def add(self, parts: list[pd.DataFrame]) -> None:
        """Add problems found by a later check (the standards-aware ones)."""
        if any(len(p) for p in parts):
            self.problems = Problems.collect([self.problems.frame, *parts], SHEET_ORDER)


def load(path: str | Path) -> Loaded:
    """Read, parse and validate an inspection. Raises WorkbookError only when it cannot be read."""
    return load_raw(read(path))


def load_raw(raw: RawWorkbook) -> Loaded:
    """Parse and validate an inspection as read (bytes are read once; everything after works on this)."""
    if raw.facility is None:
        raise WorkbookError(
            f"{raw.path}: there is no Facility sheet; every inspection needs one "
            "(column A the field names, column B their values)"
        )
    parts = list(raw.problems)
    facility, facility_rows = facility_fields(raw.facility, parts)
    # before any sheet is parsed: naive times are the facility's local time, converted to UTC
    facility["time_zone"], zone_problems = facility_zone(facility, facility_rows, _has_times(raw))
    parts += zone_problems
    frames: dict[str, pd.DataFrame] = {}
    for name, sheet in raw.sheets.items():
        declared = decl.sheet(name)
        frame, parse_problems = parse_sheet(sheet, declared, facility["time_zone"])
        frames[name] = frame
        parts += parse_problems
        parts += validate_sheet(frame, sheet, declared)
        parts += conditional_required(frame, sheet, declared)
        parts += row_order(frame, sheet, declared, facility["time_zone"])
    for name in frames:
        parts += references(frames, raw.sheets, decl.sheet(name))
    parts += checks_outside_placements(frames, raw.sheets, facility["time_zone"])
    parts += events_after_period(frames, raw.sheets, facility.get("review_period_end"), facility["time_zone"])
    parts += events_after_release(frames, raw.sheets, facility["time_zone"])
    parts += sample_problems(frames, raw.sheets)
    inspection = Inspection(
        source=raw.path,
        format=raw.format,
        facility=facility,
        facility_rows=facility_rows,
        sheets=frames,
        letters={n: s.letters for n, s in raw.sheets.items()},
        inputs=raw.inputs,
        date_only=date_only_cells(frames, raw.sheets),
        day_columns={
            name: frozenset(
                c.name for c in decl.sheet(name).columns if c.kind is decl.Kind.DATE and c.name in frame
            )
            for name, frame in frames.items()
        },
    )
    parts = [with_suggestions(part) for part in parts]  # "did you mean" for values outside closed lists
    return Loaded(inspection, Problems.collect(parts, SHEET_ORDER), raw)


def _has_times(raw: RawWorkbook) -> bool:
    """Whether any datetime cell is filled (a blank template has no time to read in a zone)."""
    for name, sheet in raw.sheets.items():
        for column in decl.sheet(name).columns:
            filled = column.name in sheet.frame and sheet.frame[column.name].notna().any()
            if column.kind is decl.Kind.DATETIME and filled:
                return True
    return False


def date_only_cells(
    frames: dict[str, pd.DataFrame], raw: dict[str, RawSheet] | None = None
) -> dict[str, dict[str, np.ndarray]]:
    """The cells known only to the day: every cell of the date columns the contract declares, and
    the cells of datetime columns written as a bare date (text `2025-03-01`, when `raw` is given).

    An Excel date cell reaches us as date and time (00:00) whatever its number format, so only
    text tells a date from a midnight."""
    out: dict[str, dict[str, np.ndarray]] = {}
    for name, frame in frames.items():
        declared = decl.SHEETS_BY_NAME.get(name)
        for column in declared.columns if declared else ():
            if column.name not in frame:
                continue
            if column.kind is decl.Kind.DATE:
                out.setdefault(name, {})[column.name] = np.ones(len(frame), dtype=bool)
            elif column.kind is decl.Kind.DATETIME and raw is not None and name in raw:
                bare = _bare_dates(raw[name].frame[column.name]) & frame[column.name].notna().to_numpy()
                if bare.any():
                    out.setdefault(name, {})[column.name] = bare
    return out


def _bare_dates(text: pd.Series) -> np.ndarray:
    """Cells whose text is a date alone (YYYY-MM-DD: the only 10-character text a datetime parses from)."""
    lengths = text.astype("string").str.len()
    return lengths.eq(BARE_DATE_LENGTH).fillna(False).to_numpy(dtype=bool)


def unknown_checklist_ids(loaded: Loaded, known: set[str]) -> list[pd.DataFrame]:
    """Checklist rows naming no observation requirement of the edition (their finding would be lost)."""
    frame, raw = loaded.inspection.sheets.get("Checklist"), loaded.raw
    if frame is None or "requirement_id" not in frame:
        return []
    ids = frame["requirement_id"]
    unknown = ids.notna() & ~ids.isin(known)
    if not unknown.any():
        return []
    rows = frame.index[unknown.to_numpy()]
    choices = sorted(known)
    why = "not an observation requirement of this facility's edition"
    return [
        cell_problems(
            sheet="Checklist",
            column="requirement_id",
            letter=raw.sheets["Checklist"].letters["requirement_id"],
            rows=rows,
            values=ids[unknown],
            code="unknown_requirement",
            message=pd.Series(why + hints(ids[unknown].to_numpy(dtype=object), choices), dtype=object),
            expected="an observation requirement id (see the README sheet of the template)",
        )
    ]
