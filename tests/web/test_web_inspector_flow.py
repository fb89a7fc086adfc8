"""The inspector's flow end to end: template, bad upload, its errors and annotated copy, the
corrected version, the results page and the report PDF — through the real app."""

from __future__ import annotations

import io
import re

from fastapi import FastAPI
from openpyxl import load_workbook
from webclient import BAD_CELLS, Client, run, upload_id


def test_inspector_uploads_a_bad_workbook_then_the_corrected_one(app: FastAPI, workbooks) -> None:
    async def scenario() -> None:
        async with Client(app) as ines:
            await ines.sign_in("ines")
            template = await ines.get("/template.xlsx")
            assert template.status_code == 200
            assert "Facility" in load_workbook(io.BytesIO(template.content)).sheetnames

            # A workbook with three bad Intake cells: a table of errors by cell, nothing audited.
            first = upload_id(await ines.upload(workbooks.pine_hollow_bad, "pine hollow.xlsx"))
            page = await ines.get(f"/uploads/{first}")
            assert page.status_code == 200
            assert "This workbook has 3 errors" in page.text
            for ref, value in BAD_CELLS.items():
                assert f"Intake!{ref}" in page.text
                assert value in page.text
            assert "one of F, M, X" in page.text  # the expected values are shown
            assert "Download the annotated workbook" in page.text

            annotated = await ines.get(f"/uploads/{first}/annotated.xlsx")
            assert annotated.status_code == 200
            assert 'filename="pine_hollow-annotated.xlsx"' in annotated.headers["content-disposition"]
            book = load_workbook(io.BytesIO(annotated.content))
            assert book.sheetnames[0] == "Problems"
            assert book["Intake"]["B3"].comment is not None
            assert book["Intake"]["B3"].fill.fgColor.rgb.endswith("F8B4B4")

            # The corrected workbook: same facility and inspection, so version 2 of the same inspection.
            second = upload_id(await ines.upload(workbooks.pine_hollow, "pine hollow fixed.xlsx"))
            status = (await ines.get(f"/api/uploads/{second}")).json()["upload"]
            assert status["status"] == "audited"
            assert status["version"] == 2
            assert (
                status["inspection"]
                == (await ines.get(f"/api/uploads/{first}")).json()["upload"]["inspection"]
            )
            results = await ines.get(f"/uploads/{second}")
            assert "Incomplete" in results.text  # the rating
            assert "Findings by functional area" in results.text
            assert "FS-HOT-HOLD" in results.text  # the one deficiency, with its evidence
            assert "Evidence (" in results.text
            assert "Not assessed (" in results.text

            inspection = await ines.get(f"/inspections/{status['inspection']}")
            assert "Version 1" in inspection.text and "Version 2" in inspection.text
            assert "Needs corrections" in inspection.text and "Audited" in inspection.text

            pdf = await ines.get(f"/uploads/{second}/report.pdf")
            assert pdf.status_code == 200
            assert pdf.headers["content-type"] == "application/pdf"
            assert pdf.content.startswith(b"%PDF")

            again = await ines.get(f"/uploads/{second}/report.pdf")  # rendered once, then served from disk
            assert again.content == pdf.content

            facilities = (await ines.get("/api/facilities")).json()["facilities"]
            assert [f["facility_id"] for f in facilities] == ["FIC-USMS-0004"]
            assert facilities[0]["rating"] == "Incomplete"

    run(scenario())


def test_corrected_version_form_files_the_upload_under_that_inspection(app: FastAPI, workbooks) -> None:
    async def scenario() -> None:
        async with Client(app) as ines:
            await ines.sign_in("ines")
            first = upload_id(await ines.upload(workbooks.small_2026))
            inspection = (await ines.get(f"/api/uploads/{first}")).json()["upload"]["inspection"]
            page = await ines.get(f"/inspections/{inspection}")
            assert f'action="/inspections/{inspection}/versions"' in page.text

            second = upload_id(
                await ines.upload(workbooks.small_2026, url=f"/inspections/{inspection}/versions")
            )
            upload = (await ines.get(f"/api/uploads/{second}")).json()["upload"]
            assert (upload["inspection"], upload["version"], upload["status"]) == (inspection, 2, "audited")

            # A workbook of another inspection sent as a "corrected version" is refused, kept and listed.
            third = upload_id(
                await ines.upload(workbooks.small_2025, url=f"/inspections/{inspection}/versions")
            )
            upload = (await ines.get(f"/api/uploads/{third}")).json()["upload"]
            assert upload["status"] == "rejected"
            assert "INSP-2025-0001" in upload["message"] and "not for INSP-2026-0001" in upload["message"]
            listed = (await ines.get("/api/uploads")).json()["uploads"]
            assert third in [u["id"] for u in listed]
            filed = (await ines.get(f"/api/inspections/{inspection}")).json()["inspection"]
            assert [v["id"] for v in filed["versions"]] == [second, first]
            assert [u["id"] for u in filed["not_filed"]] == [third]
            assert "not (yet) filed" in (await ines.get(f"/inspections/{inspection}")).text

    run(scenario())


def test_api_upload_reports_problems_in_the_validation_json_shape(app: FastAPI, workbooks) -> None:
    async def scenario() -> None:
        async with Client(app) as ines:
            await ines.sign_in("ines")
            answer = await ines.api_upload(workbooks.pine_hollow_bad)
            assert answer.status_code == 201
            body = answer.json()
            assert body["ok"] is True
            assert body["upload"]["status"] == "invalid"
            validation = body["validation"]
            assert validation["valid"] is False and validation["errors"] == 3
            refs = [p["ref"] for p in validation["problems"]]
            assert refs == [f"Intake!{ref}" for ref in BAD_CELLS]
            assert set(validation["problems"][0]) >= {
                "severity",
                "sheet",
                "cell",
                "value",
                "expected",
                "message",
            }
            results = await ines.get(f"/api/uploads/{body['upload']['id']}/results")
            assert results.status_code == 404
            assert results.json() == {
                "ok": False,
                "error": "this upload has no results: it was not audited",
                "status": 404,
            }

    run(scenario())


def test_upload_page_escapes_the_uploaders_file_name(app: FastAPI, workbooks) -> None:
    async def scenario() -> None:
        async with Client(app) as ines:
            await ines.sign_in("ines")
            name = "<script>alert(1)</script>.xlsx"
            upload = upload_id(await ines.upload(workbooks.pdf, name))
            for url in (f"/uploads/{upload}", "/uploads", "/"):
                page = await ines.get(url)
                assert "<script>alert" not in page.text
                assert "&lt;script&gt;alert(1)&lt;/script&gt;.xlsx" in page.text
            original = await ines.get(f"/uploads/{upload}/original")
            assert re.search(
                r'filename="script_alert_1_script\.bin"', original.headers["content-disposition"]
            )

    run(scenario())
