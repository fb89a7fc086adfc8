"""Accounts and passwords, kept in the workspace's database (the CLI adds them, the web app signs
them in).

Passwords are stored as argon2 hashes (argon2-cffi); a wrong name takes as long to refuse as a
wrong password. A new password has at least 12 characters and is not one of the 30,000 most common
passwords of zxcvbn's list (the `zxcvbn` package, MIT licence: its `passwords` frequency list, drawn
from leaked password sets), nor the account's own name. Changing a password ends the account's
other sessions.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from auditor.db import Database, now
from auditor.service.files import is_disk_full

ROLES = ("inspector", "reviewer", "administrator")  # a reviewer reads; only the others upload
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
MIN_PASSWORD = 12
MAX_PASSWORD = 1024  # the sign-in form reads no more than this

_hasher = PasswordHasher()
# Verified when the name is unknown, so a wrong name takes as long as a wrong password.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


class AccountError(ValueError):
    """Raised when an account cannot be created as asked (bad name, role or password; name taken)."""


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: str
    csrf_token: str = ""  # the CSRF token of the session this user came in with

    @property
    def is_admin(self) -> bool:
        return self.role == "administrator"

    @property
    def can_upload(self) -> bool:
        """Inspectors (for their assigned facilities) and administrators; never a reviewer."""
        return self.role in ("inspector", "administrator")


def add_user(db: Database, name: str, role: str, password: str, *, by: str | None = None) -> User:
    if not NAME.match(name):
        raise AccountError("a user name is 1–64 letters, digits or . _ @ - (starting with a letter or digit)")
    if role not in ROLES:
        raise AccountError(f"the role must be one of: {', '.join(ROLES)}")
    check_password(name, password)
    with db.write() as conn:
        if conn.execute("SELECT 1 FROM users WHERE name = ?", (name,)).fetchone():
            raise AccountError(f"there is already a user named {name!r}")
        cursor = conn.execute(
            "INSERT INTO users (name, role, password_hash, created_at) VALUES (?, ?, ?, ?)",
            (name, role, _hasher.hash(password), now()),
        )
        db.log(conn, by, "user.add", name, f"role {role}" + ("" if by else " (command line)"))
    return User(int(cursor.lastrowid or 0), name, role)


def check_password(name: str, password: str) -> None:
    """AccountError when `password` may not be set for the account `name`: too short or too common."""
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"the password must have at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise AccountError(f"the password must have at most {MAX_PASSWORD} characters")
    lowered = password.strip().lower()
    if lowered == name.lower() or lowered in _common_passwords():
        raise AccountError("that password is one of the most common passwords (or the name): choose another")


@cache
def _common_passwords() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS  # 0.03 s: only when a password is set

    return frozenset(FREQUENCY_LISTS["passwords"])


def set_password(db: Database, name: str, password: str, *, by: str | None, keep: str | None = None) -> int:
    """Give the account a new password and end its sessions but the one whose token hash is `keep`
    (the session that changed it); returns how many sessions ended. AccountError if refused."""
    check_password(name, password)
    with db.write() as conn:
        row = conn.execute("SELECT id, name FROM users WHERE name = ?", (name,)).fetchone()
        if row is None:
            raise AccountError(f"there is no user named {name!r}")
        conn.execute(  # a disabled account (hash marked "!": auditor.service.account_admin) stays disabled
            "UPDATE users SET password_hash = CASE WHEN password_hash LIKE '!%' THEN '!' || ?1 ELSE ?1 END"
            " WHERE id = ?2",
            (_hasher.hash(password), row["id"]),
        )
        ended = conn.execute(
            "DELETE FROM sessions WHERE user_id = ? AND token_hash IS NOT ?", (row["id"], keep)
        ).rowcount
        others = "other " if keep else ""
        detail = f"{ended} {others}session{'s' * (ended != 1)} ended" + ("" if by else " (command line)")
        db.log(conn, by, "user.password", row["name"], detail)
    return int(ended)


def list_users(db: Database) -> list[dict[str, str]]:
    with db.read() as conn:
        rows = conn.execute("SELECT name, role, created_at FROM users ORDER BY name").fetchall()
    return [dict(row) for row in rows]


def authenticate(db: Database, name: str, password: str) -> User | None:
    with db.read() as conn:
        row = conn.execute(
            "SELECT id, name, role, password_hash FROM users WHERE name = ?", (name,)
        ).fetchone()
    disabled = row is not None and row["password_hash"].startswith("!")  # as long to refuse as a wrong one
    try:
        _hasher.verify(_DUMMY_HASH if row is None or disabled else row["password_hash"], password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    if row is None or disabled:
        return None
    if _hasher.check_needs_rehash(row["password_hash"]):
        try:
            with db.write() as conn:
                conn.execute(
                    "UPDATE users SET password_hash = ? WHERE id = ?", (_hasher.hash(password), row["id"])
                )
        except Exception as exc:  # the old hash still verifies: rehash at a later sign-in
            if not is_disk_full(exc):
                raise
    return User(row["id"], row["name"], row["role"])


def user_named(db: Database, name: str) -> User | None:
    """The account of this name (for work done from the command line in its name), or None."""
    with db.read() as conn:
        row = conn.execute("SELECT id, name, role FROM users WHERE name = ?", (name,)).fetchone()
    return User(row["id"], row["name"], row["role"]) if row else None
