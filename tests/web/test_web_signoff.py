"""The sign-off button of an inspection's page: administrators only, with the session's CSRF token and
a confirmation of the version read; the report served afterwards is the stored signed PDF, and
checking the signed version again files a new version."""

from __future__ import annotations

import re

from fastapi import FastAPI
from webclient import Client, run, upload_id

from auditor.service import signing, store


def test_an_administrator_signs_off_and_the_signed_report_is_served(app: FastAPI, workbooks) -> None:
    web = app.state.web

    async def scenario() -> None:
        async with Client(app) as ada, Client(app) as ines:
            await ada.sign_in("ada")
            await ines.sign_in("ines")
            upload = upload_id(await ada.upload(workbooks.small_2026))
            inspection = store.get_upload(web.db, upload)["inspection"]
            url = f"/inspections/{inspection}/signoff"

            page = await ada.get(f"/inspections/{inspection}")
            assert "is a <b>draft</b>" in page.text and "Sign off version 1" in page.text
            draft = await ada.get(f"/uploads/{upload}/report.pdf")
            assert draft.status_code == 200 and b"/ByteRange" not in draft.content  # not signed

            refused = await ines.form(url, confirm="yes", upload=str(upload))
            assert refused.status_code == 403  # an inspector: the role refuses it
            no_token = await ada.post(url, data={"confirm": "yes", "upload": str(upload)})
            assert no_token.status_code == 403  # no CSRF token
            unconfirmed = await ada.form(url, upload=str(upload))
            assert unconfirmed.status_code == 400 and "Tick the box" in unconfirmed.text
            stale = await ada.form(url, confirm="yes", upload=str(upload + 1))
            assert stale.status_code == 400 and "newer version" in stale.text
            assert not (web.workspace.data_dir / "signed").exists() or not list(
                (web.workspace.data_dir / "signed").glob("*.pdf")
            )

            done = await ada.form(url, confirm="yes", upload=str(upload))
            assert done.status_code == 303, done.text
            assert done.headers["location"] == f"/inspections/{inspection}?done=signed-off"
            page = await ada.get(done.headers["location"])
            assert "Version 1 signed off by ada (administrator)" in page.text
            assert "Sign off version" not in page.text
            again = await ada.form(url, confirm="yes", upload=str(upload))
            assert again.status_code == 400 and "signed off already" in again.text

            (stored,) = (web.workspace.data_dir / "signed").glob("*.pdf")
            served = await ada.get(f"/uploads/{upload}/report.pdf")
            assert served.status_code == 200 and served.content == stored.read_bytes()
            who = signing.identity(web.workspace.data_dir, create=False)
            assert signing.verify_pdf(stored, [who.certificate]).valid

            rechecked = await ada.form(f"/uploads/{upload}/reprocess")
            assert rechecked.status_code == 303
            newer = int(re.fullmatch(r"/uploads/(\d+)\?done=reprocessed", rechecked.headers["location"])[1])
            assert newer != upload  # the signed version is not checked in place
            version = store.get_upload(web.db, newer)
            assert (version["inspection"], version["version"], version["status"]) == (
                inspection,
                2,
                "audited",
            )
            assert (await ada.get(f"/uploads/{upload}/report.pdf")).content == stored.read_bytes()
            page = await ada.get(f"/inspections/{inspection}")
            assert "Sign off version 2" in page.text
            assert re.search(r"Version 1 signed off by ada", page.text)

    run(scenario())


def test_the_api_signs_off_the_version_named(app: FastAPI, workbooks) -> None:
    web = app.state.web

    async def scenario() -> None:
        async with Client(app) as ada, Client(app) as ines:
            await ada.sign_in("ada")
            await ines.sign_in("ines")
            upload = upload_id(await ada.upload(workbooks.small_2026))
            inspection = store.get_upload(web.db, upload)["inspection"]
            url = f"/api/inspections/{inspection}/signoff"

            assert (await ines.api("POST", url, json={"upload": upload})).status_code == 403
            no_token = await ada.post(url, json={"upload": upload})
            assert no_token.status_code == 403 and no_token.json()["ok"] is False
            missing = await ada.api("POST", url, json={})
            assert missing.status_code in (400, 422) and missing.json()["ok"] is False
            stale = await ada.api("POST", url, json={"upload": upload + 1})
            assert stale.status_code == 400 and "newer version" in stale.json()["error"]

            done = await ada.api("POST", url, json={"upload": upload})
            assert done.status_code == 201, done.text
            answer = done.json()["signoff"]
            assert (answer["upload"], answer["version"], answer["signer_name"]) == (upload, 1, "ada")
            assert answer["report"] == f"/uploads/{upload}/report.pdf"
            (stored,) = (web.workspace.data_dir / "signed").glob("*.pdf")
            assert answer["pdf_sha256"] == stored.stem
            assert (await ada.get(answer["report"])).content == stored.read_bytes()
            again = await ada.api("POST", url, json={"upload": upload})
            assert again.status_code == 400 and "signed off already" in again.json()["error"]

    run(scenario())
