"""Assignments (issue 15): an inspector uploads for, and reads, only the facilities assigned to them;
an upload naming another is refused by its cell and filed under no facility; a name differing from
the facility's record is a warning, not a rename; a reviewer reads and changes nothing; the
administrators' page and `auditor users assign|unassign`."""

from __future__ import annotations

from pathlib import Path

from builders import InspectionBuilder
from fastapi import FastAPI
from typer.testing import CliRunner
from webclient import Client, Workbooks, run, upload_id

from auditor.cli import app as cli_app
from auditor.db import Database
from auditor.service.accounts import add_user
from auditor.service.assignments import ALL, AssignmentError, assign, assigned, unassign

ATL = "ATL-SPC-0001"  # the built workbooks' facility (assigned to ines by conftest, not to ivan)
RECORD_NAME = "Fictional Service Processing Center"  # the built workbooks' facility_name
REVIEWER_PASSWORD = "rita-reads-only-1"


def _log(db: Database, action: str) -> list[tuple[str | None, str, str]]:
    with db.read() as conn:
        rows = conn.execute(
            "SELECT user_name, target, detail FROM audit_log WHERE action = ? ORDER BY id", (action,)
        ).fetchall()
    return [tuple(r) for r in rows]


async def _sign_in_reviewer(client: Client) -> Client:
    page = await client.get("/login")
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    answer = await client.post(
        "/login", data={"csrf_token": token, "name": "rita", "password": REVIEWER_PASSWORD, "next": "/"}
    )
    assert answer.status_code == 303
    client.csrf = (await client.get("/api/session")).json()["csrf_token"]
    return client


def test_an_upload_naming_an_unassigned_facility_is_refused_by_cell_and_filed_under_none(
    app: FastAPI, workbooks: Workbooks
) -> None:
    db = app.state.web.db

    async def scenario() -> None:
        async with Client(app) as ada, Client(app) as ivan:
            await ada.sign_in("ada")
            await ivan.sign_in("ivan")
            first = upload_id(await ada.upload(workbooks.small_2026))
            facility = (await ada.get(f"/api/facilities/{ATL}")).json()["facility"]
            assert facility["latest_upload"] == first and facility["uploads"] == 1

            intruder = upload_id(await ivan.upload(workbooks.small_2026))  # his own copy, naming ATL
            refused = (await ivan.get(f"/api/uploads/{intruder}")).json()["upload"]
            assert refused["status"] == "refused"
            assert refused["message"].startswith(
                f"Facility!B2 names facility {ATL}, which is not assigned to you: the upload was filed "
                "under no facility"
            )
            assert (refused["facility_id"], refused["inspection"], refused["version"]) == (None, None, None)
            page = await ivan.get(f"/uploads/{intruder}")  # his refusal, which he may read
            assert page.status_code == 200 and "This upload was refused" in page.text
            api = await ivan.api_upload(workbooks.small_2026)
            assert api.status_code == 201 and api.json()["upload"]["status"] == "refused"

            # The facility is as before: its latest is still ada's, and ivan reads none of it.
            after = (await ada.get(f"/api/facilities/{ATL}")).json()["facility"]
            assert after["latest_upload"] == first and after["uploads"] == 1
            assert (await ivan.get(f"/facilities/{ATL}")).status_code == 404
            assert (await ivan.get(f"/uploads/{first}")).status_code == 404
            inspection = after["inspection_history"][0]["id"]
            version = await ivan.upload(workbooks.small_2026, url=f"/inspections/{inspection}/versions")
            assert version.status_code == 404
            assert {u["id"] for u in (await ivan.get("/api/uploads")).json()["uploads"]} == {
                intruder,
                api.json()["upload"]["id"],
            }

    run(scenario())
    refusals = _log(db, "access.refused")
    assert len(refusals) == 2
    assert all(user == "ivan" and target == f"facility {ATL}" for user, target, _ in refusals)
    assert "Facility!B2" in refusals[0][2]
    with db.read() as conn:  # filterable by facility in the log (auditor log --facility)
        logged = conn.execute("SELECT facility_id FROM audit_log WHERE action = 'access.refused'").fetchall()
        assert [row[0] for row in logged] == [ATL, ATL]


