"""Accounts, passwords and sessions.

Passwords are stored as argon2 hashes (argon2-cffi). A session is a random token held in an
HttpOnly cookie; the database keeps only its SHA-256, with the session's CSRF token and expiry.

Signing in must not depend on a disk with room: when the database cannot be written (a full disk),
a session is kept in memory (SpareSessions) until the server restarts, and a sign-out that cannot be
written is remembered there as revoked.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import re
import secrets
import threading
from dataclasses import dataclass, field

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from auditor.web.db import Database, now
from auditor.web.errors import is_disk_full

log = logging.getLogger(__name__)

ROLES = ("inspector", "administrator")
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
MIN_PASSWORD = 8

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


@dataclass
class SpareSessions:
    """Sessions started, and sessions ended, while the database could not be written (a full disk)."""

    active: dict[str, tuple[User, str]] = field(default_factory=dict)  # token hash → (user, expires)
    revoked: set[str] = field(default_factory=set)  # token hashes signed out but still in the database
    lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self, token_hash: str, user: User, expires: str) -> None:
        with self.lock:
            at = now()
            for expired in [key for key, (_, until) in self.active.items() if until <= at]:
                del self.active[expired]
            self.active[token_hash] = (user, expires)

    def user(self, token_hash: str) -> User | None:
        """The user of a spare session; raises _Revoked for a session signed out on a full disk."""
        with self.lock:
            if token_hash in self.revoked:
                raise _Revoked
            found = self.active.get(token_hash)
        return found[0] if found and found[1] > now() else None

    def end(self, token_hash: str, written: bool) -> None:
        with self.lock:
            self.active.pop(token_hash, None)
            if not written:
                self.revoked.add(token_hash)


class _Revoked(Exception):
    pass


def add_user(db: Database, name: str, role: str, password: str) -> User:
    if not NAME.match(name):
        raise AccountError("a user name is 1–64 letters, digits or . _ @ - (starting with a letter or digit)")
    if role not in ROLES:
        raise AccountError(f"the role must be one of: {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"the password must have at least {MIN_PASSWORD} characters")
    with db.write() as conn:
        if conn.execute("SELECT 1 FROM users WHERE name = ?", (name,)).fetchone():
            raise AccountError(f"there is already a user named {name!r}")
        cursor = conn.execute(
            "INSERT INTO users (name, role, password_hash, created_at) VALUES (?, ?, ?, ?)",
            (name, role, _hasher.hash(password), now()),
        )
        db.log(conn, None, "user.add", name, f"role {role} (command line)")
    return User(int(cursor.lastrowid or 0), name, role)


def list_users(db: Database) -> list[dict[str, str]]:
    with db.read() as conn:
        rows = conn.execute("SELECT name, role, created_at FROM users ORDER BY name").fetchall()
    return [dict(row) for row in rows]


def authenticate(db: Database, name: str, password: str) -> User | None:
    with db.read() as conn:
        row = conn.execute(
            "SELECT id, name, role, password_hash FROM users WHERE name = ?", (name,)
        ).fetchone()
    try:
        _hasher.verify(row["password_hash"] if row else _DUMMY_HASH, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    if row is None:
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


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(
    db: Database, user: User, hours: float, spare: SpareSessions | None = None
) -> tuple[str, User]:
    """A new session for the user; returns the cookie value and the user with its CSRF token.
    With `spare`, a database that cannot be written (a full disk) keeps the session in memory."""
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    expires = (
        (dt.datetime.now(dt.UTC) + dt.timedelta(hours=hours))
        .replace(microsecond=0)
        .isoformat()
        .replace("+00:00", "Z")
    )
    signed_in = User(user.id, user.name, user.role, csrf)
    try:
        with db.write() as conn:
            conn.execute("DELETE FROM sessions WHERE expires_at < ?", (now(),))
            conn.execute(
                "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (_token_hash(token), user.id, csrf, now(), expires),
            )
            db.log(conn, user.name, "session.start", user.name)
    except Exception as exc:
        if spare is None or not is_disk_full(exc):
            raise
        log.warning("disk full: %s signed in with a session kept in memory until restart", user.name)
        spare.start(_token_hash(token), signed_in, expires)
    return token, signed_in


def session_user(db: Database, token: str | None, spare: SpareSessions | None = None) -> User | None:
    if not token:
        return None
    if spare is not None:
        try:
            found = spare.user(_token_hash(token))
        except _Revoked:
            return None
        if found is not None:
            return found
    with db.read() as conn:
        row = conn.execute(
            "SELECT users.id, users.name, users.role, sessions.csrf_token FROM sessions "
            "JOIN users ON users.id = sessions.user_id WHERE token_hash = ? AND expires_at > ?",
            (_token_hash(token), now()),
        ).fetchone()
    return User(row["id"], row["name"], row["role"], row["csrf_token"]) if row else None


def end_session(db: Database, token: str | None, spare: SpareSessions | None = None) -> None:
    """End a session; with `spare`, one that cannot be deleted (a full disk) is refused from now on."""
    if not token:
        return
    written = True
    try:
        with db.write() as conn:
            conn.execute("DELETE FROM sessions WHERE token_hash = ?", (_token_hash(token),))
    except Exception as exc:
        if spare is None or not is_disk_full(exc):
            raise
        written = False
    if spare is not None:
        spare.end(_token_hash(token), written)


def same_token(given: str | None, expected: str | None) -> bool:
    """Constant-time comparison of a CSRF token; an empty token never matches."""
    return bool(given) and bool(expected) and hmac.compare_digest(str(given), str(expected))
