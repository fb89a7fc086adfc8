"""Sign-in throttling (per account, per client address, shared by every worker), idle sessions, and a
changed password ending the account's sessions: issue 15 item 4, answered as docs/security.md says."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx
from fastapi import FastAPI
from webclient import CSRF_INPUT, PASSWORDS, Client, run

from auditor.db import Database
from auditor.service.accounts import User, set_password
from auditor.service.action_log import entries
from auditor.web.auth import SpareSessions

A, B = "203.0.113.7", "198.51.100.20"


def _client(app: FastAPI, address: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app, client=(address, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


async def _api(app: FastAPI, address: str, name: str, password: str) -> httpx.Response:
    async with _client(app, address) as http:
        return await http.post("/api/session", json={"name": name, "password": password})


def _failures(db: Database) -> list[tuple[Any, ...]]:
    return [
        (e["user_name"], e["address"], e["detail"])
        for e in reversed(entries(db))
        if e["action"] == "signin.failed"
    ]


def _ago(minutes: float) -> str:
    at = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=minutes)
    return at.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def test_five_failures_for_an_account_refuse_it_from_every_address_for_15_minutes(app: FastAPI) -> None:
    async def scenario() -> None:
        for _ in range(5):
            assert (await _api(app, A, "ines", "not her password")).status_code == 401
        refused = await _api(app, A, "ines", PASSWORDS["ines"])  # the right password, too late
        assert refused.status_code == 429
        assert 880 <= int(refused.headers["Retry-After"]) <= 900  # from the first failure
        assert refused.json() == {
            "ok": False,
            "error": "too many failed sign-ins for this account: try again in 15 minutes",
            "status": 429,
            "retry_after": int(refused.headers["Retry-After"]),
        }
        assert (await _api(app, B, "ines", PASSWORDS["ines"])).status_code == 429  # any address
        assert (await _api(app, A, "ivan", PASSWORDS["ivan"])).status_code == 200  # 5 < 20 for A

    run(scenario())
    logged = _failures(app.state.web.db)
    wrong = ("ines", A, "wrong user name or password")
    assert logged[:4] == [wrong] * 4
    assert logged[4] == (
        "ines",
        A,
        "wrong user name or password; 5 failures in 15 minutes: this account's sign-ins are refused"
        " for 15 minutes",
    )
    assert len(logged) == 5  # the refused attempts are not logged one by one


def test_an_address_with_too_many_failures_is_refused_for_any_account(make_app) -> None:
    app = make_app(signin_address_failures=3, signin_account_failures=100)

    async def scenario() -> None:
        for name in ("nobody", "ines", "ada"):
            assert (await _api(app, A, name, "guess number one")).status_code == 401
        refused = await _api(app, A, "ivan", PASSWORDS["ivan"])
        assert refused.status_code == 429 and "for this address" in refused.json()["error"]
        assert (await _api(app, B, "ivan", PASSWORDS["ivan"])).status_code == 200

    run(scenario())
    assert [(name, where) for name, where, _ in _failures(app.state.web.db)] == [
        ("nobody", A),
        ("ines", A),
        ("ada", A),
    ]


def test_the_sign_in_page_answers_429_with_retry_after(make_app) -> None:
    app = make_app(signin_account_failures=1)

    async def scenario() -> None:
        async with _client(app, A) as http:
            for expected in (401, 429):
                page = await http.get("/login")
                token = CSRF_INPUT.search(page.text).group(1)
                answer = await http.post(
                    "/login", data={"csrf_token": token, "name": "ada", "password": "wrong one", "next": "/"}
                )
                assert answer.status_code == expected
            assert 899 <= int(answer.headers["Retry-After"]) <= 900
            assert "Too many failed sign-ins for this account: try again in 15 minutes." in answer.text

    run(scenario())


def test_the_wait_ends_when_the_oldest_counted_failure_leaves_the_window(app: FastAPI) -> None:
    db = app.state.web.db
    with db.write() as conn:  # failures 20, 10, 9, 8, 7 and 6 minutes ago: the first is outside the window
        for minutes in (20, 10, 9, 8, 7, 6):
            conn.execute(
                "INSERT INTO sign_in_failures (at, account, address) VALUES (?, 'ADA', ?)", (_ago(minutes), B)
            )

    async def scenario() -> None:
        refused = await _api(app, A, "ada", PASSWORDS["ada"])  # the account, any case
        assert refused.status_code == 429
        # The fifth most recent failure, 10 minutes ago, leaves the 15-minute window in 5 minutes.
        assert 298 <= int(refused.headers["Retry-After"]) <= 300

    run(scenario())


def test_a_success_clears_the_account_s_count_but_not_the_address_s(make_app) -> None:
    app = make_app(signin_address_failures=8)

    async def scenario() -> None:
        for _ in range(4):
            assert (await _api(app, A, "ines", "wrong again!!")).status_code == 401
        assert (await _api(app, A, "ines", PASSWORDS["ines"])).status_code == 200
        for _ in range(4):  # 4 for the account since its success, 8 for the address
            assert (await _api(app, A, "ines", "wrong again!!")).status_code == 401
        assert (await _api(app, B, "ines", PASSWORDS["ines"])).status_code == 200
        assert (await _api(app, A, "ivan", PASSWORDS["ivan"])).status_code == 429

    run(scenario())


def test_two_servers_on_one_data_folder_count_the_same_failures(make_app, tmp_path) -> None:
    first, second = make_app(), make_app()  # two processes' worth of state over one database

    async def scenario() -> None:
        for app in (first, second, first, second, first):
            assert (await _api(app, A, "ada", "one more guess")).status_code == 401
        assert (await _api(second, B, "ada", PASSWORDS["ada"])).status_code == 429

    run(scenario())


def test_a_session_unused_for_the_idle_time_has_ended(make_app) -> None:
    app = make_app(session_idle_minutes=30)
    db = app.state.web.db

    async def scenario() -> None:
        async with _client(app, A) as ines, _client(app, A) as ada:
            assert (
                await ines.post("/api/session", json={"name": "ines", "password": PASSWORDS["ines"]})
            ).is_success
            assert (
                await ada.post("/api/session", json={"name": "ada", "password": PASSWORDS["ada"]})
            ).is_success
            with db.write() as conn:  # ines last used hers 31 minutes ago, ada hers 29
                conn.execute(
                    "UPDATE sessions SET seen_at = ? WHERE user_id = (SELECT id FROM users WHERE name = ?)",
                    (_ago(31), "ines"),
                )
                conn.execute(
                    "UPDATE sessions SET seen_at = ? WHERE user_id = (SELECT id FROM users WHERE name = ?)",
                    (_ago(29), "ada"),
                )
            assert (await ines.get("/api/session")).status_code == 401
            assert (await ada.get("/api/session")).status_code == 200
            with db.read() as conn:  # using it made it fresh again
                seen = conn.execute(
                    "SELECT seen_at FROM sessions JOIN users ON users.id = user_id WHERE name = 'ada'"
                ).fetchone()[0]
            assert seen >= _ago(1)

    run(scenario())


def test_changing_a_password_ends_the_account_s_sessions(app: FastAPI) -> None:
    db = app.state.web.db
    new = "a brand new passphrase"

    async def scenario() -> None:
        async with _client(app, A) as laptop, _client(app, B) as phone, _client(app, A) as ada:
            for http, name in ((laptop, "ines"), (phone, "ines"), (ada, "ada")):
                answer = await http.post("/api/session", json={"name": name, "password": PASSWORDS[name]})
                assert answer.status_code == 200
            assert set_password(db, "ines", new, by=None) == 2
            assert (await laptop.get("/api/session")).status_code == 401
            assert (await phone.get("/api/session")).status_code == 401
            assert (await ada.get("/api/session")).status_code == 200  # another account's: kept
            assert (await _api(app, A, "ines", PASSWORDS["ines"])).status_code == 401
            assert (await _api(app, A, "ines", new)).status_code == 200

    run(scenario())
    changed = [e for e in entries(db) if e["action"] == "user.password"]
    assert [(e["user_name"], e["target"], e["detail"]) for e in changed] == [
        (None, "ines", "2 sessions ended (command line)")
    ]


def test_a_session_kept_in_memory_on_a_full_disk_ends_when_idle_too() -> None:
    spare, ines = SpareSessions(), User(1, "ines", "inspector", "csrf")
    until = _ago(-12 * 60)  # 12 hours ahead
    spare.start("used", ines, until)
    spare.start("idle", ines, until)
    spare.active["used"] = (ines, until, _ago(29))
    spare.active["idle"] = (ines, until, _ago(31))
    assert spare.user("used", idle_minutes=30) == ines
    assert spare.active["used"][2] >= _ago(1)  # used now: fresh again
    assert spare.user("idle", idle_minutes=30) is None
    assert "idle" not in spare.active


def test_changing_one_s_own_password_keeps_this_session_and_ends_the_others(app: FastAPI) -> None:
    db = app.state.web.db
    new = "my own new passphrase"

    async def scenario() -> None:
        async with Client(app) as laptop, Client(app) as phone:
            await laptop.sign_in("ines")
            await phone.sign_in("ines")
            page = await laptop.get("/account")
            assert page.status_code == 200 and "Change your password" in page.text
            change = {"current": PASSWORDS["ines"], "new": new, "repeat": new}
            wrong = await laptop.form("/account/password", **{**change, "current": "not my password"})
            assert wrong.status_code == 422 and "the current password is wrong." in wrong.text
            differ = await laptop.form("/account/password", **{**change, "repeat": new + "!"})
            assert differ.status_code == 422 and "the two new passwords differ." in differ.text
            common = await laptop.form(
                "/account/password", **{**change, "new": "1q2w3e4r5t6y", "repeat": "1q2w3e4r5t6y"}
            )
            assert common.status_code == 422 and "one of the most common passwords" in common.text
            done = await laptop.form("/account/password", **change)
            assert done.status_code == 303 and done.headers["location"] == "/account?done=password-changed"
            assert "Your password was changed" in (await laptop.get(done.headers["location"])).text
            assert (await laptop.get("/api/session")).status_code == 200  # this session goes on
            assert (await phone.get("/api/session")).status_code == 401  # the other one has ended
            assert (await _api(app, A, "ines", PASSWORDS["ines"])).status_code == 401
            assert (await _api(app, A, "ines", new)).status_code == 200

    run(scenario())
    mine = [
        (e["user_name"], e["action"], e["detail"]) for e in reversed(entries(db)) if e["user_name"] == "ines"
    ]
    assert [m for m in mine if m[1] in ("signin.failed", "user.password")] == [
        ("ines", "signin.failed", "wrong user name or password"),  # the wrong current password
        ("ines", "user.password", "1 other session ended"),
        ("ines", "signin.failed", "wrong user name or password"),  # the old password, after
    ]
