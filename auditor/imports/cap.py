"""A corrective-action plan coming back: the facility's responses read and checked cell by cell.

The plan is the workbook `auditor ucap` wrote (auditor/contracts/plan.py): one row per
deficiency and six response columns. It comes back from outside, so it is read like an
inspection workbook: in a bounded child process (auditor.untrusted), its container checked
first, every cell typed, and every bad cell reported as a Problem with its Sheet!A1, the value
found and what was expected, all at once; nothing is recorded from a plan with an error. Which
requirement ids are the inspection's deficiencies is the caller's to say (`check_plan`).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from python_calamine import CalamineWorkbook

from auditor import untrusted
from auditor.contracts import plan as contract
from auditor.contracts.problems import Problems, problem
from auditor.errors import WorkbookError
from auditor.workbook.annotate import annotate
from auditor.workbook.cells import column_letter
from auditor.workbook.container import check_container, every_sheet
from auditor.workbook.read import RawWorkbook, _file_bytes, reader_errors
from auditor.workbook.sniff import sniff

PLAN_WIDTH = 64  # the plan fills 18 columns; room for a facility's own notes beside them
MAX_ROWS = 5000  # a plan has one row per deficiency: a few dozen
FIRST_DAY, LAST_DAY = dt.date(2000, 1, 1), dt.date(2100, 12, 31)
DATE_EXPECTED = "a date (YYYY-MM-DD) from 2000 to 2100"
STATUS_EXPECTED = "open, planned or completed"
TEXT_COLUMNS = (contract.ACTION, contract.RESPONSIBLE, contract.EVIDENCE)
DATE_COLUMNS = (contract.TARGET, contract.COMPLETED_ON)


@dataclass
class Response:
    """One row of the plan as the facility filled it in (typed; blank text is None)."""

    requirement_id: str
    row: int  # its Excel row
    status: str  # open, planned or completed (blank: open)
    action_taken: str | None = None
    responsible: str | None = None
    target_date: dt.date | None = None
    completion_date: dt.date | None = None
    evidence_reference: str | None = None


@dataclass
class PlanFile:
    """What was read from a returned plan: its responses, the inspection it names, its problems."""

    path: Path
    sha256: str
    sheet: str  # the plan sheet's name as found
    facility_id: str | None
    inspection_id: str | None
    about_refs: dict[str, str]  # About's key → the A1 ref of its value (for problems)
    responses: list[Response]
    letters: dict[str, str]  # response column → its letter
    problems: list[pd.DataFrame] = field(default_factory=list)
    data: bytes = field(default=b"", repr=False)  # the bytes read: the annotated copy is made from them


def read_plan(path: str | Path) -> PlanFile:
    """Read a returned plan in a bounded child; raises WorkbookError when it is no plan at all."""
    return untrusted.run(_read_here, Path(path), what=str(path))


def check_plan(plan: PlanFile, deficiencies: set[str], *, today: dt.date, inspection: str) -> Problems:
    """Every problem of the plan: its cells' own (read_plan) and requirement ids that are not among
    the inspection's `deficiencies` (named `inspection` in the message) or come twice."""
    parts = list(plan.problems)
    seen: dict[str, int] = {}
    letter = plan.letters.get(contract.REQUIREMENT, "")  # none when the columns are missing: no responses
    for response in plan.responses:
        ref = f"{letter}{response.row}"
        rid = response.requirement_id
        if rid not in deficiencies:
            parts.append(
                _cell(
                    plan.sheet,
                    ref,
                    contract.REQUIREMENT,
                    rid,
                    "unknown-requirement",
                    f"{rid} is not a deficiency of {inspection}",
                    "a requirement id of the plan as it went out",
                )
            )
        elif rid in seen:
            parts.append(
                _cell(
                    plan.sheet,
                    ref,
                    contract.REQUIREMENT,
                    rid,
                    "duplicate-requirement",
                    f"{rid} is answered twice (also in row {seen[rid]})",
                    "one row per requirement",
                )
            )
        seen.setdefault(rid, response.row)
        done = response.completion_date
        if done is not None and done > today:
            parts.append(
                _cell(
                    plan.sheet,
                    f"{plan.letters[contract.COMPLETED_ON]}{response.row}",
                    contract.COMPLETED_ON,
                    done.isoformat(),
                    "completion-in-future",
                    f"the completion date is after today ({today.isoformat()})",
                    "the day the action was completed, not a later one",
                )
            )
    return Problems.collect(parts, [plan.sheet, contract.ABOUT_SHEET])


