"""Text cells → typed columns, vectorised; every cell that does not parse becomes a Problem.

Dates and numbers are parsed here rather than by pandera's coercion (which re-parses bad
text value by value, hundreds of times slower). Nothing is guessed: `03/04/2026` is refused,
never read as March or April.

Dates go through Arrow's strict ISO 8601 cast (it refuses 2026-02-30 and is ~10× faster than
pandas). The cast fails a whole column on one bad cell, so a column it refuses is parsed cell by
cell: Arrow for the cells whose digits cannot be unreal, pandas for the few others.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from auditor.contracts import facility_time
from auditor.contracts.problems import cell_problems
from auditor.workbook.declarations import Column, Kind, Sheet
from auditor.workbook.read import RawSheet

_DATETIME = r"\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)?"
_OFFSET = r"(?:[Zz]|[+-]\d{2}(?::?\d{2})?)"  # ISO 8601: Z, +05, -0500, -05:00
_SLASHED = r"\d{1,4}[/.]\d{1,2}[/.]\d{1,4}(?:[ T].*)?"
# a slashed date: its three numbers, and a 24-hour time after it if any
_SLASHED_PARTS = r"^(\d{1,4})[/.](\d{1,2})[/.](\d{1,4})(?:[ T]((?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?))?$"
_TIME_ONLY = r"\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?: ?[AaPp][Mm])?"
_SURELY_REAL = (
    r"^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|1\d|2[0-8])"
    r"(?:[ T](?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,6})?)?)?$"
)
# Excel keeps a time of day typed alone as a fraction of day 0, which readers show as 1899-12-30/31.
_EXCEL_DAY_ZERO = r"1899-12-3[01](?:[ T].*)?"
_DAY_ONE = np.datetime64("1900-01-01", "us")  # stamps before it are Excel's day zero (or earlier)
_ISO_LENGTHS = (10, 16, 19)  # date, date + HH:MM, date + HH:MM:SS (fractions are longer than 20)
_TRUE = ("true", "yes", "y", "1", "1.0")
_FALSE = ("false", "no", "n", "0", "0.0")
_TRUE_SET, _FALSE_SET = pa.array(_TRUE), pa.array(_FALSE)
_MAX_INT = 2**53  # integers beyond this are not exact as numbers (and are never counts or minutes)

MESSAGES = {
    "ambiguous": (
        "ambiguous date: write it as YYYY-MM-DD (or use an Excel date); "
        "03/04/2026 could be 3 April or March 4, so it is never guessed"
    ),
    "unreal": "not a real calendar date or time of day",
    "with_time": "a date is expected here, without a time of day",
    "time_only": "a time of day without a date; enter the date too",
}

Failure = tuple[str | pd.Series, str | pd.Series]  # (code, message): one for all, or per cell


def parse_sheet(
    raw: RawSheet, declared: Sheet, zone: str | None = None
) -> tuple[pd.DataFrame, list[pd.DataFrame]]:
    """Typed frame (index = Excel row) and the problems of cells that would not parse.

    Datetimes written without an offset are the facility's local time (`zone`) and become naive
    UTC instants; those with an offset are converted with their own.
    """
    typed = {}
    problems: list[pd.DataFrame] = []
    for name in raw.frame.columns:
        text = raw.frame[name]
        if name not in declared.column_names:
            typed[name] = text  # unknown columns are kept as text
            continue
        column = declared.column(name)
        if column.kind is Kind.DATETIME:
            values, bad, (code, message) = _instants(text, zone)
        else:
            values, bad, (code, message) = parse_column(text, column)
        typed[name] = values
        if bad is not None and bad.any():
            mask = bad.to_numpy()
            problems.append(
                cell_problems(
                    sheet=declared.name,
                    column=name,
                    letter=raw.letters[name],
                    rows=text.index[mask],
                    values=text[mask],
                    code=code if isinstance(code, str) else code[mask],
                    message=message if isinstance(message, str) else message[mask],
                    expected=column.expected,
                )
            )
    frame = pd.DataFrame(typed, index=raw.frame.index)
    return frame, problems


def parse_column(text: pd.Series, column: Column) -> tuple[pd.Series, pd.Series | None, Failure]:
    """Parse one column. Returns (values, mask of cells that failed, (code, message)).

    code and message are either one string for every failed cell or a Series aligned with text.
    """
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


def arrow_strings(text: pd.Series) -> pa.ChunkedArray:
    """The column as Arrow strings, without a copy when it already is one."""
    array = text.array
    if isinstance(array, pd.arrays.ArrowStringArray):
        return array._pa_array
    return pa.chunked_array([pa.array(text.astype(object).where(text.notna(), None), pa.string())])


def _enum(text: pd.Series, column: Column) -> pd.Series:
    """Allowed values matched ignoring case; anything else is left for the schema to flag."""
    strings = text.astype("string")
    arrow = arrow_strings(strings)
    allowed = pc.is_in(arrow, value_set=pa.array(column.choices, pa.string()))
    if pc.all(pc.or_(allowed, pc.is_null(arrow))).as_py():
        return strings  # the usual case: nothing to fold (Arrow's kernel: pandas' isin costs 5x)
    exact = strings.isin(column.choices) | strings.isna()
    canonical = {choice.lower(): choice for choice in column.choices}
    other = strings[~exact]
    mapped = other.str.lower().map(canonical, na_action="ignore")
    out = strings.copy()
    out[~exact] = mapped.where(mapped.notna(), other)
    return out


def _number(text: pd.Series, integer: bool) -> tuple[pd.Series, pd.Series, Failure]:
    numbers = pd.to_numeric(text.astype("string"), errors="coerce").astype("Float64")
    not_number = text.notna() & numbers.isna()
    if not integer:
        values = numbers.where(~not_number)
        infinite = values.notna() & ~np.isfinite(values.fillna(0).to_numpy(dtype="float64"))
        return values.where(~infinite), not_number | infinite, ("not_a_number", "not a number")
    plain = numbers.fillna(0).to_numpy(dtype="float64")
    finite = np.isfinite(plain) & (np.abs(plain) < _MAX_INT)
    whole = finite & (np.mod(np.where(finite, plain, 0), 1) == 0)
    fractional = pd.Series(numbers.notna().to_numpy() & ~whole, index=text.index)
    values = numbers.where(~fractional).round().astype("Int64")
    bad = not_number | fractional
    code = pd.Series("not_a_whole_number", index=text.index, dtype=object)
    code[not_number.to_numpy()] = "not_a_number"
    message = pd.Series("not a whole number", index=text.index, dtype=object)
    message[not_number.to_numpy()] = "not a number"
    return values, bad, (code, message)


def _bool(text: pd.Series) -> tuple[pd.Series, pd.Series, Failure]:
    # Arrow's kernels straight on the strings (casefold loops in Python; pandas' own isin and
    # fillna cost four times as much on an importer's small sheets)
    folded = pc.utf8_lower(arrow_strings(text.astype("string")))
    true = pc.fill_null(pc.is_in(folded, value_set=_TRUE_SET), False).to_numpy(zero_copy_only=False)
    false = pc.fill_null(pc.is_in(folded, value_set=_FALSE_SET), False).to_numpy(zero_copy_only=False)
    neither = ~(true | false)
    values = pd.Series(pd.arrays.BooleanArray(true, neither), index=text.index)
    bad = pd.Series(text.notna().to_numpy() & neither, index=text.index)
    return values, bad, ("not_a_boolean", "not TRUE/FALSE, Yes/No, Y/N or 1/0")


def _instants(text: pd.Series, zone: str | None) -> tuple[pd.Series, pd.Series, Failure]:
    """A datetime column as naive UTC instants. A local time a clock change skipped (spring forward)
    or repeated (fall back) is refused, like an ambiguous date: never guessed; an offset settles it."""
    values, bad, failure, offset = _datetime_and_offsets(text)
    if zone is None:
        return values, bad, failure
    local = values.to_numpy(dtype="datetime64[us]")
    converted, nonexistent, ambiguous = facility_time.local_to_utc(local, zone)
    values = pd.Series(np.where(offset, local, converted), index=text.index)
    nonexistent &= ~offset
    ambiguous &= ~offset
    if not (nonexistent.any() or ambiguous.any()):
        return values, bad, failure
    code, message = _per_cell(failure, text.index)
    code[nonexistent] = "nonexistent_time"
    message[nonexistent] = (
        f"this local time did not exist in {zone}: the clocks sprang forward over it; write the time "
        "the adjusted clock showed, or give its UTC offset (e.g. 2026-03-08T02:30-06:00)"
    )
    code[ambiguous] = "ambiguous_time"
    message[ambiguous] = (
        f"this local time happened twice in {zone} (the clocks fell back), so it is never guessed: "
        "give its UTC offset (e.g. 2026-11-01T01:30-05:00 for the first, -06:00 for the second)"
    )
    undecided = pd.Series(nonexistent | ambiguous, index=text.index)
    return values.where(~undecided), bad | undecided, (code, message)


def _datetime(text: pd.Series, date_only: bool) -> tuple[pd.Series, pd.Series, Failure]:
    if not date_only:
        return _datetime_and_offsets(text)[:3]
    return _wall_times(text, date_only=True)


def _datetime_and_offsets(text: pd.Series) -> tuple[pd.Series, pd.Series, Failure, np.ndarray]:
    """Date-times; a cell with an ISO 8601 offset (`Z`, `-05:00`) is read as its UTC instant and
    marked in the returned mask (no facility zone applies to it)."""
    offset = np.zeros(len(text), dtype=bool)
    strings = arrow_strings(text.astype("string"))
    stamps = _fast_iso(strings)
    if stamps is None:  # only then can a cell carry an offset (Arrow refuses it naive)
        found = pc.match_substring_regex(strings, "^" + _DATETIME + _OFFSET + "$")
        offset = pc.fill_null(found, False).to_numpy(zero_copy_only=False)
    if not offset.any():
        values, bad, failure = _wall_times(text, date_only=False, stamps=stamps)
        return values, bad, failure, offset
    values, bad, failure = _wall_times(text.where(~offset), date_only=False)
    zoned = _offset_instants(text[offset])
    values = values.copy()
    values[offset] = zoned
    unparsed = np.isnat(zoned)
    if unparsed.any():
        wrong = np.zeros(len(text), dtype=bool)
        wrong[np.flatnonzero(offset)[unparsed]] = True
        code, message = _per_cell(failure, text.index)
        code[wrong] = "bad_date"
        message[wrong] = MESSAGES["unreal"]
        return values, bad | wrong, (code, message), offset & ~wrong
    return values, bad, failure, offset


def _per_cell(failure: Failure, index: pd.Index) -> tuple[pd.Series, pd.Series]:
    """A failure's code and message as one value per cell, so more cells' reasons can be set."""
    code, message = (
        part.astype(object)
        if isinstance(part, pd.Series)
        else pd.Series(part or None, index=index, dtype=object)
        for part in failure
    )
    return code, message


def _offset_instants(text: pd.Series) -> np.ndarray:
    """ISO 8601 date-times with an offset as naive UTC (NaT where unreal: 2026-02-30T10:00Z)."""
    strings = arrow_strings(text.astype("string"))
    try:
        utc = pc.cast(strings, pa.timestamp("us", "UTC"))
        return pc.cast(utc, pa.timestamp("us")).to_numpy()
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        parsed = pd.to_datetime(text.astype(object), format="ISO8601", utc=True, errors="coerce")
        return parsed.dt.tz_convert(None).to_numpy(dtype="datetime64[us]")


def _wall_times(
    text: pd.Series, date_only: bool, stamps: np.ndarray | None = None
) -> tuple[pd.Series, pd.Series, Failure]:
    """Dates or date-times without an offset (`stamps`: the fast cast, when already made)."""
    strings = arrow_strings(text.astype("string"))
    stamps = stamps if stamps is not None else _fast_iso(strings)
    if stamps is None:
        stamps = _careful_iso(strings)
    values = pd.Series(stamps, index=text.index)
    # on the numpy arrays: pandas' comparisons of a Series with a Timestamp cost 1 ms a column
    present = ~np.isnat(stamps)
    unparsed = pd.Series(text.notna().to_numpy() & ~present, index=text.index)
    day_zero = pd.Series(present & (stamps < _DAY_ONE), index=text.index)
    if day_zero.any():  # only then look at the text: 1899-12-30/31 is Excel's day zero
        day_zero &= (
            pd.Series(
                pc.match_substring_regex(strings, "^" + _EXCEL_DAY_ZERO + "$").to_numpy(zero_copy_only=False),
                index=text.index,
            )
            .fillna(False)
            .astype(bool)
        )
    with_time = values.notna() & (values != values.dt.normalize()) if date_only else day_zero & False
    bad = unparsed | day_zero | with_time
    if bad.any():
        values = values.where(~bad)
    if date_only:
        values = values.dt.normalize()
    if not bad.any():
        return values, bad, ("", "")
    messages = _date_messages(text.astype("string"), unparsed, day_zero, with_time, date_only)
    return values, bad, ("bad_date", messages)


def _fast_iso(strings: pa.ChunkedArray) -> np.ndarray | None:
    """Arrow's strict ISO 8601 cast of a whole column, or None when any cell is not such a date."""
    lengths = pc.binary_length(strings)  # bytes: a cell with other than ASCII is no ISO date either way
    iso_length = pc.or_(pc.is_in(lengths, pa.array(_ISO_LENGTHS, lengths.type)), pc.greater(lengths, 20))
    if not pc.all(pc.or_kleene(iso_length, pc.is_null(strings))).as_py():
        return None
    try:
        return pc.cast(strings, pa.timestamp("us")).to_numpy()
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None


