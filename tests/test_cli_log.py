"""`auditor log` and `auditor users passwd`: the entries a scripted command-line session leaves, read
back whole and through each filter, and one-line errors for filters that cannot be used."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from builders import InspectionBuilder
from passwords import VALID_PASSWORD
from typer.testing import CliRunner

from auditor.cli import app
from auditor.db import Database
from auditor.service.accounts import authenticate


def _run(*args: str | Path, input: str | None = None):
    return CliRunner().invoke(app, [str(a) for a in args], input=input, catch_exceptions=False)


def _log(data: Path, *filters: str) -> list[tuple]:
    done = _run("log", "--data", data, "--format", "json", *filters)
    assert done.exit_code == 0, done.output
    return [
        (e["user_name"], e["action"], e["target"], e["facility_id"], e["inspection_id"], e["address"])
        for e in json.loads(done.stdout)["entries"]
    ]


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder: ada added, a workbook audited into it as hers, her password changed."""
    folder = tmp_path_factory.mktemp("cli-log")
    data = folder / "data"
    added = _run(
        "users", "add", "ada", "--role", "administrator", "--data", data, input=f"{VALID_PASSWORD}\n" * 2
    )
    assert added.exit_code == 0, added.output
    workbook = InspectionBuilder().with_valid_sheets().xlsx(folder / "small.xlsx")
    audited = _run("audit", workbook, "--data", data, "--as", "ada")
    assert audited.exit_code == 0, audited.output
    changed = _run("users", "passwd", "ada", "--data", data, input="a new and longer passphrase\n" * 2)
    assert changed.exit_code == 0 and "Changed the password of 'ada'; 0 sessions ended." in changed.stdout
    return data


SMALL = ("ATL-SPC-0001", "INSP-2026-0001")


def test_every_action_of_the_session_newest_first(session: Path) -> None:
    assert _log(session) == [
        (None, "user.password", "ada", None, None, None),  # from the command line: no one signed in
        ("ada", "upload.audited", "upload 1", *SMALL, None),
        ("ada", "upload.store", "upload 1", None, None, None),
        (None, "user.add", "ada", None, None, None),
    ]
    db = Database(session / "auditor.sqlite3")
    assert authenticate(db, "ada", "a new and longer passphrase") is not None
    assert authenticate(db, "ada", VALID_PASSWORD) is None


def test_each_filter_keeps_only_its_entries(session: Path) -> None:
    assert [e[1] for e in _log(session, "--facility", "ATL-SPC-0001")] == ["upload.audited"]
    assert [e[1] for e in _log(session, "--user", "ADA")] == ["upload.audited", "upload.store"]
    assert _log(session, "--since", "2000-01-01", "--until", "2000-12-31") == []
    assert len(_log(session, "--since", "2000-01-01", "--until", "2999-12-31")) == 4
    assert [e[1] for e in _log(session, "--limit", "1")] == ["user.password"]


def test_the_text_form_says_what_happened_in_words(session: Path) -> None:
    done = _run("log", "--data", session, "--user", "ada")
    assert done.exit_code == 0
    assert done.stdout.startswith(f"2 entries of the action log of {session}")
    assert "audited" in done.stdout and "uploaded" in done.stdout and "upload.store" not in done.stdout


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("--since", "yesterday"), 2, "error: since: 'yesterday' is not a date (YYYY-MM-DD)"),
        (("--until", "2026-02-30"), 2, "error: until: '2026-02-30' is not a date (YYYY-MM-DD)"),
        (("--since", "2026-03-02", "--until", "2026-03-01"), 2, "error: since 2026-03-02 is after until"),
        (("--facility", "../etc"), 2, "error: facility: "),
        (("--limit", "0"), 2, "Invalid value for '--limit'"),
    ],
)
def test_unusable_filters_are_one_line_errors(session: Path, args, code: int, message: str) -> None:
    done = CliRunner().invoke(app, ["log", "--data", str(session), *args])
    assert done.exit_code == code
    assert message in done.output
    assert "Traceback" not in done.output


def test_a_folder_without_a_database_is_an_error_not_a_new_folder(tmp_path: Path) -> None:
    done = _run("log", "--data", tmp_path / "none")
    assert done.exit_code == 1 and "error: no web app data in" in done.output
    assert not (tmp_path / "none").exists()


def test_passwd_refuses_a_common_or_short_password_and_an_unknown_account(session: Path) -> None:
    common = _run("users", "passwd", "ada", "--data", session, input="password1234\n" * 2)
    assert common.exit_code == 1 and "one of the most common passwords" in common.output
    short = _run("users", "passwd", "ada", "--data", session, input="short\n" * 2)
    assert short.exit_code == 1 and "at least 12 characters" in short.output
    nobody = _run("users", "passwd", "nobody", "--data", session, input=f"{VALID_PASSWORD}\n" * 2)
    assert nobody.exit_code == 1 and "there is no user named 'nobody'" in nobody.output
    assert _log(session)[0][1] == "user.password"  # none of the refusals changed anything
    assert len(_log(session)) == 4
