"""Load an inspection: read, parse and validate, giving typed sheets and every Problem."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from auditor import untrusted
from auditor.contracts.inspection import Inspection
from auditor.contracts.problems import Problems, cell_problems
from auditor.errors import WorkbookError
from auditor.workbook import declarations as decl
from auditor.workbook.facility_sheet import facility_fields
from auditor.workbook.parse import arrow_strings, parse_sheet
from auditor.workbook.read import RawSheet, RawWorkbook, read, read_here
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


def load(path: str | Path, *, text: bool = True) -> Loaded:
    """Read, parse and validate an inspection. Raises WorkbookError only when it cannot be read.

    `text=False` for a caller that does not need the cells' text once checked (an audit): the whole
    load then happens in the bounded reader child, each sheet parsed as soon as it is read and its
    text dropped there, so that only one sheet's text is ever held and only typed frames cross back
    (at 1M admissions the text is 1.2 GB: the reader child held all of it, the caller a copy).
    """
    if text:
        return load_raw(read(path))
    return untrusted.run(_load_lean, Path(path), what=str(path))


def _load_lean(path: Path) -> Loaded:
    checker = _Checker(keep_text=False)
    return checker.loaded(read_here(path, checker.sheet))


def load_raw(raw: RawWorkbook) -> Loaded:
    """Parse and validate an inspection as read (bytes are read once; everything after works on this)."""
    checker = _Checker(keep_text=True)
    for name, sheet in raw.sheets.items():
        raw.sheets[name] = checker.sheet(raw, sheet)
    return checker.loaded(raw)


class _Checker:
    """Parses and checks sheets one at a time, as they come, once the Facility sheet is known (naive
    times are the facility's local time, converted to UTC); then the cross-sheet checks."""

    def __init__(self, keep_text: bool) -> None:
        self.keep_text = keep_text
        self.facility: dict[str, Any] | None = None
        self.facility_rows: dict[str, int] = {}
        self.given: dict[str, Any] = {}  # the Facility fields as written (time_zone before it is settled)
        self.facility_parts: list[pd.DataFrame] = []
        self.parts: list[pd.DataFrame] = []  # each sheet's own problems, in the order the sheets come
        self.frames: dict[str, pd.DataFrame] = {}
        self.date_only: dict[str, dict[str, np.ndarray]] = {}
        self.has_times = False  # any datetime cell filled (a blank template has no time to read in a zone)
        self.late: list[RawSheet] = []  # sheets that came before the Facility sheet

    def sheet(self, raw: RawWorkbook, sheet: RawSheet) -> RawSheet:
        """Parse and check one sheet; what is kept of it (without its text unless kept)."""
        if self.facility is None:
            if raw.facility is None:
                self.late.append(sheet)  # parsed once the Facility sheet comes, or refused then
                return sheet
            self._start(raw)
        declared = decl.sheet(sheet.name)
        zone = self.facility["time_zone"]
        frame, parse_problems = parse_sheet(sheet, declared, zone)
        self.frames[sheet.name] = frame
        self.parts += parse_problems
        self.parts += validate_sheet(frame, sheet, declared)
        self.parts += conditional_required(frame, sheet, declared)
        self.parts += row_order(frame, sheet, declared, zone)
        self.has_times = self.has_times or _has_times(sheet, declared)
        bare = _date_only(frame, sheet, declared)
        if bare:
            self.date_only[sheet.name] = bare
        # the Sample sheet's text is read by the cross-sheet checks (it is a few rows)
        if self.keep_text or declared is decl.SAMPLE:
            return sheet
        return dataclasses.replace(sheet, frame=sheet.frame.iloc[:0, :0])

    def _start(self, raw: RawWorkbook) -> None:
        assert raw.facility is not None
        self.facility, self.facility_rows = facility_fields(raw.facility, self.facility_parts)
        self.given = dict(self.facility)
        self.facility["time_zone"] = facility_zone(self.given, self.facility_rows)[0]
        for sheet in self.late:
            raw.sheets[sheet.name] = self.sheet(raw, sheet)
        self.late = []

    def loaded(self, raw: RawWorkbook) -> Loaded:
        """The inspection and every problem, once every sheet has come."""
        if raw.facility is None:
            raise WorkbookError(
                f"{raw.path}: there is no Facility sheet; every inspection needs one "
                "(column A the field names, column B their values)"
            )
        if self.facility is None:  # no other sheet came
            self._start(raw)
        assert self.facility is not None
        facility, frames, zone = self.facility, self.frames, self.facility["time_zone"]
        parts = [*raw.problems, *self.facility_parts]
        parts += facility_zone(self.given, self.facility_rows, self.has_times)[1]
        parts += self.parts
        for name in frames:
            parts += references(frames, raw.sheets, decl.sheet(name))
        parts += checks_outside_placements(frames, raw.sheets, zone)
        parts += events_after_period(frames, raw.sheets, facility.get("review_period_end"), zone)
        parts += events_after_release(frames, raw.sheets, zone)
        parts += sample_problems(frames, raw.sheets)
        inspection = Inspection(
            source=raw.path,
            format=raw.format,
            facility=facility,
            facility_rows=self.facility_rows,
            sheets=frames,
            letters={n: s.letters for n, s in raw.sheets.items()},
            inputs=raw.inputs,
            date_only={name: self.date_only[name] for name in frames if name in self.date_only},
            day_columns={
                name: frozenset(
                    c.name for c in decl.sheet(name).columns if c.kind is decl.Kind.DATE and c.name in frame
                )
                for name, frame in frames.items()
            },
        )
        parts = [with_suggestions(part) for part in parts]  # "did you mean" for values outside closed lists
        return Loaded(inspection, Problems.collect(parts, SHEET_ORDER), raw)


def _has_times(sheet: RawSheet, declared: decl.Sheet) -> bool:
    """Whether any datetime cell of the sheet is filled."""
    for column in declared.columns:
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
        if declared is not None:
            found = _date_only(frame, raw.get(name) if raw is not None else None, declared)
            if found:
                out[name] = found
    return out


def _date_only(frame: pd.DataFrame, raw: RawSheet | None, declared: decl.Sheet) -> dict[str, np.ndarray]:
    """`date_only_cells` of one sheet (its text, `raw`, tells a bare date from a midnight)."""
    out: dict[str, np.ndarray] = {}
    for column in declared.columns:
        if column.name not in frame:
            continue
        if column.kind is decl.Kind.DATE:
            out[column.name] = np.ones(len(frame), dtype=bool)
        elif column.kind is decl.Kind.DATETIME and raw is not None:
            bare = _bare_dates(raw.frame[column.name]) & frame[column.name].notna().to_numpy()
            if bare.any():
                out[column.name] = bare
    return out


def _bare_dates(text: pd.Series) -> np.ndarray:
    """Cells whose text is a date alone (YYYY-MM-DD: the only 10-character text a datetime parses from)."""
    # Arrow's kernels on the column's own strings: pandas' .str.len() on a copy cost 4 ms a column
    short = pc.equal(pc.utf8_length(arrow_strings(text)), BARE_DATE_LENGTH)
    return pc.fill_null(short, False).to_numpy(zero_copy_only=False)


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
