"""The blank inspection workbook, generated from the sheet declarations and the glossary.

Every sheet has its headers as people read them (the glossary's labels; the field name in each
header's comment, and the reader accepts either), a frozen header row, column widths, date
formats, a dropdown for every closed list (the allowed values, every yes/no spelling the parser
reads, the state codes, the editions, the Checklist's requirement ids), and an input message on
each header and cell saying what goes there. The README sheet describes every column; the Example
sheet shows one filled-in row of every sheet (it is never read as data: an example row inside a
data sheet would be audited the day someone forgot to delete it). Lists too long to write into a
dropdown (Excel allows 255 characters) live on the hidden Lists sheet. The Facility sheet has its
labels in column A and, when given, its values in column B (a new inspection pre-filled from the
facility registry).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from auditor import __version__, glossary
from auditor.safe_cells import set_value
from auditor.workbook import declarations as decl
from auditor.workbook.cells import column_letter
from auditor.workbook.declarations import Column, Kind
from auditor.workbook.suggest import BOOL_SPELLINGS

LAST_ROW = 50_000
HEADER_FILL = PatternFill("solid", fgColor="1F3A5F")
HEADER_FONT = Font(bold=True, color="FFFFFF")
REQUIRED_FONT = Font(bold=True, color="FFD166", underline="single")  # told apart without colour too
EXAMPLE_FONT = Font(italic=True, color="444444")
NUMBER_FORMATS = {Kind.DATE: "yyyy-mm-dd", Kind.DATETIME: "yyyy-mm-dd hh:mm"}
BOOL_CHOICES = BOOL_SPELLINGS  # Yes/No first: what people write; every spelling parse.py reads
INLINE_LIST = 255  # Excel's limit on a dropdown written into the validation itself
LISTS, EXAMPLE = "Lists", "Example"  # the reader ignores both sheets (read.IGNORED_SHEETS)

# One filled-in record per sheet, consistent across sheets (the Checks row names the Placements
# row, the Intake row the Housing unit): copied into the sheets, it validates without a problem.
EXAMPLES: dict[str, dict[str, object]] = {
    "Facility": {
        "facility_id": "FIC-CDF-0002",
        "facility_name": "Pine Hollow Processing Center",
        "facility_type": "CDF",
        "aor": "ATL",
        "state": "GA",
        "time_zone": "America/New_York",
        "detention_standard": "NDS-2019",
        "rated_capacity": 600,
        "inspection_id": "INSP-2026-0001",
        "inspection_type": "full",
        "inspection_start": "2026-04-06",
        "inspection_end": "2026-04-09",
        "review_period_start": "2026-01-01",
        "review_period_end": "2026-03-31",
        "lead_inspector": "R. Okafor",
        "previous_inspection_id": "INSP-2025-0007",
    },
    "Intake": {
        "detainee_id": "A000000001",
        "arrival": "2026-02-02 09:15",
        "sex": "F",
        "date_of_birth": "1990-04-01",
        "housing_unit": "A-1",
        "classification_level": "2",
        "classified": "2026-02-02 15:00",
        "reclassified": "2026-03-20 10:00",
        "general_population": "2026-02-03 08:00",
        "medical_screening": "2026-02-02 13:40",
        "mental_health_screening": "2026-02-02 13:50",
        "tb_screening": "2026-02-02 14:10",
        "health_assessment": "2026-02-10 09:00",
        "dental_screening": "2026-02-12 10:00",
        "pregnancy_test": "2026-02-02 14:20",
        "acute_condition": "Yes",
        "arrived_with_medication": "Yes",
        "medication_reviewed": "2026-02-02 18:30",
        "acute_evaluation": "2026-02-03 11:00",
        "mental_health_referral": "2026-02-02 14:00",
        "mental_health_evaluation": "2026-02-05 10:30",
        "handbook_issued": "2026-02-02 16:00",
        "release": "2026-03-27 12:00",
        "saapi_screening": "2026-02-02 15:00",
        "saapi_mh_referral": "2026-02-02 15:10",
        "saapi_mh_evaluation": "2026-02-04 11:00",
    },
    "Housing": {
        "unit_id": "A-1",
        "unit_type": "general",
        "sex": "F",
        "rated_capacity": 64,
        "population": 58,
        "classification_levels": "1,2",
        "toilets": 8,
        "urinals": 0,
        "showers": 8,
        "washbasins": 10,
        "phones": 6,
    },
    "Placements": {
        "placement_id": "P-0001",
        "detainee_id": "A000000001",
        "kind": "administrative-segregation",
        "start": "2026-02-20 18:00",
        "end": "2026-02-24 09:00",
        "unit_id": "SMU-1",
        "date_of_birth": "1990-04-01",
        "sex": "F",
        "with_children": "No",
        "mental_illness": "No",
        "serious_medical_illness": "No",
        "serious_disability": "No",
        "suicide_risk": "No",
        "elderly": "No",
        "pregnant": "No",
        "nursing": "No",
        "sogi_risk": "No",
        "abuse_victim": "No",
        "field_office_notified": "2026-02-21 10:00",
    },
    "Checks": {"placement_id": "P-0001", "checked": "2026-02-20 18:30"},
    "HungerStrikes": {
        "hunger_strike_id": "HS-0001",
        "detainee_id": "A000000001",
        "started": "2026-02-14 07:00",
        "ended": "2026-02-19 12:00",
        "medical_referral": "2026-02-16 18:00",
        "field_office_notified": "2026-02-16 20:00",
    },
    "Allegations": {
        "allegation_id": "SA-0001",
        "detainee_id": "A000000001",
        "received": "2026-02-20 09:30",
        "grievance": "Yes",
        "decided": "2026-02-23 15:00",
        "appealed": "2026-02-25 10:00",
        "appeal_answered": "2026-03-10 14:00",
    },
    "UseOfForce": {
        "incident_id": "UOF-0001",
        "occurred": "2026-03-03 07:45",
        "kind": "calculated",
        "detainee_id": "A000000001",
        "chemical_agent": "No",
        "medical_consulted": "2026-03-03 07:30",
        "medical_exam": "2026-03-03 08:15",
        "video_recorded": "Yes",
        "after_action_review": "2026-03-05",
    },
    "Grievances": {
        "grievance_id": "G-0001",
        "detainee_id": "A000000001",
        "kind": "formal",
        "received": "2026-02-15 10:00",
        "answered": "2026-02-18 15:00",
    },
    "SickCall": {
        "request_id": "SC-0001",
        "detainee_id": "A000000001",
        "requested": "2026-02-16 06:30",
        "clinical_symptom": "Yes",
        "triaged": "2026-02-16 09:00",
        "seen": "2026-02-16 14:00",
    },
    "Requests": {
        "request_id": "R-0001",
        "detainee_id": "A000000001",
        "received": "2026-02-16 08:00",
        "answered": "2026-02-17 11:00",
    },
    "Restraints": {
        "restraint_id": "RS-0001",
        "detainee_id": "A000000001",
        "kind": "restraint-chair",
        "applied": "2026-03-03 07:50",
        "removed": "2026-03-03 09:10",
        "medical_check": "2026-03-03 08:05",
    },
    "Searches": {
        "search_id": "S-0001",
        "detainee_id": "A000000001",
        "kind": "strip",
        "conducted": "2026-02-20 13:00",
        "reasonable_suspicion": "Yes",
        "supervisor_approved": "Yes",
    },
    "Incidents": {
        "incident_id": "I-0001",
        "kind": "serious-injury",
        "occurred": "2026-02-22 22:10",
        "detainee_id": "A000000001",
        "ice_notified": "2026-02-22 22:40",
    },
    "FoodTemps": {
        "recorded": "2026-02-10 11:45",
        "location": "Main kitchen",
        "item": "Rice",
        "kind": "hot-holding",
        "temp_f": 140,
    },
    "Activities": {
        "unit_id": "A-1",
        "date": "2026-02-10",
        "recreation_minutes": 60,
        "outdoor": "Yes",
        "law_library_minutes": 120,
    },
    "SafetyLog": {
        "date": "2026-02-12",
        "area": "A-1",
        "event": "fire-drill",
        "result": "Unit cleared in 3 minutes",
    },
    "Staff": {
        "staff_id": "S-0001",
        "role": "custody",
        "supervises_detainees": "Yes",
        "suicide_prevention_training": "2025-09-15",
        "hunger_strike_training": "2025-09-15",
        "saapi_training": "2025-09-16",
        "cpr_expires": "2027-05-31",
    },
    "Sample": {
        "population_sheet": "Intake",
        "sheet_row": 2,
        "record_key": "A000000001",
        "compliant": "Yes",
        "note": "Screening form signed and dated",
        "population": 1,
        "confidence": 0.95,
        "margin": 0.05,
        "expected_rate": 0,
        "seed": 7,
        "method": "auditor sample: every record of a population of 1",
    },
    "Checklist": {
        "requirement_id": "EHS-FIRE-PLAN",
        "finding": "deficient",
        "remarks": "The posted evacuation plan shows the old east exit",
        "evidence": "Photo 12",
        "corrected_on_site": "No",
    },
}


def write_template(
    path: str | Path, values: dict[str, str] | None = None, requirement_ids: Sequence[str] | None = None
) -> Path:
    """Write the blank inspection workbook to `path` (.xlsx); `values` fill the Facility sheet's
    column B by field name (empty values are left blank); `requirement_ids` are the Checklist's
    dropdown (by default the observation requirements of the edition `values` names, or of every
    edition)."""
    path = Path(path)
    values = values or {}
    unknown = sorted(set(values) - set(decl.FACILITY.column_names))
    if unknown:
        raise ValueError(f"not fields of the Facility sheet: {', '.join(unknown)}")
    if requirement_ids is None:
        requirement_ids = observation_ids(values.get("detention_standard"))
    book = Workbook()
    readme = book.active
    readme.title = "README"
    _readme(readme)
    lists = _Lists(book.create_sheet(LISTS))
    lists.ws.sheet_state = "hidden"
    choices = {("Checklist", "requirement_id"): tuple(requirement_ids)}
    _facility(book.create_sheet(decl.FACILITY.name, 1), values, lists)
    for sheet in decl.SHEETS:
        if not sheet.keyvalue:
            _table(book.create_sheet(sheet.name, len(book.sheetnames) - 1), sheet, lists, choices)
    _example(book.create_sheet(EXAMPLE, len(book.sheetnames) - 1))
    book.active = 1
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def observation_ids(edition: str | None = None) -> list[str]:
    """The requirement ids a Checklist row may name: an edition's observation requirements, or
    those of every edition when it is not given (or not one this tool holds)."""
    from auditor.standards.load import available_editions, load_edition

    editions = available_editions()
    chosen = [edition] if edition in editions else editions
    return sorted(set().union(*(load_edition(name).observation_ids() for name in chosen)))


def prompt(column: Column) -> str:
    """The input message of a column: what goes there (Excel allows 255 characters)."""
    expected = column.expected
    if column.choices and len(", ".join(column.choices)) > 60:
        expected = "a value from the dropdown list"
    text = f"{column.description} Expected: {expected}."
    if column.required:
        text = "Required. " + text
    return text[:255]


def comment(column: Column) -> Comment:
    """A header's comment: the field name the reader also accepts, and what goes there."""
    text = f"Field name: {column.name}\n{prompt(column)}"
    return Comment(text, "auditor", width=300, height=140)


