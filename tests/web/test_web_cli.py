"""`auditor users add|list` and `auditor serve`, through the real command line (typer's CliRunner)."""

from __future__ import annotations

from pathlib import Path

import pytest
from passwords import VALID_PASSWORD
from typer.testing import CliRunner

from auditor.cli import app
from auditor.db import Database
from auditor.service.accounts import authenticate


@pytest.fixture
def cli():
    """Run `auditor ARGS…` in-process, with what is typed at its prompts as `input`."""

    def run(*args: str | Path, input: str | None = None):
        return CliRunner().invoke(app, [str(a) for a in args], input=input, catch_exceptions=False)

    return run


def test_users_add_asks_the_password_twice_and_stores_an_argon2_hash(cli, tmp_path: Path) -> None:
    data = tmp_path / "data"
    done = cli(
        "users", "add", "ada", "--role", "administrator", "--data", data, input=f"{VALID_PASSWORD}\n" * 2
    )
    assert done.exit_code == 0, done.output
    assert VALID_PASSWORD not in done.output  # hidden while typed
    assert done.output.count("Password") == 1 and "Repeat for confirmation" in done.output
    db = Database(data / "auditor.sqlite3")
    with db.read() as conn:
        stored = conn.execute("SELECT password_hash FROM users WHERE name = 'ada'").fetchone()[0]
    assert stored.startswith("$argon2id$")
    assert authenticate(db, "ada", VALID_PASSWORD).role == "administrator"
    assert authenticate(db, "ada", "wrong") is None

    listed = cli("users", "list", "--data", data)
    assert listed.exit_code == 0 and "ada" in listed.output and "administrator" in listed.output


def test_users_add_refuses_mismatched_or_short_passwords_and_taken_names(cli, tmp_path: Path) -> None:
    data = tmp_path / "data"
    mismatch = cli(
        "users", "add", "ines", "--role", "inspector", "--data", data, input="one-pass1\ntwo-pass2\n"
    )
    assert mismatch.exit_code != 0
    short = cli("users", "add", "ines", "--role", "inspector", "--data", data, input="elevenchars\n" * 2)
    assert short.exit_code == 1 and "at least 12 characters" in short.output
    # 12 characters, but on zxcvbn's list of common passwords (any case); and the account's own name.
    common = cli("users", "add", "ines", "--role", "inspector", "--data", data, input="QWERTY123456\n" * 2)
    assert common.exit_code == 1 and "one of the most common passwords" in common.output
    named = cli(
        "users", "add", "ines.alvarez", "--role", "inspector", "--data", data, input="Ines.Alvarez\n" * 2
    )
    assert named.exit_code == 1 and "one of the most common passwords (or the name)" in named.output
    assert (
        cli(
            "users", "add", "ines", "--role", "inspector", "--data", data, input=f"{VALID_PASSWORD}\n" * 2
        ).exit_code
        == 0
    )
    taken = cli(
        "users", "add", "INES", "--role", "inspector", "--data", data, input=f"{VALID_PASSWORD}\n" * 2
    )
    assert taken.exit_code == 1 and "already a user" in taken.output
    role = cli("users", "add", "bob", "--role", "superuser", "--data", data, input=f"{VALID_PASSWORD}\n" * 2)
    assert role.exit_code == 2


def test_serve_documents_its_options(cli) -> None:
    done = cli("serve", "--help")
    assert done.exit_code == 0
    for option in ("--host", "--port", "--data", "--max-upload-mb", "--insecure-cookies"):
        assert option in done.output


def test_serve_refuses_insecure_cookies_on_an_address_others_reach(cli, tmp_path: Path) -> None:
    done = CliRunner().invoke(
        app, ["serve", "--host", "0.0.0.0", "--insecure-cookies", "--data", str(tmp_path / "d")]
    )
    assert done.exit_code == 2
    assert "only with a loopback --host" in done.output
    assert not (tmp_path / "d").exists()  # refused before anything is created
