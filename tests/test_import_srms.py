"""`auditor import srms`: ICE's Segregation Review Management System export onto our Placements.

Three layers: every entry of the profile's value tables (auditor/imports/profiles/srms.yml) with
the canonical value written out here; a small SRMS-shaped workbook written by the test, whose
counts were worked out by hand; and the real 2017–2023 export (../shared/realdata, never copied
into the repository), checked against counts computed independently with plain pandas.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from auditor.contracts.results import Results
from auditor.imports.profile import load_profile
from auditor.imports.srms import SCOPE, import_srms
from auditor.standards.scopes import load_scope

SHEET = "2017 - 2023"
HEADERS = [
    "Tracking Number",
    "Alien Number",
    "Gender",
    "Country of Citizenship",
    "Facility AOR",
    "Facility",
    "Report Type",
    "Placement Date",
    "Placement Reason",
    "Release Date",
    "Detailed Placement Reason",
    "Attorney of Record",
    "Attorney Notification",
    "Detainee Request Segregation",
    "Compliance with Detention Standards",
    "Mental Illness",
    "Serious Medical Illness",
    "Serious Disability",
    "SMI SPI DIS Description",
    "FO Recommendation",
    "Created",
    "Length of Stay",
    "Suicide Risk?",
]

# ---------------------------------------------------------------------------- the value tables

ADMINISTRATIVE = [
    "Pending Investigation of Disciplinary Violation",
    "Medical/Mental",
    "Medical: Observation",
    "Medical: Other Infectious Disease",
    "Medical: Segregation Unit",
    "Medical: Other",
    "Medical: Detox/Withdrawal Observation",
    "Medical: Disabled or Infirm",
    "Medical: Tuberculosis",
    "Mental Illness",
    "Mental Illness: Observation",
    "Suicide Risk Placement",
    "Hunger Strike",
    "Protective Custody",
    "Protective Custody: Other Detainee Safety",
    "Protective Custody: Criminal Offense (i.e. Sex Offender)",
    "Protective Custody: Gang Status (Protective Custody Only)",
    "Protective Custody: Lesbian, Gay, Bisexual, Transgender (LGBT)",
    "Protective Custody: Victim of Sexual Assault",
    "Protective Custody: Special Vulnerability Other",
    "Facility Security Threat",
    "Facility Security Threat: Violent or Disruptive Behavior",
    "Facility Security Threat: Other",
    "Facility Security Threat: Gang Member Status (Not Protective Custody)",
    "Facility Security Threat: Due to Seriousness of Criminal Conviction",
    "Detainee Request: Other",
    "Facility Initiated: Other",
    "Other",
    "Other: Unique Reason Not Listed (Explain in Comments)",
    "Other: Pending General Population Bedspace Availability",
]
AORS = {
    "ATL (Atlanta)": "ATL",
    "BAL (Baltimore)": "BAL",
    "BOS (Boston)": "BOS",
    "BUF (Buffalo)": "BUF",
    "CHI (Chicago)": "CHI",
    "DAL (Dallas)": "DAL",
    "DEN (Denver)": "DEN",
    "DET (Detroit)": "DET",
    "ELP (El Paso)": "ELP",
    "HLG (Harlingen)": "HLG",
    "HOU (Houston)": "HOU",
    "LOS (Los Angeles)": "LOS",
    "MIA (Miami)": "MIA",
    "NEW (Newark)": "NEW",
    "NOL (New Orleans)": "NOL",
    "NYC (New York City)": "NYC",
    "PHI (Philadelphia)": "PHI",
    "PHO (Phoenix)": "PHO",
    "SEA (Seattle)": "SEA",
    "SFR (San Francisco)": "SFR",
    "SLC (Salt Lake City)": "SLC",
    "SNA (San Antonio)": "SNA",
    "SND (San Diego)": "SND",
    "SPM (Saint Paul)": "SPM",
    "WAS (Washington)": "WAS",
}
# table → {spelling in the export: canonical value}, written out by hand
EXPECTED = {
    "report_type": {"72 Hour": "72-hour", "14 Day": "14-day", "30 Day Interval": "30-day-interval"},
    "placement_kind": {"Disciplinary": "disciplinary-segregation"}
    | dict.fromkeys(ADMINISTRATIVE, "administrative-segregation"),
    "sex": {"Male": "M", "Female": "F"},
    "aor": AORS,
    "mental_illness": {
        "Mental Illness": "true",
        "Serious Mental Illness": "true",
        "Yes": "true",
        "None": "false",
        "No": "false",
    },
    "serious_medical_illness": {"Yes": "true", "No": "false"},
    "serious_disability": {"Yes": "true", "No": "false"},
    "suicide_risk": {"Suicide Risk": "true", "Yes": "true", "No": "false"},
}
ENTRIES = [
    (table, spelling, value) for table, entries in EXPECTED.items() for spelling, value in entries.items()
]


@pytest.mark.parametrize(("table", "spelling", "canonical"), ENTRIES)
def test_every_table_entry_normalises_to_its_value(table, spelling, canonical):
    found = load_profile("srms").table(table).lookup(spelling)
    assert (found.value, found.known) == (canonical, True)


@pytest.mark.parametrize("table", EXPECTED)
def test_the_profile_lists_exactly_the_spellings_tested_here(table):
    """A spelling added to the YAML without its expected value here fails: every entry is tested."""
    listed = load_profile("srms")["values"][table]
    assert sorted(s for spellings in listed.values() for s in spellings) == sorted(EXPECTED[table])


def test_the_export_has_31_placement_reasons_and_only_one_is_disciplinary():
    assert len(EXPECTED["placement_kind"]) == 31
    assert [k for k, v in EXPECTED["placement_kind"].items() if v == "disciplinary-segregation"] == [
        "Disciplinary"
    ]


@pytest.mark.parametrize(
    ("table", "cell", "canonical"),
    [
        ("placement_kind", "  disciplinary ", "disciplinary-segregation"),
        ("placement_kind", "PENDING  INVESTIGATION OF DISCIPLINARY VIOLATION", "administrative-segregation"),
        ("report_type", "14 day", "14-day"),
        ("aor", "atl  (atlanta)", "ATL"),
    ],
)
def test_spaces_and_case_are_ignored(table, cell, canonical):
    assert load_profile("srms").table(table).lookup(cell).value == canonical


@pytest.mark.parametrize(
    ("table", "cell"), [("placement_kind", "Time Out"), ("aor", "XYZ (Nowhere)"), ("mental_illness", "Maybe")]
)
def test_an_unlisted_value_is_unknown_not_guessed(table, cell):
    found = load_profile("srms").table(table).lookup(cell)
    assert (found.value, found.known) == (None, False)


@pytest.mark.parametrize("table", ["mental_illness", "suicide_risk", "placement_kind"])
def test_an_empty_cell_stays_empty(table):
    assert load_profile("srms").table(table).lookup("  ").value is None


def test_the_scope_evaluates_report_types_the_profile_knows():
    """The import writes inspections in the scope segregation-notices: the report types its rules
    read are values of the profile's report_type table, and its 14-day population is not
    re-derived from Release Date (a 14 Day report says the stay reached 14 days)."""
    scope = load_scope(SCOPE)
    report_types = set(load_profile("srms")["values"]["report_type"])
    read = {
        rid: next(c["in"] for c in spec.where if c.get("column") == "report_type")
        for rid, spec in scope.requirements.items()
    }
    assert read == {
        "SMU-NOTIFY-VULNERABLE": ["72-hour"],
        "SMU-NOTIFY-14D": ["14-day"],
        "SMU-NOTIFY-30D": ["30-day-interval"],
    }
    assert {t for types in read.values() for t in types} <= report_types
    assert scope.edition_when_unknown == "NDS-2019"
    assert "stay_at_least" not in json.dumps(scope.requirements["SMU-NOTIFY-14D"].where)
    # every 72 Hour report is a vulnerable detainee's notice: no flag narrows the population
    assert "any_of" not in json.dumps(scope.requirements["SMU-NOTIFY-VULNERABLE"].where)


# ---------------------------------------------------------------------------- a small export

D, T = dt.date, dt.datetime
A, B = "ALPHA DETENTION CENTER (GA)", "BRAVO COUNTY JAIL"
PENDING = "Pending Investigation of Disciplinary Violation"
# Excel row → (facility, AOR, report type, placement date, reason, release, MI, SMI, SD, created, suicide)
ROWS = {
    # A Placement Date is a day: a notice at most 72 h after its start is on time, more than 72 h
    # after its end late, in between undecided (the same with 14 days)
    2: (A, "ATL (Atlanta)", "72 Hour", D(2023, 1, 10), "Disciplinary", None,
        "Serious Mental Illness", "No", "No", T(2023, 1, 13, 0, 0), None),  # 72 h after the day's start
    3: (A, "ATL (Atlanta)", "72 Hour", D(2023, 1, 10), "Medical/Mental", None,
        "None", "Yes", "No", T(2023, 1, 13, 0, 1), None),  # 72 h 1 min after its start: undecided
    4: (A, "ATL (Atlanta)", "72 Hour", D(2023, 1, 10), "Protective Custody", D(2023, 1, 30),
        "None", "No", "No", T(2023, 1, 20, 9, 0), None),  # late; no flag, but a 72 Hour report counts
    5: (A, "ATL (Atlanta)", "72 Hour", D(2023, 1, 10), PENDING, None,
        None, None, None, T(2023, 1, 9, 10, 0), "Suicide Risk"),  # filed before placement: on time
    6: (A, "ATL (Atlanta)", "14 Day", D(2023, 1, 1), "Disciplinary", D(2023, 1, 5),
        "None", "No", "No", T(2023, 1, 15, 0, 0), None),  # 14 days after the day's start; released day 4
    7: (A, "ATL (Atlanta)", "14 Day", D(2023, 1, 1), "Hunger Strike", None,
        "Yes", "No", "No", T(2023, 1, 15, 0, 1), None),  # 14 days 1 min after its start: undecided
    8: (A, "ATL (Atlanta)", "30 Day Interval", D(2023, 1, 1), "Disciplinary", None,
        "None", "No", "No", T(2023, 2, 1, 8, 0), None),  # day 31: late for day 30, or day 60's: undecided
    9: (A, "ATL (Atlanta)", "14 Day", D(2023, 2, 1), "Time Out", None,
        "None", "No", "No", T(2023, 3, 1, 8, 0), None),  # unknown reason: no kind, out of the population
    10: (B, None, "72 Hour", D(2023, 3, 1), "Disciplinary", None,
         "None", "No", "Yes", T(2023, 3, 5, 0, 1), None),  # 72 h 1 min after the day's end: late; AOR
    # filled from row 11
    11: (B, "NOL (New Orleans)", "14 Day", D(2023, 3, 1), "Facility Security Threat", None,
         "Mental Illness", "No", "No", T(2023, 3, 10, 12, 0), None),  # day 9: on time
}  # fmt: skip
ORPHANS = (14, 16)  # only "Suicide Risk" in the last column; rows 12, 13 and 15 are blank
LAST_ROW = 16


def write_export(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append(HEADERS)
    for row, (facility, aor, kind, placed, reason, released, mi, smi, sd, created, suicide) in ROWS.items():
        values = {
            "Tracking Number": "(b)(7)(E)",
            "Alien Number": "(b)(6), (b)(7)(C)",
            "Gender": "Female" if row == 3 else "Male",
            "Facility AOR": aor,
            "Facility": facility,
            "Report Type": kind,
            "Placement Date": placed,
            "Placement Reason": reason,
            "Release Date": released,
            "Mental Illness": mi,
            "Serious Medical Illness": smi,
            "Serious Disability": sd,
            "Created": created,
            "Suicide Risk?": suicide,
        }
        for col, header in enumerate(HEADERS, start=1):
            if values.get(header) is not None:
                cell = sheet.cell(row=row, column=col, value=values[header])
                if isinstance(values[header], dt.date):
                    cell.number_format = (
                        "yyyy-mm-dd" if type(values[header]) is dt.date else "yyyy-mm-dd hh:mm"
                    )
    for row in ORPHANS:
        sheet.cell(row=row, column=len(HEADERS), value="Suicide Risk")
    book.save(path)
    return path


@pytest.fixture
def small(tmp_path):
    out = tmp_path / "out"
    return import_srms(write_export(tmp_path / "srms.xlsx"), out), out


def placements(out: Path, slug: str) -> pd.DataFrame:
    """A folder's Placements sheet beside each row's trace (import-trace.csv, next to the folders)."""
    sheet = pd.read_csv(out / slug / "Placements.csv", dtype=str, keep_default_na=False)
    trace = pd.read_csv(out / "import-trace.csv", dtype=str, keep_default_na=False)
    traced = trace[trace["folder"] == slug].drop(columns="folder")
    assert sorted(traced["placement_id"]) == sorted(sheet["placement_id"])  # every row traced, once
    return sheet.merge(traced, on="placement_id", validate="one_to_one").set_index("srms_row")


def facility_sheet(folder: Path) -> dict[str, str]:
    return dict(csv.reader(io.StringIO((folder / "Facility.csv").read_text(encoding="utf-8"))))


def result(out: Path, slug: str, requirement: str):
    results = Results.read(out / f"{slug}.json")
    return next(r for r in results.results if r.requirement_id == requirement)


def test_rows_in_and_out_are_counted(small):
    done, _ = small
    assert (done.rows_in, done.report_rows, done.blank_rows, done.orphan_rows) == (LAST_ROW - 1, 10, 3, 2)
    assert done.placements_out == 9  # row 9 has no kind: reported, not written (see below)
    assert [(f.slug, f.rows, f.rows_72h, f.rows_14d, f.rows_30d) for f in done.facilities] == [
        ("alpha-detention-center-ga", 7, 4, 2, 1),
        ("bravo-county-jail", 2, 1, 1, 0),
    ]
    assert done.source | {"sha256": "-"} == {
        "file": "srms.xlsx",
        "sha256": "-",
        "profile": "srms",
        "sheet": SHEET,
        "header_row": 1,
        "last_row": LAST_ROW,
        "first_report_row": 2,
        "last_report_row": 11,
    }


def test_orphan_rows_are_reported_by_cell_and_not_imported(small):
    done, out = small
    assert done.orphan_row_numbers == [14, 16]
    assert done.orphan_refs == ["'2017 - 2023'!W14", "'2017 - 2023'!W16"]
    issues = list(csv.DictReader(io.StringIO((out / "import-issues.csv").read_text(encoding="utf-8"))))
    assert [i["ref"] for i in issues if i["issue"] == "orphan_row"] == done.orphan_refs


def test_the_files_written_per_facility(small):
    _, out = small
    assert sorted(p.name for p in out.iterdir()) == [
        "alpha-detention-center-ga",
        "alpha-detention-center-ga.json",
        "bravo-county-jail",
        "bravo-county-jail.json",
        "import-issues.csv",
        "import-summary.csv",
        "import-trace.csv",
    ]
    assert sorted(p.name for p in (out / "bravo-county-jail").iterdir()) == ["Facility.csv", "Placements.csv"]


def test_placements_map_kind_start_vulnerabilities_and_trace(small):
    _, out = small
    alpha = placements(out, "alpha-detention-center-ga")
    assert list(alpha.index) == [str(r) for r in range(2, 9)]
    assert alpha.loc["2", "placement_id"] == "SRMS-R000002"
    assert alpha.loc["2", "detainee_id"] == "SRMS-D000002"
    assert alpha["kind"].to_dict() == {
        "2": "disciplinary-segregation",
        "3": "administrative-segregation",
        "4": "administrative-segregation",
        "5": "administrative-segregation",  # pending a disciplinary hearing
        "6": "disciplinary-segregation",
        "7": "administrative-segregation",
        "8": "disciplinary-segregation",
    }  # row 9, "Time Out": unknown, reported, never guessed, and no Placements row can hold it
    assert alpha.loc["2", "start"] == "2023-01-10"  # a Placement Date stays a date: its whole day
    assert alpha.loc["3", "field_office_notified"] == "2023-01-13 00:01"
    assert alpha.loc["4", "end"] == "2023-01-30"  # a date-only Release Date stays a date
    assert (alpha.loc["3", "sex"], alpha.loc["2", "sex"]) == ("F", "M")
    vulnerable = ["mental_illness", "serious_medical_illness", "serious_disability", "suicide_risk"]
    assert alpha.loc["2", vulnerable].tolist() == ["TRUE", "FALSE", "FALSE", ""]
    assert alpha.loc["3", vulnerable].tolist() == ["FALSE", "TRUE", "FALSE", ""]
    assert alpha.loc["5", vulnerable].tolist() == ["", "", "", "TRUE"]
    assert alpha.loc["7", "mental_illness"] == "TRUE"  # "Yes"
    assert alpha.loc["6", ["srms_report_type", "srms_placement_reason"]].tolist() == [
        "14 Day",
        "Disciplinary",
    ]
    assert alpha["report_type"].tolist() == ["72-hour"] * 4 + ["14-day"] * 2 + ["30-day-interval"]
    bravo = placements(out, "bravo-county-jail")
    assert bravo.loc["11", "mental_illness"] == "TRUE"  # "Mental Illness" (not "serious") counts


def test_facility_sheets_from_the_export(small):
    _, out = small
    alpha = facility_sheet(out / "alpha-detention-center-ga")
    assert alpha["facility_name"] == A
    assert (alpha["aor"], alpha["state"], alpha["facility_type"], alpha["detention_standard"]) == (
        "ATL",
        "GA",
        "",
        "",
    )
    assert alpha["inspection_id"] == "SRMS-2023-01-01-2023-03-10"
    assert (alpha["review_period_start"], alpha["review_period_end"]) == ("2023-01-01", "2023-03-10")
    assert (alpha["inspection_start"], alpha["inspection_end"]) == ("2023-03-10", "2023-03-10")
    bravo = facility_sheet(out / "bravo-county-jail")
    # the review period is the export's for every facility, not from the facility's first placement
    assert (bravo["aor"], bravo["state"], bravo["review_period_start"]) == ("NOL", "", "2023-01-01")


def test_the_notices_are_evaluated_on_their_placement_days(small):
    done, out = small
    alpha = {f.slug: f for f in done.facilities}["alpha-detention-center-ga"]
    # 72 h: every 72 Hour report: rows 2 (on time), 3 (undecided), 4 (late, though no flag is set)
    # and 5 (filed before placement: on time). 14 d: rows 6 (on time, though released on day 4) and
    # 7 (undecided); row 9 has no kind.
    assert (alpha.vulnerable_population, alpha.vulnerable_late, alpha.vulnerable_indeterminate) == (4, 1, 1)
    assert alpha.vulnerable_status == "deficient"
    assert (alpha.notice_14d_population, alpha.notice_14d_late, alpha.notice_14d_indeterminate) == (2, 0, 1)
    assert alpha.notice_14d_status == "indeterminate"
    # 30 d: row 8, created 31 days 8 h after its placement day began, more than 30 days after it
    # ended: a late 30-day report or the 60-day one, which unlinked reports cannot tell apart
    assert (alpha.notice_30d_population, alpha.notice_30d_late, alpha.notice_30d_indeterminate) == (1, 0, 1)
    interval = result(out, "alpha-detention-center-ga", "SMU-NOTIFY-30D")
    assert [(e.row, e.verdict) for e in interval.evidence] == [(8, "indeterminate")]
    assert interval.evidence[0].detail.startswith("a later interval's report, or this one late")
    notice = result(out, "alpha-detention-center-ga", "SMU-NOTIFY-VULNERABLE")
    assert [(e.row, e.verdict) for e in notice.evidence] == [(4, "violation"), (3, "indeterminate")]
    cells = {c["column"]: c["value"] for c in notice.evidence[0].cells}
    assert cells["placement_id"] == "SRMS-R000004"
    assert cells["detainee_id"] == "****0004"  # masked by the engine
    assert "72 h 1 min after the day's start but 48 h 1 min after its end" in notice.evidence[1].detail
    assert notice.note.endswith("1 with field_office_notified before start: on time, a data anomaly")
    bravo = {f.slug: f for f in done.facilities}["bravo-county-jail"]
    assert (bravo.vulnerable_population, bravo.vulnerable_late, bravo.vulnerable_indeterminate) == (1, 1, 0)
    assert (bravo.notice_14d_population, bravo.notice_14d_late, bravo.notice_14d_status) == (
        1,
        0,
        "compliant",
    )
    evidence = result(out, "bravo-county-jail", "SMU-NOTIFY-VULNERABLE").evidence
    assert [(e.row, e.cells[0]["value"]) for e in evidence] == [(2, "SRMS-R000010")]  # export row 10
    assert evidence[0].detail == (
        "field_office_notified at least 72 h 1 min after the end of start day 2023-03-01 (limit 72 hours)"
    )
    assert done.totals() == {
        "SMU-NOTIFY-VULNERABLE": {
            "population": 5,
            "late": 2,
            "indeterminate": 1,
            "deficient_facilities": 2,
            "compliant_facilities": 0,
            "indeterminate_facilities": 0,
        },
        "SMU-NOTIFY-14D": {
            "population": 3,
            "late": 0,
            "indeterminate": 1,
            "deficient_facilities": 0,
            "compliant_facilities": 1,
            "indeterminate_facilities": 1,
        },
        "SMU-NOTIFY-30D": {
            "population": 1,
            "late": 0,
            "indeterminate": 1,
            "deficient_facilities": 0,
            "compliant_facilities": 0,
            "indeterminate_facilities": 1,
        },
    }


def test_the_results_say_how_each_notice_was_evaluated_and_why_the_rest_was_not(small):
    _, out = small
    results = Results.read(out / "alpha-detention-center-ga.json")
    by_id = {r.requirement_id: r for r in results.results}
    scope = load_scope(SCOPE)
    assert results.standards["edition"] == "NDS-2019"
    assert results.scope["id"] == SCOPE
    assert set(by_id) == set(load_edition_ids("NDS-2019"))
    assert '"14 Day" reports' in by_id["SMU-NOTIFY-14D"].note
    assert not by_id["SMU-NOTIFY-14D"].threshold.tailored
    assert by_id["SMU-DISCIPLINARY-MAX"].status == "not_assessed"
    assert by_id["SMU-DISCIPLINARY-MAX"].reason == scope.reason("SMU-DISCIPLINARY-MAX")
    others = [r for r in results.results if not r.requirement_id.startswith("SMU-")]
    assert {r.status for r in others} == {"not_assessed"}
    assert {r.reason for r in others} == {scope.not_assessed["default"]}
    assert results.summary.total_requirements == len(by_id)
    # decided: SMU-NOTIFY-VULNERABLE (deficient); SMU-NOTIFY-14D (row 7) and SMU-NOTIFY-30D (row 8)
    # are undecided; SMU-NOTIFY-14IN21 is not assessed from reports, with its own reason
    summary = results.summary
    assert (summary.requirements_assessed, summary.indeterminate, summary.in_scope) == (1, 2, 3)
    assert by_id["SMU-NOTIFY-14IN21"].reason == scope.reason("SMU-NOTIFY-14IN21")
    assert results.facility["facility_type"] is None  # never guessed (the portfolio says "not known")
    # the audit of the folder: its inputs are the files it read
    assert [i["name"] for i in results.inputs] == ["Facility.csv", "Placements.csv"]


def test_the_results_json_is_what_results_to_dict_gives(small):
    _, out = small
    written = json.loads((out / "bravo-county-jail.json").read_text(encoding="utf-8"))
    assert Results.from_dict(written).to_dict() == written


def _counts(results: dict) -> dict:
    """What an audit says, requirement by requirement: status, population, violations, evidence rows."""
    return {
        r["requirement_id"]: (
            r["status"],
            r["population"],
            r["violations"],
            [e["row"] for e in r["evidence"]],
        )
        for r in results["results"]
    } | {"summary": results["summary"]}


def test_auditor_audit_of_each_folder_gives_the_imports_own_results(small, cli):
    """The importer makes inspections, not results: its JSON is `auditor audit FOLDER`'s output."""
    done, out = small
    for facility in done.facilities:
        audited = cli("audit", out / facility.slug, "--format", "json")
        assert audited.exit_code == 0, audited.output
        imported = json.loads((out / f"{facility.slug}.json").read_text(encoding="utf-8"))
        assert _counts(json.loads(audited.stdout)) == _counts(imported)


