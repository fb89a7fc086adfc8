"""Load many inspections of one form at once (an importer's folders): their record sheets parsed and
validated as one frame, then split back, so that a hundred folders of a hundred rows pay each pandas
and pandera call once rather than a hundred times.

Each inspection loads exactly as `load_raw` loads it alone: a cell's type and a row's problems depend
only on that cell or row and on the facility's zone and review period, which inspections loaded
together share (their key). An inspection whose Facility sheet has an error, or any of whose rows has
a problem (a warning too) in the frame of all, is loaded alone instead, so that its problems are the
ones it has alone; so is a group whose frame has a problem with no row.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from auditor.contracts.inspection import Inspection
from auditor.contracts.problems import Problems
from auditor.workbook import declarations as decl
from auditor.workbook.facility_sheet import facility_fields
from auditor.workbook.inspection import SHEET_ORDER, Loaded, load_raw
from auditor.workbook.read import RawSheet, RawWorkbook
from auditor.workbook.suggest import with_suggestions
from auditor.workbook.zones import facility_zone


def load_many(raws: list[RawWorkbook]) -> list[Loaded]:
    """`load_raw` of each inspection as read, in order, the record sheets of alike ones together."""
    out: list[Loaded | None] = [None] * len(raws)
    groups: dict[Any, list[tuple[int, dict[str, Any], dict[str, int], list[pd.DataFrame]]]] = {}
    for i, raw in enumerate(raws):
        heading = _facility(raw)
        if heading is None:  # no Facility sheet, or an error in it: as alone
            out[i] = load_raw(raw)
            continue
        facility, rows, parts = heading
        groups.setdefault(_key(raw, facility), []).append((i, facility, rows, parts))
    for members in groups.values():
        if len(members) < 2:  # nothing to share
            continue
        for i, loaded in _together([raws[m[0]] for m in members], members).items():
            out[i] = loaded
    return [loaded if loaded is not None else load_raw(raw) for loaded, raw in zip(out, raws, strict=True)]


def _facility(raw: RawWorkbook) -> tuple[dict[str, Any], dict[str, int], list[pd.DataFrame]] | None:
    """The Facility sheet's fields and zone as `load_raw` reads them, with its problems; None when
    there is none or it has an error."""
    if raw.facility is None:
        return None
    parts = list(raw.problems)
    facility, rows = facility_fields(raw.facility, parts)
    facility["time_zone"], zone_problems = facility_zone(facility, rows, _has_times(raw))
    parts = [with_suggestions(p) for p in [*parts, *zone_problems]]
    if any((p["severity"] == "error").any() for p in parts if len(p)):
        return None
    return facility, rows, parts


def _has_times(raw: RawWorkbook) -> bool:
    """Whether any datetime cell is filled: without, a facility with neither zone nor state gets no
    warning (zones.facility_zone)."""
    return any(
        column.kind is decl.Kind.DATETIME
        and column.name in sheet.frame
        and sheet.frame[column.name].notna().any()
        for name, sheet in raw.sheets.items()
        for column in decl.sheet(name).columns
    )


def _key(raw: RawWorkbook, facility: dict[str, Any]) -> tuple[Any, ...]:
    """What loading a record sheet reads besides its own cells: the zone, the review period's end,
    the form (sheets, columns and their letters)."""
    form = tuple(
        (
            name,
            sheet.source,
            tuple(sheet.frame.columns),
            tuple(sorted(sheet.letters.items())),
            sheet.header_row,
        )
        for name, sheet in raw.sheets.items()
    )
    return (raw.format, facility["time_zone"], str(facility.get("review_period_end")), _has_times(raw), form)


def _together(raws: list[RawWorkbook], members: list[tuple]) -> dict[int, Loaded]:
    """Alike inspections loaded as one; those with a problem in a record sheet are left out (None:
    loaded alone by the caller)."""
    sizes = {name: [len(raw.sheets[name].frame) for raw in raws] for name in raws[0].sheets}
    combined = RawWorkbook(
        path=raws[0].path,
        format=raws[0].format,
        sheets={name: _joined([raw.sheets[name] for raw in raws]) for name in raws[0].sheets},
        facility=raws[0].facility,  # the zone and review period are the group's (its key)
    )
    whole = load_raw(combined)
    problems = whole.problems.frame
    problems = problems[problems["sheet"] != "Facility"]  # the first member's own, checked above
    if problems["row"].isna().any():  # a sheet-wide problem: every member alone
        return {}
    flagged: set[int] = set()
    for name, counts in sizes.items():
        rows = problems.loc[problems["sheet"] == name, "row"].to_numpy(dtype=np.int64) - FIRST_ROW
        flagged |= set(np.searchsorted(np.cumsum(counts), rows, side="right").tolist())
    out = {}
    for k, (i, facility, rows, parts) in enumerate(members):
        if k not in flagged:
            out[i] = _split(whole, raws[k], k, sizes, facility, rows, parts)
    return out


FIRST_ROW = 2  # the joined sheets' first Excel row (the row numbers only place a problem's member)


def _joined(sheets: list[RawSheet]) -> RawSheet:
    frame = pd.concat([s.frame for s in sheets], ignore_index=True)
    frame.index = pd.RangeIndex(FIRST_ROW, FIRST_ROW + len(frame))
    first = sheets[0]
    return RawSheet(first.name, first.source, frame, first.letters, first.header_row)


def _split(
    whole: Loaded,
    raw: RawWorkbook,
    k: int,
    sizes: dict[str, list[int]],
    facility: dict[str, Any],
    rows: dict[str, int],
    parts: list[pd.DataFrame],
) -> Loaded:
    """Member k's inspection from the joined one: its rows (with its own Excel rows) and its Facility."""
    sheets, date_only = {}, {}
    for name, counts in sizes.items():
        start = sum(counts[:k])
        at = slice(start, start + counts[k])
        frame = whole.inspection.sheets[name].iloc[at]
        sheets[name] = frame.set_axis(raw.sheets[name].frame.index)
        marks = whole.inspection.date_only.get(name)
        days = whole.inspection.day_columns.get(name, frozenset())
        if marks is not None:  # as alone: every date column, and a datetime column only if it has some
            kept = {c: cells[at].copy() for c, cells in marks.items() if c in days or cells[at].any()}
            if kept:
                date_only[name] = kept
    inspection = Inspection(
        source=raw.path,
        format=raw.format,
        facility=facility,
        facility_rows=rows,
        sheets=sheets,
        letters={n: s.letters for n, s in raw.sheets.items()},
        inputs=raw.inputs,
        date_only=date_only,
        day_columns=whole.inspection.day_columns,
    )
    return Loaded(inspection, Problems.collect(parts, SHEET_ORDER), raw)
