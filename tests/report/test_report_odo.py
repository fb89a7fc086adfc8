"""ODO's report structure in the facility report (issue 18.4), read back from the rendered PDF.

The inspection is report_scenarios.realistic with, on its Facility sheet, the overview's fields
(average daily population 450 of a rated capacity of 600: 75 %), and on its Checklist, besides the
realistic rows (FS-STORAGE deficient and corrected on site):
  EHS-EXTENSION-CORDS deficient, corrected on site (Safety, 1.2, ODO component EHS-94)
  GS-LOG              area-of-concern   (Justice 6.2; met, so compliant, and never rated)
  DH-CONTENTS         best-practice     (Justice 6.1)
ODO numbers corrections in the order of the findings: Safety before Care, so EHS-EXTENSION-CORDS is
C-1 and FS-STORAGE C-2. The previous results file (realistic's) was deficient in MC-MH-SCREEN,
EHS-FIRE-DRILL, REC-DAILY, FS-STORAGE (all deficient again) and FS-HOT-HOLD (compliant now).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from report_scenarios import MH_MISSING, Scenario, pdf_text, realistic_builder, squeeze

from auditor.contracts.results import Results
from auditor.core import audit_inspection
from auditor.report.facility import facility_html, facility_pdf

OVERVIEW = {
    "average_daily_population": 450,
    "custody_levels": "Level 1, Level 2",
    "operator": "Fictional County Sheriff's Office",
    "accreditation": "ACA, NCCHC",
}
CONCERN = "Grievance log kept on paper only; two entries illegible."
PRACTICE = "Each detainee photographed holding both handbooks as proof of receipt."
CORDS = "Power strip feeding the laundry dryer; removed."


@pytest.fixture(scope="module")
def odo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Scenario, str]:
    folder = tmp_path_factory.mktemp("odo")
    builder = realistic_builder().facility(**OVERVIEW)
    checklist = [
        *builder.sheets["Checklist"].to_dict("records"),
        {
            "requirement_id": "EHS-EXTENSION-CORDS",
            "finding": "deficient",
            "remarks": CORDS,
            "corrected_on_site": True,
        },
        {"requirement_id": "GS-LOG", "finding": "area-of-concern", "remarks": CONCERN},
        {"requirement_id": "DH-CONTENTS", "finding": "best-practice", "remarks": PRACTICE},
    ]
    workbook = builder.sheet("Checklist", checklist).xlsx(folder / "odo.xlsx")
    previous = folder / "previous.json"
    first = audit_inspection(workbook).results
    assert first is not None
    data = first.to_dict()
    data["inspection"] |= {"inspection_id": "INSP-2025-0001", "inspection_end": "2025-04-10"}
    before = {"MC-MH-SCREEN", "EHS-FIRE-DRILL", "REC-DAILY", "FS-STORAGE", "FS-HOT-HOLD"}
    for row in data["results"]:
        row["status"] = "deficient" if row["requirement_id"] in before else "compliant"
    previous.write_text(json.dumps(data), encoding="utf-8")
    done = audit_inspection(workbook, previous=previous)
    assert done.results is not None, done.loaded.problems.records()
    pdf = facility_pdf(done.results, folder / "odo.pdf")
    return Scenario(workbook, previous, previous, previous, done.results), squeeze(pdf_text(pdf))


def section(text: str, start: str, end: str) -> str:
    """The text between a section's heading and the next one (headings repeat in running headers:
    the last occurrence of `start` before `end` is the section's own)."""
    head = text.index(start, text.index(start) + 1) if text.count(start) > 1 else text.index(start)
    return text[head : text.index(end, head)]


def test_the_scenario_has_the_known_answers(odo):
    scenario, _ = odo
    by_id = scenario.results.by_id()
    assert (by_id["GS-LOG"].status, by_id["GS-LOG"].finding) == ("compliant", "area_of_concern")
    assert (by_id["DH-CONTENTS"].status, by_id["DH-CONTENTS"].finding) == ("compliant", "best_practice")
    assert by_id["EHS-EXTENSION-CORDS"].corrected_on_site and by_id["FS-STORAGE"].corrected_on_site
    assert by_id["FS-HOT-HOLD"].status == "compliant"
    assert by_id["MC-MH-SCREEN"].violations == MH_MISSING + 1