def _careful_iso(strings: pa.ChunkedArray) -> np.ndarray:
    """Cell by cell: ISO text that is surely real goes through Arrow, the rest through pandas.

    Arrow's cast fails a whole column on one unreal date (2026-02-30), so it only gets the cells
    whose digits cannot be unreal (days up to 28, hours up to 23, …); the others, about one in
    ten real dates plus the bad cells, are shaped-checked and parsed by pandas, which refuses an
    unreal date on its own.
    """
    sure = pc.fill_null(pc.match_substring_regex(strings, _SURELY_REAL), False)
    out = pc.cast(pc.if_else(sure, strings, pa.scalar(None, strings.type)), pa.timestamp("us")).to_numpy()
    rest = np.flatnonzero(pc.and_not(pc.is_valid(strings), sure).to_numpy(zero_copy_only=False))
    if len(rest):
        others = strings.take(pa.array(rest))
        shaped = pc.match_substring_regex(others, "^" + _DATETIME + "$")
        candidates = pc.if_else(shaped, others, pa.scalar(None, others.type)).combine_chunks()
        text = pd.Series(pd.arrays.ArrowStringArray(pc.cast(candidates, pa.large_string())))
        out[rest] = pd.to_datetime(text, format="ISO8601", errors="coerce").to_numpy(dtype="datetime64[us]")
    return out