def test_unknown_values_and_filled_cells_are_reported_by_cell(small):
    done, _ = small
    assert [(u.ref, u.field, u.value) for u in done.unrecognised] == [
        ("'2017 - 2023'!I9", "kind", "Time Out")
    ]
    notes = {n.code: n.refs for n in done.notes}
    assert notes["aor_filled"] == ["'2017 - 2023'!E10"]
    assert notes["filed_before_placement"] == ["'2017 - 2023'!U5"]
    assert notes["not_imported"] == ["'2017 - 2023'!H9", "'2017 - 2023'!I9"]


def test_a_sheet_without_a_needed_column_is_refused(tmp_path):
    from auditor.errors import WorkbookError

    book = openpyxl.Workbook()
    book.active.title = SHEET
    book.active.append([h for h in HEADERS if h != "Created"])
    book.active.append(["(b)(7)(E)", "x", "Male", "MEXICO", "ATL (Atlanta)", A, "72 Hour", D(2023, 1, 1)])
    book.save(tmp_path / "x.xlsx")
    with pytest.raises(WorkbookError, match="Created"):
        import_srms(tmp_path / "x.xlsx", tmp_path / "out")


def test_the_cli_prints_rows_totals_and_unknown_values(tmp_path, cli):
    export = write_export(tmp_path / "srms.xlsx")
    result = cli("import", "srms", export, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "15 rows in" in text
    assert "10 report rows (rows 2–11) → 9 placements in 2 facility folders" in text
    assert "3 blank rows" in text
    assert "2 rows with values but no facility, not imported (rows 14–16" in text
    assert "SMU-NOTIFY-VULNERABLE: 2 late of 5 (40.0 %), 1 undecided; 2 facilities deficient" in text
    assert (
        "SMU-NOTIFY-14D: 0 late of 3 (0.0 %), 1 undecided; 0 facilities deficient, 1 compliant, 1 undecided"
        in text
    )
    assert (
        "SMU-NOTIFY-30D: 0 late of 1 (0.0 %), 1 undecided; 0 facilities deficient, 0 compliant, 1 undecided"
        in text
    )
    assert "'2017 - 2023'!I9 kind: 'Time Out'" in text


def test_the_cli_reports_an_unreadable_file_in_one_line(tmp_path, cli):
    bad = tmp_path / "bad.xlsx"
    bad.write_text("not a workbook", encoding="utf-8")
    result = cli("import", "srms", bad, "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert "Traceback" not in result.output


def load_edition_ids(name: str) -> list[str]:
    from auditor.standards.load import load_edition

    return list(load_edition(name).requirements)


# ---------------------------------------------------------------------------- the real export

SRMS = "SRMS_segregation_2018-2023_redacted.xlsx"


@pytest.fixture(scope="module")
def real(realdata, tmp_path_factory):
    """The whole export imported once for every test of this module."""
    out = tmp_path_factory.mktemp("srms") / "out"
    return import_srms(realdata / SRMS, out), out


@pytest.fixture(scope="module")
def export(realdata) -> pd.DataFrame:
    """The export read independently: plain pandas, the facility's rows only, Excel rows as index."""
    frame = pd.read_excel(realdata / SRMS, sheet_name="2017 - 2023", engine="calamine")
    frame.index += 2
    return frame[frame["Facility"].notna()]


@pytest.mark.realdata
def test_real_rows_in_and_out(real):
    done, out = real
    assert (done.rows_in, done.report_rows, done.blank_rows, done.orphan_rows) == (17283, 14264, 2949, 70)
    assert len(done.orphan_refs) == 70
    assert all(ref.startswith("'2017 - 2023'!W") for ref in done.orphan_refs)
    assert done.unrecognised == []
    written = sum(len(pd.read_csv(p, usecols=["placement_id"])) for p in out.glob("*/Placements.csv"))
    assert written == done.placements_out == 14264
    assert len([p for p in out.iterdir() if p.is_dir()]) == 126
    assert len(list(out.glob("*.json"))) == 126
    notes = {n.code: n for n in done.notes}
    assert len(notes["aor_filled"].refs) == 13
    assert len(notes["filed_before_placement"].refs) == 35


def independent(rows: pd.DataFrame) -> dict[str, tuple[int, int, int]]:
    """(population, late, undecided) of each notice, counted with plain pandas: every 72 Hour and
    14 Day report; a Placement Date is its whole day, so late means more than the limit after the
    day's end, on time at most the limit after its start, undecided in between."""
    day = pd.to_datetime(rows["Placement Date"]).dt.normalize()
    created = pd.to_datetime(rows["Created"])
    out = {}
    for requirement, report, limit in (
        ("SMU-NOTIFY-VULNERABLE", "72 Hour", pd.Timedelta(hours=72)),
        ("SMU-NOTIFY-14D", "14 Day", pd.Timedelta(days=14)),
    ):
        on = rows["Report Type"] == report  # every reason is a segregation kind
        late = on & (created > day + pd.Timedelta(days=1) + limit)
        on_time = on & (created <= day + limit)
        out[requirement] = (int(on.sum()), int(late.sum()), int((on & ~late & ~on_time).sum()))
    # a 30 Day Interval report is on time at most 30 days after its day's start; any other is
    # undecided, never late: it may be the report of a later interval (the rows are not linked)
    on = rows["Report Type"] == "30 Day Interval"
    on_time = on & (created <= day + pd.Timedelta(days=30))
    out["SMU-NOTIFY-30D"] = (int(on.sum()), 0, int((on & ~on_time).sum()))
    return out


@pytest.mark.realdata
@pytest.mark.parametrize("facility", ["STEWART DETENTION CENTER (GA)", "ADAMS COUNTY DET CENTER"])
def test_real_facility_counts_equal_an_independent_count(real, export, facility):
    _, out = real
    expected = independent(export[export["Facility"].str.strip() == facility])
    slug = facility.lower().replace(" (", "-").replace(")", "").replace(" ", "-")
    for requirement, counts in expected.items():
        notice = result(out, slug, requirement)
        assert (notice.population, notice.violations, notice.indeterminate) == counts, requirement


@pytest.mark.realdata
def test_real_totals_equal_an_independent_count(real, export):
    done, _ = real
    totals = done.totals()
    found = {r: (t["population"], t["late"], t["indeterminate"]) for r, t in totals.items()}
    assert found == independent(export)
    # the export (2017–2023) as counted once: of the 2,319 72 Hour reports late when the Placement
    # Date was read as 00:00, 890 are undecided (late only if the placement came early that day)
    assert found == {
        "SMU-NOTIFY-VULNERABLE": (5205, 1429, 890),
        "SMU-NOTIFY-14D": (7023, 2536, 1011),
        "SMU-NOTIFY-30D": (2036, 0, 251),  # 229 more than 31 days after the day's start, 22 straddling
    }


@pytest.mark.realdata
@pytest.mark.slow
def test_real_portfolio_over_the_import(real, cli, tmp_path):
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    _, out = real
    pdf = tmp_path / "portfolio.pdf"
    result = cli("portfolio", out, "-o", pdf)
    assert result.exit_code == 0, result.output
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "126 facilities" in text


# ---------------------------------------------------------------------------- hostile cells


def test_formula_like_cells_are_written_quoted_and_read_back_as_they_were(tmp_path):
    from auditor.safe_cells import set_value
    from auditor.workbook.inspection import load

    export = write_export(tmp_path / "srms.xlsx")
    book = openpyxl.load_workbook(export)
    for row in range(2, 10):  # facility A, every row
        set_value(book.active.cell(row=row, column=HEADERS.index("Facility") + 1), "@ALPHA CENTER (GA)")
    reason = HEADERS.index("Placement Reason") + 1
    set_value(book.active.cell(row=8, column=reason), "-1+1")
    set_value(book.active.cell(row=9, column=reason), '=HYPERLINK("http://x","y")')
    book.save(export)
    out = tmp_path / "out"

    import_srms(export, out)

    folder = out / "alpha-center-ga"
    raw_facility = dict(csv.reader(io.StringIO((folder / "Facility.csv").read_text(encoding="utf-8"))))
    assert raw_facility["facility_name"] == "'@ALPHA CENTER (GA)"
    # unknown reasons (no kind: not imported) are reported in import-issues.csv, quoted there too
    issues = list(csv.DictReader(io.StringIO((out / "import-issues.csv").read_text(encoding="utf-8"))))
    reported = [i["value"] for i in issues if i["issue"] == "unrecognised" and i["field"] == "kind"]
    assert reported == ["'-1+1", '\'=HYPERLINK("http://x","y")']
    for written in out.rglob("*.csv"):  # no cell of any CSV written starts like a formula
        lines = csv.reader(io.StringIO(written.read_text(encoding="utf-8")))
        cells = [cell for line in lines for cell in line]
        assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")], written.name
    # `auditor audit` reads the folder back to the values of the export
    loaded = load(folder)
    assert loaded.inspection.facility["facility_name"] == "@ALPHA CENTER (GA)"


def test_facility_names_too_long_for_an_id_make_capped_unique_ids(tmp_path, cli):
    """Two 177-character names that differ only in their state: the full slugs (175 characters)
    would make ids over ids.py's 128. Slugs are capped at 123 (128 - len("SRMS-")), cut at a
    hyphen's end; the second facility's capped slug is taken, so it gets -2 within the cap."""
    from auditor.workbook.ids import FACILITY_ID_MAX, is_facility_id

    long_name = "ALPHA DETENTION CENTER " + "OF THE NORTHERN DISTRICT " * 6  # 173 characters
    export = write_export(tmp_path / "srms.xlsx")
    book = openpyxl.load_workbook(export)
    facility = HEADERS.index("Facility") + 1
    for row in ROWS:  # rows 2-9 were ALPHA (GA), 10-11 BRAVO: now two long names
        book.active.cell(row=row, column=facility, value=long_name + ("(GA)" if row < 10 else "(AL)"))
    book.save(export)

    done = import_srms(export, tmp_path / "out")

    stem = "alpha-detention-center" + "-of-the-northern-district" * 3  # 97 characters
    # (AL) sorts first: 123 characters cut to "…-district-", the trailing hyphen dropped (122)
    first = stem + "-of-the-northern-district"
    second = stem + "-of-the-northern-distric-2"  # the first 121 characters, then -2 (123)
    assert [(f.slug, f.rows) for f in done.facilities] == [(first, 2), (second, 7)]
    assert [f.facility_id for f in done.facilities] == ["SRMS-" + first.upper(), "SRMS-" + second.upper()]
    assert [len(f.facility_id) for f in done.facilities] == [127, FACILITY_ID_MAX]
    assert all(is_facility_id(f.facility_id) for f in done.facilities)
    for written in done.facilities:  # each folder audits as auditor audit audits it
        audited = cli("audit", tmp_path / "out" / written.slug, "--format", "json")
        assert audited.exit_code == 0, audited.output


@pytest.mark.realdata
def test_real_folders_audit_to_the_imports_own_results(real, cli):
    """Every facility folder of the real export, audited as `auditor audit` audits it (all of them
    through the same core function in one read; five through the command line itself)."""
    from auditor.core import audit_inspections

    done, out = real
    folders = [out / f.slug for f in done.facilities]
    for folder, audit in zip(folders, audit_inspections(folders), strict=True):
        imported = json.loads((folder.parent / f"{folder.name}.json").read_text(encoding="utf-8"))
        assert audit.results is not None, folder.name
        assert _counts(json.loads(audit.results.to_json())) == _counts(imported), folder.name
    for folder in folders[:: max(1, len(folders) // 5)][:5]:
        audited = cli("audit", folder, "--format", "json")
        assert audited.exit_code == 0, audited.output
        imported = json.loads((folder.parent / f"{folder.name}.json").read_text(encoding="utf-8"))
        assert _counts(json.loads(audited.stdout)) == _counts(imported)
