"""Who may reach what: every route of the app, walked with no session, as an inspector and as an
administrator; one inspector never sees another's facility; CSRF is required on every change."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import httpx
import pytest
from builders import InspectionBuilder
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from rosters import NORTH, NORTH_ID, SOUTH, write_roster
from webclient import PASSWORDS, Client, run, upload_id

from auditor.imports.roster import import_roster
from auditor.registry import save_roster
from auditor.web import Settings

PUBLIC, USER, ADMIN = "public", "user", "admin"


@dataclass
class World:
    """What the routes' path parameters point at: ines's facility, upload and inspection."""

    app: FastAPI
    audited: int
    invalid: int
    inspection: int
    facility: str
    small: Path
    roster: Path  # a made-up ICE roster workbook; its NORTH facility is in the registry
    waivers: list[int] = field(default_factory=list)


Request = Callable[[Client, World], Awaitable[httpx.Response]]


@dataclass(frozen=True)
class Rule:
    access: str  # public, user (inspector or administrator) or admin
    ok: frozenset[int] = frozenset({200})
    request: Request | None = None  # how the allowed roles call it (default: GET the path)
    fresh: bool = False  # needs a session of its own (it ends the session)


def _get(path: str) -> Request:
    async def call(client: Client, world: World) -> httpx.Response:
        return await client.get(_fill(path, world))

    return call


def _form(path: str, **fields: str) -> Request:
    async def call(client: Client, world: World) -> httpx.Response:
        return await client.form(_fill(path, world), **fields)

    return call


def _upload(path: str, api: bool = False) -> Request:
    async def call(client: Client, world: World) -> httpx.Response:
        url = _fill(path, world)
        return await (client.api_upload(world.small, url=url) if api else client.upload(world.small, url=url))

    return call


def _api(method: str, path: str, **kwargs: Any) -> Request:
    async def call(client: Client, world: World) -> httpx.Response:
        return await client.api(method, _fill(path, world), **kwargs)

    return call


def _reprocess(api: bool) -> Request:
    async def call(client: Client, world: World) -> httpx.Response:
        world.app.state.web.processor.idle(timeout=120)  # an upload being checked is not checked twice
        if api:
            return await client.api("POST", f"/api/uploads/{world.audited}/reprocess")
        return await client.form(f"/uploads/{world.audited}/reprocess")

    return call


def _revoke(api: bool) -> Request:
    async def call(client: Client, world: World) -> httpx.Response:
        waiver = await client.api(
            "POST",
            "/api/waivers",
            json={
                "requirement_id": "FS-STORAGE",
                "facility_id": "*",
                "justification": "test",
                "expires": "2030-01-01",
            },
        )
        waiver_id = waiver.json()["waiver"]["id"] if waiver.status_code == 201 else 1  # (inspectors: 403)
        if api:
            return await client.api("POST", f"/api/waivers/{waiver_id}/revoke")
        return await client.form(f"/waivers/{waiver_id}/revoke")

    return call


async def _roster_import(client: Client, world: World) -> httpx.Response:
    return await client.upload(world.roster, url="/facilities/roster")


async def _api_roster_import(client: Client, world: World) -> httpx.Response:
    return await client.api_upload(world.roster, url="/api/registry")


async def _login(client: Client, world: World) -> httpx.Response:
    return await client.post("/api/session", json={"name": "ines", "password": PASSWORDS["ines"]})


async def _login_page(client: Client, world: World) -> httpx.Response:
    return await client.post("/login", data={"name": "ines", "password": "wrong"})  # no token: refused, 403


WAIVER = {
    "requirement_id": "FS-STORAGE",
    "facility_id": "ATL-SPC-0001",
    "justification": "j",
    "expires": "2030-01-01",
}
SEE = frozenset({303})

RULES: dict[tuple[str, str], Rule] = {
    ("GET", "/static"): Rule(PUBLIC, request=_get("/static/app.css")),
    ("GET", "/login"): Rule(PUBLIC, frozenset({200, 303})),  # signed in: on to the home page
    ("POST", "/login"): Rule(PUBLIC, frozenset({403}), _login_page, fresh=True),
    ("POST", "/logout"): Rule(USER, SEE, _form("/logout"), fresh=True),
    ("GET", "/"): Rule(USER),
    ("GET", "/template.xlsx"): Rule(USER),
    ("GET", "/uploads"): Rule(USER),
    ("POST", "/uploads"): Rule(USER, SEE, _upload("/uploads")),
    ("GET", "/uploads/{upload_id}"): Rule(USER),
    ("GET", "/uploads/{upload_id}/original"): Rule(USER),
    ("GET", "/uploads/{upload_id}/annotated.xlsx"): Rule(
        USER, request=_get("/uploads/{invalid}/annotated.xlsx")
    ),
    ("GET", "/uploads/{upload_id}/results.json"): Rule(USER),
    ("GET", "/uploads/{upload_id}/report.pdf"): Rule(USER),
    ("GET", "/uploads/{upload_id}/report.html"): Rule(USER),
    ("POST", "/uploads/{upload_id}/reprocess"): Rule(ADMIN, SEE, _reprocess(api=False)),
    ("GET", "/account"): Rule(USER),
    ("POST", "/account/password"): Rule(USER, frozenset({422}), _form("/account/password")),  # no password
    ("GET", "/inspections/{inspection}"): Rule(USER),
    # the role lets an administrator through to the form's own check (unconfirmed: 400);
    # tests/web/test_web_signoff.py signs off for real
    ("POST", "/inspections/{inspection}/signoff"): Rule(
        ADMIN, frozenset({400}), _form("/inspections/{inspection}/signoff")
    ),
    ("POST", "/inspections/{inspection}/versions"): Rule(
        USER, SEE, _upload("/inspections/{inspection}/versions")
    ),
    ("GET", "/facilities"): Rule(USER),
    ("GET", "/facilities/{facility_id}"): Rule(USER),
    ("POST", "/facilities/roster"): Rule(ADMIN, SEE, _roster_import),
    ("GET", "/facilities/{facility_id}/prefilled.xlsx"): Rule(
        USER, request=_get("/facilities/{roster_id}/prefilled.xlsx")
    ),
    ("GET", "/portfolio.pdf"): Rule(ADMIN),
    ("GET", "/waivers"): Rule(ADMIN),
    ("POST", "/waivers"): Rule(ADMIN, SEE, _form("/waivers", **WAIVER)),
    ("POST", "/waivers/{waiver_id}/revoke"): Rule(ADMIN, SEE, _revoke(api=False)),
    ("GET", "/activity"): Rule(ADMIN),
    ("POST", "/api/session"): Rule(PUBLIC, request=_login, fresh=True),
    ("GET", "/api/session"): Rule(USER),
    ("DELETE", "/api/session"): Rule(USER, request=_api("DELETE", "/api/session"), fresh=True),
    ("GET", "/api/template"): Rule(USER),
    ("GET", "/api/uploads"): Rule(USER),
    ("POST", "/api/uploads"): Rule(USER, frozenset({201}), _upload("/api/uploads", api=True)),
    ("GET", "/api/uploads/{upload_id}"): Rule(USER),
    ("GET", "/api/uploads/{upload_id}/results"): Rule(USER),
    ("POST", "/api/uploads/{upload_id}/reprocess"): Rule(ADMIN, request=_reprocess(api=True)),
    ("GET", "/api/inspections/{inspection}"): Rule(USER),
    ("POST", "/api/inspections/{inspection}/signoff"): Rule(  # upload 0: never the latest version
        ADMIN, frozenset({400}), _api("POST", "/api/inspections/{inspection}/signoff", json={"upload": 0})
    ),
    ("POST", "/api/inspections/{inspection}/versions"): Rule(
        USER, frozenset({201}), _upload("/api/inspections/{inspection}/versions", api=True)
    ),
    ("GET", "/api/facilities"): Rule(USER),
    ("GET", "/api/facilities/{facility_id}"): Rule(USER),
    ("GET", "/api/registry"): Rule(USER),
    ("POST", "/api/registry"): Rule(ADMIN, frozenset({201}), _api_roster_import),
    ("GET", "/api/registry/{facility_id}"): Rule(USER, request=_get("/api/registry/{roster_id}")),
    ("GET", "/api/waivers"): Rule(ADMIN),
    ("POST", "/api/waivers"): Rule(ADMIN, frozenset({201}), _api("POST", "/api/waivers", json=WAIVER)),
    ("POST", "/api/waivers/{waiver_id}/revoke"): Rule(ADMIN, request=_revoke(api=True)),
    ("GET", "/api/audit-log"): Rule(ADMIN),
    ("GET", "/openapi.json"): Rule(USER),
    ("GET", "/docs"): Rule(USER),
    ("GET", "/docs/assets/{name}"): Rule(USER, request=_get("/docs/assets/swagger-ui-bundle.js")),
}


def _fill(path: str, world: World) -> str:
    return (
        path.replace("{upload_id}", str(world.audited))
        .replace("{invalid}", str(world.invalid))
        .replace("{inspection}", str(world.inspection))
        .replace("{facility_id}", world.facility)
        .replace("{roster_id}", NORTH_ID)
        .replace("{waiver_id}", "1")
        .replace("{name}", "swagger-ui.css")
    )


def _json_path(path: str) -> bool:
    return path.startswith("/api/") or path == "/openapi.json"


def _routes(app: FastAPI) -> set[tuple[str, str]]:
    found = set()
    for route in iter_route_contexts(app.routes):
        for method in route.methods or {"GET"}:  # a mount (static files) answers GET
            found.add((method, route.path))
    return found


@pytest.fixture
def world(app: FastAPI, workbooks, tmp_path: Path) -> World:
    spoiled = InspectionBuilder().with_valid_sheets()
    spoiled.sheets["Intake"].loc[0, "arrival"] = "yesterday"
    invalid_book = spoiled.xlsx(tmp_path / "spoiled.xlsx")
    roster = write_roster(tmp_path / "FY27.xlsx", [NORTH, SOUTH])
    save_roster(app.state.web.db, import_roster(roster))

    async def setup() -> World:
        async with Client(app) as ines:
            await ines.sign_in("ines")
            audited = upload_id(await ines.upload(workbooks.small_2026))
            invalid = upload_id(await ines.upload(invalid_book))
            status = (await ines.get(f"/api/uploads/{audited}")).json()["upload"]
            assert status["status"] == "audited"
            assert (await ines.get(f"/api/uploads/{invalid}")).json()["upload"]["status"] == "invalid"
            return World(
                app,
                audited,
                invalid,
                status["inspection"],
                status["facility_id"],
                workbooks.small_2026,
                roster,
            )

    return run(setup())


def test_every_route_is_covered_by_the_role_matrix(app: FastAPI) -> None:
    assert _routes(app) == set(RULES), "add each new route to RULES with the role it needs"


def test_role_matrix(world: World) -> None:
    web = world.app.state.web
    web.settings = replace(web.settings, wait_seconds=0)  # uploads answer once stored: statuses are the same

    async def scenario() -> list[str]:
        failures: list[str] = []
        async with Client(world.app) as anonymous, Client(world.app) as ines, Client(world.app) as ada:
            await ines.sign_in("ines")
            await ada.sign_in("ada")
            for (method, path), rule in sorted(RULES.items()):
                call = rule.request or _get(path)
                # No session: pages send people to the sign-in page, the API answers 401 in one JSON shape.
                anonymous.http.cookies.clear()  # (a public sign-in route may have set one)
                answer = await _as(anonymous, method, path, rule, world, call)
                if rule.access == PUBLIC:
                    expected_anonymous = rule.ok
                elif _json_path(path):
                    expected_anonymous = frozenset({401})
                    if answer.status_code == 401 and answer.json() != {
                        "ok": False,
                        "error": "sign in first",
                        "status": 401,
                    }:
                        failures.append(f"{method} {path}: anonymous error shape {answer.text}")
                else:
                    expected_anonymous = SEE
                    if answer.status_code == 303 and not answer.headers["location"].startswith("/login"):
                        failures.append(
                            f"{method} {path}: anonymous redirected to {answer.headers['location']}"
                        )
                if answer.status_code not in expected_anonymous:
                    failures.append(f"{method} {path}: anonymous got {answer.status_code}")
                for who, client in (("inspector", ines), ("administrator", ada)):
                    if rule.fresh:
                        client = await Client(world.app).sign_in("ines" if who == "inspector" else "ada")
                    answer = await _as(client, method, path, rule, world, call)
                    allowed = rule.access != ADMIN or who == "administrator"
                    expected = rule.ok if allowed else frozenset({403})
                    if answer.status_code not in expected:
                        failures.append(
                            f"{method} {path}: {who} got {answer.status_code}: {answer.text[:200]}"
                        )
                    if rule.fresh:
                        await client.__aexit__()
        return failures

    failures = run(scenario())
    assert not failures, "\n".join(failures)


async def _as(
    client: Client, method: str, path: str, rule: Rule, world: World, call: Request
) -> httpx.Response:
    if not client.csrf and rule.access != PUBLIC:  # no session: the plain request, no token to send
        return await client.http.request(method, _fill(path, world))
    return await call(client, world)


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
