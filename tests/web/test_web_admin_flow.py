"""The administrator's flow: facilities with their latest figures, a facility's history and its
requirements deficient more than once, the portfolio PDF, and waivers that later audits apply."""

from __future__ import annotations

from fastapi import FastAPI
from webclient import Client, run, upload_id


def test_facilities_and_a_facility_over_time(app: FastAPI, workbooks) -> None:
    async def scenario() -> None:
        async with Client(app) as ines, Client(app) as ada:
            await ines.sign_in("ines")
            await ada.sign_in("ada")
            older = upload_id(await ines.upload(workbooks.small_2025))
            newer = upload_id(await ines.upload(workbooks.small_2026))
            upload_id(await ines.upload(workbooks.pine_hollow))

            listing = await ada.get("/facilities")
            assert listing.status_code == 200
            for text in ("Fictional Service Processing Center", "ATL-SPC-0001", "Pine Hollow", "9 Apr 2026"):
                assert text in listing.text
            facilities = {
                f["facility_id"]: f for f in (await ada.get("/api/facilities")).json()["facilities"]
            }
            assert set(facilities) == {"ATL-SPC-0001", "FIC-USMS-0004"}
            atl = facilities["ATL-SPC-0001"]
            assert (atl["rating"], atl["last_inspection"], atl["inspections"]) == (
                "Does Not Meet Standards",
                "2026-04-09",
                2,
            )
            assert atl["latest_upload"] == newer
            # The newer inspection names the older as its previous one: its shared deficiencies repeat.
            results = (await ada.get(f"/api/uploads/{newer}/results")).json()
            repeated = sorted(r["requirement_id"] for r in results["results"] if r["repeat"])
            assert repeated and "FS-STORAGE" in repeated
            assert atl["repeats"] == len(repeated)
            assert results["previous"]["inspection_id"] == "INSP-2025-0001"

            page = await ada.get("/facilities/ATL-SPC-0001")
            assert page.status_code == 200
            assert "Inspections over time" in page.text
            assert page.text.index("INSP-2026-0001") < page.text.index("INSP-2025-0001")  # newest first
            assert "Requirements deficient more than once" in page.text
            detail = (await ada.get("/api/facilities/ATL-SPC-0001")).json()["facility"]
            twice = {r["requirement_id"]: r["times"] for r in detail["deficient_more_than_once"]}
            assert twice["FS-STORAGE"] == 2 and set(twice) >= set(repeated)
            assert [row["inspection_id"] for row in detail["inspection_history"]] == [
                "INSP-2026-0001",
                "INSP-2025-0001",
            ]
            assert older != newer

            portfolio = await ada.get("/portfolio.pdf")
            assert portfolio.status_code == 200 and portfolio.content.startswith(b"%PDF")

    run(scenario())


def test_waivers_are_logged_and_applied_by_later_audits(app: FastAPI, workbooks) -> None:
    async def scenario() -> None:
        async with Client(app) as ines, Client(app) as ada:
            await ines.sign_in("ines")
            await ada.sign_in("ada")
            created = await ada.form(
                "/waivers",
                requirement_id="FS-HOT-HOLD",
                facility_id="FIC-CDF-0002",
                justification="Steam table replaced <b>next month</b>.",
                approved_by="A. Delgado, FOD",
                expires="2026-09-30",
            )
            assert (
                created.status_code == 303 and created.headers["location"] == "/waivers?done=waiver-created"
            )
            answer = await ada.api(
                "POST",
                "/api/waivers",
                json={
                    "requirement_id": "STAFF-CPR",
                    "facility_id": "*",
                    "justification": "Course booked.",
                    "expires": "2026-12-31",
                },
            )
            assert answer.status_code == 201, answer.text
            everywhere = answer.json()["waiver"]
            assert (everywhere["facility_id"], everywhere["approved_by"], everywhere["state"]) == (
                "*",
                "ada",
                "active",
            )
            refused = await ada.form(
                "/waivers",
                requirement_id="NO-SUCH-REQ",
                facility_id="*",
                justification="x",
                expires="2026-01-01",
            )
            assert refused.status_code == 422 and "no requirement" in refused.text

            upload = upload_id(await ines.upload(workbooks.red_mesa))
            results = (await ines.get(f"/api/uploads/{upload}/results")).json()
            status = {r["requirement_id"]: r for r in results["results"]}
            assert status["FS-HOT-HOLD"]["status"] == "waived"
            assert status["FS-HOT-HOLD"]["underlying_status"] == "deficient"
            assert status["FS-HOT-HOLD"]["waiver"]["approved_by"] == "A. Delgado, FOD"
            assert status["STAFF-CPR"]["status"] == "waived"
            assert status["FS-TRAY-HOT"]["status"] == "deficient"
            page = await ines.get(f"/uploads/{upload}")
            assert "Steam table replaced &lt;b&gt;next month&lt;/b&gt;." in page.text

            waivers = (await ada.get("/api/waivers")).json()["waivers"]
            hot_hold = next(w for w in waivers if w["requirement_id"] == "FS-HOT-HOLD")
            revoked = await ada.form(f"/waivers/{hot_hold['id']}/revoke")
            assert revoked.status_code == 303
            again = await ada.form(f"/waivers/{hot_hold['id']}/revoke")
            assert again.status_code == 404
            rechecked = await ada.form(f"/uploads/{upload}/reprocess")
            assert rechecked.status_code == 303
            results = (await ines.get(f"/api/uploads/{upload}/results")).json()
            status = {r["requirement_id"]: r["status"] for r in results["results"]}
            assert (status["FS-HOT-HOLD"], status["STAFF-CPR"]) == ("deficient", "waived")

            page = await ada.get("/waivers")
            assert "revoked" in page.text and "active" in page.text
            log = (await ada.get("/api/audit-log")).json()["entries"]
            actions = [(e["user_name"], e["action"]) for e in log]
            assert ("ada", "waiver.create") in actions
            assert ("ada", "waiver.revoke") in actions
            assert ("ada", "upload.reprocess") in actions
            assert ("ines", "upload.store") in actions
            activity = await ada.get("/activity")
            assert "waiver.revoke" in activity.text

    run(scenario())
