"""Validation: pandera schemas built from the declarations, then the cross-sheet and row checks.

Every failure becomes one Problem naming the sheet, the cell, the value the inspector typed
and what was expected.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.dtypes import immutable
from pandera.engines import pandas_engine

from auditor.contracts import facility_time
from auditor.contracts.problems import cell_problems, problem
from auditor.workbook import declarations as decl
from auditor.workbook.declarations import Column, Kind, Sheet
from auditor.workbook.read import RawSheet


@immutable(init=True)
class Text(pandas_engine.STRING):
    """pandera's `string`, whose check of a column already of that type says so in one word: its
    own answers one True per cell, and pandera then builds and prints an empty table of failure
    cases for every text column of every sheet (a third of the time of validating a small sheet).
    Any other type is checked as pandera checks it, cell by cell."""

    def check(self, pandera_dtype: Any, data_container: Any = None) -> Any:
        if pandas_engine.Engine.dtype(pandera_dtype).type == self.type:
            return True
        return super().check(pandera_dtype, data_container)


_DTYPES = {
    Kind.TEXT: Text(),
    Kind.ENUM: Text(),
    Kind.INT: "Int64",
    Kind.NUMBER: "Float64",
    Kind.BOOL: "boolean",
    Kind.DATE: "datetime64[ns]",
    Kind.DATETIME: "datetime64[ns]",
}

_CHECK_MESSAGES = {
    "not_nullable": ("required", "a value is required here"),
    "isin": ("not_allowed", "not one of the allowed values"),
    "greater_than_or_equal_to": ("out_of_range", "below the allowed minimum"),
    "less_than_or_equal_to": ("out_of_range", "above the allowed maximum"),
    "field_uniqueness": ("duplicate", "appears more than once; each value must be unique"),
}


def pandera_column(column: Column) -> pa.Column:
    """The pandera declaration of one workbook column."""
    checks = []
    if column.choices:
        checks.append(pa.Check.isin(list(column.choices)))
    if column.minimum is not None:
        checks.append(pa.Check.ge(column.minimum))
    if column.maximum is not None:
        checks.append(pa.Check.le(column.maximum))
    return pa.Column(
        _DTYPES[column.kind],
        checks=checks,
        nullable=not column.required,
        unique=column.unique,
        required=False,
        title=column.name,
        description=column.description,
    )


@cache
def schema(sheet_name: str, present: frozenset[str]) -> pa.DataFrameSchema:
    """The pandera schema of a sheet, for the declared columns the input has."""
    declared = decl.sheet(sheet_name)
    key = list(declared.key) if set(declared.key) <= present else None
    return pa.DataFrameSchema(
        {c.name: pandera_column(c) for c in declared.columns if c.name in present},
        unique=key,
        name=sheet_name,
        strict=False,
    )


def validate_sheet(frame: pd.DataFrame, raw: RawSheet, declared: Sheet) -> list[pd.DataFrame]:
    """Schema problems of one sheet (types, enums, ranges, required values, uniqueness)."""
    present = frozenset(c for c in frame.columns if c in declared.column_names)
    try:
        schema(declared.name, present).validate(frame, lazy=True, inplace=True)  # no copy
    except pa.errors.SchemaErrors as errors:
        return _failures(errors.failure_cases, raw, declared)
    return []


def _failures(cases: pd.DataFrame, raw: RawSheet, declared: Sheet) -> list[pd.DataFrame]:
    # A failure of a whole column (no row) cannot happen with parsed frames; never drop one silently.
    out = [
        problem("invalid", f"column {column!r} fails the check {check}", sheet=declared.name, column=column)
        for (column, check), _ in cases[cases["index"].isna()].groupby(["column", "check"], sort=False)
    ]
    cases = cases[cases["index"].notna()]
    key_first = declared.key[0] if declared.key else None
    for (column, check), group in cases.groupby(["column", "check"], sort=False):
        name = str(check).split("(")[0]
        if name == "multiple_fields_uniqueness":
            if column != key_first:
                continue
            code = "duplicate"
            message = f"the combination {' + '.join(declared.key)} appears more than once"
        elif name in _CHECK_MESSAGES:
            code, message = _CHECK_MESSAGES[name]
        else:
            code, message = "invalid", f"fails the check {check}"
        rows = pd.Index(group["index"].astype("int64").unique())
        rows = rows[rows.isin(raw.frame.index)]
        out.append(
            cell_problems(
                sheet=declared.name,
                column=column,
                letter=raw.letters[column],
                rows=rows,
                values=raw.frame.loc[rows, column],
                code=code,
                message=message,
                expected=declared.column(column).expected,
            )
        )
    return out


def conditional_required(frame: pd.DataFrame, raw: RawSheet, declared: Sheet) -> list[pd.DataFrame]:
    """Values required only on some rows (remarks for a deficient finding, area for a fire drill)."""
    out = []
    for column, when, values in declared.required_when:
        if when not in frame.columns:
            continue
        needed = frame[when].isin(values).fillna(False)
        if column in frame.columns:
            missing = needed & frame[column].isna()
            if missing.any():
                rows = frame.index[missing.to_numpy()]
                out.append(
                    cell_problems(
                        sheet=declared.name,
                        column=column,
                        letter=raw.letters[column],
                        rows=rows,
                        values=[None] * len(rows),
                        code="required",
                        message=f"required when {when} is " + " or ".join(values),
                        expected=declared.column(column).expected,
                    )
                )
        elif needed.any():
            out.append(
                problem(
                    "missing_column",
                    f"the column {column!r} is required because some rows have {when} " + " or ".join(values),
                    sheet=declared.name,
                    column=column,
                )
            )
    return out


def row_order(
    frame: pd.DataFrame, raw: RawSheet, declared: Sheet, zone: str | None = None
) -> list[pd.DataFrame]:
    """Row-level sanity: a screening before arrival, a release before arrival, an end before a start."""
    out = []
    for earlier, later, meaning in declared.order:
        if earlier not in frame.columns or later not in frame.columns:
            continue
        first, second = frame[earlier], frame[later]
        wrong = (second < first).fillna(False)
        if not wrong.any():
            continue
        rows = frame.index[wrong.to_numpy()]
        message = f"{meaning}: {later} is earlier than {earlier} (" + when(first[wrong], zone) + ")"
        out.append(
            cell_problems(
                sheet=declared.name,
                column=later,
                letter=raw.letters[later],
                rows=rows,
                values=when(second[wrong], zone),
                code="out_of_order",
                message=message,
                expected=f"no earlier than {earlier}",
            )
        )
    return out


def when(values: pd.Series, zone: str | None = None) -> pd.Series:
    """Dates and times as the problem's value: the same text whatever the source (xlsx or CSV).

    Datetimes are UTC instants: shown in the facility's local time, as the inspector wrote them."""
    stamps = values.to_numpy(dtype="datetime64[us]")
    if zone is not None:
        stamps = facility_time.utc_to_local(stamps, zone)
    # numpy's ISO text, to the day, the minute or the second (pandas' strftime took 3 ms a call:
    # a third of validating a 10,000-admission inspection went in a few dozen of them)
    minutes = np.char.replace(np.datetime_as_string(stamps, unit="m"), "T", " ")
    text = np.where(
        stamps == stamps.astype("datetime64[D]"),
        np.datetime_as_string(stamps, unit="D"),
        np.where(
            stamps.astype("datetime64[s]") != stamps.astype("datetime64[m]"),
            np.char.replace(np.datetime_as_string(stamps, unit="s"), "T", " "),
            minutes,
        ),
    ).astype(object)
    text[np.isnat(stamps)] = np.nan  # as strftime gives a missing time
    return pd.Series(text, index=values.index, dtype=object)


