"""Who may use which route: one table of every route × role (anonymous, inspector, reviewer,
administrator) × facility (assigned to the inspector and the reviewer, or not) → the status expected.

The table is checked against app.routes, so a route added without a decision about who may use it
fails `test_every_route_has_a_row`. A facility not assigned answers 404 (as a facility that does not
exist: its existence is not disclosed); a role that may never do a thing answers 403.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from pathlib import Path

import httpx
import pytest
from builders import InspectionBuilder
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from rosters import NORTH, NORTH_ID, write_roster
from webclient import CSRF_INPUT, PASSWORDS, Client, run, upload_id

from auditor.imports.roster import import_roster
from auditor.registry import save_roster
from auditor.service.accounts import add_user
from auditor.service.assignments import assign

ROLES = ("anonymous", "inspector", "reviewer", "administrator")
PEOPLE = {"inspector": "ines", "reviewer": "rita", "administrator": "ada"}
REVIEWER_PASSWORD = "rita-reads-only-1"
ASSIGNED, UNASSIGNED = "ATL-SPC-0001", "ZZZ-SPC-0009"  # ines has the first (conftest), rita is given it


@dataclass
class Side:
    """What a route's path parameters point at, for one facility."""

    facility: str
    workbook: Path
    audited: int = 0
    invalid: int = 0
    inspection: int = 0


@dataclass
class World:
    app: FastAPI
    sides: dict[bool, Side]  # assigned? → its facility's uploads
    roster: Path


Call = Callable[["Client", World, Side], Awaitable[httpx.Response]]
Statuses = frozenset[int]


@dataclass(frozen=True)
class Row:
    """Expected statuses by role: (facility assigned, not assigned); anonymous is the same for both."""

    anonymous: Statuses
    inspector: tuple[Statuses, Statuses]
    reviewer: tuple[Statuses, Statuses]
    administrator: tuple[Statuses, Statuses]
    call: Call | None = None  # how to call it (default: GET the path)
    fresh: bool = False  # ends the session: a session of its own for each call

    def expected(self, role: str, assigned: bool) -> Statuses:
        if role == "anonymous":
            return self.anonymous
        pair = getattr(self, role)
        return pair[0] if assigned else pair[1]


def _s(value: int | frozenset[int]) -> Statuses:
    return value if isinstance(value, frozenset) else frozenset({value})


def row(
    anonymous: int | frozenset[int],
    inspector: int | tuple[int, int],
    reviewer: int | tuple[int, int],
    administrator: int | tuple[int, int],
    call: Call | None = None,
    fresh: bool = False,
) -> Row:
    def pair(value: int | tuple[int, int]) -> tuple[Statuses, Statuses]:
        return (_s(value[0]), _s(value[1])) if isinstance(value, tuple) else (_s(value), _s(value))

    return Row(_s(anonymous), pair(inspector), pair(reviewer), pair(administrator), call, fresh)


def _fill(path: str, world: World, side: Side) -> str:
    return (
        path.replace("{upload_id}", str(side.audited))
        .replace("{invalid}", str(side.invalid))
        .replace("{inspection}", str(side.inspection))
        .replace("{facility_id}", side.facility)
        .replace("{roster_id}", NORTH_ID)
        .replace("{waiver_id}", "1")
        .replace("{name}", "swagger-ui-bundle.js")
    )


def _get(path: str) -> Call:
    async def call(client: Client, world: World, side: Side) -> httpx.Response:
        return await client.get(_fill(path, world, side))

    return call


def _form(path: str, **fields: str) -> Call:
    async def call(client: Client, world: World, side: Side) -> httpx.Response:
        values = {name: _fill(value, world, side) for name, value in fields.items()}
        return await client.form(_fill(path, world, side), **values)

    return call


def _api(method: str, path: str, **kwargs: object) -> Call:
    async def call(client: Client, world: World, side: Side) -> httpx.Response:
        return await client.api(method, _fill(path, world, side), **kwargs)

    return call


def _upload(path: str, api: bool = False) -> Call:
    """Upload the side's own workbook: for the unassigned side, a workbook naming that facility."""

    async def call(client: Client, world: World, side: Side) -> httpx.Response:
        url = _fill(path, world, side)
        if api:
            return await client.api_upload(side.workbook, url=url)
        return await client.upload(side.workbook, url=url)

    return call


def _reprocess(api: bool) -> Call:
    async def call(client: Client, world: World, side: Side) -> httpx.Response:
        world.app.state.web.processor.idle(timeout=120)  # an upload being checked is not checked twice
        if api:
            return await client.api("POST", f"/api/uploads/{side.audited}/reprocess")
        return await client.form(f"/uploads/{side.audited}/reprocess")

    return call


