"""An in-memory inspection factory: each test states only the rows that matter.

Sheets are given as lists of row dicts (or DataFrames) of plain values — text such as
"2026-01-05 08:00", bools, numbers, None — and typed by the workbook's own column parser, so
the frames have exactly the dtypes a real workbook would give. The index is the Excel row
number (the header is row 1, so data starts at 2); column letters follow column order.

The facility defaults to a PBNDS-2011 SPC with review period 2026-01-01..2026-03-31 and
inspection 2026-04-06..2026-04-09.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from auditor.contracts.inspection import Inspection
from auditor.contracts.results import Result, Results
from auditor.engine.context import Context
from auditor.engine.evaluate import evaluate, evaluate_requirement
from auditor.engine.tailoring import Tailoring
from auditor.standards.load import load_edition
from auditor.workbook import declarations as decl
from auditor.workbook.inspection import date_only_cells
from auditor.workbook.parse import parse_column
from auditor.workbook.write import write_inspection

Rows = Sequence[Mapping[str, Any]] | pd.DataFrame

FACILITY: dict[str, Any] = {
    "facility_id": "SPC-0001",
    "facility_name": "Test Service Processing Center",
    "facility_type": "SPC",
    "aor": "ELP",
    "state": "TX",
    "detention_standard": "PBNDS-2011",
    "rated_capacity": 500,
    "inspection_id": "INS-2026-0001",
    "inspection_type": "full",
    "inspection_start": dt.date(2026, 4, 6),
    "inspection_end": dt.date(2026, 4, 9),
    "review_period_start": dt.date(2026, 1, 1),
    "review_period_end": dt.date(2026, 3, 31),
    "lead_inspector": "A. Inspector",
    "previous_inspection_id": None,
}


def column_letter(position: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    position += 1
    while position:
        position, rest = divmod(position - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _text(value: Any) -> str | None:
    if value is None or (not isinstance(value, str | bool) and pd.isna(value)):
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime | pd.Timestamp):
        return value.strftime("%Y-%m-%d %H:%M" if (value.hour or value.minute) else "%Y-%m-%d")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def typed_frame(sheet: str, rows: Rows) -> pd.DataFrame:
    """Rows typed as the workbook parser types them, indexed by Excel row (2, 3, …)."""
    if isinstance(rows, pd.DataFrame):
        records = rows.to_dict(orient="records")
        columns = list(rows.columns)
    else:
        records = [dict(r) for r in rows]
        columns = list(dict.fromkeys(c for r in records for c in r))
    if not columns:  # an empty sheet keeps the template's header row
        columns = decl.sheet(sheet).column_names
    index = pd.RangeIndex(2, 2 + len(records))
    declared = decl.sheet(sheet)
    typed: dict[str, pd.Series] = {}
    for name in columns:
        text = pd.Series([_text(r.get(name)) for r in records], index=index, dtype=object)
        if name not in declared.column_names:
            typed[name] = text.astype("string")
            continue
        values, bad, _ = parse_column(text, declared.column(name))
        if bad is not None and bad.any():
            raise ValueError(f"test data: {sheet}.{name} has unparsable cells {list(text[bad])}")
        typed[name] = values
    return pd.DataFrame(typed, index=index)


def make_inspection(
    *,
    edition: str = "PBNDS-2011",
    facility: Mapping[str, Any] | None = None,
    **sheets: Rows,
) -> Inspection:
    """An Inspection of the given sheets (keyword = sheet name); facility fields may be overridden."""
    fields = {**FACILITY, "detention_standard": edition, **(facility or {})}
    frames = {name: typed_frame(name, rows) for name, rows in sheets.items()}
    return Inspection(
        source=Path("in-memory.xlsx"),
        format="xlsx",
        facility=fields,
        facility_rows={name: row for row, name in enumerate(fields, start=2)},
        sheets=frames,
        letters={name: {c: column_letter(i) for i, c in enumerate(f.columns)} for name, f in frames.items()},
        inputs=[("in-memory.xlsx", "0" * 64)],
        date_only=date_only_cells(frames),
    )


def evaluate_one(
    requirement_id: str,
    *,
    edition: str = "PBNDS-2011",
    facility: Mapping[str, Any] | None = None,
    tailoring: Tailoring | None = None,
    **sheets: Rows,
) -> Result:
    """One requirement's result for an inspection made of these sheets."""
    standards = load_edition(edition)
    inspection = make_inspection(edition=edition, facility=facility, **sheets)
    return evaluate_requirement(
        standards.requirements[requirement_id], Context(inspection), standards, tailoring
    )


def evaluate_all(
    *, edition: str = "PBNDS-2011", facility: Mapping[str, Any] | None = None, **kwargs: Any
) -> Results:
    """Every requirement of the edition (kwargs: sheets, and tailoring/waivers/previous)."""
    options = {k: kwargs.pop(k) for k in ("tailoring", "waivers", "previous") if k in kwargs}
    inspection = make_inspection(edition=edition, facility=facility, **kwargs)
    return evaluate(inspection, load_edition(edition), **options)