class _Lists:
    """The hidden sheet holding each dropdown too long to write inline, one column per list."""

    def __init__(self, ws: Worksheet) -> None:
        self.ws = ws
        self.ranges: dict[tuple[str, ...], str] = {}

    def formula(self, name: str, choices: tuple[str, ...]) -> str:
        inline = '"' + ",".join(choices) + '"'
        if len(inline) <= INLINE_LIST and all("," not in c for c in choices):
            return inline
        if choices not in self.ranges:
            index = len(self.ranges)
            letter = column_letter(index)
            self.ws.cell(row=1, column=index + 1, value=name).font = Font(bold=True)
            for row, choice in enumerate(choices, start=2):
                set_value(self.ws.cell(row=row, column=index + 1), choice)
            self.ranges[choices] = f"{LISTS}!${letter}$2:${letter}${len(choices) + 1}"
        return self.ranges[choices]


def _validation(column: Column, label: str, lists: _Lists, choices: tuple[str, ...] = ()) -> DataValidation:
    choices = choices or column.choices or (BOOL_CHOICES if column.kind is Kind.BOOL else ())
    if choices:
        dv = DataValidation(type="list", formula1=lists.formula(column.name, choices), allow_blank=True)
    elif column.kind in (Kind.DATE, Kind.DATETIME):
        dv = DataValidation(type="date", operator="greaterThan", formula1="1", allow_blank=True)
    elif column.kind in (Kind.INT, Kind.NUMBER):
        low = column.minimum if column.minimum is not None else -1e9
        high = column.maximum if column.maximum is not None else 1e9
        dv = DataValidation(
            type="whole" if column.kind is Kind.INT else "decimal",
            operator="between",
            formula1=_number(low),
            formula2=_number(high),
            allow_blank=True,
        )
    else:
        dv = DataValidation(allow_blank=True)
    dv.showInputMessage = True
    dv.promptTitle = label[:32]
    dv.prompt = prompt(column)
    if dv.type:
        dv.showErrorMessage = True
        dv.errorTitle = "Not valid here"
        expected = "a value from the dropdown list" if choices and column.kind is not Kind.BOOL else None
        dv.error = f"{label}: expected {expected or column.expected}."[:255]
    return dv