def _revoke(api: bool) -> Call:
    async def call(client: Client, world: World, side: Side) -> httpx.Response:
        made = await client.api("POST", "/api/waivers", json={**WAIVER, "facility_id": side.facility})
        waiver = made.json()["waiver"]["id"] if made.status_code == 201 else 1  # (not an administrator)
        if api:
            return await client.api("POST", f"/api/waivers/{waiver}/revoke")
        return await client.form(f"/waivers/{waiver}/revoke")

    return call


def _revoke_page(client: Client, world: World, side: Side) -> Awaitable[httpx.Response]:
    async def call() -> httpx.Response:
        made = await client.api("POST", "/api/waivers", json={**WAIVER, "facility_id": side.facility})
        waiver = made.json()["waiver"]["id"] if made.status_code == 201 else 1  # (not an administrator)
        return await client.get(f"/waivers/{waiver}/revoke")

    return call()


def _unassign(client: Client, world: World, side: Side) -> Awaitable[httpx.Response]:
    async def call() -> httpx.Response:
        await client.form("/assignments", user="ivan", facilities=side.facility)  # (403 but for ada)
        return await client.form("/assignments/remove", user="ivan", facility_id=side.facility)

    return call()


async def _roster_import(client: Client, world: World, side: Side) -> httpx.Response:
    return await client.upload(world.roster, url="/facilities/roster")


async def _api_roster_import(client: Client, world: World, side: Side) -> httpx.Response:
    return await client.api_upload(world.roster, url="/api/registry")


async def _api_sign_in(client: Client, world: World, side: Side) -> httpx.Response:
    return await client.post("/api/session", json={"name": "ines", "password": PASSWORDS["ines"]})


async def _login_without_token(client: Client, world: World, side: Side) -> httpx.Response:
    return await client.post("/login", data={"name": "ines", "password": "wrong"})


WAIVER = {"requirement_id": "FS-STORAGE", "justification": "j", "expires": "2030-01-01"}
READ, NOT_YOURS = 200, 404

# Shapes of row shared by many routes.
PAGE = row(303, 200, 200, 200)  # any signed-in person
API = row(401, 200, 200, 200)
FACILITY_PAGE = row(303, (READ, NOT_YOURS), (READ, NOT_YOURS), 200)  # the facility's own data
FACILITY_API = row(401, (READ, NOT_YOURS), (READ, NOT_YOURS), 200)
ADMIN_PAGE = row(303, 403, 403, 200)
ADMIN_API = row(401, 403, 403, 200)


def admin_form(call: Call) -> Row:
    return row(303, 403, 403, 303, call)


