"""The corrective-action round trip through the web app: audit an upload, download its plan, send it
back with bad cells (refused, each at its Sheet!A1, on the page and in the API), send it back good
(recorded), upload a later inspection that closes what it finds compliant."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
from builders import InspectionBuilder
from cap_scenario import BAD, BAD_EXTRA, BAD_FOUND, FIRST, GOOD, LATER, LATER_FACILITY, fill
from fastapi import FastAPI
from webclient import Client, run, upload_id


def test_plan_out_back_and_closed_by_a_later_upload(app: FastAPI, tmp_path: Path) -> None:
    first = InspectionBuilder().sheet("Checklist", FIRST).xlsx(tmp_path / "first.xlsx")
    later = InspectionBuilder(**LATER_FACILITY).sheet("Checklist", LATER).xlsx(tmp_path / "later.xlsx")

    async def scenario() -> None:
        async with Client(app) as ada, Client(app) as ivan:
            await ada.sign_in("ada")
            await ivan.sign_in("ivan")
            audited = upload_id(await ada.upload(first))
            assert (await ada.get(f"/uploads/{audited}")).status_code == 200
            items = (await ada.get("/api/corrective-actions")).json()["items"]
            assert [(i["requirement_id"], i["status"], i["upload"]) for i in items] == [
                ("EHS-FIRE-PLAN", "open", audited),  # the priority component first
                ("FS-STORAGE", "open", audited),
                ("KLC-KEY-CONTROL", "open", audited),
            ]

            # the plan out: the same rows, in the order to fix them
            download = await ada.get(f"/uploads/{audited}/plan.xlsx")
            assert download.status_code == 200, download.text
            plan = tmp_path / "plan.xlsx"
            plan.write_bytes(download.content)
            rows = [
                r[1] for r in openpyxl.load_workbook(plan)["Corrective actions"].iter_rows(values_only=True)
            ]
            assert rows == ["Requirement", "EHS-FIRE-PLAN", "FS-STORAGE", "KLC-KEY-CONTROL"]

            # back with bad cells: the page lists each at its cell; the API says the same; nothing recorded
            bad = fill(plan, tmp_path / "bad.xlsx", BAD, extra=BAD_EXTRA)
            page = await ada.upload(bad, url="/corrective-actions/plan")
            assert page.status_code == 422
            for ref, _code, _value, expected in BAD_FOUND:
                assert ref in page.text and expected in page.text.replace("&#39;", "'"), ref
            assert "nothing was recorded" in page.text
            link = re.search(r'href="(/corrective-actions/annotated/[0-9a-f]{64}\.xlsx)"', page.text).group(1)
            marked = tmp_path / "marked.xlsx"
            marked.write_bytes((await ada.get(link)).content)
            book = openpyxl.load_workbook(marked)
            assert book.sheetnames[0] == "Problems" and book["Corrective actions"]["Q3"].comment is not None
            assert (await ivan.get(link)).status_code == 404  # not his facility's
            assert (await ada.get("/corrective-actions/annotated/..%2F..%2Fauditor.xlsx")).status_code == 404
            answer = await ada.api_upload(bad, url="/api/corrective-actions/plans")
            assert answer.status_code == 422
            body = answer.json()
            found = {
                (f"{p['sheet']}!{p['cell']}", p["code"], p["value"], p["expected"]) for p in body["problems"]
            }
            assert found == BAD_FOUND and body["recorded"] == 0 and body["ok"] is False
            items = (await ada.get("/api/corrective-actions")).json()["items"]
            assert {i["status"] for i in items} == {"open"}

            # another facility's inspector may read nothing of it and answer nothing
            good = fill(plan, tmp_path / "good.xlsx", GOOD)
            refused = await ivan.upload(good, url="/corrective-actions/plan")
            assert refused.status_code == 403
            assert "Facility ATL-SPC-0001 is not one of yours" in refused.text  # the page capitalises
            assert (await ivan.get("/api/corrective-actions")).json() == {"items": []}

            # back, good: recorded, the statuses the facility gave
            done = await ada.upload(good, url="/corrective-actions/plan")
            assert done.status_code == 303 and done.headers["location"] == "/corrective-actions?recorded=3"
            listing = await ada.get(done.headers["location"])
            assert "3 response(s) recorded" in listing.text
            status = {
                i["requirement_id"]: i for i in (await ada.get("/api/corrective-actions")).json()["items"]
            }
            assert (status["EHS-FIRE-PLAN"]["status"], status["EHS-FIRE-PLAN"]["completion_date"]) == (
                "completed",
                "2026-05-02",
            )
            assert (status["FS-STORAGE"]["status"], status["FS-STORAGE"]["target_date"]) == (
                "planned",
                "2026-06-30",
            )

            # a later inspection uploaded: the fire plan verified closed by it, the rest stays open
            upload_id(await ada.upload(later))
            items = (await ada.get("/api/corrective-actions?facility_id=ATL-SPC-0001")).json()["items"]
            got = {(i["inspection"], i["requirement_id"]): i for i in items}
            fire = got[("INSP-2026-0001", "EHS-FIRE-PLAN")]
            assert (fire["status"], fire["closed_by"]) == ("verified", "INSP-2026-0002")
            storage = got[("INSP-2026-0001", "FS-STORAGE")]
            assert (storage["status"], storage["repeated_in"]) == ("planned", ["INSP-2026-0002"])
            assert got[("INSP-2026-0001", "KLC-KEY-CONTROL")]["status"] == "open"
            assert got[("INSP-2026-0002", "FS-STORAGE")]["status"] == "open"
            page = await ada.get("/corrective-actions")
            assert "verified by inspection INSP-2026-0002" in page.text

    run(scenario())


def test_a_file_that_is_no_plan_is_one_line(app: FastAPI, tmp_path: Path) -> None:
    text = tmp_path / "plan.xlsx"
    text.write_text("requirement,status\nEHS-FIRE-PLAN,completed\n")

    async def scenario() -> None:
        async with Client(app) as ada:
            await ada.sign_in("ada")
            page = await ada.upload(text, url="/corrective-actions/plan")
            assert page.status_code == 422
            assert "The plan was not taken back" in page.text and "plan.xlsx: this is a text" in page.text
            assert str(tmp_path) not in page.text
            answer = await ada.api_upload(text, url="/api/corrective-actions/plans")
            assert answer.status_code == 422 and answer.json()["ok"] is False
            assert (await ada.get("/uploads/999/plan.xlsx")).status_code == 404

    run(scenario())
