"""ICE's FY25 and FY26 rosters (../shared/realdata, never copied here) into one registry.

The figures were checked by hand: FY25 lists 189 facilities, FY26 220; 171 are in both, of which
80 differ in a fact (91 only in their row, or in how ICE spelled a value, e.g. "PBNDS 2011 - 2016
Revised" → "… Revisions"). Etowah County Jail is FY25 row 113 (PREOCC, 10 Feb 2025, no rating)
and FY26 row 78 (ODO, 11 Feb 2025, standard "NDS", rating Pass).
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from auditor.db import Database
from auditor.imports.roster import import_roster
from auditor.registry import list_registry, prefill, prefilled_workbook, registry_facility, save_roster
from auditor.workbook.declarations import FACILITY
from auditor.workbook.headers import canonical

pytestmark = pytest.mark.realdata

FY25 = "FY25_detentionStats09252025.xlsx"
FY26 = "FY26_detentionStats_02122026.xlsx"
ETOWAH = "ICE-AL-35901-ETOWAH-COUNTY-JAIL"
STEWART = "ICE-GA-31815-STEWART-DETENTION-CENTER"


def _counts(saved: dict) -> tuple[int, ...]:
    return tuple(saved[k] for k in ("facilities", "added", "updated", "unchanged", "older"))


def test_fy25_then_fy26(realdata: Path, tmp_path: Path) -> None:
    db = Database(tmp_path / "auditor.sqlite3")
    fy25, fy26 = import_roster(realdata / FY25), import_roster(realdata / FY26)

    assert _counts(save_roster(db, fy25)) == (189, 189, 0, 0, 0)
    etowah = registry_facility(db, ETOWAH)
    assert (etowah["last_inspection_type"], etowah["last_inspection_end"], etowah["final_rating"]) == (
        "PRE-OCCUPANCY",
        "2025-02-10",
        None,
    )

    assert _counts(save_roster(db, fy26)) == (220, 49, 80, 91, 0)
    assert len(list_registry(db)) == 238  # 189 + 49: the 18 FY26 no longer lists are kept
    etowah = registry_facility(db, ETOWAH)
    assert (etowah["last_inspection_type"], etowah["last_inspection_end"], etowah["final_rating"]) == (
        "ODO",
        "2025-02-11",
        "Pass",
    )
    assert (etowah["ref"], etowah["source_data_date"]) == ("'Facilities FY26'!A78", "2026-02-05")
    # NDS (2000) is not an edition we evaluate; USMS IGA is one of our types
    assert prefill(etowah) == {
        "facility_id": ETOWAH,
        "facility_name": "ETOWAH COUNTY JAIL",
        "facility_type": "USMS-IGA",
        "aor": "NOL",
        "state": "AL",
        "detention_standard": "",
    }

    # FY25 again: what FY26 also lists is not overwritten by the older roster
    assert _counts(save_roster(db, fy25)) == (189, 0, 0, 18, 171)
    assert registry_facility(db, ETOWAH)["final_rating"] == "Pass"


def test_a_real_facility_prefills_the_template(realdata: Path, tmp_path: Path) -> None:
    db = Database(tmp_path / "auditor.sqlite3")
    save_roster(db, import_roster(realdata / FY26))
    out = prefilled_workbook(db, STEWART, tmp_path / "stewart.xlsx")
    sheet = openpyxl.load_workbook(out)["Facility"]
    rows = sheet.iter_rows(min_row=2, max_row=8, max_col=2)
    assert [(canonical(FACILITY, row[0].value), row[1].value) for row in rows] == [
        ("facility_id", STEWART),
        ("facility_name", "STEWART DETENTION CENTER"),
        ("facility_type", "DIGSA"),
        ("aor", "ATL"),
        ("state", "GA"),
        ("time_zone", None),  # left blank: Georgia has one zone, read from the state
        ("detention_standard", "PBNDS-2011"),
    ]


def test_every_roster_imported_newest_first_leaves_fy26_current(realdata: Path, tmp_path: Path) -> None:
    """Seven years of rosters hold 363 facility ids between them; FY26 lists 220 (counted by hand,
    see the closing note of issue 7): only those are current, whatever the import order."""
    db = Database(tmp_path / "auditor.sqlite3")
    files = sorted(realdata.glob("FY*.xlsx"), reverse=True)  # FY26 first, then ever older ones
    for path in files:
        save_roster(db, import_roster(path))
    records = list_registry(db)
    current = [r for r in records if r["listed"]]
    assert len(current) == 220
    assert {r["source_file"] for r in current} == {FY26}
    assert len(records) > 220  # the rest is kept as history