TABLE: dict[tuple[str, str], Row] = {
    ("GET", "/static"): row(200, 200, 200, 200, _get("/static/app.css")),
    ("GET", "/login"): row(200, 303, 303, 303),  # signed in: on to the home page
    ("POST", "/login"): row(403, 403, 403, 403, _login_without_token, fresh=True),
    ("POST", "/logout"): row(303, 303, 303, 303, _form("/logout"), fresh=True),
    ("GET", "/account"): PAGE,  # one's own account: anyone signed in
    ("POST", "/account/password"): row(303, 422, 422, 422, _form("/account/password")),  # no password given
    ("GET", "/"): PAGE,
    ("GET", "/template.xlsx"): PAGE,
    ("GET", "/uploads"): PAGE,
    ("POST", "/uploads"): row(303, 303, 403, 303, _upload("/uploads")),  # refused later if not assigned
    ("GET", "/uploads/{upload_id}"): FACILITY_PAGE,
    ("GET", "/uploads/{upload_id}/original"): FACILITY_PAGE,
    ("GET", "/uploads/{upload_id}/annotated.xlsx"): replace(
        FACILITY_PAGE, call=_get("/uploads/{invalid}/annotated.xlsx")
    ),
    ("GET", "/uploads/{upload_id}/results.json"): FACILITY_PAGE,
    ("GET", "/uploads/{upload_id}/report.pdf"): FACILITY_PAGE,
    ("GET", "/uploads/{upload_id}/report.html"): FACILITY_PAGE,
    ("POST", "/uploads/{upload_id}/reprocess"): admin_form(_reprocess(api=False)),
    ("GET", "/inspections/{inspection}"): FACILITY_PAGE,
    # A form without the confirmation: 400 once allowed (tests/web/test_web_signoff.py signs for real).
    ("POST", "/inspections/{inspection}/signoff"): row(
        303, 403, 403, 400, _form("/inspections/{inspection}/signoff")
    ),
    ("POST", "/inspections/{inspection}/versions"): row(
        303, (303, NOT_YOURS), 403, 303, _upload("/inspections/{inspection}/versions")
    ),
    ("GET", "/facilities"): PAGE,
    ("GET", "/facilities/{facility_id}"): FACILITY_PAGE,
    ("POST", "/facilities/roster"): admin_form(_roster_import),
    ("GET", "/facilities/{facility_id}/prefilled.xlsx"): replace(
        PAGE,
        call=_get("/facilities/{roster_id}/prefilled.xlsx"),  # ICE's roster: public to users
    ),
    ("GET", "/portfolio.pdf"): ADMIN_PAGE,
    ("GET", "/waivers"): ADMIN_PAGE,
    ("POST", "/waivers"): admin_form(_form("/waivers", facility_id="{facility_id}", **WAIVER)),
    ("POST", "/waivers/{waiver_id}/revoke"): admin_form(_revoke(api=False)),
    ("GET", "/activity"): ADMIN_PAGE,
    ("GET", "/waivers/{waiver_id}/revoke"): replace(ADMIN_PAGE, call=_revoke_page),
    # Accounts (administrators): each change asked of an account that does not exist, or with two
    # passwords that differ, so the table changes no account (422 once allowed).
    # Corrective actions (tests/web/test_web_cap.py): lists filtered by facility; a plan sent with no
    # file is a 400 for everyone signed in (a reviewer's or another facility's plan: 403 once read).
    ("GET", "/corrective-actions"): PAGE,
    ("GET", "/api/corrective-actions"): API,
    ("GET", "/uploads/{upload_id}/plan.xlsx"): FACILITY_PAGE,
    ("GET", "/corrective-actions/annotated/{sha256}.xlsx"): row(
        303, 404, 404, 404, _get("/corrective-actions/annotated/" + "0" * 64 + ".xlsx")
    ),
    ("POST", "/corrective-actions/plan"): row(303, 400, 400, 400, _form("/corrective-actions/plan")),
    ("POST", "/api/corrective-actions/plans"): row(
        401, 400, 400, 400, _api("POST", "/api/corrective-actions/plans")
    ),
    ("GET", "/users"): ADMIN_PAGE,
    ("POST", "/users"): row(
        303, 403, 403, 422, _form("/users", name="newone", role="inspector", password="a", repeat="b")
    ),
    ("POST", "/users/{name}/role"): row(303, 403, 403, 422, _form("/users/nobody/role", role="inspector")),
    ("POST", "/users/{name}/password"): row(
        303, 403, 403, 422, _form("/users/nobody/password", password="a", repeat="b")
    ),
    ("POST", "/users/{name}/disable"): row(303, 403, 403, 422, _form("/users/nobody/disable")),
    ("POST", "/users/{name}/enable"): row(303, 403, 403, 422, _form("/users/nobody/enable")),
    ("GET", "/assignments"): ADMIN_PAGE,
    ("POST", "/assignments"): admin_form(_form("/assignments", user="ivan", facilities="{facility_id}")),
    ("POST", "/assignments/remove"): admin_form(_unassign),
    ("POST", "/api/session"): row(200, 200, 200, 200, _api_sign_in, fresh=True),
    ("GET", "/api/session"): API,
    ("DELETE", "/api/session"): row(401, 200, 200, 200, _api("DELETE", "/api/session"), fresh=True),
    ("GET", "/api/template"): API,
    ("GET", "/api/uploads"): API,
    ("POST", "/api/uploads"): row(401, 201, 403, 201, _upload("/api/uploads", api=True)),
    ("GET", "/api/uploads/{upload_id}"): FACILITY_API,
    ("GET", "/api/uploads/{upload_id}/results"): FACILITY_API,
    ("POST", "/api/uploads/{upload_id}/reprocess"): row(401, 403, 403, 200, _reprocess(api=True)),
    ("GET", "/api/inspections/{inspection}"): FACILITY_API,
    ("POST", "/api/inspections/{inspection}/signoff"): row(  # upload 0: never the latest version
        401, 403, 403, 400, _api("POST", "/api/inspections/{inspection}/signoff", json={"upload": 0})
    ),
    ("POST", "/api/inspections/{inspection}/versions"): row(
        401, (201, NOT_YOURS), 403, 201, _upload("/api/inspections/{inspection}/versions", api=True)
    ),
    ("GET", "/api/facilities"): API,
    ("GET", "/api/facilities/{facility_id}"): FACILITY_API,
    ("GET", "/api/registry"): API,
    ("POST", "/api/registry"): row(401, 403, 403, 201, _api_roster_import),
    ("GET", "/api/registry/{facility_id}"): replace(API, call=_get("/api/registry/{roster_id}")),
    ("GET", "/api/waivers"): ADMIN_API,
    ("POST", "/api/waivers"): row(
        401, 403, 403, 201, _api("POST", "/api/waivers", json={**WAIVER, "facility_id": "*"})
    ),
    ("POST", "/api/waivers/{waiver_id}/revoke"): row(401, 403, 403, 200, _revoke(api=True)),
    ("GET", "/api/audit-log"): ADMIN_API,
    ("GET", "/openapi.json"): API,
    ("GET", "/docs"): PAGE,
    ("GET", "/docs/assets/{name}"): PAGE,
}


