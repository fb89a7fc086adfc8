"""ICE's Detention Statistics workbooks FY19–FY26, imported as they are published.

Expected counts and values were read in each file by hand (sheet, header row, the last facility
row before the blank row or footnotes); the files stay in ../shared/realdata, never in the repo.
"""

from __future__ import annotations

import json

import pytest

from auditor.imports.roster import import_roster

pytestmark = pytest.mark.realdata

# file → (sheet, header row, last facility row, facilities)
FILES = {
    "FY19-detentionstats.xlsx": ("Facilities FY19", 7, 220, 213),
    "FY21_detentionStats11122021.xlsx": ("Facilities FY21 YTD", 7, 142, 135),
    "FY22_detentionStats09292022.xlsx": ("Facilities FY22", 7, 137, 130),  # footnotes from row 139
    "FY23_detentionStats10312023.xlsx": ("Facilities EOFY23", 6, 121, 115),  # footnotes from row 123
    "FY24_detentionStats11152024.xlsx": ("Facilities FY25", 7, 118, 111),
    "FY25_detentionStats09252025.xlsx": ("Facilities FY25", 7, 196, 189),
    "FY26_detentionStats_02122026.xlsx": ("Facilities FY26", 10, 230, 220),
}


@pytest.fixture(scope="module")
def rosters(realdata):
    return {name: import_roster(realdata / name) for name in FILES}


def by_row(roster, row):
    return next(f for f in roster.facilities if f.row == row)


@pytest.mark.parametrize("name", FILES)
def test_every_year_imports_one_record_per_facility_row(rosters, name):
    sheet, header, last, count = FILES[name]
    roster = rosters[name]
    assert roster.source["sheet"] == sheet
    assert roster.source["header_row"] == header
    assert (roster.source["first_row"], roster.source["last_row"]) == (header + 1, last)
    assert len(roster.facilities) == roster.source["facilities"] == count
    assert [f.row for f in roster.facilities] == list(range(header + 1, last + 1))
    assert all(f.name and f.state and f.aor for f in roster.facilities)


@pytest.mark.parametrize("name", FILES)
def test_the_profile_knows_every_value_of_every_year(rosters, name):
    assert rosters[name].unrecognised == []


def test_footnotes_are_not_facilities(rosters):
    names = [f.name for r in rosters.values() for f in r.facilities]
    assert not [n for n in names if n.startswith(("[", "(*)", "*The info"))]


def test_a_zip_stored_as_a_number_gets_its_leading_zero_back(rosters):
    cumberland = by_row(rosters["FY19-detentionstats.xlsx"], 217)  # the cell holds 4102
    assert (cumberland.name, cumberland.state, cumberland.zip) == ("CUMBERLAND COUNTY JAIL", "ME", "04102")


def test_a_zip_stored_as_text_stays_as_it_is(rosters):
    wyatt = by_row(rosters["FY26_detentionStats_02122026.xlsx"], 230)
    assert (wyatt.name, wyatt.zip) == ("WYATT DETENTION CENTER", "02863")


def test_standards_are_normalised_and_their_labels_kept(rosters):
    fy21 = rosters["FY21_detentionStats11122021.xlsx"]
    south_texas = by_row(fy21, 8)
    assert (south_texas.detention_standard, south_texas.detention_standard_label) == (
        "PBNDS-2011",
        "PBNDS 2011 - 2016 Revisions",
    )
    fy25 = rosters["FY25_detentionStats09252025.xlsx"]
    northwest = by_row(fy25, 72)
    assert (northwest.name, northwest.detention_standard, northwest.detention_standard_label) == (
        "NORTHWEST STATE CORRECTIONAL CENTER",
        "NDS-2019",
        "OASIP ND 2019",
    )
    logan = by_row(fy25, 57)
    assert (logan.detention_standard, logan.detention_standard_label) == ("FPBDS", "ORSA FPBDS")
    polk = by_row(rosters["FY26_detentionStats_02122026.xlsx"], 104)
    assert (polk.detention_standard, polk.last_inspection_end) == ("NDS-2025", "2025-12-18")


