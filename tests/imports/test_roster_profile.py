"""The roster profile's value tables, entry by entry, and the importer on a small made-up roster."""

from __future__ import annotations

import pytest
from openpyxl import Workbook
from rosters import NORTH, SOUTH, changed, write_roster

from auditor.imports.profile import ValueTable, fold, load_profile
from auditor.imports.roster import import_roster

PROFILE = load_profile("ice-detention-statistics")

# (table, spelling as ICE writes it, what it must mean), written out by hand: the README's
# variants ("Meets Standard"/"Meets Standards", "… Revised"/"… Revisions", "OASIP ND 2019",
# "ORSA NDS 2019", "Pending FInal Report", N/A, *, New Facility, Scheduled FY26) included.
EXPECTED = [
    ("facility_type", "SPC", "SPC"),
    ("facility_type", "CDF", "CDF"),
    ("facility_type", "IGSA", "IGSA"),
    ("facility_type", "DIGSA", "DIGSA"),
    ("facility_type", "USMS IGA", "USMS-IGA"),
    ("facility_type", "USMS CDF", "USMS-CDF"),
    ("facility_type", "BOP", "BOP"),
    ("facility_type", "STATE", "STATE"),
    ("facility_type", "FAMILY", "FAMILY"),
    ("facility_type", "FAMILY STAGING", "FAMILY-STAGING"),
    ("facility_type", "STAGING", "STAGING"),
    ("facility_type", "DOD", "DOD"),
    ("facility_type", "MOC", "MOC"),
    ("facility_type", "JUVENILE", "JUVENILE"),
    ("facility_type", "TAP-ICE", "TAP-ICE"),
    ("facility_type", "Other", "OTHER"),
    ("standard", "PBNDS 2011", "PBNDS-2011"),
    ("standard", "PBNDS 2011 - 2016 Revisions", "PBNDS-2011"),
    ("standard", "PBNDS 2011 - 2016 Revised", "PBNDS-2011"),
    ("standard", "PBNDS 2011 - 2013 Errata", "PBNDS-2011"),
    ("standard", "PBNDS 2008", "PBNDS-2008"),
    ("standard", "NDS", "NDS-2000"),
    ("standard", "NDS 2000", "NDS-2000"),
    ("standard", "NDS 2019", "NDS-2019"),
    ("standard", "ORSA NDS 2019", "NDS-2019"),
    ("standard", "OASIP ND 2019", "NDS-2019"),
    ("standard", "NDS 2025", "NDS-2025"),
    ("standard", "FPBDS", "FPBDS"),
    ("standard", "ORSA FPBDS", "FPBDS"),
    ("standard", "FRS", "FRS"),
    ("standard", "Family Residential Standards", "FRS"),
    ("standard", "JFRMU Family", "FRS"),
    ("standard", "JFRMU Juvenile", "JUVENILE"),
    ("standard", "N/A", None),
    ("inspection_type", "ODO", "ODO"),
    ("inspection_type", "ODO OASIP", "ODO-OASIP"),
    ("inspection_type", "ORSA", "ORSA"),
    ("inspection_type", "Regular", "REGULAR"),
    ("inspection_type", "PREOCC", "PRE-OCCUPANCY"),
    ("inspection_type", "Pre-Occ", "PRE-OCCUPANCY"),
    ("inspection_type", "PRE-OCC", "PRE-OCCUPANCY"),
    ("inspection_type", "N/A", None),
    ("rating", "Pass", "Pass"),
    ("rating", "Fail", "Fail"),
    ("rating", "Failure", "Failure"),
    ("rating", "Meets Standard", "Meets Standards"),
    ("rating", "Meets Standards", "Meets Standards"),
    ("rating", "Does Not Meet Standards", "Does Not Meet Standards"),
    ("rating", "Acceptable", "Acceptable"),
    ("rating", "Acceptable/Adequate", "Acceptable/Adequate"),
    ("rating", "Good", "Good"),
    ("rating", "Superior", "Superior"),
    ("rating", "Deficient", "Deficient"),
    ("rating", "Pending", "Pending"),
    ("rating", "Pending Final Report", "Pending Final Report"),
    ("rating", "Pending FInal Report", "Pending Final Report"),
    ("rating", "Pending Final Rating", "Pending Final Rating"),
    ("rating", "Special Review - Pre-Occupancy", "Special Review - Pre-Occupancy"),
    ("rating", "Overcome by Events", "Overcome by Events"),
    ("rating", "TAR Assigned", "TAR Assigned"),
    ("rating", "N/A", None),
    ("rating_outcome", "Pass", "pass"),
    ("rating_outcome", "Meets Standards", "pass"),
    ("rating_outcome", "Acceptable", "pass"),
    ("rating_outcome", "Acceptable/Adequate", "pass"),
    ("rating_outcome", "Good", "pass"),
    ("rating_outcome", "Superior", "pass"),
    ("rating_outcome", "Fail", "fail"),
    ("rating_outcome", "Failure", "fail"),
    ("rating_outcome", "Does Not Meet Standards", "fail"),
    ("rating_outcome", "Deficient", "fail"),
    ("rating_outcome", "Pending", "pending"),
    ("rating_outcome", "Pending Final Report", "pending"),
    ("rating_outcome", "Pending Final Rating", "pending"),
    ("rating_outcome", "TAR Assigned", "pending"),
    ("rating_outcome", "Special Review - Pre-Occupancy", "other"),
    ("rating_outcome", "Overcome by Events", "other"),
    ("end_date_placeholder", "N/A", "none reported"),
    ("end_date_placeholder", "New Facility", "new facility"),
    ("end_date_placeholder", "*", "not inspected as of the report"),
    ("end_date_placeholder", "Scheduled FY26", "scheduled FY26"),
    ("end_date_placeholder", "Scheduled FY27", "scheduled FY27"),
    ("pending_inspection", "Scheduled", "scheduled"),
    ("pending_inspection", "N/A", None),
]