def test_every_finding_shows_its_odo_component(odo):
    scenario, text = odo
    findings = section(text, "Findings", "Areas of concern and best practices")
    assert "ODO component EHS-94" in findings
    deficient = [r for r in scenario.results.results if r.status in ("deficient", "waived")]
    assert findings.count("ODO component") >= len(deficient)  # in each citation, whether known or not
    # FS-STORAGE's component is not known: the report says so rather than leaving it blank
    assert "PBNDS-2011 4.1 Food Service, §V.K.3(d); ODO component: none known" in findings


def test_data_findings_say_found_in_x_of_y_records_reviewed_once(odo):
    scenario, text = odo
    screen = scenario.results.by_id()["MC-MH-SCREEN"]
    # the scenario's 40 admissions (30 of them never screened) and the valid sheets' 2 (one in violation)
    assert (screen.population, screen.violations, screen.indeterminate) == (42, 31, 0)
    findings = section(text, "Findings", "Areas of concern and best practices")
    # every admission of the review period was read: the count is of all of them, never a sample;
    # 31 / 42 = 73.8 %, widespread from 50 %
    found = (
        "Extent: Found in 31 of 42 admissions reviewed (73.8 %, widespread): every record of the review "
        "period, not a sample."
    )
    assert found in findings
    # each count once: no second row restating the violations of the population
    assert findings.count("31 of 42") == 1 and "31 violations" not in findings


def test_corrected_on_site_are_numbered_in_the_order_of_the_findings(odo):
    _, text = odo
    assert "Corrected on site (C-1)" in text and "Corrected on site (C-2)" in text
    corrected = section(text, "Corrected during the inspection", "Areas of concern and best practices")
    assert "C-1 EHS-EXTENSION-CORDS EHS-94 No extension cords" in corrected
    assert CORDS[:20] in corrected
    assert "C-2 FS-STORAGE" in corrected and "C-3" not in corrected


def test_areas_of_concern_and_best_practices_have_their_own_section(odo):
    _, text = odo
    own = section(text, "Areas of concern and best practices", "Evidence needed")
    # a table's columns interleave in the text of a wrapped row: the remark's first words, in full below
    assert "GS-LOG" in own and CONCERN[:33] in own
    assert "DH-CONTENTS" in own and PRACTICE[:30] in own
    findings = section(text, "Findings", "Areas of concern and best practices")
    assert "GS-LOG" not in findings and "DH-CONTENTS" not in findings
    assert "The auditor also noted 1 area of concern and 1 best practice" in text


def test_the_previous_plan_status_from_the_previous_results(odo):
    _, text = odo
    plan = section(text, "Previous corrective-action plan", "Corrective-action plan")
    assert "from the previous inspection's results file and this inspection" in plan
    for rid in ("MC-MH-SCREEN", "EHS-FIRE-DRILL", "REC-DAILY", "FS-STORAGE"):
        assert f"{rid}" in plan
    assert plan.count("Open: deficient again (repeat)") == 4
    assert plan.count("Verified closed") == 1 and "compliant in this inspection" in plan


def test_the_facility_overview_page(odo):
    _, text = odo
    overview = section(text, "Facility overview", "Executive summary")
    assert "Operator Fictional County Sheriff's Office" in overview
    assert "Custody levels Level 1, Level 2" in overview
    assert "Accreditation ACA, NCCHC" in overview
    assert "Average daily population 450" in overview
    assert "Population to capacity 75 % (average daily population)" in overview  # 450 / 600
    assert "every record of the review period, not a sample" in overview
    assert "3 requirements were observed" not in overview  # six Checklist rows now


