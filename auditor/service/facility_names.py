"""A facility's name of record, and the warning an inspector's upload gets when it names another.

A facility is renamed only by a roster import (ICE's name, in the registry) or by an
administrator's upload; an inspector's workbook giving another name keeps the name of record and
carries a warning at the cell, so the lists never show a name an inspector typed over it.
"""

from __future__ import annotations

import re

import pandas as pd

from auditor.contracts.problems import problem
from auditor.db import Database

CODE = "facility_renamed"


def name_of_record(db: Database, facility_id: str) -> str | None:
    """ICE's name from the registry, else the name the facility's latest filed upload keeps."""
    with db.read() as conn:
        row = conn.execute("SELECT name FROM registry WHERE facility_id = ?", (facility_id,)).fetchone()
        if row is None or not row["name"]:
            row = conn.execute(
                "SELECT facility_name AS name FROM uploads"
                " WHERE facility_id = ? AND facility_name IS NOT NULL ORDER BY id DESC LIMIT 1",
                (facility_id,),
            ).fetchone()
    return row["name"] if row and row["name"] else None


def same_name(one: str, other: str) -> bool:
    """Equal but for case and spacing (ICE writes names in capitals)."""
    return _plain(one) == _plain(other)


def renamed_warning(given: str, kept: str, cell: str | None) -> pd.DataFrame:
    """The warning on an upload whose Facility sheet names the facility otherwise than its record."""
    ref = cell.split("!", 1)[1] if cell and "!" in cell else None
    row = int(ref[1:]) if ref and ref[1:].isdigit() else None
    return problem(
        CODE,
        f"the facility is named {kept!r} in its record; the name given here was not used: a facility is "
        "renamed only by a roster import or an administrator",
        sheet="Facility",
        severity="warning",
        column="facility_name",
        cell=ref,
        row=row,
        value=given,
        expected=kept,
    )


def _plain(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip().casefold()