def annotate_plan(plan: PlanFile, problems: Problems, out: str | Path) -> Path:
    """A copy of the returned plan with every bad cell marked and a Problems sheet (as for a workbook)."""
    raw = RawWorkbook(
        path=plan.path,
        format="xlsx",
        sheets={},
        facility=None,
        sha256=plan.sha256,
        sources={plan.sheet: plan.sheet, contract.ABOUT_SHEET: contract.ABOUT_SHEET},
        data=plan.data,
    )
    return annotate(raw, problems, out)


# ---------------------------------------------------------------------------- in the bounded child


def _read_here(path: Path) -> PlanFile:
    import hashlib

    data = _file_bytes(path)
    if sniff(path, data) != "xlsx":
        raise WorkbookError(
            f"{path}: not an .xlsx workbook; the plan comes back as the .xlsx `auditor ucap` wrote "
            "(save it from Excel or LibreOffice as 'Excel Workbook (.xlsx)')"
        )
    check_container(path, "xlsx", every_sheet(PLAN_WIDTH), data=data)
    with reader_errors(f"{path}: the workbook cannot be opened"):
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = list(book.sheet_names)
    if contract.PLAN_SHEET not in names:
        raise WorkbookError(
            f"{path}: no sheet {contract.PLAN_SHEET!r}: not a corrective-action plan written by "
            f"`auditor ucap` (its sheets are {', '.join(repr(n) for n in names[:8])})"
        )
    rows = _rows(book, path, contract.PLAN_SHEET)
    about = _rows(book, path, contract.ABOUT_SHEET) if contract.ABOUT_SHEET in names else []
    plan = PlanFile(
        path=path,
        sha256=hashlib.sha256(data).hexdigest(),
        sheet=contract.PLAN_SHEET,
        facility_id=None,
        inspection_id=None,
        about_refs={},
        responses=[],
        letters={},
        data=data,
    )
    _about(plan, about)
    _responses(plan, rows)
    return plan


def _rows(book: CalamineWorkbook, path: Path, name: str) -> list[list[Any]]:
    with reader_errors(f"{path}: sheet {name!r} cannot be read"):
        rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)  # from A1: refs stay true
    if len(rows) > MAX_ROWS + 1:
        raise WorkbookError(f"{path}: sheet {name!r} has {len(rows):,} rows; a plan has one per deficiency")
    return [list(row) for row in rows]


def _about(plan: PlanFile, rows: list[list[Any]]) -> None:
    """The facility and inspection the plan is for, from its About sheet (column A the key, B the value)."""
    found: dict[str, tuple[Any, str]] = {}
    for index, row in enumerate(rows, start=1):
        if (
            row
            and isinstance(row[0], str)
            and row[0].strip()
            in (
                contract.ABOUT_FACILITY_ID,
                contract.ABOUT_INSPECTION_ID,
            )
        ):
            found.setdefault(row[0].strip(), (row[1] if len(row) > 1 else None, f"B{index}"))
    for key in (contract.ABOUT_FACILITY_ID, contract.ABOUT_INSPECTION_ID):
        value, ref = found.get(key, (None, None))
        text = _text(value)
        if ref is None or not isinstance(text, str) or not text or len(text) > 200:
            plan.problems.append(
                problem(
                    "plan-about",
                    f"the About sheet names no {key.lower()}: the plan cannot be matched to an inspection",
                    sheet=contract.ABOUT_SHEET,
                    cell=ref,
                    value=None if ref is None else _plain(value),
                    expected=f"the {key.lower()} the plan was written for",
                )
            )
            continue
        plan.about_refs[key] = ref
        if key == contract.ABOUT_FACILITY_ID:
            plan.facility_id = text
        else:
            plan.inspection_id = text


def _responses(plan: PlanFile, rows: list[list[Any]]) -> None:
    header = [cell.strip() if isinstance(cell, str) else cell for cell in (rows[0] if rows else [])]
    wanted = (contract.REQUIREMENT, *(name for name, _ in contract.RESPONSE_COLUMNS))
    positions = {name: header.index(name) for name in wanted if name in header}
    missing = [name for name in wanted if name not in positions]
    if missing:
        plan.problems.append(
            problem(
                "plan-columns",
                f"the sheet has no column {', '.join(repr(m) for m in missing)} in row 1: write the plan "
                "again with `auditor ucap` and fill in its response columns",
                sheet=plan.sheet,
                expected=", ".join(wanted),
            )
        )
        return
    plan.letters = {name: column_letter(index) for name, index in positions.items()}
    for index, row in enumerate(rows[1:], start=2):
        cells = {name: row[at] if at < len(row) else None for name, at in positions.items()}
        if all(_blank(v) for v in cells.values()):
            continue
        _response(plan, index, cells)


