"""Who may reach what: one inspector never sees another's facility; CSRF is required on every change;
sessions and their cookie. Every route × role × facility is tests/web/test_web_matrix.py."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from webclient import PASSWORDS, Client, run, upload_id

from auditor.web import Settings

WAIVER = {
    "requirement_id": "FS-STORAGE",
    "facility_id": "ATL-SPC-0001",
    "justification": "j",
    "expires": "2030-01-01",
}


def test_an_inspector_never_sees_another_inspectors_facility(app: FastAPI, workbooks) -> None:
    async def scenario() -> None:
        async with Client(app) as ines, Client(app) as ivan, Client(app) as ada:
            await ines.sign_in("ines")
            await ivan.sign_in("ivan")
            await ada.sign_in("ada")
            mine = upload_id(await ines.upload(workbooks.small_2026))
            theirs = upload_id(await ivan.upload(workbooks.pdf))  # ivan's own, unreadable upload
            upload = (await ines.get(f"/api/uploads/{mine}")).json()["upload"]
            facility, inspection = upload["facility_id"], upload["inspection"]

            assert (await ivan.get("/api/facilities")).json()["facilities"] == []
            assert facility not in (await ivan.get("/facilities")).text
            for url in (
                f"/facilities/{facility}",
                f"/api/facilities/{facility}",
                f"/uploads/{mine}",
                f"/api/uploads/{mine}",
                f"/uploads/{mine}/report.pdf",
                f"/uploads/{mine}/original",
                f"/uploads/{mine}/results.json",
                f"/api/uploads/{mine}/results",
                f"/inspections/{inspection}",
                f"/api/inspections/{inspection}",
            ):
                assert (await ivan.get(url)).status_code == 404, url
            corrected = await ivan.upload(workbooks.small_2026, url=f"/inspections/{inspection}/versions")
            assert corrected.status_code == 404
            assert [u["id"] for u in (await ivan.get("/api/uploads")).json()["uploads"]] == [theirs]
            assert (await ines.get(f"/uploads/{theirs}")).status_code == 404

            # The administrator sees both.
            assert (await ada.get(f"/uploads/{theirs}")).status_code == 200
            assert (await ada.get(f"/facilities/{facility}")).status_code == 200
            ids = {u["id"] for u in (await ada.get("/api/uploads")).json()["uploads"]}
            assert ids == {mine, theirs}

    run(scenario())


def test_forms_and_api_calls_without_the_csrf_token_are_refused(app: FastAPI, workbooks) -> None:
    async def scenario() -> None:
        async with Client(app) as ines, Client(app) as ada:
            await ines.sign_in("ines")
            await ada.sign_in("ada")
            assert (await ines.post("/logout")).status_code == 403
            assert (await ines.post("/logout", data={"csrf_token": "forged"})).status_code == 403
            refused = await ines.upload(workbooks.small_2026, csrf=False)
            assert refused.status_code == 403 and "expired" in refused.text
            forged = await ines.post(
                "/uploads", data={"csrf_token": ada.csrf}, files={"file": ("a.xlsx", b"PK")}
            )  # another session's token
            assert forged.status_code == 403
            assert (await ada.post("/waivers", data=WAIVER)).status_code == 403

            files = {"file": ("a.xlsx", workbooks.small_2026.read_bytes())}
            answer = await ines.post("/api/uploads", files=files)
            assert answer.status_code == 403
            assert answer.json()["ok"] is False and answer.json()["status"] == 403
            assert (await ada.post("/api/waivers", json=WAIVER)).status_code == 403
            wrong = await ada.post("/api/waivers", json=WAIVER, headers={"X-CSRF-Token": ines.csrf})
            assert wrong.status_code == 403
            assert (await ines.http.delete("/api/session")).status_code == 403
            # Nothing refused was stored or recorded.
            assert (await ada.get("/api/uploads")).json()["uploads"] == []
            assert (await ada.get("/api/waivers")).json()["waivers"] == []
            assert not list((app.state.web.workspace.uploads_dir).glob("[0-9a-f]*"))

            # The sign-in form has its own token, tied to a cookie of the sign-in page.
            async with Client(app) as stranger:
                refused = await stranger.post("/login", data={"name": "ines", "password": PASSWORDS["ines"]})
                assert refused.status_code == 403 and "auditor_session" not in refused.cookies

    run(scenario())


def test_session_cookie_flags_and_error_shape(make_app, tmp_path: Path) -> None:
    async def scenario(app: FastAPI, secure: bool) -> None:
        async with Client(app) as client:
            anonymous = await client.get("/api/facilities")
            assert anonymous.status_code == 401
            assert anonymous.json() == {"ok": False, "error": "sign in first", "status": 401}
            answer = await client.post("/api/session", json={"name": "ines", "password": "wrong"})
            assert answer.status_code == 401
            assert answer.json() == {"ok": False, "error": "wrong user name or password", "status": 401}
            answer = await client.post("/api/session", json={"name": "ines", "password": PASSWORDS["ines"]})
            cookie = answer.headers["set-cookie"]
            assert "HttpOnly" in cookie and "SameSite=lax" in cookie
            assert ("Secure" in cookie) is secure
            assert answer.json()["user"] == {"name": "ines", "role": "inspector"}
            page = await client.get("/")
            assert "default-src 'self'" in page.headers["content-security-policy"]
            assert page.headers["x-frame-options"] == "DENY"

    run(scenario(make_app(), secure=False))  # the tests' default: plain http, as --insecure-cookies
    # The app's default (auditor serve without --insecure-cookies): Secure.
    assert Settings(data_dir=tmp_path).secure_cookies is True
    run(scenario(make_app(tmp_path / "secure", secure_cookies=True), secure=True))


def test_api_docs_are_served_locally_to_signed_in_users(app: FastAPI) -> None:
    async def scenario() -> None:
        async with Client(app) as client:
            assert (await client.get("/openapi.json")).status_code == 401
            assert (await client.get("/docs")).headers["location"].startswith("/login")
            await client.sign_in("ines")
            page = await client.get("/docs")
            assert "/docs/assets/swagger-ui-bundle.js" in page.text
            assert "http" not in page.text.replace("http-equiv", "")  # nothing fetched from elsewhere
            bundle = await client.get("/docs/assets/swagger-ui-bundle.js")
            assert bundle.status_code == 200 and len(bundle.content) > 100_000
            assert (await client.get("/docs/assets/index.html")).status_code == 404
            schema = (await client.get("/openapi.json")).json()
            assert {"/api/facilities", "/api/uploads", "/api/waivers", "/api/session"} <= set(schema["paths"])
            assert not [p for p in schema["paths"] if not p.startswith("/api/")]  # pages stay out of it
            upload = schema["paths"]["/api/uploads"]["post"]
            assert "multipart/form-data" in upload["requestBody"]["content"]

    run(scenario())


def test_sessions_expire(make_app) -> None:
    app = make_app(session_hours=-1)  # every session is born expired

    async def scenario() -> None:
        async with Client(app) as client:
            answer = await client.post("/api/session", json={"name": "ada", "password": PASSWORDS["ada"]})
            assert answer.status_code == 200
            assert (await client.get("/api/session")).status_code == 401

    run(scenario())
