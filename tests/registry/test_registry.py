"""The facility registry on made-up rosters: upsert counts, what a later or older roster does, the
pre-fill of a new inspection's Facility sheet, and the pre-filled template read back."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import openpyxl
import pytest
from rosters import (
    FAMILY,
    FAMILY_ID,
    FEDERAL,
    FEDERAL_ID,
    NORTH,
    NORTH_ID,
    SOUTH,
    SOUTH_ID,
    TRICKY,
    TRICKY_ID,
    changed,
    write_roster,
)

from auditor.db import Database
from auditor.errors import RegistryError
from auditor.imports.roster import import_roster
from auditor.registry import (
    list_imports,
    list_registry,
    open_registry,
    prefill,
    prefilled_workbook,
    registry_aors,
    registry_facility,
    save_roster,
)
from auditor.workbook import declarations as decl
from auditor.workbook.declarations import FACILITY
from auditor.workbook.headers import canonical


@pytest.fixture
def db(tmp_path: Path) -> Database:
    return Database(tmp_path / "auditor.sqlite3")


def _save(db: Database, path: Path, rows: list, **banner: str) -> dict:
    return save_roster(db, import_roster(write_roster(path, rows, **banner)), user="ada")


def test_a_first_roster_adds_every_facility_with_its_source(db: Database, tmp_path: Path) -> None:
    saved = _save(db, tmp_path / "FY27.xlsx", [NORTH, SOUTH, FAMILY])
    assert {k: saved[k] for k in ("file", "data_date", "facilities", "added", "updated", "unchanged")} == {
        "file": "FY27.xlsx",
        "data_date": "2027-01-02",
        "facilities": 3,
        "added": 3,
        "updated": 0,
        "unchanged": 0,
    }
    north = registry_facility(db, NORTH_ID)
    assert north is not None
    assert (north["name"], north["zip"], north["aor"], north["facility_type"]) == (
        "NORTH JAIL",
        "04101",
        "BOS",
        "USMS-IGA",
    )
    assert (north["last_inspection_end"], north["final_rating"], north["ref"]) == (
        "2026-03-05",
        "Meets Standards",
        "'Facilities FY27'!A11",
    )
    assert (north["source_file"], north["source_data_date"]) == ("FY27.xlsx", "2027-01-02")
    assert len(north["source_sha256"]) == 64 and north["imported_at"].endswith("Z")
    assert registry_facility(db, "ICE-XX-00000-NOWHERE") is None
    [entry] = list_imports(db)
    assert (entry["file"], entry["imported_by"], entry["facilities"], entry["added"]) == (
        "FY27.xlsx",
        "ada",
        3,
        3,
    )


def test_a_later_roster_adds_updates_and_keeps(db: Database, tmp_path: Path) -> None:
    _save(db, tmp_path / "FY27.xlsx", [NORTH, SOUTH, FAMILY, FEDERAL])
    later = [
        changed(NORTH, Last_Final_Rating="Does Not Meet Standards"),  # a fact changed: updated
        changed(SOUTH, Last_Inspection_Standard="PBNDS 2011 - 2016 Revisions"),  # a spelling only
        FEDERAL,  # the same facts, one row higher: unchanged
        TRICKY,  # new
    ]  # FAMILY is no longer listed: it stays in the registry
    saved = _save(db, tmp_path / "FY28.xlsx", later, year="FY28", data_date="01/05/2028")
    assert (saved["added"], saved["updated"], saved["unchanged"], saved["older"]) == (1, 1, 2, 0)

    north = registry_facility(db, NORTH_ID)
    assert (north["final_rating"], north["rating_outcome"], north["source_file"]) == (
        "Does Not Meet Standards",
        "fail",
        "FY28.xlsx",
    )
    south = registry_facility(db, SOUTH_ID)
    # unchanged, yet rewritten: its source, row and spelling are the later roster's
    assert (south["detention_standard_label"], south["ref"], south["source_data_date"]) == (
        "PBNDS 2011 - 2016 Revisions",
        "'Facilities FY28'!A12",
        "2028-01-05",
    )
    assert south["changed_at"] <= south["imported_at"]
    assert registry_facility(db, FEDERAL_ID)["ref"] == "'Facilities FY28'!A13"
    family = registry_facility(db, FAMILY_ID)
    assert family is not None and family["source_file"] == "FY27.xlsx"
    assert [r["facility_id"] for r in list_registry(db)] == [
        TRICKY_ID,  # "=HYPERLINK…" sorts before letters
        FAMILY_ID,
        FEDERAL_ID,
        NORTH_ID,
        SOUTH_ID,
    ]


def test_an_older_roster_does_not_overwrite_a_later_one(db: Database, tmp_path: Path) -> None:
    _save(db, tmp_path / "FY28.xlsx", [changed(NORTH, Guaranteed_Minimum=55)], data_date="01/05/2028")
    saved = _save(db, tmp_path / "FY27.xlsx", [NORTH, SOUTH], data_date="01/02/2027")
    assert (saved["added"], saved["updated"], saved["unchanged"], saved["older"]) == (1, 0, 0, 1)
    assert registry_facility(db, NORTH_ID)["guaranteed_minimum"] == 55
    assert [(i["file"], i["older"]) for i in list_imports(db)] == [("FY27.xlsx", 1), ("FY28.xlsx", 0)]


def test_importing_the_same_roster_twice_changes_nothing(db: Database, tmp_path: Path) -> None:
    path = write_roster(tmp_path / "FY27.xlsx", [NORTH, SOUTH])
    save_roster(db, import_roster(path))
    before = list_registry(db)
    again = save_roster(db, import_roster(path))
    assert (again["added"], again["updated"], again["unchanged"], again["older"]) == (0, 0, 2, 0)
    after = list_registry(db)
    assert [{k: v for k, v in r.items() if k != "imported_at"} for r in after] == [
        {k: v for k, v in r.items() if k != "imported_at"} for r in before
    ]


def test_the_import_is_in_the_audit_log(db: Database, tmp_path: Path) -> None:
    _save(db, tmp_path / "FY27.xlsx", [NORTH, SOUTH])
    with db.read() as conn:
        row = conn.execute("SELECT user_name, action, target, detail FROM audit_log").fetchone()
    assert (row["user_name"], row["action"], row["target"]) == ("ada", "registry.import", "FY27.xlsx")
    assert row["detail"].endswith(": 2 added, 0 updated, 0 unchanged, 0 older")
    assert "(data of 2027-01-02)" in row["detail"]


def test_the_list_filters_by_aor(db: Database, tmp_path: Path) -> None:
    _save(db, tmp_path / "FY27.xlsx", [NORTH, SOUTH, FAMILY, FEDERAL, TRICKY])
    assert registry_aors(db) == ["BOS", "HLG", "NYC", "SFR", "SNA"]
    assert [r["facility_id"] for r in list_registry(db, "HLG")] == [SOUTH_ID]
    assert list_registry(db, "ATL") == []


def test_an_older_database_gains_the_registry_tables(tmp_path: Path) -> None:
    path = tmp_path / "auditor.sqlite3"
    with sqlite3.connect(path) as conn:  # a database from before the registry
        conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        conn.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    db = Database(path)
    assert list_registry(db) == [] and list_imports(db) == []
    save_roster(db, import_roster(write_roster(tmp_path / "r.xlsx", [NORTH])))
    assert registry_facility(db, NORTH_ID)["name"] == "NORTH JAIL"


def test_reading_a_folder_without_a_registry_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(RegistryError, match="no facility registry in"):
        open_registry(tmp_path / "auditor.sqlite3")
    assert not (tmp_path / "auditor.sqlite3").exists()  # reading never creates one


# ---------------------------------------------------------------------------- the pre-fill


def _record(**fields: object) -> dict:
    base = {
        "facility_id": "ICE-GA-31815-STEWART-DETENTION-CENTER",
        "name": "STEWART DETENTION CENTER",
        "facility_type": "DIGSA",
        "aor": "ATL",
        "state": "GA",
        "detention_standard": "PBNDS-2011",
    }
    return {**base, **fields}


def test_the_prefill_of_a_well_known_facility() -> None:
    assert prefill(_record()) == {
        "facility_id": "ICE-GA-31815-STEWART-DETENTION-CENTER",
        "facility_name": "STEWART DETENTION CENTER",
        "facility_type": "DIGSA",
        "aor": "ATL",
        "state": "GA",
        "detention_standard": "PBNDS-2011",
    }


@pytest.mark.parametrize(
    ("ice", "ours"),
    [
        ("SPC", "SPC"),
        ("CDF", "CDF"),
        ("IGSA", "IGSA"),
        ("DIGSA", "DIGSA"),
        ("USMS-IGA", "USMS-IGA"),
        ("USMS-CDF", "USMS-CDF"),
        ("STAGING", "STAGING"),
        ("FAMILY", "FRC"),  # ICE's family residential centers
        ("FAMILY-STAGING", ""),  # no sure counterpart: left for the inspector
        ("BOP", ""),
        ("STATE", ""),
        ("DOD", ""),
        ("MOC", ""),
        ("JUVENILE", ""),
        ("TAP-ICE", ""),
        ("OTHER", ""),
        (None, ""),
    ],
)
def test_the_facility_type_is_mapped_only_when_sure(ice: str | None, ours: str) -> None:
    assert prefill(_record(facility_type=ice))["facility_type"] == ours
    assert ours == "" or ours in decl.FACILITY_TYPES


@pytest.mark.parametrize(
    ("ice", "ours"),
    [
        ("PBNDS-2011", "PBNDS-2011"),
        ("PBNDS-2008", ""),  # ICE's, but no edition we hold standards for: never pre-filled
        ("NDS-2019", "NDS-2019"),
        ("NDS-2025", "NDS-2025"),
        ("NDS-2000", ""),  # not an edition we evaluate
        ("FPBDS", ""),
        ("FRS", ""),  # which FRS revision ICE means is not said: FRS-2020 is not assumed
        ("JUVENILE", ""),
        (None, ""),
    ],
)
def test_the_standard_is_kept_only_when_it_is_one_of_our_editions(ice: str | None, ours: str) -> None:
    assert prefill(_record(detention_standard=ice))["detention_standard"] == ours
    assert ours == "" or ours in decl.EDITIONS


@pytest.mark.parametrize(
    ("aor", "state", "expected"),
    [
        ("ATL", "GA", ("ATL", "GA")),
        (" atl ", "ga", ("ATL", "GA")),  # spaces and case are not information
        ("XYZ", "Georgia", ("", "")),  # not one of our AORs; not a two-letter code
        (None, None, ("", "")),
    ],
)
def test_the_aor_and_state_are_kept_only_when_valid(aor, state, expected) -> None:
    filled = prefill(_record(aor=aor, state=state))
    assert (filled["aor"], filled["state"]) == expected


def test_a_roster_facility_object_prefills_too(tmp_path: Path) -> None:
    roster = import_roster(write_roster(tmp_path / "r.xlsx", [FAMILY]))
    assert prefill(roster.facilities[0]) == {
        "facility_id": FAMILY_ID,
        "facility_name": "DILLEY FAMILY CENTER",
        "facility_type": "FRC",
        "aor": "SNA",
        "state": "TX",
        "detention_standard": "",
    }


# ---------------------------------------------------------------------------- the pre-filled template


def _column_b(path: Path) -> dict[str, object]:
    sheet = openpyxl.load_workbook(path)["Facility"]
    # column A holds the fields' labels; the reader (and this) takes each back to its field name
    return {canonical(FACILITY, row[0].value): row[1].value for row in sheet.iter_rows(min_row=2, max_col=2)}


def test_the_template_has_the_registry_values_in_column_b(db: Database, tmp_path: Path) -> None:
    _save(db, tmp_path / "FY27.xlsx", [SOUTH, FAMILY])
    out = prefilled_workbook(db, SOUTH_ID, tmp_path / "south.xlsx")
    values = _column_b(out)
    assert {k: values[k] for k in ("facility_id", "facility_name", "facility_type", "aor", "state")} == {
        "facility_id": SOUTH_ID,
        "facility_name": "SOUTH PROCESSING CENTER",
        "facility_type": "SPC",
        "aor": "HLG",
        "state": "TX",
    }
    assert values["detention_standard"] == "PBNDS-2011"
    assert all(values[k] is None for k in ("rated_capacity", "inspection_id", "inspection_start"))
    family = _column_b(prefilled_workbook(db, FAMILY_ID, tmp_path / "family.xlsx"))
    assert (family["facility_type"], family["detention_standard"]) == ("FRC", None)  # FRS: left empty


def test_ice_text_that_looks_like_a_formula_stays_text(db: Database, tmp_path: Path) -> None:
    _save(db, tmp_path / "FY27.xlsx", [TRICKY])
    out = prefilled_workbook(db, TRICKY_ID, tmp_path / "tricky.xlsx")
    cell = openpyxl.load_workbook(out)["Facility"]["B3"]
    assert cell.value == '=HYPERLINK("http://example.com") <b>JAIL</b>'
    assert cell.data_type == "s" and cell.quotePrefix


def test_an_unknown_facility_is_a_registry_error(db: Database, tmp_path: Path) -> None:
    with pytest.raises(RegistryError, match="no facility 'ICE-NOPE' in the registry"):
        prefilled_workbook(db, "ICE-NOPE", tmp_path / "x.xlsx")
    assert not (tmp_path / "x.xlsx").exists()


def test_the_template_refuses_fields_the_facility_sheet_does_not_have(tmp_path: Path) -> None:
    from auditor.workbook.template import write_template

    with pytest.raises(ValueError, match="not fields of the Facility sheet: capacity"):
        write_template(tmp_path / "x.xlsx", {"capacity": "10"})


def test_the_newest_roster_decides_what_is_current_whatever_the_import_order(
    db: Database, tmp_path: Path
) -> None:
    """Importing older rosters must not inflate the registry: facilities only they list are history."""
    from auditor.registry import registry_roster

    _save(db, tmp_path / "FY28.xlsx", [NORTH, SOUTH], year="FY28", data_date="01/05/2028")
    _save(db, tmp_path / "FY27.xlsx", [NORTH, FAMILY, FEDERAL], data_date="01/02/2027")  # older, later
    listed = {r["facility_id"]: r["listed"] for r in list_registry(db)}
    assert listed == {NORTH_ID: True, SOUTH_ID: True, FAMILY_ID: False, FEDERAL_ID: False}
    assert [r["facility_id"] for r in list_registry(db, listed_only=True)] == [NORTH_ID, SOUTH_ID]
    assert registry_facility(db, FAMILY_ID)["listed"] is False
    roster = registry_roster(db)
    assert roster is not None and sorted(f.facility_id for f in roster.facilities) == [NORTH_ID, SOUTH_ID]
    # a newer roster that drops SOUTH and lists FAMILY again
    _save(db, tmp_path / "FY29.xlsx", [NORTH, FAMILY], year="FY29", data_date="01/05/2029")
    listed = {r["facility_id"]: r["listed"] for r in list_registry(db)}
    assert listed == {NORTH_ID: True, SOUTH_ID: False, FAMILY_ID: True, FEDERAL_ID: False}


def test_rosters_without_a_data_date_go_by_the_last_imported_file(db: Database, tmp_path: Path) -> None:
    first = import_roster(write_roster(tmp_path / "A.xlsx", [NORTH, SOUTH]))
    second = import_roster(write_roster(tmp_path / "B.xlsx", [SOUTH, FAMILY]))
    for roster in (first, second):
        roster.source["data_date"] = None
        save_roster(db, roster)
    listed = {r["facility_id"]: r["listed"] for r in list_registry(db)}
    assert listed == {NORTH_ID: False, SOUTH_ID: True, FAMILY_ID: True}