def test_a_differing_facility_name_is_a_warning_and_only_an_administrator_renames(
    app: FastAPI, workbooks: Workbooks, tmp_path: Path
) -> None:
    renamed = InspectionBuilder(facility_name="Taken Over Detention Center").with_valid_sheets()
    renamed_book = renamed.xlsx(tmp_path / "renamed.xlsx")
    shouting = InspectionBuilder(facility_name="  FICTIONAL  service processing CENTER ").with_valid_sheets()
    shouting_book = shouting.xlsx(tmp_path / "shouting.xlsx")

    async def scenario() -> None:
        async with Client(app) as ines, Client(app) as ada:
            await ines.sign_in("ines")
            await ada.sign_in("ada")
            upload_id(await ines.upload(workbooks.small_2026))
            second = upload_id(await ines.upload(renamed_book))
            answer = (await ines.get(f"/api/uploads/{second}")).json()
            assert answer["upload"]["status"] == "audited"
            assert answer["upload"]["facility_name"] == RECORD_NAME
            warning = [p for p in answer["validation"]["problems"] if p["code"] == "facility_renamed"]
            assert len(warning) == 1
            assert (warning[0]["sheet"], warning[0]["cell"], warning[0]["severity"]) == (
                "Facility",
                "B3",
                "warning",
            )
            assert (warning[0]["value"], warning[0]["expected"]) == (
                "Taken Over Detention Center",
                RECORD_NAME,
            )
            facility = (await ines.get(f"/api/facilities/{ATL}")).json()["facility"]
            assert facility["facility_name"] == RECORD_NAME

            same = upload_id(await ines.upload(shouting_book))  # the same name but for case and spaces
            problems = (await ines.get(f"/api/uploads/{same}")).json()["validation"]["problems"]
            assert not [p for p in problems if p["code"] == "facility_renamed"]

            by_admin = upload_id(await ada.upload(renamed_book))
            answer = (await ada.get(f"/api/uploads/{by_admin}")).json()
            assert not [p for p in answer["validation"]["problems"] if p["code"] == "facility_renamed"]
            facility = (await ines.get(f"/api/facilities/{ATL}")).json()["facility"]
            assert facility["facility_name"] == "Taken Over Detention Center"

    run(scenario())


def test_unassigning_takes_the_facility_and_its_uploads_away_but_not_unfiled_ones(
    app: FastAPI, workbooks: Workbooks
) -> None:
    db = app.state.web.db

    async def scenario(step: str, ids: dict[str, int]) -> dict[str, int]:
        async with Client(app) as ines:
            await ines.sign_in("ines")
            if step == "upload":
                ids["audited"] = upload_id(await ines.upload(workbooks.small_2026))
                ids["unreadable"] = upload_id(await ines.upload(workbooks.pdf))
                return ids
            listed = {u["id"] for u in (await ines.get("/api/uploads")).json()["uploads"]}
            facilities = [f["facility_id"] for f in (await ines.get("/api/facilities")).json()["facilities"]]
            return {
                "audited": (await ines.get(f"/uploads/{ids['audited']}")).status_code,
                "report": (await ines.get(f"/uploads/{ids['audited']}/report.pdf")).status_code,
                "unreadable": (await ines.get(f"/uploads/{ids['unreadable']}")).status_code,
                "facility": (await ines.get(f"/facilities/{ATL}")).status_code,
                "listed": int(ids["audited"] in listed) + 2 * int(ids["unreadable"] in listed),
                "in_facilities": int(ATL in facilities),
            }

    ids = run(scenario("upload", {}))
    before = run(scenario("read", ids))
    assert before == {
        "audited": 200,
        "report": 200,
        "unreadable": 200,
        "facility": 200,
        "listed": 3,
        "in_facilities": 1,
    }
    assert unassign(db, None, "ines", [ATL]) == [ATL]
    after = run(scenario("read", ids))
    assert after == {
        "audited": 404,
        "report": 404,
        "unreadable": 200,
        "facility": 404,
        "listed": 2,
        "in_facilities": 0,
    }
    assert assign(db, None, "ines", [ATL]) == [ATL]
    assert run(scenario("read", ids)) == before