def _plain_slashed(failed: pd.Series, reasons: np.ndarray) -> np.ndarray:
    """A slashed date with only one reading (13/02/2026: a day over 12; 2026/02/13: the year first;
    04/04/2026) is not ambiguous: it is still refused, as not YYYY-MM-DD, but its message names the
    date it can only be. Both parts over 12, or no such day, is not a real date."""
    parts = failed.astype("string").str.extract(_SLASHED_PARTS)
    found = parts[0].notna().to_numpy(dtype=bool)
    if not found.any():
        return reasons
    a, b = (pd.to_numeric(parts[i]).to_numpy(dtype="float64", na_value=np.nan) for i in (0, 1))
    year_first = found & (parts[0].str.len() == 4).to_numpy(dtype=bool, na_value=False)
    year_last = found & (parts[2].str.len() == 4).to_numpy(dtype=bool, na_value=False) & ~year_first
    day_first = year_last & (((a > 12) & (b <= 12)) | (a == b))
    month_first = year_last & (b > 12) & (a <= 12)
    first, second, third = (parts[i].fillna("") for i in range(3))
    iso = pd.Series(
        np.select(
            [year_first, day_first, month_first],
            [
                (first + "-" + second.str.zfill(2) + "-" + third.str.zfill(2)).to_numpy(dtype=object),
                (third + "-" + second.str.zfill(2) + "-" + first.str.zfill(2)).to_numpy(dtype=object),
                (third + "-" + first.str.zfill(2) + "-" + second.str.zfill(2)).to_numpy(dtype=object),
            ],
            "",
        ),
        index=failed.index,
        dtype="string",
    )
    iso = iso + (" " + parts[3].str.zfill(5)).fillna("")  # 9:05 → 09:05
    plain = year_first | day_first | month_first
    real = pd.to_datetime(iso.where(plain), format="ISO8601", errors="coerce").notna().to_numpy()
    out = reasons.copy()
    readable = plain & real
    meant = "not in the form YYYY-MM-DD; did you mean '" + iso[readable] + "'?"
    out[readable] = meant.to_numpy(dtype=object)
    out[(year_last & (a > 12) & (b > 12)) | (plain & ~real)] = MESSAGES["unreal"]
    return out


def _date_messages(
    strings: pd.Series, unparsed: pd.Series, day_zero: pd.Series, with_time: pd.Series, date_only: bool
) -> pd.Series:
    """Say why each bad cell is not a date (only the bad cells are looked at)."""
    generic = "not a date" if date_only else "not a date and time"
    message = pd.Series(None, index=strings.index, dtype=object)
    failed = strings[unparsed]

    def matches(pattern: str) -> np.ndarray:
        return failed.str.fullmatch(pattern).fillna(False).to_numpy(dtype=bool)

    reasons = np.full(len(failed), generic, dtype=object)
    reasons[matches(_DATETIME)] = MESSAGES["unreal"]
    reasons[matches(_SLASHED)] = MESSAGES["ambiguous"]
    reasons = _plain_slashed(failed, reasons)
    reasons[matches(_TIME_ONLY)] = MESSAGES["time_only"]
    message[unparsed.to_numpy()] = reasons
    message[with_time.to_numpy()] = MESSAGES["with_time"]
    message[day_zero.to_numpy()] = MESSAGES["time_only"]
    return message