def _number(value: float) -> str:
    """A bound as Excel formula text: 0 and 1000000000, never 0.0 or 1e+09."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _header_message(column: Column, label: str) -> DataValidation:
    dv = DataValidation(allow_blank=True, showInputMessage=True)
    dv.promptTitle = label[:32]
    dv.prompt = prompt(column)
    return dv


def _table(
    ws: Worksheet, sheet: decl.Sheet, lists: _Lists, choices: dict[tuple[str, str], tuple[str, ...]]
) -> None:
    for index, column in enumerate(sheet.columns):
        letter = column_letter(index)
        label = glossary.field_label(sheet.name, column.name)
        cell = ws.cell(row=1, column=index + 1, value=label)
        cell.fill = HEADER_FILL
        cell.font = REQUIRED_FONT if column.required else HEADER_FONT
        cell.comment = comment(column)
        ws.column_dimensions[letter].width = max(column.width, len(label) + 3)
        if column.kind in NUMBER_FORMATS:
            ws.column_dimensions[letter].number_format = NUMBER_FORMATS[column.kind]
        header = _header_message(column, label)
        header.add(f"{letter}1")
        ws.add_data_validation(header)
        body = _validation(column, label, lists, choices.get((sheet.name, column.name), ()))
        body.add(f"{letter}2:{letter}{LAST_ROW}")
        ws.add_data_validation(body)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{column_letter(len(sheet.columns) - 1)}1"


def _facility(ws: Worksheet, values: dict[str, str], lists: _Lists) -> None:
    for index, text in enumerate(("Field", "Value", "What goes there", "Example")):
        cell = ws.cell(row=1, column=index + 1, value=text)
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
    for letter, width in zip("ABCD", (30, 40, 70, 32), strict=True):
        ws.column_dimensions[letter].width = width
    examples = EXAMPLES["Facility"]
    for row, column in enumerate(decl.FACILITY.columns, start=2):
        label = glossary.field_label("Facility", column.name)
        name = ws.cell(row=row, column=1, value=label)
        name.comment = comment(column)
        if column.required:
            name.font = Font(bold=True)
        ws.cell(row=row, column=3, value=prompt(column)).alignment = Alignment(wrap_text=False)
        if column.name in examples:
            example = ws.cell(row=row, column=4)
            set_value(example, str(examples[column.name]))
            example.font = EXAMPLE_FONT
        if column.kind in NUMBER_FORMATS:
            ws.cell(row=row, column=2).number_format = NUMBER_FORMATS[column.kind]
        if values.get(column.name):
            set_value(ws.cell(row=row, column=2), values[column.name])  # ICE's text stays text
        dv = _validation(column, label, lists)
        dv.add(f"B{row}")
        ws.add_data_validation(dv)
    ws.freeze_panes = "A2"


def _example(ws: Worksheet) -> None:
    """One filled-in row under the headers of every table sheet (the Facility's is on its sheet)."""
    ws.append(
        ["An example of each sheet, filled in. This sheet is never read: write your records on the sheets."]
    )
    ws["A1"].font = Font(bold=True, size=12)
    widths: dict[int, int] = {}
    for sheet in decl.SHEETS:
        if sheet.keyvalue:
            continue
        ws.append([])
        ws.append([sheet.name])
        ws.cell(row=ws.max_row, column=1).font = Font(bold=True)
        labels = [glossary.field_label(sheet.name, c.name) for c in sheet.columns]
        ws.append(labels)
        for cell in ws[ws.max_row]:
            cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        example = EXAMPLES.get(sheet.name, {})
        ws.append([None] * len(sheet.columns))
        for index, column in enumerate(sheet.columns):
            cell = ws.cell(row=ws.max_row, column=index + 1)
            if column.name in example:
                set_value(cell, example[column.name])
            cell.font = EXAMPLE_FONT
            widths[index] = max(
                widths.get(index, 12), len(labels[index]) + 3, len(str(example.get(column.name, ""))) + 2
            )
    for index, width in widths.items():
        ws.column_dimensions[column_letter(index)].width = min(width, 40)


def _readme(ws: Worksheet) -> None:
    ws.append([f"Inspection workbook — blank template (auditor {__version__})"])
    ws["A1"].font = Font(bold=True, size=14)
    for line in (
        "Fill in the Facility sheet (column B) and every sheet you have records for; leave out "
        "sheets you do not have (the requirements that need them are reported as not assessed).",
        "One row per record, headers in row 1. A header is a column's label or its field name (in "
        "the header's comment): either is read. Required columns have underlined yellow headers "
        "(required Facility fields are bold). The Example sheet shows one filled-in row of every "
        "sheet; it is never read.",
        "Dates: Excel dates or YYYY-MM-DD; date and time: YYYY-MM-DD HH:MM. Yes/No cells: "
        + "/".join(BOOL_CHOICES[:2])
        + ", TRUE/FALSE, Y/N or 1/0 (any case). An empty cell means 'not recorded'.",
        "Check the workbook with: auditor validate WORKBOOK.xlsx (add --annotate OUT.xlsx for a "
        "copy with every problem highlighted).",
        "",
    ):
        ws.append([line])
    ws.append(["sheet", "column", "label", "type", "required", "allowed values / range", "meaning"])
    header_row = ws.max_row
    for cell in ws[header_row]:
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
    for row in documentation_rows():
        ws.append(row)
    for letter, width in zip("ABCDEFG", (14, 28, 30, 10, 10, 44, 90), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = f"A{header_row + 1}"


def documentation_rows() -> list[list[str]]:
    """One row per column of every sheet: the column reference of the contract."""
    rows = []
    for sheet in decl.SHEETS:
        for column in sheet.columns:
            allowed = ", ".join(column.choices) if column.choices else ""
            if column.kind is Kind.BOOL:
                allowed = "Yes/No, TRUE/FALSE, Y/N, 1/0"
            if column.minimum is not None:
                allowed = f"≥ {column.minimum:g}"
                if column.maximum is not None:
                    allowed += f" and ≤ {column.maximum:g}"
            rows.append(
                [
                    sheet.name,
                    column.name,
                    glossary.field_label(sheet.name, column.name),
                    column.kind.value,
                    "yes" if column.required else "",
                    allowed,
                    column.description,
                ]
            )
    return rows