def _response(plan: PlanFile, row: int, cells: dict[str, Any]) -> None:
    before = len(plan.problems)

    def bad(name: str, code: str, message: str, expected: str, value: Any = None) -> None:
        value = cells[name] if value is None else value
        plan.problems.append(
            _cell(plan.sheet, f"{plan.letters[name]}{row}", name, _plain(value), code, message, expected)
        )

    rid = _text(cells[contract.REQUIREMENT])
    if not isinstance(rid, str) or not rid:
        bad(
            contract.REQUIREMENT,
            "blank-requirement",
            "a response without a requirement id",
            "the row's requirement id",
        )
        return
    texts: dict[str, str | None] = {}
    for name in TEXT_COLUMNS:
        value = _text(cells[name])
        if not isinstance(value, str | None):
            bad(name, "not-text", f"{name}: {value!r} is not text", "text")
        elif value is not None and len(value) > contract.TEXT_LIMIT:
            bad(
                name,
                "text-too-long",
                f"{name}: {len(value):,} characters",
                f"at most {contract.TEXT_LIMIT:,} characters",
                value[:60] + "…",
            )
        else:
            texts[name] = value or None
    dates = {name: _date(cells[name]) for name in DATE_COLUMNS}
    for name, day in dates.items():
        if day is False:
            bad(name, "not-a-date", f"{name}: not a date", DATE_EXPECTED)
    status_text = _text(cells[contract.STATUS])
    status = status_text.lower() if isinstance(status_text, str) and status_text else "open"
    if status not in contract.RESPONSE_STATUSES:
        message = (
            "only a later inspection verifies a correction: say completed, with the evidence"
            if status in ("verified", "closed")
            else f"status {status_text!r} is not one the plan knows"
        )
        bad(contract.STATUS, "bad-status", message, STATUS_EXPECTED)
    done = dates[contract.COMPLETED_ON]
    if status == "completed":
        if done is None:
            bad(
                contract.COMPLETED_ON,
                "completion-missing",
                "completed, but no completion date",
                "the day the action was completed",
            )
        if texts.get(contract.EVIDENCE, "") is None:
            bad(
                contract.EVIDENCE,
                "evidence-missing",
                "completed, but no evidence reference",
                "where the evidence of the correction is (a document, log or file)",
            )
    elif status in contract.RESPONSE_STATUSES and isinstance(done, dt.date):
        bad(
            contract.STATUS,
            "status-not-completed",
            f"a completion date is given but the status is {status}",
            "completed (or no completion date)",
        )
    if status in ("planned", "completed"):
        for name in (contract.ACTION, contract.RESPONSIBLE):
            if texts.get(name, "") is None:
                bad(name, "response-missing", f"{status}, but {name.lower()} is blank", f"the {name.lower()}")
    if len(plan.problems) > before:
        # still listed, so that check_plan reports an unknown id too; never recorded (errors)
        day = done if isinstance(done, dt.date) else None  # check_plan still sees a future completion
        plan.responses.append(Response(rid, row, "open", completion_date=day))
        return
    plan.responses.append(
        Response(
            requirement_id=rid,
            row=row,
            status=status,
            action_taken=texts[contract.ACTION],
            responsible=texts[contract.RESPONSIBLE],
            target_date=dates[contract.TARGET] or None,
            completion_date=done or None,
            evidence_reference=texts[contract.EVIDENCE],
        )
    )


def _cell(
    sheet: str, ref: str, column: str, value: Any, code: str, message: str, expected: str
) -> pd.DataFrame:
    return problem(
        code,
        message,
        sheet=sheet,
        cell=ref,
        column=column,
        row=int("".join(ch for ch in ref if ch.isdigit())),
        value=value,
        expected=expected,
    )


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: Any) -> Any:
    """Text as typed (stripped); a whole number typed in a text cell is its digits; anything else as is."""
    if isinstance(value, str):
        return value.strip()
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


def _date(value: Any) -> dt.date | bool | None:
    """The day a cell holds; None when blank; False when it is no date within FIRST_DAY..LAST_DAY."""
    if _blank(value):
        return None
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    elif isinstance(value, str):
        try:
            day = dt.date.fromisoformat(value.strip())
        except ValueError:
            return False
        if len(value.strip()) != 10:  # only YYYY-MM-DD, not Python's other ISO spellings
            return False
    else:
        return False
    return day if FIRST_DAY <= day <= LAST_DAY else False


def _plain(value: Any) -> Any:
    if _blank(value):
        return None
    if isinstance(value, dt.datetime | dt.date | dt.time | dt.timedelta):
        return str(value)
    return value
