"""The Facility sheet's fields, typed: one value per field, each checked as its column declares.

The fields are parsed by kind, all the fields of one kind in one call of the column parser (a
Facility sheet has about seventeen fields and an importer writes one per folder: one Series per
field cost more than the rest of a small folder's loading).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from auditor.contracts.problems import cell_problems, problem
from auditor.workbook import declarations as decl
from auditor.workbook.ids import facility_id_problem
from auditor.workbook.parse import parse_column

Given = tuple[decl.Column, str, int]  # a field, its text and its Excel row


def facility_fields(fields: pd.DataFrame, parts: list[pd.DataFrame]) -> tuple[dict[str, Any], dict[str, int]]:
    """The Facility fields (index field, columns value / row), typed; a field that is missing or
    invalid is None (and a Problem appended to `parts`). Returns the values and their rows."""
    values: dict[str, Any] = {}
    rows: dict[str, int] = {}
    given: list[Given] = []
    texts, where = fields["value"].to_dict(), fields["row"].to_dict()  # not .loc once per field
    scoped = _given(texts.get("scope"))
    for column in decl.FACILITY.columns:
        values[column.name] = None
        row = int(where[column.name]) if column.name in where else None
        if row is not None:
            rows[column.name] = row
        text = texts.get(column.name)
        if text is None or pd.isna(text):
            if column.required and not (scoped and column.optional_in_scope):
                parts.append(_missing_field(column, row))
            continue
        given.append((column, text, row))
    for same_parse in _by_parse(given):
        for (column, _, _), (value, failure) in zip(same_parse, _field_values(same_parse), strict=True):
            values[column.name] = value
            if failure is not None:
                parts.append(failure)
    parts += _out_of_order(values, rows)
    return values, rows


def _by_parse(given: list[Given]) -> list[list[Given]]:
    """The fields in groups parsed alike: by kind, except a closed list's own choices."""
    groups: dict[object, list[Given]] = {}
    for field in given:
        column = field[0]
        groups.setdefault(column.name if column.kind is decl.Kind.ENUM else column.kind, []).append(field)
    return list(groups.values())


def _field_values(fields: list[Given]) -> list[tuple[Any, pd.DataFrame | None]]:
    """Each field's typed value, or None and the Problem saying why."""
    series = pd.Series([text for _, text, _ in fields], index=[row for _, _, row in fields], dtype="string")
    parsed, bad, (code, message) = parse_column(series, fields[0][0])
    out: list[tuple[Any, pd.DataFrame | None]] = []
    for i, (column, _, row) in enumerate(fields):
        if bad is not None and bool(bad.iloc[i]):
            why = (code if isinstance(code, str) else str(code.iloc[i]),
                   message if isinstance(message, str) else str(message.iloc[i]))  # fmt: skip
        else:
            value = _scalar(parsed.iloc[i])
            why = _field_check(column, value)
            if not why[0]:
                out.append((value, None))
                continue
        failure = cell_problems(
            sheet="Facility",
            column=column.name,
            letter="B",
            rows=[row],
            values=series.iloc[i : i + 1],
            code=why[0],
            message=why[1],
            expected=column.expected,
        )
        out.append((None, failure))
    return out


def _out_of_order(values: dict[str, Any], rows: dict[str, int]) -> list[pd.DataFrame]:
    found = []
    for earlier, later, meaning in decl.FACILITY.order:
        first, second = values.get(earlier), values.get(later)
        if first is not None and second is not None and second < first:
            found.append(
                problem(
                    "out_of_order",
                    f"{meaning}: {later} is earlier than {earlier} ({first})",
                    sheet="Facility",
                    column=later,
                    cell=f"B{rows[later]}",
                    row=rows[later],
                    value=str(second),
                    expected=f"no earlier than {earlier}",
                )
            )
    return found


def _given(value: Any) -> bool:
    return value is not None and not pd.isna(value) and bool(str(value).strip())


def _missing_field(column: decl.Column, row: int | None) -> pd.DataFrame:
    where = "" if row is not None else "; add a row with it in column A and its value in column B"
    return problem(
        "required",
        f"the Facility field {column.name!r} is required{where}",
        sheet="Facility",
        column=column.name,
        cell=f"B{row}" if row is not None else None,
        row=row,
        expected=column.expected,
    )


def _field_check(column: decl.Column, value: Any) -> tuple[str, str]:
    """The schema's checks (allowed values, range) for one typed Facility value."""
    if column.choices and value not in column.choices:
        return "not_allowed", "not one of the allowed values"
    if column.minimum is not None and value < column.minimum:
        return "out_of_range", "below the allowed minimum"
    if column.maximum is not None and value > column.maximum:
        return "out_of_range", "above the allowed maximum"
    if column.name == "facility_id" and (why := facility_id_problem(value)):
        return "not_an_id", why
    return "", ""


def _scalar(value: Any) -> Any:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.date() if value == value.normalize() else value.to_pydatetime()
    if hasattr(value, "item"):
        return value.item()
    return value