def test_the_overview_takes_the_roster_and_the_plan_items_of_a_data_folder(odo):
    """What the workspace gives (auditor.service): the roster entry and the earlier items, any status."""
    scenario, _ = odo
    roster = {
        "address": "1 Main St",
        "city": "Atlanta",
        "state": "GA",
        "zip": "30303",
        "guaranteed_minimum": 400,
        "detention_standard": "PBNDS-2011",
        "detention_standard_label": "PBNDS 2011",
        "last_inspection_type": "odo",
        "last_inspection_type_label": "ODO",
        "last_inspection_end": "2025-04-10",
        "final_rating": None,
        "final_rating_label": None,
    }
    item = {"requirement_id": "REC-DAILY", "title": "Daily recreation", "inspection": "INSP-2025-0001"}
    items = [
        {**item, "status": "planned", "overdue": True, "target_date": "2025-07-01"},
        {**item, "requirement_id": "FS-HOT-HOLD", "status": "verified", "closed_by": "INSP-2026-0001"},
        {**item, "requirement_id": "FS-STORAGE", "status": "completed", "completion_date": "2025-06-01"},
        {
            **item,
            "requirement_id": "MC-MH-SCREEN",
            "inspection": "INSP-2026-0001",
            "status": "open",
        },  # its own
    ]
    html = squeeze(facility_html(scenario.results, plan_items=items, roster=roster))
    for remark in (CONCERN, PRACTICE, CORDS):  # the remarks the PDF's text gives in part, whole
        assert f"<td>{remark}</td>" in html
    assert "Address (ICE roster)</th><td>1 Main St, Atlanta, GA, 30303" in html
    assert "Guaranteed minimum (ICE roster)</th><td>400" in html
    assert "Last inspection on ICE&#39;s roster</th><td>ODO, 2025-04-10" in html
    assert "the corrective-action items recorded in the data folder" in html
    assert 'class="plan-overdue">Overdue</td><td>target 2025-07-01' in html
    assert 'class="plan-verified">Verified closed</td><td>closed by inspection INSP-2026-0001' in html
    assert "Completed (the facility&#39;s word; awaits an inspection)</td><td>completed 2025-06-01" in html
    plan = html[html.index('id="previous-plan"') : html.index('id="ucap"')]
    assert "MC-MH-SCREEN" not in plan  # this inspection's own item is the plan, not the previous one


def test_older_results_without_the_new_fields_still_render(odo, tmp_path: Path):
    scenario, _ = odo
    data = scenario.results.to_dict()
    for row in data["results"]:
        row.pop("odo_component")
    for name in OVERVIEW:
        data["facility"].pop(name)
    data.pop("previous")
    html = facility_html(Results.from_dict(data))
    assert "Previous corrective-action plan" not in html
    assert "none known" in html


def test_a_requirement_that_is_an_area_of_concern_shows_there_with_its_evidence(odo):
    """POP-CAPACITY (finding: area_of_concern by the catalogue) over capacity: deficient as evaluated,
    counted so, but shown under Areas of concern, not under Findings."""
    scenario, _ = odo
    data = scenario.results.to_dict()
    [row] = [r for r in data["results"] if r["requirement_id"] == "POP-CAPACITY"]
    assert row["finding"] == "area_of_concern"
    row |= {"status": "deficient", "population": 4, "violations": 1, "compliant": 3}
    row["evidence"] = [{"sheet": "Housing", "row": 3, "cells": [], "detail": "B-1 holds 70 of 64 beds"}]
    html = facility_html(Results.from_dict(data))
    findings = html[html.index('id="findings"') : html.index('id="concerns"')]
    concerns = html[html.index('id="concerns"') : html.index('id="evidence-needed"')]
    assert 'id="finding-POP-CAPACITY"' not in findings
    assert 'id="finding-POP-CAPACITY"' in concerns and "B-1 holds 70 of 64 beds" in concerns
    assert "Found in 1 of 4" in concerns


def test_the_plan_workbook_numbers_the_corrections_as_the_report_does(odo, tmp_path: Path):
    import openpyxl

    from auditor.report.ucap import write_ucap

    scenario, _ = odo
    sheet = openpyxl.load_workbook(write_ucap(scenario.results, tmp_path / "plan.xlsx"))["Corrective actions"]
    header = [c.value for c in sheet[1]]
    rid, finding = header.index("Requirement"), header.index("Finding")
    rows = {row[rid]: row[finding] for row in sheet.iter_rows(min_row=2, values_only=True) if row[rid]}
    assert rows["EHS-EXTENSION-CORDS"] == f"{CORDS} Corrected during the inspection (C-1)."
    assert rows["FS-STORAGE"].endswith("Corrected during the inspection (C-2).")
    assert sum("Corrected during the inspection" in str(text) for text in rows.values()) == 2