@pytest.mark.parametrize(("table", "spelling", "meaning"), EXPECTED)
def test_each_spelling_means_what_ice_meant(table, spelling, meaning):
    found = PROFILE.table(table).lookup(spelling)
    assert (found.value, found.known) == (meaning, True)


@pytest.mark.parametrize(("spelling", "meaning"), [("meets  standard ", "Meets Standards"), ("PASS", "Pass")])
def test_spaces_and_case_do_not_matter(spelling, meaning):
    assert PROFILE.table("rating").lookup(spelling).value == meaning


def test_every_spelling_in_the_profile_has_a_test_above():
    tested = {(table, fold(spelling)) for table, spelling, _ in EXPECTED}
    for table, entries in PROFILE["values"].items():
        if table.endswith("_patterns"):
            continue
        name = table.removesuffix("_empty")
        spellings = entries if isinstance(entries, list) else [s for group in entries.values() for s in group]
        missing = [s for s in spellings if (name, fold(s)) not in tested]
        assert not missing, f"{table}: no test for {missing}"


def test_an_unlisted_value_is_unknown_not_guessed():
    found = PROFILE.table("standard").lookup("PBNDS 2031")
    assert (found.value, found.known) == (None, False)


def test_a_spelling_may_not_mean_two_things():
    with pytest.raises(Exception, match="maps to two values"):
        ValueTable.build("t", {"A": ["x"], "B": ["X"]})


def test_a_made_up_roster_reads_like_the_real_ones(tmp_path):
    north, south = NORTH, changed(SOUTH, Guaranteed_Minimum="N/A", Last_Inspection_Type="Pre-Occ")
    south = changed(south, Last_Inspection_End_Date="Scheduled FY27", Last_Inspection_Standard="PBNDS 2031")
    # ICE leaves trailing spaces in sheet names: "Facilities FY27 "
    path = write_roster(tmp_path / "roster.xlsx", [north, south], year="FY27 ", data_date="01/02/2027")
    roster = import_roster(path)
    assert roster.source | {"sha256": None} == {
        "file": "roster.xlsx", "sha256": None, "profile": "ice-detention-statistics",
        "sheet": "Facilities FY27 ", "header_row": 10, "first_row": 11, "last_row": 12, "facilities": 2,
        "title": "ICE Facilities Data, FY27", "data_date": "2027-01-02",
    }  # fmt: skip
    north, south = roster.facilities
    assert (north.zip, north.facility_type, north.detention_standard, north.final_rating) == (
        "04101", "USMS-IGA", "NDS-2019", "Meets Standards",
    )  # fmt: skip
    assert (north.last_inspection_end, north.guaranteed_minimum, north.rating_outcome) == (
        "2026-03-05",
        40,
        "pass",
    )
    south_facts = (
        south.zip,
        south.last_inspection_status,
        south.last_inspection_type,
        south.guaranteed_minimum,
    )
    assert south_facts == ("78041", "scheduled FY27", "PRE-OCCUPANCY", None)
    # the unknown standard is kept as found, normalised to nothing, and reported with its cell
    assert (south.detention_standard, south.detention_standard_label) == (None, "PBNDS 2031")
    assert [(u.ref, u.field, u.value) for u in roster.unrecognised] == [
        ("'Facilities FY27 '!K12", "detention_standard", "PBNDS 2031")
    ]
    assert north.facility_id != south.facility_id


def test_a_workbook_without_a_facilities_sheet_is_a_clear_error(tmp_path):
    book = Workbook()
    book.active.title = "Detention FY27"
    book.save(tmp_path / "other.xlsx")
    with pytest.raises(Exception, match="no sheet named like"):
        import_roster(tmp_path / "other.xlsx")


def test_the_cli_reports_an_unreadable_roster_in_one_line(cli, tmp_path):
    (tmp_path / "notes.txt").write_text("hello")
    result = cli("facilities", "import", tmp_path / "notes.txt")
    assert result.exit_code == 1
    assert "error:" in result.stderr and "Traceback" not in result.stderr
