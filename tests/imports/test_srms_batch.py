"""`auditor import srms` audits its facility folders together (workbook/many.py parses and validates
alike folders as one frame, engine/many.py runs the rules that decide each row alone once for all and
splits their outcome back): each facility's results must be exactly what `auditor audit FOLDER` gives
for its folder alone (statuses, counts, evidence rows and details, notes, not-assessed reasons), on a
synthetic export of eight facilities in five zones and, when ../shared/realdata is there, on ICE's."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import openpyxl
import pytest

import auditor.workbook.many as workbook_many
from auditor.contracts.results import Results
from auditor.contracts.roster import Facility as RosterFacility
from auditor.contracts.roster import Roster
from auditor.core import _checked, audit_inspection, edition_of, scope_of
from auditor.engine.many import shared_outcomes
from auditor.imports.srms import import_srms
from auditor.workbook.inspection import load_raw
from auditor.workbook.many import load_many
from auditor.workbook.read import read_here

SHEET = "2017 - 2023"
HEADERS = [
    "Tracking Number",
    "Gender",
    "Facility AOR",
    "Facility",
    "Report Type",
    "Placement Date",
    "Placement Reason",
    "Release Date",
    "Mental Illness",
    "Serious Medical Illness",
    "Serious Disability",
    "Created",
    "Suicide Risk?",
]
# name → AOR: two in Georgia (one zone, evaluated together), Arizona (no daylight time), Texas (a
# state of two zones: the import writes one), two with no state (times as written), two in California
FACILITIES = {
    "ALPHA DETENTION CENTER (GA)": "ATL (Atlanta)",
    "BRAVO PROCESSING CENTER (GA)": "ATL (Atlanta)",
    "CHARLIE COUNTY JAIL (AZ)": "PHO (Phoenix)",
    "DELTA SERVICE PROCESSING CENTER (TX)": "HOU (Houston)",
    "ECHO COUNTY JAIL": "NOL (New Orleans)",
    "FOXTROT COUNTY JAIL": "NOL (New Orleans)",
    "GOLF CORRECTIONAL FACILITY (CA)": "LOS (Los Angeles)",
    "HOTEL PROCESSING CENTER (CA)": "LOS (Los Angeles)",
}
REASONS = [
    "Disciplinary",
    "Medical/Mental",
    "Protective Custody",
    "Pending Investigation of Disciplinary Violation",
]
REPORTS = ["72 Hour", "14 Day", "30 Day Interval"]
LIMIT_HOURS = {"72 Hour": 72, "14 Day": 14 * 24, "30 Day Interval": 30 * 24}
FLAGS = ["None", "Yes", "No", None, "Serious Mental Illness"]


def write_export(path: Path, seed: int = 11) -> Path:
    """Every case the notices meet: on time, late, undecided (a placement day straddling the
    limit), filed before the placement, no Created, a Created without a time, a reason no table
    lists, and (HOTEL only) a report type no table lists, which leaves a row with no report type:
    its Placements are then evaluated as histories, facility by facility."""
    rng = np.random.default_rng(seed)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append(HEADERS)
    for facility, aor in FACILITIES.items():
        for n in range(int(rng.integers(12, 30))):
            report = REPORTS[int(rng.integers(0, 3))]
            placed = dt.date(2023, 1, 2) + dt.timedelta(
                days=int(rng.integers(0, 150))
            )  # across March's change
            hours = LIMIT_HOURS[report] + float(
                rng.choice([-30.0, -1.0, 0.0, 0.5, 10.0, 23.9, 24.0, 25.0, 200.0])
            )
            created: dt.date | None = dt.datetime.combine(placed, dt.time()) + dt.timedelta(
                hours=hours, minutes=int(rng.integers(0, 60))
            )
            roll = rng.random()
            if roll < 0.05:
                created = None  # no notice recorded
            elif roll < 0.10:
                created = placed - dt.timedelta(days=1)  # filed before the placement, without a time
            elif roll < 0.15:
                created = dt.datetime.combine(placed, dt.time(9)) - dt.timedelta(hours=5)
            released = None if rng.random() < 0.5 else placed + dt.timedelta(days=int(rng.integers(0, 40)))
            reason = REASONS[int(rng.integers(0, 4))] if rng.random() > 0.05 else "Time Out"
            if facility.startswith("HOTEL") and n == 3:
                report = "Monthly"  # not a report type the profile lists
            values = {
                "Tracking Number": "(b)(7)(E)",
                "Gender": "Female" if rng.random() < 0.2 else "Male",
                "Facility AOR": aor,
                "Facility": facility,
                "Report Type": report,
                "Placement Date": placed,
                "Placement Reason": reason,
                "Release Date": released,
                "Mental Illness": FLAGS[int(rng.integers(0, 5))],
                "Serious Medical Illness": FLAGS[int(rng.integers(0, 4))],
                "Serious Disability": FLAGS[int(rng.integers(0, 4))],
                "Created": created,
                "Suicide Risk?": "Suicide Risk" if rng.random() < 0.1 else None,
            }
            sheet.append([values[h] for h in HEADERS])
    book.save(path)
    return path


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("srms-batch")
    return import_srms(write_export(tmp / "srms.xlsx"), tmp / "out"), tmp / "out"


def assert_each_folder_audits_alone_as_imported(done, out: Path) -> None:
    """Every folder audited alone (`auditor audit FOLDER`'s own function) gives the import's JSON."""
    assert done.facilities
    for facility in done.facilities:
        alone = audit_inspection(out / facility.slug).results
        assert alone is not None, facility.slug
        imported = json.loads((out / f"{facility.slug}.json").read_text(encoding="utf-8"))
        assert json.loads(alone.to_json()) == imported, facility.slug


def test_each_synthetic_folder_audits_alone_exactly_as_the_import_audited_it(synthetic):
    done, out = synthetic
    assert len(done.facilities) == len(FACILITIES)
    assert_each_folder_audits_alone_as_imported(done, out)


def test_the_synthetic_export_meets_late_undecided_and_noted_notices(synthetic):
    """The comparison above is not vacuous: every verdict and a note appear in the batch's results."""
    done, out = synthetic
    results = [Results.read(out / f"{f.slug}.json") for f in done.facilities]
    found = [r for rs in results for r in rs.results if r.requirement_id.startswith("SMU-NOTIFY-")]
    assert sum(r.violations for r in found) > 0 and sum(r.indeterminate for r in found) > 0
    assert sum(r.compliant for r in found) > 0
    assert any(r.note and "data anomaly" in r.note for r in found)
    assert {r.status for r in found} >= {"deficient", "indeterminate"}
    assert any(r.status == "not_assessed" for rs in results for r in rs.results)


def test_alike_folders_are_loaded_together_and_split_back_as_each_loads_alone(synthetic, monkeypatch):
    """Eight folders in five zones: five loads of joined sheets, not eight (plus any folder whose rows
    have a problem, loaded alone); each split back equal to its own load, frame, marks and problems."""
    _, out = synthetic
    folders = sorted(p for p in out.iterdir() if p.is_dir())
    raws = [read_here(folder) for folder in folders]
    calls = []
    real = workbook_many.load_raw

    def counted(raw):
        calls.append(raw.path)
        return real(raw)

    monkeypatch.setattr(workbook_many, "load_raw", counted)
    together = load_many(raws)
    assert len(calls) < len(folders), calls  # joined loads, not one per folder
    for folder, batch in zip(folders, together, strict=True):
        alone = real(read_here(folder))
        assert batch.inspection.facility == alone.inspection.facility
        assert batch.inspection.sheets.keys() == alone.inspection.sheets.keys()
        for name, frame in alone.inspection.sheets.items():
            assert batch.inspection.sheets[name].equals(frame), (folder.name, name)
            assert batch.inspection.sheets[name].index.equals(frame.index)
        assert batch.inspection.date_only.keys() == alone.inspection.date_only.keys()
        for name, marks in alone.inspection.date_only.items():
            assert marks.keys() == batch.inspection.date_only[name].keys()
            for column, cells in marks.items():
                assert np.array_equal(batch.inspection.date_only[name][column], cells)
        assert batch.problems.records() == alone.problems.records(), folder.name
        assert batch.inspection.inputs == alone.inspection.inputs


def test_a_folder_with_a_bad_row_is_loaded_alone_and_keeps_its_problem(synthetic, tmp_path):
    _, out = synthetic
    folders = sorted(p for p in out.iterdir() if p.is_dir())[:2]  # ALPHA and BRAVO: one zone
    copies = []
    for folder in folders:
        copy = tmp_path / folder.name
        copy.mkdir()
        for file in folder.iterdir():
            (copy / file.name).write_bytes(file.read_bytes())
        copies.append(copy)
    placements = copies[1] / "Placements.csv"
    lines = placements.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[2].split(",")
    cells[header.index("start")] = "2023-02-30"  # no such day
    lines[2] = ",".join(cells)
    placements.write_text("\n".join(lines) + "\n", encoding="utf-8")
    together = load_many([read_here(c) for c in copies])
    alone = [load_raw(read_here(c)) for c in copies]
    assert together[0].valid and not together[1].valid
    for batch, single in zip(together, alone, strict=True):
        assert batch.problems.records() == single.problems.records()
    assert any(p["cell"] and p["row"] == 3 for p in together[1].problems.records())


def test_rules_deciding_rows_alone_run_once_for_alike_folders(synthetic):
    """GA's two folders share one run of the three notices; HOTEL's unlisted report type leaves a
    row that is not a report, so the 14-day and 30-day notices (placement histories there) are run
    per folder in California, while the 72-hour notice (a deadline, row by row) is still shared."""
    _, out = synthetic
    folders = sorted(p for p in out.iterdir() if p.is_dir())
    loaded = [_checked(one) for one in load_many([read_here(f) for f in folders])]
    assert all(one.valid for one in loaded)
    found = shared_outcomes([(one.inspection, edition_of(one), scope_of(one)) for one in loaded])
    shared = {folder.name: each.outcomes for folder, each in zip(folders, found, strict=True)}
    # the evidence cells' text, formatted once on the joined sheets, seeds each folder's cache
    texts = dict(zip([f.name for f in folders], [each.cache for each in found], strict=True))
    alpha = texts["alpha-detention-center-ga"][("evidence text", "Placements", "start")]
    assert len(alpha[0]) == len(loaded[0].inspection.sheets["Placements"]) and alpha[1].any()
    assert texts["charlie-county-jail-az"] == {}
    # and the evidence records, split from the joined run's
    assert all(outcome.records is not None for outcome in shared["alpha-detention-center-ga"].values())
    notices = {"SMU-NOTIFY-VULNERABLE", "SMU-NOTIFY-14D", "SMU-NOTIFY-30D"}
    assert set(shared["alpha-detention-center-ga"]) == notices
    assert set(shared["bravo-processing-center-ga"]) == notices
    assert set(shared["echo-county-jail"]) == notices  # no state: times as written, together
    assert set(shared["charlie-county-jail-az"]) == set()  # alone in its zone
    assert set(shared["hotel-processing-center-ca"]) == {"SMU-NOTIFY-VULNERABLE"}
    assert set(shared["golf-correctional-facility-ca"]) == {"SMU-NOTIFY-VULNERABLE"}


@pytest.mark.realdata
@pytest.mark.slow
def test_each_real_folder_audits_alone_exactly_as_the_import_audited_it(realdata, tmp_path):
    done = import_srms(realdata / "SRMS_segregation_2018-2023_redacted.xlsx", tmp_path / "out")
    assert len(done.facilities) == 126
    assert_each_folder_audits_alone_as_imported(done, tmp_path / "out")


def _roster_facility(name: str, state: str, facility_type: str, standard: str, row: int) -> RosterFacility:
    return RosterFacility(
        facility_id=f"R{row}",
        name=name,
        address=None,
        city=None,
        state=state,
        zip=None,
        aor=None,
        facility_type=facility_type,
        facility_type_label=facility_type,
        detention_standard=standard,
        detention_standard_label=standard,
        last_inspection_type=None,
        last_inspection_type_label=None,
        last_inspection_end=None,
        last_inspection_status="none reported",
        final_rating=None,
        final_rating_label=None,
        rating_outcome=None,
        guaranteed_minimum=None,
        pending_inspection=None,
        row=row,
        ref=f"Facilities!A{row}",
    )


def test_with_a_roster_folders_of_other_editions_or_types_audit_alone_as_imported(tmp_path):
    """A roster gives some facilities an edition and a type: GA's two folders then read different
    editions (evaluated apart), California's two one edition and two types (evaluated together: the
    type only decides whether a requirement applies, which each folder checks for itself)."""
    roster = Roster(
        source={},
        facilities=[
            _roster_facility("ALPHA DETENTION CENTER", "GA", "SPC", "PBNDS-2011", 2),
            _roster_facility("BRAVO PROCESSING CENTER", "GA", "IGSA", "NDS-2019", 3),
            _roster_facility("GOLF CORRECTIONAL FACILITY", "CA", "CDF", "NDS-2025", 4),
            _roster_facility("HOTEL PROCESSING CENTER", "CA", "IGSA", "NDS-2025", 5),
        ],
    )
    out = tmp_path / "out"
    done = import_srms(write_export(tmp_path / "srms.xlsx", seed=5), out, roster=roster)
    editions = {f.slug: f.edition for f in done.facilities}
    assert editions["alpha-detention-center-ga"] == "PBNDS-2011"
    assert editions["golf-correctional-facility-ca"] == editions["hotel-processing-center-ca"] == "NDS-2025"
    assert editions["echo-county-jail"] == "NDS-2019"  # not on the roster: the scope's edition
    assert_each_folder_audits_alone_as_imported(done, out)
