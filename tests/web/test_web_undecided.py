"""The upload page shows indeterminate results as such: ODO's headline, the three counts per
requirement, the undecided evidence marked in text, and never an indeterminate requirement as
compliant. The results are the hand-built ones of tests/undecided.py, put where processing writes."""

from __future__ import annotations

import re
from html import unescape
from types import SimpleNamespace

from builders import InspectionBuilder, valid_sheets
from fastapi import FastAPI
from undecided import HIDDEN, PREGNANCY_WHY, undecided_results
from webclient import Client, run, upload_id

from auditor.contracts.results import Results
from auditor.core import audit_inspection
from auditor.glossary import humanise
from auditor.web.templating import environment
from auditor.web.views import upload_page


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


class Outputs:
    """The one part of a Workspace the upload page reads: an upload's outputs folder."""

    def __init__(self, folder) -> None:
        self.folder = folder

    def outputs(self, upload_id: int):
        return self.folder


def assert_page_shows_undecided(html: str) -> None:
    text = _text(html)
    # ODO's headline before our rating, labelled as our policy, with the coverage minimum
    assert text.index("1 deficient 1 priority 1 repeat 2 of 5 requirements in scope decided") < (
        text.index("Our rating — this project's policy, not an ICE rating Incomplete")
    )
    assert "Decided 2 of 5 requirements in scope (40.0 %)." in text
    assert "rates nothing below 50 % coverage; Meets Standards needs 75 %." in text
    assert "1 compliant 2 indeterminate (not compliant)" in text
    assert "1 violation · 1 compliant · 2 indeterminate of 4 placements" in text
    assert "0 violations · 1 compliant · 2 indeterminate of 3 admissions" in text
    assert "Absent columns: serious_medical_illness, with_children" in text
    assert text.count(f"Indeterminate: {humanise(PREGNANCY_WHY)}") == 2  # labels, not field names
    assert "Evidence (3 records, 2 indeterminate)" in text  # SMU-NOTIFY-VULNERABLE
    # the deficient finding apart from the undecided ones, which sit under Evidence needed
    findings = text[text.index("Findings by functional area") : text.index("Evidence needed (3)")]
    assert "SMU-NOTIFY-VULNERABLE" in findings and HIDDEN not in findings
    needed = text[text.index("Evidence needed (3)") : text.index("Not assessed (1)")]
    assert f"{HIDDEN} Indeterminate 0 violations · 1 compliant · 2 indeterminate" in needed
    assert f'<article class="finding indeterminate" id="finding-{HIDDEN}">' in html
    assert "Compliant" not in needed


def test_upload_page_template_shows_indeterminate(tmp_path) -> None:
    workbook = (
        InspectionBuilder().sheet("Checklist", valid_sheets()["Checklist"]).xlsx(tmp_path / "small.xlsx")
    )
    small = audit_inspection(workbook).results
    assert small is not None
    undecided_results(small).write(tmp_path / "results.json")
    upload = {
        "id": 7,
        "status": "audited",
        "errors": 0,
        "warnings": 0,
        "original_name": "small.xlsx",
        "version": 1,
        "size": 1,
        "uploaded_at": None,
        "uploaded_by_name": "ines",
        "processed_at": None,
        "inspection": None,
        "sha256": "0" * 64,
        "message": None,
    }
    context = upload_page(Outputs(tmp_path), upload)
    html = (
        environment()
        .get_template("upload.html")
        .render(
            user=SimpleNamespace(is_admin=False, name="ines", role="inspector"),
            csrf_token="",
            path="/uploads/7",
            message=None,
            inspection=None,
            limit=1,
            **context,
        )
    )
    assert_page_shows_undecided(html)


def test_upload_page_shows_the_headline_three_counts_and_evidence_needed(app: FastAPI, workbooks) -> None:
    async def scenario() -> None:
        async with Client(app) as ines:
            await ines.sign_in("ines")
            upload = upload_id(await ines.upload(workbooks.small_2026, "small.xlsx"))
            assert (await ines.get(f"/api/uploads/{upload}")).json()["upload"]["status"] == "audited"
            outputs = app.state.web.workspace.outputs(upload)
            undecided_results(Results.read(outputs / "results.json")).write(outputs / "results.json")

            page = await ines.get(f"/uploads/{upload}")
            assert page.status_code == 200
            assert_page_shows_undecided(page.text)

            # the inspection's and the facility's banners carry the same headline
            stored = (await ines.get(f"/api/uploads/{upload}")).json()["upload"]
            # (the counts before it come from the database, the headline from the results file)
            line = "repeat · decided 2 of 5 requirements in scope · 2 indeterminate"
            inspection = await ines.get(f"/inspections/{stored['inspection']}")
            facility = await ines.get(f"/facilities/{stored['facility_id']}")
            for other in (inspection, facility):
                assert other.status_code == 200
                assert line in _text(other.text)
                assert "this project's policy, not an ICE rating" in _text(other.text)

    run(scenario())
