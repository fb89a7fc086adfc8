"""Text cells → typed columns, vectorised; every cell that does not parse becomes a Problem.

Dates and numbers are parsed here rather than by pandera's coercion (which re-parses bad
text value by value, hundreds of times slower). Nothing is guessed: `03/04/2026` is refused,
never read as March or April.
"""

from __future__ import annotations

import pandas as pd

from auditor.workbook.declarations import Column, Kind, Sheet
from auditor.workbook.problems import cell_problems
from auditor.workbook.read import RawSheet

_DATETIME = r"\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_DATE = r"\d{4}-\d{2}-\d{2}(?:[ T]00:00(?::00(?:\.0+)?)?)?"
_DATE_WITH_TIME = r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?"
_SLASHED = r"\d{1,4}[/.]\d{1,2}[/.]\d{1,4}(?:[ T].*)?"
_TRUE = {"true", "yes", "y", "1", "1.0"}
_FALSE = {"false", "no", "n", "0", "0.0"}


def parse_sheet(raw: RawSheet, declared: Sheet) -> tuple[pd.DataFrame, list[pd.DataFrame]]:
    """Typed frame (index = Excel row) and the problems of cells that would not parse."""
    typed = {}
    problems: list[pd.DataFrame] = []
    for name in raw.frame.columns:
        text = raw.frame[name]
        if name not in declared.column_names:
            typed[name] = text  # unknown columns are kept as text
            continue
        column = declared.column(name)
        values, bad, message = parse_column(text, column)
        typed[name] = values
        if bad is not None and bad.any():
            problems.append(
                cell_problems(
                    sheet=declared.name, column=name, letter=raw.letters[name],
                    rows=text.index[bad.to_numpy()], values=text[bad], code=message[0],
                    message=message[1] if isinstance(message[1], str) else message[1][bad],
                    expected=column.expected,
                )
            )
    frame = pd.DataFrame(typed, index=raw.frame.index)
    return frame, problems


def parse_column(
    text: pd.Series, column: Column
) -> tuple[pd.Series, pd.Series | None, tuple[str, str | pd.Series]]:
    """Parse one column. Returns (values, mask of cells that failed, (code, message))."""
    kind = column.kind
    if kind is Kind.TEXT:
        return text.astype("string"), None, ("", "")
    if kind is Kind.ENUM:
        return _enum(text, column), None, ("", "")
    if kind in (Kind.INT, Kind.NUMBER):
        return _number(text, integer=kind is Kind.INT)
    if kind is Kind.BOOL:
        return _bool(text)
    return _datetime(text, date_only=kind is Kind.DATE)


def _enum(text: pd.Series, column: Column) -> pd.Series:
    """Match allowed values ignoring case and spaces; anything else is left for the schema to flag."""
    canonical = {choice.casefold(): choice for choice in column.choices}
    folded = text.astype("string").str.casefold()
    mapped = folded.map(canonical, na_action="ignore")
    return mapped.where(mapped.notna(), text).astype("string")


def _number(text: pd.Series, integer: bool):
    numbers = pd.to_numeric(text, errors="coerce")
    bad_text = text.notna() & numbers.isna()
    if integer:
        fractional = numbers.notna() & (numbers % 1 != 0)
        bad = bad_text | fractional
        values = numbers.where(~fractional).round().astype("Int64")
        return values, bad, ("not_a_whole_number", "not a whole number")
    return numbers.astype("Float64"), bad_text, ("not_a_number", "not a number")


def _bool(text: pd.Series):
    folded = text.astype("string").str.casefold()
    true = folded.isin(_TRUE).fillna(False)
    false = folded.isin(_FALSE).fillna(False)
    values = pd.Series(pd.NA, index=text.index, dtype="boolean")
    values[true.to_numpy()] = True
    values[false.to_numpy()] = False
    bad = text.notna() & ~true & ~false
    return values, bad, ("not_a_boolean", "not TRUE/FALSE, Yes/No, Y/N or 1/0")


def _datetime(text: pd.Series, date_only: bool):
    present = text.notna()
    strings = text.astype("string")
    iso = strings.str.fullmatch(_DATE if date_only else _DATETIME).fillna(False)
    values = pd.to_datetime(strings.where(iso), format="ISO8601", errors="coerce")
    if values.dt.tz is not None:  # pragma: no cover - the patterns admit no offsets
        values = values.dt.tz_localize(None)
    values = values.astype("datetime64[us]")
    if date_only:
        values = values.dt.normalize()
    bad = present & values.isna()
    if not bad.any():
        return values, bad, ("", "")
    failed = strings[bad]
    slashed = failed.str.fullmatch(_SLASHED).fillna(False)
    with_time = failed.str.fullmatch(_DATE_WITH_TIME).fillna(False) if date_only else slashed & False
    unreal = failed.str.fullmatch(_DATETIME).fillna(False) & ~with_time
    message = pd.Series(
        "not a date and time" if not date_only else "not a date", index=failed.index, dtype="object"
    )
    message[slashed.to_numpy()] = (
        "ambiguous date: write it as YYYY-MM-DD (or use an Excel date); "
        "03/04/2026 could be 3 April or March 4, so it is never guessed"
    )
    message[unreal.to_numpy()] = "not a real calendar date"
    message[with_time.to_numpy()] = "a date is expected here, without a time of day"
    full = pd.Series("", index=text.index, dtype="object")
    full[bad.to_numpy()] = message.to_numpy()
    return values, bad, ("bad_date", full)
