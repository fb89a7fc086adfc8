"""Cross-sheet checks of the Sample sheet: each drawn record is a record of its population sheet,
and the rows of one sample agree on the design they were drawn by (the rate and its interval are
stated at that design's confidence, so a sample with two designs states nothing)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from auditor.contracts.problems import cell_problems
from auditor.workbook import declarations as decl
from auditor.workbook.read import RawSheet

DESIGN = ("population", "confidence", "margin", "expected_rate", "seed", "method")


def sample_problems(frames: dict[str, pd.DataFrame], raws: dict[str, RawSheet]) -> list[pd.DataFrame]:
    """Problems of the Sample sheet against the sheets it names; [] without one."""
    name = decl.SAMPLE.name
    frame = frames.get(name)
    if frame is None or frame.empty or "population_sheet" not in frame or "sheet_row" not in frame:
        return []
    raw, out = raws[name], []
    for sheet, group in frame.groupby("population_sheet", sort=False, observed=True):
        population = frames.get(str(sheet))
        if population is None:
            out.append(
                _cells(
                    raw,
                    group.index,
                    "population_sheet",
                    "sample_unknown_sheet",
                    f"this workbook has no {sheet} sheet to have drawn from",
                    "a sheet of this workbook",
                )
            )
            continue
        missing = group["sheet_row"].notna() & ~group["sheet_row"].isin(population.index)
        if missing.any():
            out.append(
                _cells(
                    raw,
                    group.index[missing.to_numpy()],
                    "sheet_row",
                    "sample_unknown_row",
                    f"not a row of a {sheet} record",
                    f"the row of a {sheet} record",
                )
            )
        for column in (c for c in DESIGN if c in group):
            values = group[column]
            first = values.iloc[0]
            differs = values.notna() if pd.isna(first) else values.ne(first).fillna(True)
            differs = differs.to_numpy(dtype=bool)
            if differs.any():
                at = int(group.index[0])
                out.append(
                    _cells(
                        raw,
                        group.index[differs],
                        column,
                        "sample_design_differs",
                        f"differs from row {at}, the first of the {sheet} sample",
                        f"the {column} of row {at}: one sample, one design",
                    )
                )
    return out


def _cells(
    raw: RawSheet, rows: pd.Index, column: str, code: str, message: str, expected: str
) -> pd.DataFrame:
    return cell_problems(
        sheet=decl.SAMPLE.name,
        column=column,
        letter=raw.letters.get(column),
        rows=np.asarray(rows, dtype=np.int64),
        values=raw.frame.loc[rows, column] if column in raw.frame else [None] * len(rows),
        code=code,
        message=message,
        expected=expected,
    )
