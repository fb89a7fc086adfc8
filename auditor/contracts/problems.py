"""Problems: what is wrong with the input, one per cell, gathered all at once.

Problems are kept as one table (a DataFrame with the columns below), built vectorised from
masks, so a workbook with a hundred thousand bad cells is reported as quickly as a clean one.
They only become Python dicts when they are written out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

COLUMNS = ["severity", "code", "sheet", "cell", "column", "row", "value", "expected", "message"]
SEVERITIES = ("error", "warning")


def cell_problems(
    *,
    sheet: str,
    column: str | None,
    letter: str | None,
    rows: Iterable[int] | pd.Index,
    values: Any,
    code: str | pd.Series,
    message: str | pd.Series,
    expected: str = "",
    severity: str = "error",
) -> pd.DataFrame:
    """Problems for many cells of one column (vectorised); code and message: one or one per cell."""
    rows = np.asarray(list(rows) if not isinstance(rows, pd.Index | np.ndarray) else rows, dtype="int64")
    n = len(rows)
    if isinstance(values, pd.Series):
        values = values.reset_index(drop=True)
    else:
        values = pd.Series(list(values) if n else [], dtype=object)
    cell = pd.Series(rows).astype(str).radd(letter) if letter is not None and n else pd.Series([None] * n)
    message = _per_cell(message, n)
    code = _per_cell(code, n)
    return pd.DataFrame(
        {
            "severity": severity,
            "code": code.astype(object),
            "sheet": sheet,
            "cell": cell.astype(object),
            "column": column,
            "row": rows,
            "value": _plain_values(values),
            "expected": expected,
            "message": message.astype(object),
        },
        columns=COLUMNS,
    )


def _plain_values(values: pd.Series) -> pd.Series:
    """Values as JSON can hold them; text columns (the usual case) without a Python loop."""
    if pd.api.types.is_string_dtype(values.dtype) and values.dtype != object:
        return values.astype(object).where(values.notna(), None)
    return values.map(_plain).astype(object)


def _per_cell(value: str | pd.Series, n: int) -> pd.Series:
    if isinstance(value, pd.Series):
        return value.reset_index(drop=True).astype(object)
    return pd.Series([value] * n, dtype=object)


def ref_problems(
    *,
    sheet: str,
    refs: list[str],
    code: str,
    message: str | list[str],
    columns: dict[str, str] | None = None,
    values: list[Any] | None = None,
    expected: str = "",
    severity: str = "error",
) -> pd.DataFrame:
    """Problems for cells anywhere on a sheet, given as A1 references (vectorised)."""
    cells = pd.Series(refs, dtype=object)
    letters = cells.str.extract(r"^([A-Z]+)(\d+)$")
    n = len(cells)
    return pd.DataFrame(
        {
            "severity": severity,
            "code": code,
            "sheet": sheet,
            "cell": cells,
            "column": letters[0].map(columns or {}).astype(object).where(lambda c: c.notna(), None),
            "row": letters[1].astype("int64"),
            "value": pd.Series(values if values is not None else [None] * n, dtype=object).map(_plain),
            "expected": expected,
            "message": pd.Series(message if isinstance(message, list) else [message] * n, dtype=object),
        },
        columns=COLUMNS,
    )


def problem(
    code: str,
    message: str,
    *,
    sheet: str | None = None,
    severity: str = "error",
    column: str | None = None,
    cell: str | None = None,
    row: int | None = None,
    value: Any = None,
    expected: str = "",
) -> pd.DataFrame:
    """A single problem (a sheet-level or file-level one, or one cell)."""
    # column by column, not a list of rows: a quarter of the time (an importer's folders each pay it)
    values = (severity, code, sheet, cell, column, None, _plain(value), expected, message)
    data = {name: np.array([v], dtype=object) for name, v in zip(COLUMNS, values, strict=True)}
    data["row"] = pd.array([row], dtype="Int64")
    return pd.DataFrame(data, columns=COLUMNS, copy=False)


def _plain(value: Any) -> Any:
    """A cell value as JSON can hold it: text stays text, missing becomes None."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.isoformat(sep=" ")
    if isinstance(value, np.generic):
        return value.item()
    return value


@dataclass
class Problems:
    """Every problem found in one input, errors first, then in sheet and row order."""

    frame: pd.DataFrame

    @classmethod
    def collect(cls, parts: Iterable[pd.DataFrame], sheet_order: list[str] | None = None) -> Problems:
        parts = [p for p in parts if len(p)]
        if not parts:
            return cls(pd.DataFrame(columns=COLUMNS))
        frame = pd.concat(parts, ignore_index=True)
        frame["row"] = frame["row"].astype("Int64")
        # One problem per cell: the first reported (the most specific: parsing comes first).
        has_cell = frame["cell"].notna()
        dup = has_cell & frame.duplicated(["sheet", "cell", "severity"], keep="first")
        frame = frame[~dup]
        order = {name: i for i, name in enumerate(sheet_order or [])}
        keys = pd.DataFrame(
            {
                "sev": frame["severity"].map({"error": 0, "warning": 1}),
                "sheet": frame["sheet"]
                .map(order)
                .fillna(pd.Series(np.where(frame["sheet"].isna(), -1, len(order)), index=frame.index)),
                "row": frame["row"].fillna(0),
                "cell": frame["cell"].fillna("").str.len(),
                "cellref": frame["cell"].fillna(""),
            }
        )
        frame = frame.loc[keys.sort_values(["sev", "sheet", "row", "cell", "cellref"], kind="stable").index]
        return cls(frame.reset_index(drop=True))

    @property
    def errors(self) -> int:
        return int((self.frame["severity"] == "error").sum())

    @property
    def warnings(self) -> int:
        return int((self.frame["severity"] == "warning").sum())

    @property
    def has_errors(self) -> bool:
        return self.errors > 0

    def __len__(self) -> int:
        return len(self.frame)

    def records(self) -> list[dict[str, Any]]:
        frame = self.frame.astype(object).where(self.frame.notna(), None)
        return [
            {**rec, "row": int(rec["row"]) if rec["row"] is not None else None}
            for rec in frame.to_dict(orient="records")
        ]

    def of_severity(self, severity: str) -> Problems:
        return Problems(self.frame[self.frame["severity"] == severity].reset_index(drop=True))