def test_a_reviewer_reads_the_facilities_assigned_or_all_and_changes_nothing(
    app: FastAPI, workbooks: Workbooks
) -> None:
    db = app.state.web.db
    add_user(db, "rita", "reviewer", REVIEWER_PASSWORD)
    assign(db, None, "rita", [ATL])

    async def scenario(ids: dict[str, int]) -> dict[str, object]:
        async with Client(app) as ada, Client(app) as rita:
            await ada.sign_in("ada")
            await _sign_in_reviewer(rita)
            if not ids:
                ids["atl"] = upload_id(await ada.upload(workbooks.small_2026))
                ids["red"] = upload_id(await ada.upload(workbooks.red_mesa))
            home = await rita.get("/")
            return {
                "facilities": sorted(
                    f["facility_id"] for f in (await rita.get("/api/facilities")).json()["facilities"]
                ),
                "uploads": sorted(u["id"] for u in (await rita.get("/api/uploads")).json()["uploads"]),
                "atl_report": (await rita.get(f"/uploads/{ids['atl']}/report.pdf")).status_code,
                "red_report": (await rita.get(f"/uploads/{ids['red']}/report.pdf")).status_code,
                "upload": (await rita.upload(workbooks.small_2026)).status_code,
                "api_upload": (await rita.api_upload(workbooks.small_2026)).status_code,
                "waiver": (
                    await rita.form("/waivers", requirement_id="FS-STORAGE", facility_id=ATL)
                ).status_code,
                "reprocess": (await rita.form(f"/uploads/{ids['atl']}/reprocess")).status_code,
                "upload_form": 'action="/uploads"' in home.text,
                "ids": dict(ids),
            }

    seen = run(scenario({}))
    ids = seen["ids"]
    assert seen == {
        "facilities": [ATL],
        "uploads": [ids["atl"]],
        "atl_report": 200,
        "red_report": 404,
        "upload": 403,
        "api_upload": 403,
        "waiver": 403,
        "reprocess": 403,
        "upload_form": False,
        "ids": ids,
    }
    assign(db, None, "rita", [], every=True)
    assert assigned(db, _user(db, "rita")) == [ALL, ATL]
    every = run(scenario(dict(ids)))
    assert every["facilities"] == [ATL, "FIC-CDF-0002"]
    assert every["uploads"] == sorted([ids["atl"], ids["red"]])
    assert (every["red_report"], every["upload"], every["api_upload"]) == (200, 403, 403)
    with db.read() as conn:
        assert conn.execute("SELECT COUNT(*) FROM uploads").fetchone()[0] == 2  # nothing rita sent was kept


def _user(db: Database, name: str):
    from auditor.service.accounts import user_named

    user = user_named(db, name)
    assert user is not None
    return user


def test_assignment_rules_every_is_for_reviewers_and_ids_follow_the_id_rule(app: FastAPI) -> None:
    db = app.state.web.db
    for args, message in (
        (("nobody", [ATL]), "there is no account named 'nobody' (auditor users list)"),
        (("ada", [ATL]), "ada is an administrator and sees every facility: nothing to assign"),
        (("ivan", ["../etc"]), "'../etc': not a usable facility id (it starts with '.')"),
        (("ivan", []), "name at least one facility id"),
    ):
        try:
            assign(db, None, *args)
        except AssignmentError as exc:
            assert str(exc).startswith(message), str(exc)
        else:
            raise AssertionError(f"{args} was assigned")
    try:
        assign(db, None, "ivan", [], every=True)
    except AssignmentError as exc:
        assert str(exc).startswith("only a reviewer can be given every facility")
    else:
        raise AssertionError("an inspector was given every facility")
    assert assign(db, None, "ivan", [ATL, ATL]) == [ATL]
    assert assign(db, None, "ivan", [ATL]) == []  # already assigned: nothing new, no second log line
    assert _log(db, "assignment.add")[-1] == (None, f"facility {ATL}", "to ivan")
    assert len([e for e in _log(db, "assignment.add") if e[2] == "to ivan"]) == 1