def references(
    frames: dict[str, pd.DataFrame], raws: dict[str, RawSheet], declared: Sheet
) -> list[pd.DataFrame]:
    """Cross-sheet checks: every reference must name a row of the other sheet."""
    out = []
    frame, raw = frames[declared.name], raws[declared.name]
    for column, other, other_column in declared.references:
        if column not in frame.columns:
            continue
        if other not in frames:
            if frame[column].notna().any() and declared.column(column).required:
                out.append(
                    problem(
                        "missing_sheet",
                        f"{declared.name} refers to {other} by {column}, but there is no {other} "
                        f"sheet; the {declared.name} rows cannot be used",
                        sheet=declared.name,
                        severity="warning",
                    )
                )
            continue
        known = frames[other].get(other_column, pd.Series([], dtype="string"))
        values = frame[column]
        unknown = values.notna() & (positions(values, known) < 0)
        if unknown.any():
            rows = frame.index[unknown.to_numpy()]
            # the text as written; once dropped (load(text=False)), the typed value: a reference
            # column is text, typed as the same trimmed string
            written = raw.frame if column in raw.frame else frame
            out.append(
                cell_problems(
                    sheet=declared.name,
                    column=column,
                    letter=raw.letters[column],
                    rows=rows,
                    values=written.loc[rows, column],
                    code="unknown_reference",
                    message=f"not found in {other}.{other_column}",
                    expected=f"a value of {other}.{other_column}",
                )
            )
    return out


def positions(values: pd.Series, keys: pd.Series) -> np.ndarray:
    """Where each value first appears among `keys` (-1 when absent), hashed in Arrow: 7× pandas."""
    import pyarrow as pa
    import pyarrow.compute as pc

    found = pc.index_in(pa.array(values.astype("string")), value_set=pa.array(keys.dropna().astype("string")))
    return found.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)


