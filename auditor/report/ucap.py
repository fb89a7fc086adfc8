"""The corrective-action plan (UCAP) workbook: the plan, the evidence needed, the full evidence annex,
and what it covers.

The plan lists the deficiencies in the order to fix them (auditor/report/fix_first.py) and ends
in the facility's response columns (auditor/contracts/plan.py): action taken, responsible
person, target date, completion date, status and evidence reference, each with a dropdown or a
data-validation rule, so that the plan can come back (`auditor cap import`) and be read cell by
cell. Nothing in the workbook is a formula, and the response cells start blank (status open).

Indeterminate requirements (no violation proven, some records undecided) are not in the plan: they
need evidence, not correction, so they have a sheet of their own and are never listed as compliant.
Every text cell goes through safe_cells, so nothing an inspector typed can become a formula.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from auditor.contracts import plan as contract
from auditor.contracts.results import Results
from auditor.glossary import column_label, humanise, term
from auditor.report.view import corrected_numbers, evidence_needed_rows, headline, ucap_rows
from auditor.safe_cells import set_value

HEADER_FILL = PatternFill("solid", fgColor="1F3A5F")
HEADER_FONT = Font(bold=True, color="FFFFFF")
PLAN_COLUMNS = (
    ("#", 5),
    ("Requirement", 26),
    ("Title", 42),
    ("Standard", 30),
    ("Citation", 46),
    ("Severity", 10),
    ("Repeat", 8),
    ("Extent", 24),
    ("Threshold", 34),
    ("Finding", 60),
    ("Corrective action", 60),
    ("Due", 12),
    *contract.RESPONSE_COLUMNS,
)
FIRST_RESPONSE = len(PLAN_COLUMNS) - len(contract.RESPONSE_COLUMNS) + 1  # its column number
RESPONSE_FILL = PatternFill("solid", fgColor="FFF7D6")  # the cells the facility fills in
# Excel's serial days of 2000-01-01 and 2100-12-31: the dates a response may hold.
FIRST_DAY, LAST_DAY = "36526", "73415"
NEEDED_COLUMNS = (
    ("#", 5),
    ("Requirement", 26),
    ("Title", 42),
    ("Standard", 30),
    ("Status", 14),
    ("Priority", 9),
    ("Violations", 11),
    ("Compliant", 11),
    ("Indeterminate", 14),
    ("Population", 11),
    ("Absent columns", 30),
    ("What is missing", 60),
    ("Evidence to supply", 50),
    ("Notes", 40),
)
EVIDENCE_COLUMNS = (
    ("Requirement", 26),
    ("Status", 14),
    ("Sheet", 12),
    ("Row", 7),
    ("Cells", 70),
    ("Detail", 70),
    ("Verdict", 14),  # violation, or indeterminate (the data cannot decide the record)
)
SUPPLY = "The records, or the values, that decide the undecided rows; then audit again."


def write_ucap(results: Results, out: str | Path) -> Path:
    out = Path(out)
    book = Workbook()
    plan = book.active
    plan.title = contract.PLAN_SHEET
    _plan(plan, results)
    _needed(book.create_sheet("Evidence needed"), results)
    _evidence(book.create_sheet("Evidence"), results)
    _about(book.create_sheet(contract.ABOUT_SHEET), results)
    out.parent.mkdir(parents=True, exist_ok=True)
    book.save(out)
    return out


def _header(ws: Worksheet, columns: tuple[tuple[str, int], ...]) -> None:
    for index, (name, width) in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=index)
        set_value(cell, name)
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A2"


def _plan(ws: Worksheet, results: Results) -> None:
    _header(ws, PLAN_COLUMNS)
    rows = ucap_rows(results)
    corrected = corrected_numbers(results)
    wrap = Alignment(wrap_text=True, vertical="top")
    for offset, row in enumerate(rows, start=2):
        r = row["result"]
        finding = r.remarks or (r.evidence[0].detail if r.evidence else "")
        if r.evidence_total > 1:
            finding += f" (and {r.evidence_total - 1} more in the Evidence sheet)"
        if r.requirement_id in corrected:  # ODO's numbering, as the report gives it
            finding += f" Corrected during the inspection ({corrected[r.requirement_id]})."
        extent = (
            f"{r.extent.violations} of {r.extent.population} ({r.extent.percent:g} %)" if r.extent else ""
        )
        if r.indeterminate:
            extent += f"; {r.compliant} compliant, {r.indeterminate} indeterminate (see Evidence needed)"
        threshold = (
            humanise(r.threshold.text) + (" (unverified threshold)" if r.threshold.unverified else "")
            if r.threshold
            else ""
        )
        values = [
            row["number"],
            r.requirement_id,
            r.title,
            f"{r.standard_number} {r.standard_name}",
            r.citation,
            row["severity"],
            "yes" if r.repeat else "",
            extent,
            threshold,
            finding,
            r.corrective_action,
            dt.date.fromisoformat(row["due"]),
            "",  # the response columns: blank, status open
            "",
            None,
            None,
            row["status"].lower(),
            "",
        ]
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=offset, column=col)
            if isinstance(value, dt.date):
                cell.value = value
                cell.number_format = "yyyy-mm-dd"
            else:
                set_value(cell, value)
            cell.alignment = wrap
    last = max(len(rows) + 1, 2)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(PLAN_COLUMNS))}{last}"
    _responses(ws, len(rows))


def _responses(ws: Worksheet, count: int) -> None:
    """The response columns' look and rules: a dropdown for the status, dates within 2000-2100,
    text within TEXT_LIMIT characters. Excel enforces them as the facility types; the import
    checks every cell again, since a file can be written by anything."""
    letters = {
        name: get_column_letter(FIRST_RESPONSE + i) for i, (name, _) in enumerate(contract.RESPONSE_COLUMNS)
    }
    for col in range(FIRST_RESPONSE, len(PLAN_COLUMNS) + 1):
        ws.cell(row=1, column=col).fill = PatternFill("solid", fgColor="7A5200")
        for row in range(2, count + 2):
            ws.cell(row=row, column=col).fill = RESPONSE_FILL
    for name in (contract.TARGET, contract.COMPLETED_ON):
        for row in range(2, count + 2):
            ws[f"{letters[name]}{row}"].number_format = "yyyy-mm-dd"
    if not count:
        return
    statuses = ", ".join(contract.RESPONSE_STATUSES)
    rules = [
        (
            DataValidation(type="list", formula1='"' + ",".join(contract.RESPONSE_STATUSES) + '"'),
            (contract.STATUS,),
            f"{statuses}. Verified is set by a later inspection, not here.",
        ),
        (
            DataValidation(type="date", operator="between", formula1=FIRST_DAY, formula2=LAST_DAY),
            (contract.TARGET, contract.COMPLETED_ON),
            "A date (YYYY-MM-DD). Target: blank means the Due column's date.",
        ),
        (
            DataValidation(type="textLength", operator="lessThanOrEqual", formula1=str(contract.TEXT_LIMIT)),
            (contract.ACTION, contract.RESPONSIBLE, contract.EVIDENCE),
            f"Text, at most {contract.TEXT_LIMIT} characters.",
        ),
    ]
    for rule, names, prompt in rules:
        rule.allow_blank = True
        rule.showErrorMessage = rule.showInputMessage = True
        rule.error, rule.prompt = prompt, prompt
        for name in names:
            rule.add(f"{letters[name]}2:{letters[name]}{count + 1}")
        ws.add_data_validation(rule)


def _needed(ws: Worksheet, results: Results) -> None:
    """Every requirement with undecided records: its three counts, the absent columns and why."""
    _header(ws, NEEDED_COLUMNS)
    wrap = Alignment(wrap_text=True, vertical="top")
    rows = evidence_needed_rows(results)
    for number, row in enumerate(rows, start=1):
        r = row["result"]
        values = [
            number,
            r.requirement_id,
            r.title,
            f"{r.standard_number} {r.standard_name}",
            term("statuses", r.status),
            "Priority" if r.priority else "",
            r.violations,
            r.compliant,
            r.indeterminate,
            r.population,
            humanise(", ".join(r.absent_columns)),
            humanise(row["why"]),
            SUPPLY,
            "",
        ]
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=number + 1, column=col)
            set_value(cell, value)
            cell.alignment = wrap
    ws.auto_filter.ref = f"A1:{get_column_letter(len(NEEDED_COLUMNS))}{max(len(rows) + 1, 2)}"


def _evidence(ws: Worksheet, results: Results) -> None:
    _header(ws, EVIDENCE_COLUMNS)
    row = 2
    for r in results.results:
        if not (r.deficient or r.status == "indeterminate"):
            continue
        for e in r.evidence:
            cells = " · ".join(
                f"{c['ref']} {column_label(c['column'], e.sheet)}={c['value']}" for c in e.cells
            )
            shown = (r.requirement_id, term("statuses", r.status), e.sheet, e.row, cells)
            for col, value in enumerate((*shown, humanise(e.detail), term("verdicts", e.verdict)), start=1):
                set_value(ws.cell(row=row, column=col), value)
            row += 1
    ws.auto_filter.ref = f"A1:{get_column_letter(len(EVIDENCE_COLUMNS))}{max(row - 1, 2)}"


def _about(ws: Worksheet, results: Results) -> None:
    f, i, s, head = results.facility, results.inspection, results.summary, headline(results)
    pairs = [
        ("Facility", f"{f['facility_name']} ({f['facility_id']})"),
        (contract.ABOUT_FACILITY_ID, f["facility_id"]),
        ("Facility type", term("facility_types", f["facility_type"])),
        ("AOR", term("aors", f["aor"])),
        (contract.ABOUT_INSPECTION_ID, i["inspection_id"]),
        ("On site", f"{i['inspection_start']} to {i['inspection_end']}"),
        ("Review period", f"{i['review_period_start']} to {i['review_period_end']}"),
        ("Standards", f"{results.standards['edition']} (catalogue {results.standards['catalogue_version']})"),
        ("Standards SHA-256", results.standards["sha256"]),
        (
            "Deficiencies",
            f"{s.deficient} ({s.priority_deficiencies} priority, {s.repeat_deficiencies} repeat)",
        ),
        ("Requirements decided", head.decided_text),
        ("Indeterminate (not compliant)", f"{s.indeterminate} (see Evidence needed)"),
        ("Compliant", str(s.compliant)),
        ("Rating (auditor policy, not ICE)", f"{s.rating}: {s.rating_reason}"),
        ("Coverage minimum", head.coverage_rule),
        *((f"Input {x['name']}", x["sha256"]) for x in results.inputs),
        ("Software", f"{results.software.get('name', 'auditor')} {results.software.get('version', '')}"),
    ]
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 90
    for row, (key, value) in enumerate(pairs, start=1):
        set_value(ws.cell(row=row, column=1), key)
        ws.cell(row=row, column=1).font = Font(bold=True)
        set_value(ws.cell(row=row, column=2), value)