# A small inspection with something wrong in most sheets; its identifiers are long enough that
# masking shows, and its dates of birth must never reach a result.
SAMPLE_IDS = ("A100000001", "A100000002", "S99990001")
SAMPLE_BIRTH_DATES = ("1990-05-17", "2009-03-03")
SAMPLE: dict[str, list[dict[str, Any]]] = {
    "Intake": [
        {
            "detainee_id": "A100000001",
            "arrival": "2026-01-05 08:00",
            "sex": "F",
            "date_of_birth": "1990-05-17",
            "housing_unit": "A",
            "classified": "2026-01-05 09:00",
            "general_population": "2026-01-06 08:00",
            "medical_screening": "2026-01-05 21:00",
            "mental_health_screening": "2026-01-05 10:00",
            "tb_screening": "2026-01-05 10:00",
            "health_assessment": "2026-01-10 08:00",
            "dental_screening": "2026-01-10 08:00",
            "pregnancy_test": None,
            "acute_condition": False,
            "handbook_issued": "2026-01-05 09:00",
        },
        {
            "detainee_id": "A100000002",
            "arrival": "2026-01-06 08:00",
            "sex": "M",
            "date_of_birth": "2009-03-03",
            "housing_unit": "A",
            "classified": "2026-01-06 09:00",
            "general_population": "2026-01-07 08:00",
            "medical_screening": "2026-01-06 09:00",
            "mental_health_screening": "2026-01-06 10:00",
            "tb_screening": "2026-01-06 10:00",
            "health_assessment": "2026-01-10 08:00",
            "dental_screening": "2026-01-10 08:00",
            "pregnancy_test": None,
            "acute_condition": True,
            "acute_evaluation": "2026-01-07 08:00",
            "handbook_issued": "2026-01-06 09:00",
        },
    ],
    "Placements": [
        {
            "placement_id": "HR-1",
            "detainee_id": "A100000001",
            "kind": "hold-room",
            "start": "2026-02-01 08:00",
            "end": "2026-02-01 21:00",
            "date_of_birth": "1990-05-17",
            "with_children": False,
        },
    ],
    "Checks": [{"placement_id": "HR-1", "checked": "2026-02-01 08:10"}],
    "FoodTemps": [
        {"recorded": "2026-02-01 08:00", "location": "Kitchen", "kind": "cold-holding", "temp_f": 45}
    ],
    "Housing": [
        {
            "unit_id": "A",
            "sex": "F",
            "rated_capacity": 10,
            "population": 12,
            "classification_levels": "1,3",
            "toilets": 2,
            "showers": 1,
            "washbasins": 1,
            "phones": 1,
        },
    ],
    "Staff": [
        {
            "staff_id": "S99990001",
            "role": "custody",
            "supervises_detainees": True,
            "suicide_prevention_training": "2025-01-10",
            "hunger_strike_training": "2025-09-10",
            "saapi_training": "2025-09-10",
            "cpr_expires": "2025-12-31",
        },
    ],
    "Checklist": [
        {"requirement_id": "FS-STORAGE", "finding": "deficient", "remarks": "Boxes stored on the floor."},
        {"requirement_id": "GS-LOG", "finding": "compliant"},
    ],
}


EvidenceRow = tuple[str, int | None, str | None, str]
WHO = ("detainee_id", "staff_id")


def evidence_rows(result: Result) -> list[EvidenceRow]:
    """Each evidence row as (sheet, Excel row, who, detail): who is the masked detainee or staff id
    when the row shows one, else its first cell (a placement, unit or incident id), else None."""
    out = []
    for item in result.evidence:
        values = {c["column"]: c["value"] for c in item.cells}
        who = next((values[c] for c in WHO if c in values), None)
        if who is None and item.cells:
            who = item.cells[0]["value"]
        out.append((item.sheet, item.row, who, item.detail))
    return out


Cited = Callable[[Result], list[EvidenceRow]]


def write_workbook(
    path: Path, *, edition: str = "PBNDS-2011", facility: Mapping[str, Any] | None = None, **sheets: Rows
) -> Path:
    """The same inspection written as an .xlsx by the project's writer (for CLI tests)."""
    # Texas spans two zones, so a written workbook names El Paso's (in memory, times stay as written)
    fields = {**FACILITY, "time_zone": "America/Denver", "detention_standard": edition, **(facility or {})}
    fields = {k: v for k, v in fields.items() if v is not None}
    return write_inspection(path, fields, {name: typed_frame(name, rows) for name, rows in sheets.items()})


Check = Callable[..., Result]
Audit = Callable[..., Results]
Build = Callable[..., Inspection]
Workbook = Callable[..., Path]


@pytest.fixture
def cited() -> Cited:
    """cited(result) → [(sheet, Excel row, masked id, detail), …]."""
    return evidence_rows


@pytest.fixture
def check() -> Check:
    """check("MC-INTAKE-SCREEN", Intake=[...], edition=..., facility={...}) → its Result."""
    return evaluate_one


@pytest.fixture
def audit() -> Audit:
    """audit(Intake=[...], edition=..., waivers=..., previous=...) → Results of every requirement."""
    return evaluate_all


@pytest.fixture
def sample() -> dict[str, list[dict[str, Any]]]:
    """The sample inspection's sheets (a fresh copy: tests may change them)."""
    return {name: [dict(row) for row in rows] for name, rows in SAMPLE.items()}


@pytest.fixture
def workbook() -> Workbook:
    """workbook(path, Intake=[...], edition=..., facility={...}) → the .xlsx written there."""
    return write_workbook


@pytest.fixture
def build() -> Build:
    """build(Intake=[...], edition=..., facility={...}) → the Inspection."""
    return make_inspection
