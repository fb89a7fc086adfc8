"""Accounts managed by administrators in the web app (issue 17, item 7): add, change a role, reset a
password, disable and enable, each logged in the administrator's name; what is refused, and why."""

from __future__ import annotations

import re

import httpx
from fastapi import FastAPI
from webclient import CSRF_INPUT, Client, run

from auditor.db import Database
from auditor.service import account_admin
from auditor.service.accounts import AccountError, User, add_user, authenticate, set_password

NEW_PASSWORD = "olga-reads-the-plans"
RESET = "a-fresh-start-for-ines"


async def _sign_in(client: Client, name: str, password: str) -> int:
    """The sign-in page's answer (303 signed in, 401 refused); the session's CSRF token kept."""
    page = await client.get("/login")
    token = CSRF_INPUT.search(page.text).group(1)
    answer = await client.post(
        "/login", data={"csrf_token": token, "name": name, "password": password, "next": "/"}
    )
    if answer.status_code == 303:
        client.csrf = (await client.get("/api/session")).json()["csrf_token"]
    return answer.status_code


async def _role(client: Client) -> str | None:
    answer = await client.get("/api/session")
    return answer.json()["user"]["role"] if answer.status_code == 200 else None


def _log(db: Database, action: str) -> list[tuple[str, str, str]]:
    with db.read() as conn:
        rows = conn.execute(
            "SELECT user_name, target, detail FROM audit_log WHERE action = ? ORDER BY id", (action,)
        ).fetchall()
    return [tuple(r) for r in rows]


def _error(answer: httpx.Response) -> str:
    assert answer.status_code == 422, answer.text
    return answer.text.split('role="alert"><h2>There is a problem</h2><p>')[1].split("</p>")[0]


def test_an_administrator_adds_an_account_who_then_signs_in(app: FastAPI) -> None:
    db = app.state.web.db

    async def scenario() -> None:
        async with Client(app) as ada, Client(app) as olga:
            await ada.sign_in("ada")
            added = await ada.form(
                "/users", name="olga", role="reviewer", password=NEW_PASSWORD, repeat=NEW_PASSWORD
            )
            assert (added.status_code, added.headers["location"]) == (303, "/users?done=account-added")
            assert await _sign_in(olga, "olga", NEW_PASSWORD) == 303
            assert await _role(olga) == "reviewer"
            page = (await ada.get("/users")).text
            row = re.search(
                r"<td>olga</td>\s*<td>(\w+)</td>\s*<td>.*?>(\w+)</span></td>\s*<td[^>]*>([^<]+)<", page
            )
            assert row and row.group(1, 2) == ("reviewer", "enabled") and row.group(3).endswith(" UTC")

    run(scenario())
    assert _log(db, "user.add")[-1] == ("ada", "olga", "role reviewer")  # not "(command line)"


def test_an_account_is_refused_with_the_reason_and_nothing_added(app: FastAPI) -> None:
    db = app.state.web.db

    async def scenario() -> None:
        async with Client(app) as ada:
            await ada.sign_in("ada")
            short = await ada.form("/users", name="olga", role="reviewer", password="short", repeat="short")
            assert (
                _error(short) == "The account was not added: the password must have at least 12 characters."
            )
            differ = await ada.form(
                "/users", name="olga", role="reviewer", password=NEW_PASSWORD, repeat=NEW_PASSWORD + "x"
            )
            assert _error(differ) == "The account was not added: the two passwords differ."
            taken = await ada.form(
                "/users", name="ines", role="inspector", password=NEW_PASSWORD, repeat=NEW_PASSWORD
            )
            assert _error(taken) == "The account was not added: there is already a user named &#39;ines&#39;."
            role = await ada.form(
                "/users", name="olga", role="root", password=NEW_PASSWORD, repeat=NEW_PASSWORD
            )
            assert "the role must be one of: inspector, reviewer, administrator" in _error(role)

    run(scenario())
    with db.read() as conn:
        assert conn.execute("SELECT count(*) FROM users WHERE name = 'olga'").fetchone()[0] == 0


def test_a_role_change_holds_from_the_next_request(app: FastAPI) -> None:
    db = app.state.web.db

    async def scenario() -> None:
        async with Client(app) as ada, Client(app) as ines:
            await ada.sign_in("ada")
            await ines.sign_in("ines")
            assert await _role(ines) == "inspector"
            changed = await ada.form("/users/ines/role", role="reviewer")
            assert changed.headers["location"] == "/users?done=role-changed"
            assert await _role(ines) == "reviewer"  # the same session, its new role
            again = await ada.form("/users/ines/role", role="reviewer")
            assert _error(again) == "The role was not changed: ines is already a reviewer."
            self_demote = await ada.form("/users/ada/role", role="inspector")
            assert (
                _error(self_demote)
                == "The role was not changed: you cannot demote yourself: another administrator can."
            )

    run(scenario())
    assert _log(db, "user.role") == [("ada", "ines", "inspector → reviewer")]


