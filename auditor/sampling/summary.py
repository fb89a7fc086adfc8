"""What a filled Sample sheet says: per population sheet, the records found not compliant among
those reviewed, with the exact interval of that rate (the results JSON's `samples`)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from auditor.contracts.inspection import Inspection
from auditor.sampling.interval import clopper_pearson, statement
from auditor.workbook import declarations as decl

DESIGN = ("population", "confidence", "margin", "expected_rate", "seed", "method")


def sample_summaries(inspection: Inspection) -> list[dict[str, Any]]:
    """One summary per population sheet sampled, in the contract's sheet order; [] without a Sample
    sheet. Rows whose `compliant` is empty are drawn but not reviewed: the rate is of those reviewed."""
    frame = inspection.sheets.get(decl.SAMPLE.name)
    if frame is None or frame.empty:
        return []
    out = []
    for sheet in decl.POPULATION_SHEETS:
        group = frame[frame["population_sheet"] == sheet]
        if not group.empty:
            out.append(summary(sheet, group))
    return out


def summary(sheet: str, group: pd.DataFrame) -> dict[str, Any]:
    """The summary of one sheet's sample (its Sample rows, indexed by Excel row). The design is the
    first row's; validation refuses a sample whose rows disagree on it."""
    first = group.iloc[0]
    design = {name: _plain(first[name]) if name in group else None for name in DESIGN}
    found = (
        group["compliant"] if "compliant" in group else pd.Series(pd.NA, index=group.index, dtype="boolean")
    )
    reviewed = int(found.notna().sum())
    failing = found.eq(False).fillna(False).to_numpy(dtype=bool)
    not_compliant = int(failing.sum())
    confidence = float(design["confidence"])
    interval = clopper_pearson(not_compliant, reviewed, confidence) if reviewed else None
    notes = group["note"] if "note" in group else pd.Series(None, index=group.index, dtype=object)
    return {
        "sheet": sheet,
        **design,
        "drawn": len(group),
        "reviewed": reviewed,
        "not_compliant": not_compliant,
        "rate": not_compliant / reviewed if reviewed else None,
        "interval": list(interval) if interval else None,
        "statement": (
            statement(not_compliant, reviewed, confidence)
            if reviewed
            else f"none of the {len(group)} sampled records reviewed yet"
        ),
        "not_compliant_records": [
            {"sample_row": int(row), "sheet_row": int(at), "note": None if pd.isna(note) else str(note)}
            for row, at, note in zip(
                group.index[failing], group["sheet_row"][failing], notes[failing], strict=True
            )
        ],
    }


def _plain(value: Any) -> Any:
    """A cell as JSON holds it: numpy numbers as Python ones, missing as None."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return value.item() if hasattr(value, "item") else value
