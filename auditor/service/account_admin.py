"""Accounts managed by an administrator in the web app: list, add, change a role, reset a password,
disable and enable. Every change is an entry of the action log, in the administrator's name.

A disabled account keeps its row (its uploads, waivers and log entries still name it) and its
password hash, marked with a leading "!" as a locked Unix password is: no argon2 hash starts
with "!", so the mark needs no new column, sign-in refuses it (auditor.service.accounts), and
enabling restores the same password. Disabling ends the account's sessions.

A reset by an administrator ends every session of the account; the person is not forced to change
the password they were given (the administrator tells them to, on the Your account page), because
a forced change needs a state of its own in the database which no migration gives yet.

No change may leave the workspace without an enabled administrator, and an administrator does
not disable or demote themselves here (another administrator does, or the command line).
"""

from __future__ import annotations

from typing import Any

from auditor.db import Database
from auditor.service.accounts import ROLES, AccountError, User, add_user, set_password

DISABLED_MARK = "!"


def accounts(db: Database) -> list[dict[str, Any]]:
    """Every account, by name: role, created, disabled, and its last sign-in (from the action log)."""
    with db.read() as conn:
        rows = conn.execute(
            "SELECT users.name, users.role, users.created_at,"
            " substr(users.password_hash, 1, 1) = '!' AS disabled,"
            " (SELECT max(at) FROM audit_log WHERE audit_log.user_name = users.name COLLATE NOCASE"
            "  AND audit_log.action IN ('signin', 'session.start')) AS last_signin"
            " FROM users ORDER BY users.name COLLATE NOCASE"
        ).fetchall()
    return [{**dict(row), "disabled": bool(row["disabled"])} for row in rows]


def create_account(db: Database, by: User, name: str, role: str, password: str) -> User:
    """A new account, logged as added by the administrator `by`. AccountError when refused."""
    return add_user(db, name.strip(), role, password, by=by.name)


def change_role(db: Database, by: User, name: str, role: str) -> str:
    """Give the account `name` another role; returns its previous one. The role is read on every
    request, so it holds from the account's next page on."""
    if role not in ROLES:
        raise AccountError(f"the role must be one of: {', '.join(ROLES)}")
    with db.write() as conn:
        row = _account(conn, name)
        if row["role"] == role:
            raise AccountError(f"{row['name']} is already {_article(role)}")
        if row["role"] == "administrator":
            _keep_an_administrator(conn, by, row, "demote")
        conn.execute("UPDATE users SET role = ? WHERE id = ?", (role, row["id"]))
        db.log(conn, by.name, "user.role", row["name"], f"{row['role']} → {role}")
    return str(row["role"])


def reset_password(db: Database, by: User, name: str, password: str) -> int:
    """Set the account's password (by the same rules as every password) and end all its sessions;
    returns how many ended. One's own password is changed on the Your account page instead."""
    if name.casefold() == by.name.casefold():
        raise AccountError("change your own password on the Your account page (it asks for the current one)")
    return set_password(db, name, password, by=by.name)


def set_disabled(db: Database, by: User, name: str, disabled: bool) -> None:
    """Disable (sign-in refused, sessions ended) or enable an account. AccountError when refused."""
    with db.write() as conn:
        row = _account(conn, name)
        is_disabled = row["password_hash"].startswith(DISABLED_MARK)
        if is_disabled == disabled:
            raise AccountError(f"{row['name']} is already {'disabled' if disabled else 'enabled'}")
        if disabled:
            if row["role"] == "administrator":
                _keep_an_administrator(conn, by, row, "disable")
            conn.execute(
                "UPDATE users SET password_hash = ? || password_hash WHERE id = ?", (DISABLED_MARK, row["id"])
            )
            ended = conn.execute("DELETE FROM sessions WHERE user_id = ?", (row["id"],)).rowcount
            detail = f"{ended} session{'s' * (ended != 1)} ended"
        else:
            conn.execute(
                "UPDATE users SET password_hash = substr(password_hash, 2) WHERE id = ?", (row["id"],)
            )
            detail = ""
        db.log(conn, by.name, "user.disable" if disabled else "user.enable", row["name"], detail)


def _account(conn: Any, name: str) -> Any:
    row = conn.execute("SELECT id, name, role, password_hash FROM users WHERE name = ?", (name,)).fetchone()
    if row is None:
        raise AccountError(f"there is no user named {name[:64]!r}")
    return row


def _keep_an_administrator(conn: Any, by: User, row: Any, verb: str) -> None:
    if row["id"] == by.id:
        raise AccountError(f"you cannot {verb} yourself: another administrator can")
    (others,) = conn.execute(
        "SELECT count(*) FROM users WHERE role = 'administrator' AND id != ?"
        " AND substr(password_hash, 1, 1) != '!'",
        (row["id"],),
    ).fetchone()
    if not others:
        raise AccountError(f"{row['name']} is the last enabled administrator")


def _article(role: str) -> str:
    return f"{'an' if role[0] in 'aeiou' else 'a'} {role}"