def checks_outside_placements(
    frames: dict[str, pd.DataFrame], raws: dict[str, RawSheet], zone: str | None = None
) -> list[pd.DataFrame]:
    """Checks logged before a placement started or after it ended (a warning: they are not used)."""
    if "Checks" not in frames or "Placements" not in frames:
        return []
    checks, placements = frames["Checks"], frames["Placements"]
    if not {"placement_id", "checked"} <= set(checks) or not {"placement_id", "start"} <= set(placements):
        return []
    window = placements.drop_duplicates("placement_id")
    where = positions(checks["placement_id"], window["placement_id"])
    found = where >= 0  # unknown placements are reported by references()
    checked = checks["checked"].to_numpy()
    start = window["start"].to_numpy()[where]
    outside = found & (checked < start)
    if "end" in window:
        end = window["end"].to_numpy()[where]
        outside |= found & (checked > end)  # NaT (still open) compares False
    outside = pd.Series(outside, index=checks.index)
    if not outside.any():
        return []
    rows = checks.index[outside.to_numpy()]
    raw = raws["Checks"]
    return [
        cell_problems(
            sheet="Checks",
            column="checked",
            letter=raw.letters["checked"],
            rows=rows,
            values=when(checks.loc[rows, "checked"], zone),
            code="outside_placement",
            message="logged outside its placement's start and end; it is not counted",
            expected="a time between the placement's start and end",
            severity="warning",
        )
    ]


# Columns that close a stay (empty = still open at the period's end): later than the period is usual.
STAY_ENDS = {("Intake", "release"), ("Placements", "end")}
# Date columns that are events (the others are birthdays, training and credential dates).
EVENT_DAYS = {("UseOfForce", "after_action_review"), ("Activities", "date"), ("SafetyLog", "date")}


def events_after_period(
    frames: dict[str, pd.DataFrame], raws: dict[str, RawSheet], last_day: Any, zone: str | None = None
) -> list[pd.DataFrame]:
    """Events dated after the review period's last day (a warning: the records should stop there).

    Datetimes are compared as UTC instants with the end of the facility's last local day; admissions
    before the period are ordinary long stays and are not flagged."""
    if last_day is None:
        return []
    day = np.array([last_day], dtype="datetime64[D]")
    end = facility_time.day_ends(day, zone)[0]
    out = []
    for name, frame in frames.items():
        declared = decl.SHEETS_BY_NAME.get(name)
        for column in declared.columns if declared else ():
            event = column.kind is Kind.DATETIME or (name, column.name) in EVENT_DAYS
            if not event or (name, column.name) in STAY_ENDS or column.name not in frame:
                continue
            values = frame[column.name].to_numpy(dtype="datetime64[us]")
            instants = column.kind is Kind.DATETIME  # UTC; a date column holds the facility's days
            limit = end if instants else day[0].astype("datetime64[us]")
            late = values > limit  # NaT compares False
            if late.any():
                rows = frame.index[late]
                out.append(
                    cell_problems(
                        sheet=name,
                        column=column.name,
                        letter=raws[name].letters[column.name],
                        rows=rows,
                        values=when(frame.loc[rows, column.name], zone if instants else None),
                        code="after_review_period",
                        message="dated after the review period's last day",
                        expected=f"no later than the review period's end ({pd.Timestamp(day[0]).date()})",
                        severity="warning",
                    )
                )
    return out


def events_after_release(
    frames: dict[str, pd.DataFrame], raws: dict[str, RawSheet], zone: str | None = None
) -> list[pd.DataFrame]:
    """An Intake event dated after the release that ends its stay (a warning: outside the stay)."""
    frame = frames.get("Intake")
    if frame is None or "release" not in frame:
        return []
    release = frame["release"].to_numpy(dtype="datetime64[us]")
    if "arrival" in frame:  # a release before its arrival is out of order: that error says enough
        release = np.where(
            release < frame["arrival"].to_numpy(dtype="datetime64[us]"), np.datetime64("NaT"), release
        )
    out = []
    for column in decl.INTAKE.columns:
        if (
            column.kind is not Kind.DATETIME
            or column.name in ("arrival", "release")
            or column.name not in frame
        ):
            continue
        after = frame[column.name].to_numpy(dtype="datetime64[us]") > release  # NaT compares False
        if after.any():
            rows = frame.index[after]
            out.append(
                cell_problems(
                    sheet="Intake",
                    column=column.name,
                    letter=raws["Intake"].letters[column.name],
                    rows=rows,
                    values=when(frame.loc[rows, column.name], zone),
                    code="outside_stay",
                    message="dated after this stay's release ("
                    + when(frame.loc[rows, "release"], zone)
                    + ")",
                    expected="a time between arrival and release",
                    severity="warning",
                )
            )
    return out