def routes(app: FastAPI) -> set[tuple[str, str]]:
    found = set()
    for route in iter_route_contexts(app.routes):
        for method in route.methods or {"GET"}:  # a mount (static files) answers GET
            found.add((method, route.path))
    return found


async def sign_in(client: Client, name: str) -> Client:
    """Through the sign-in page, as a person would (rita's password is this module's)."""
    page = await client.get("/login")
    token = CSRF_INPUT.search(page.text).group(1)
    password = REVIEWER_PASSWORD if name == "rita" else PASSWORDS[name]
    answer = await client.post(
        "/login", data={"csrf_token": token, "name": name, "password": password, "next": "/"}
    )
    assert answer.status_code == 303, answer.text
    client.csrf = (await client.get("/api/session")).json()["csrf_token"]
    return client


@pytest.fixture
def world(app: FastAPI, workbooks, tmp_path: Path) -> World:
    db = app.state.web.db
    add_user(db, "rita", "reviewer", REVIEWER_PASSWORD)
    assign(db, None, "rita", [ASSIGNED])
    save_roster(db, import_roster(write_roster(tmp_path / "FY27.xlsx", [NORTH])))
    sides = {
        True: Side(ASSIGNED, workbooks.small_2026),
        False: Side(
            UNASSIGNED,
            InspectionBuilder(facility_id=UNASSIGNED).with_valid_sheets().xlsx(tmp_path / "u.xlsx"),
        ),
    }
    for side in sides.values():
        spoiled = InspectionBuilder(facility_id=side.facility).with_valid_sheets()
        spoiled.sheets["Intake"].loc[0, "arrival"] = "yesterday"
        invalid_book = spoiled.xlsx(tmp_path / f"{side.facility}-invalid.xlsx")

        async def setup(side: Side = side, invalid_book: Path = invalid_book) -> None:
            async with Client(app) as ada:
                await sign_in(ada, "ada")
                side.audited = upload_id(await ada.upload(side.workbook))
                side.invalid = upload_id(await ada.upload(invalid_book))
                audited = (await ada.get(f"/api/uploads/{side.audited}")).json()["upload"]
                assert audited["status"] == "audited" and audited["facility_id"] == side.facility
                invalid = (await ada.get(f"/api/uploads/{side.invalid}")).json()["upload"]
                assert invalid["status"] == "invalid"
                side.inspection = audited["inspection"]

        run(setup())
    return World(app, sides, write_roster(tmp_path / "FY28.xlsx", [NORTH]))


def test_every_route_has_a_row(app: FastAPI) -> None:
    missing = sorted(routes(app) - set(TABLE))
    assert not missing, f"decide who may use these routes and add them to TABLE: {missing}"


def test_the_route_role_facility_matrix(world: World) -> None:
    web = world.app.state.web
    web.settings = replace(web.settings, wait_seconds=0)  # uploads answer once stored: statuses are the same
    present = routes(world.app)

    async def scenario() -> list[str]:
        failures: list[str] = []
        clients = {role: Client(world.app) for role in ROLES}
        for role, name in PEOPLE.items():
            await sign_in(clients[role], name)
        for (method, path), rule in sorted(TABLE.items()):
            if (method, path) not in present:
                continue
            call = rule.call or _get(path)
            for assigned, side in world.sides.items():
                for role in ROLES:
                    client = clients[role]
                    if role == "anonymous":
                        client.http.cookies.clear()  # (a public sign-in route may have set one)
                        answer = await _anonymous(client, method, path, rule, world, side, call)
                    elif rule.fresh:
                        async with Client(world.app) as own:
                            answer = await call(await sign_in(own, PEOPLE[role]), world, side)
                    else:
                        answer = await call(client, world, side)
                    expected = rule.expected(role, assigned)
                    where = f"{method} {path} [{'assigned' if assigned else 'not assigned'}] {role}"
                    if answer.status_code not in expected:
                        failures.append(
                            f"{where}: {answer.status_code}, not {sorted(expected)}: {answer.text[:160]}"
                        )
                    elif (
                        answer.status_code == 303
                        and role == "anonymous"
                        and not answer.headers["location"].startswith("/login")
                    ):
                        failures.append(f"{where}: sent to {answer.headers['location']}")
        for client in clients.values():
            await client.http.aclose()
        return failures

    failures = run(scenario())
    web.processor.idle(timeout=300)
    assert not failures, "\n".join(failures)


async def _anonymous(
    client: Client, method: str, path: str, rule: Row, world: World, side: Side, call: Call
) -> httpx.Response:
    if rule.anonymous - {303, 401}:  # a public route: called as anyone calls it
        return await call(client, world, side)
    return await client.http.request(method, _fill(path, world, side))  # no session: nothing to send