def test_a_reset_ends_the_accounts_sessions_and_sets_the_new_password(app: FastAPI) -> None:
    db = app.state.web.db

    async def scenario() -> None:
        async with Client(app) as ada, Client(app) as ines, Client(app) as again:
            await ada.sign_in("ada")
            await ines.sign_in("ines")
            reset = await ada.form("/users/ines/password", password=RESET, repeat=RESET)
            assert reset.headers["location"] == "/users?done=password-reset"
            assert await _role(ines) is None  # her session ended
            assert await _sign_in(again, "ines", "ines-password") == 401
            assert await _sign_in(again, "ines", RESET) == 303
            own = await ada.form("/users/ada/password", password=RESET, repeat=RESET)
            assert "change your own password on the Your account page" in _error(own)

    run(scenario())
    assert _log(db, "user.password") == [("ada", "ines", "1 session ended")]


def test_a_disabled_account_cannot_sign_in_until_enabled_with_its_own_password(app: FastAPI) -> None:
    db = app.state.web.db

    async def scenario() -> None:
        async with Client(app) as ada, Client(app) as ivan, Client(app) as later:
            await ada.sign_in("ada")
            await ivan.sign_in("ivan")
            disabled = await ada.form("/users/ivan/disable")
            assert disabled.headers["location"] == "/users?done=account-disabled"
            assert await _role(ivan) is None
            assert await _sign_in(later, "ivan", "ivan-password") == 401
            assert 'badge bad">disabled' in (await ada.get("/users")).text
            twice = await ada.form("/users/ivan/disable")
            assert _error(twice) == "The account was not disabled: ivan is already disabled."
            themselves = await ada.form("/users/ada/disable")
            assert "you cannot disable yourself" in _error(themselves)
            enabled = await ada.form("/users/ivan/enable")
            assert enabled.headers["location"] == "/users?done=account-enabled"
            assert await _sign_in(later, "ivan", "ivan-password") == 303

    run(scenario())
    assert _log(db, "user.disable") == [("ada", "ivan", "1 session ended")]
    assert _log(db, "user.enable") == [("ada", "ivan", "")]


def test_only_administrators_manage_accounts_and_every_change_needs_the_csrf_token(app: FastAPI) -> None:
    async def scenario() -> None:
        async with Client(app) as ines, Client(app) as ada, Client(app) as nobody:
            await ines.sign_in("ines")
            await ada.sign_in("ada")
            assert (await ines.get("/users")).status_code == 403
            assert (await ines.form("/users/ivan/disable")).status_code == 403
            assert (await ada.post("/users/ivan/disable", data={"csrf_token": "forged"})).status_code == 403
            assert (await nobody.get("/users")).status_code in (303, 401)
            missing = await ada.form("/users/nobody-here/disable")
            assert (
                _error(missing)
                == "The account was not disabled: there is no user named &#39;nobody-here&#39;."
            )

    run(scenario())


def test_the_last_enabled_administrator_stays_one_and_a_reset_keeps_an_account_disabled(
    app: FastAPI,
) -> None:
    db = app.state.web.db
    ada = authenticate(db, "ada", "ada-password")
    assert ada is not None
    command_line = User(0, "someone", "administrator")  # not an account of the database
    try:
        account_admin.change_role(db, command_line, "ada", "inspector")
    except AccountError as exc:
        assert str(exc) == "ada is the last enabled administrator"
    else:
        raise AssertionError("the last administrator was demoted")
    add_user(db, "bea", "administrator", "bea-administers-too")
    account_admin.set_disabled(db, ada, "bea", True)
    set_password(db, "bea", "bea-has-a-new-one", by=None)  # `auditor users passwd` on a disabled account
    assert authenticate(db, "bea", "bea-has-a-new-one") is None
    account_admin.set_disabled(db, ada, "bea", False)
    assert authenticate(db, "bea", "bea-has-a-new-one") is not None
    listed = {a["name"]: a for a in account_admin.accounts(db)}
    assert listed["bea"]["disabled"] is False and listed["ada"]["role"] == "administrator"