def test_the_assignments_page_assigns_and_removes_with_the_csrf_token(
    app: FastAPI, workbooks: Workbooks
) -> None:
    db = app.state.web.db

    async def scenario() -> None:
        async with Client(app) as ada, Client(app) as ivan:
            await ada.sign_in("ada")
            await ivan.sign_in("ivan")
            page = await ada.get("/assignments")
            assert page.status_code == 200 and "FIC-USMS-0004" in page.text and "ivan" in page.text
            assert (await ivan.get("/assignments")).status_code == 403
            forged = await ada.post("/assignments", data={"user": "ivan", "facilities": ATL})
            assert forged.status_code == 403
            bad = await ada.form("/assignments", user="ivan", facilities=f"{ATL} bad/id")
            assert bad.status_code == 422 and "not a usable facility id" in bad.text
            assert assigned(db, _user(db, "ivan")) == []  # all or nothing
            done = await ada.form("/assignments", user="ivan", facilities=f"{ATL},\nFIC-CDF-0002")
            assert done.status_code == 303 and done.headers["location"] == "/assignments?done=assigned"
            assert assigned(db, _user(db, "ivan")) == ["ATL-SPC-0001", "FIC-CDF-0002"]
            assert upload_id(await ivan.upload(workbooks.small_2026))  # now his to upload for
            assert [f["facility_id"] for f in (await ivan.get("/api/facilities")).json()["facilities"]] == [
                ATL
            ]
            removed = await ada.form("/assignments/remove", user="ivan", facility_id=ATL)
            assert removed.status_code == 303
            assert (await ivan.get(f"/facilities/{ATL}")).status_code == 404
            again = await ada.form("/assignments/remove", user="ivan", facility_id=ATL)
            assert again.status_code == 422 and "it was not assigned" in again.text

    run(scenario())
    assert _log(db, "assignment.remove") == [("ada", f"facility {ATL}", "from ivan")]
    assert ("ada", "facility FIC-CDF-0002", "to ivan") in _log(db, "assignment.add")


def test_users_assign_and_unassign_on_the_command_line(tmp_path: Path) -> None:
    data = tmp_path / "data"
    runner = CliRunner()

    def cli(*args: str, input: str | None = None):
        return runner.invoke(cli_app, [*args, "--data", str(data)], input=input, catch_exceptions=False)

    added = cli("users", "add", "rita", "--role", "reviewer", input=f"{REVIEWER_PASSWORD}\n" * 2)
    assert added.exit_code == 0, added.output
    assert cli("users", "add", "ines", "--role", "inspector", input="ines-long-password\n" * 2).exit_code == 0
    done = cli("users", "assign", "ines", ATL, "FIC-CDF-0002")
    assert done.exit_code == 0 and "Assigned to ines: ATL-SPC-0001, FIC-CDF-0002." in done.output
    assert cli("users", "assign", "rita", "--all").exit_code == 0
    for args, line in (
        (
            ("users", "assign", "nobody", ATL),
            "error: there is no account named 'nobody' (auditor users list)",
        ),
        (("users", "assign", "ines", "--all"), "error: only a reviewer can be given every facility"),
        (("users", "assign", "ines", "a b"), "error: 'a b': not a usable facility id (it contains ' ')"),
        (("users", "unassign", "nobody", ATL), "error: there is no account named 'nobody'"),
    ):
        refused = cli(*args)
        assert refused.exit_code == 2, refused.output
        assert refused.output.startswith(line) and refused.output.count("\n") == 1, refused.output
    taken = cli("users", "unassign", "ines", ATL)
    assert taken.exit_code == 0 and "Taken from ines: ATL-SPC-0001." in taken.output
    db = Database(data / "auditor.sqlite3")
    assert assigned(db, _user(db, "ines")) == ["FIC-CDF-0002"]
    assert assigned(db, _user(db, "rita")) == [ALL]
    assert _user(db, "rita").role == "reviewer"