def test_a_placeholder_date_is_kept_as_the_inspection_status(rosters):
    fy26 = rosters["FY26_detentionStats_02122026.xlsx"]
    allegany = by_row(fy26, 14)  # Y14 reads "Scheduled FY26"
    assert (allegany.name, allegany.last_inspection_end, allegany.last_inspection_status) == (
        "ALLEGANY COUNTY JAIL",
        None,
        "scheduled FY26",
    )
    assert by_row(fy26, 49).last_inspection_status == "scheduled FY27"
    statuses = [f.last_inspection_status for f in fy26.facilities]
    assert (statuses.count("scheduled FY26"), statuses.count("scheduled FY27")) == (39, 4)
    apso = by_row(rosters["FY19-detentionstats.xlsx"], 43)
    assert (apso.last_inspection_end, apso.last_inspection_status) == (None, "new facility")


def test_text_and_real_dates_both_become_iso_dates(rosters):
    stewart = by_row(rosters["FY19-detentionstats.xlsx"], 8)  # '5/9/2019' stored as text
    assert (stewart.name, stewart.last_inspection_end) == ("STEWART DETENTION CENTER", "2019-05-09")
    adams = by_row(rosters["FY24_detentionStats11152024.xlsx"], 8)  # a real date cell
    assert (adams.name, adams.last_inspection_end) == ("ADAMS COUNTY DET CENTER", "2024-08-15")


def test_fy23_takes_the_odo_inspection_or_else_the_contractors(rosters):
    fy23 = rosters["FY23_detentionStats10312023.xlsx"]
    south_texas = by_row(fy23, 7)
    assert (
        south_texas.last_inspection_type,
        south_texas.last_inspection_end,
        south_texas.final_rating,
        south_texas.detention_standard_label,
    ) == ("ODO", "2023-02-09", "Superior", "PBNDS 2011 - 2016 Revised")
    folkston = next(f for f in fy23.facilities if f.name == "FOLKSTON ANNEX IPC")  # ODO cells hold "*"
    assert (
        folkston.last_inspection_type_label,
        folkston.last_inspection_end,
        folkston.final_rating,
        folkston.final_rating_label,
    ) == ("Regular", "2022-07-28", "Meets Standards", "Meets Standard")
    alexandria = next(f for f in fy23.facilities if f.name == "ALEXANDRIA STAGING FACILITY")
    assert (alexandria.last_inspection_end, alexandria.last_inspection_status) == (None, "none reported")


def test_rating_spellings_are_unified_as_reported(rosters):
    knox = by_row(rosters["FY24_detentionStats11152024.xlsx"], 61)
    assert (knox.final_rating_label, knox.final_rating, knox.rating_outcome) == (
        "Pending FInal Report",
        "Pending Final Report",
        "pending",
    )
    ward = by_row(rosters["FY25_detentionStats09252025.xlsx"], 190)
    assert (ward.final_rating, ward.rating_outcome) == ("Pending Final Rating", "pending")


def test_scheduled_without_a_date_in_fy25_is_the_status(rosters):
    deyton = next(
        f
        for f in rosters["FY25_detentionStats09252025.xlsx"].facilities
        if f.name.startswith("ROBERT A DEYTON")
    )
    assert (deyton.last_inspection_end, deyton.last_inspection_status) == (None, "scheduled")


def test_the_cli_json_has_the_source_and_every_facility(cli, realdata):
    result = cli("facilities", "import", realdata / "FY26_detentionStats_02122026.xlsx", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"source", "facilities", "unrecognised"}
    assert data["source"]["data_date"] == "2026-02-05"
    assert len(data["facilities"]) == 220
    assert data["facilities"][-1]["zip"] == "02863"


def test_the_cli_text_lists_the_facilities(cli, realdata):
    result = cli("facilities", "import", realdata / "FY22_detentionStats09292022.xlsx")
    assert result.exit_code == 0, result.output
    assert "header row 7, rows 8–137: 130 facilities" in result.stdout
    assert "YUBA COUNTY JAIL" in result.stdout


def test_facilities_with_the_same_name_in_different_states_keep_apart(rosters):
    fy25 = rosters["FY25_detentionStats09252025.xlsx"]
    clintons = sorted((f.state, f.facility_id) for f in fy25.facilities if f.name == "CLINTON COUNTY JAIL")
    assert clintons == [
        ("IN", "ICE-IN-46041-CLINTON-COUNTY-JAIL"),
        ("NY", "ICE-NY-12901-CLINTON-COUNTY-JAIL"),
    ]
    for roster in rosters.values():
        ids = [f.facility_id for f in roster.facilities]
        assert len(ids) == len(set(ids))
