"""Sessions: the web app's sign-in (accounts and passwords are auditor.service.accounts).

A session is a random token held in an HttpOnly cookie; the database keeps only its SHA-256,
with the session's CSRF token, its expiry and its last use: a session unused for the idle time
(Settings.session_idle_minutes) has ended, whatever its expiry. Its last use is written at most once
a minute, so reading pages does not write the database on every request.

Signing in must not depend on a disk with room: when the database cannot be written (a full disk),
a session is kept in memory (SpareSessions) until the server restarts, and a sign-out that cannot be
written is remembered there as revoked.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import secrets
import threading
from dataclasses import dataclass, field

from auditor.db import Database, now
from auditor.service import action_log
from auditor.service.accounts import User
from auditor.service.files import is_disk_full

log = logging.getLogger(__name__)
SEEN_EVERY = dt.timedelta(minutes=1)  # how stale a session's last use may be before it is written again


@dataclass
class SpareSessions:
    """Sessions started, and sessions ended, while the database could not be written (a full disk)."""

    # token hash → (user, expires, last used): idle ones end as the database's do
    active: dict[str, tuple[User, str, str]] = field(default_factory=dict)
    revoked: set[str] = field(default_factory=set)  # token hashes signed out but still in the database
    lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self, token_hash: str, user: User, expires: str) -> None:
        with self.lock:
            at = now()
            for expired in [key for key, (_, until, _) in self.active.items() if until <= at]:
                del self.active[expired]
            self.active[token_hash] = (user, expires, at)

    def user(self, token_hash: str, idle_minutes: float = 30.0) -> User | None:
        """The user of a live spare session (unexpired, used within `idle_minutes`); raises _Revoked
        for a session signed out on a full disk."""
        with self.lock:
            if token_hash in self.revoked:
                raise _Revoked
            found = self.active.get(token_hash)
            at = dt.datetime.now(dt.UTC)
            if found is None or found[1] <= _stamp(at):
                return None
            if found[2] <= _stamp(at - dt.timedelta(minutes=idle_minutes)):
                del self.active[token_hash]
                return None
            self.active[token_hash] = (found[0], found[1], _stamp(at))
        return found[0]

    def end(self, token_hash: str, written: bool) -> None:
        with self.lock:
            self.active.pop(token_hash, None)
            if not written:
                self.revoked.add(token_hash)


class _Revoked(Exception):
    pass


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_hash(token: str | None) -> str | None:
    """What the database keeps of a session token (None for no token): to name a session."""
    return _token_hash(token) if token else None


def _stamp(at: dt.datetime) -> str:
    return at.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def start_session(
    db: Database, user: User, hours: float, spare: SpareSessions | None = None, idle_minutes: float = 30.0
) -> tuple[str, User]:
    """A new session for the user; returns the cookie value and the user with its CSRF token.
    With `spare`, a database that cannot be written (a full disk) keeps the session in memory."""
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    at = dt.datetime.now(dt.UTC)
    expires = _stamp(at + dt.timedelta(hours=hours))
    signed_in = User(user.id, user.name, user.role, csrf)
    try:
        with db.write() as conn:
            conn.execute(
                "DELETE FROM sessions WHERE expires_at < ? OR seen_at < ?",
                (_stamp(at), _stamp(at - dt.timedelta(minutes=idle_minutes))),
            )
            conn.execute(
                "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at, seen_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (_token_hash(token), user.id, csrf, _stamp(at), expires, _stamp(at)),
            )
            action_log.record(db, user.name, "signin", user.name, conn=conn)
    except Exception as exc:
        if spare is None or not is_disk_full(exc):
            raise
        log.warning("disk full: %s signed in with a session kept in memory until restart", user.name)
        spare.start(_token_hash(token), signed_in, expires)
    return token, signed_in


def session_user(
    db: Database, token: str | None, spare: SpareSessions | None = None, idle_minutes: float = 30.0
) -> User | None:
    """The user of a live session: not expired, and used within the last `idle_minutes`."""
    if not token:
        return None
    if spare is not None:
        try:
            found = spare.user(_token_hash(token), idle_minutes)
        except _Revoked:
            return None
        if found is not None:
            return found
    at = dt.datetime.now(dt.UTC)
    with db.read() as conn:
        row = conn.execute(
            "SELECT users.id, users.name, users.role, sessions.csrf_token, sessions.seen_at FROM sessions"
            " JOIN users ON users.id = sessions.user_id"
            " WHERE token_hash = ? AND expires_at > ? AND seen_at > ?",
            (_token_hash(token), _stamp(at), _stamp(at - dt.timedelta(minutes=idle_minutes))),
        ).fetchone()
    if row is None:
        return None
    if row["seen_at"] < _stamp(at - SEEN_EVERY):
        _seen(db, _token_hash(token), _stamp(at))
    return User(row["id"], row["name"], row["role"], row["csrf_token"])


def _seen(db: Database, token_hash: str, at: str) -> None:
    try:
        with db.write() as conn:
            conn.execute("UPDATE sessions SET seen_at = ? WHERE token_hash = ?", (at, token_hash))
    except Exception as exc:  # a full disk: the session may end early, reading goes on
        if not is_disk_full(exc):
            raise


def end_session(
    db: Database, token: str | None, spare: SpareSessions | None = None, user: User | None = None
) -> None:
    """End a session (`user`: a sign-out, logged); with `spare`, one that cannot be deleted (a full
    disk) is refused from now on."""
    if not token:
        return
    written = True
    try:
        with db.write() as conn:
            ended = conn.execute("DELETE FROM sessions WHERE token_hash = ?", (_token_hash(token),)).rowcount
            if user is not None and ended:
                action_log.record(db, user.name, "signout", user.name, conn=conn)
    except Exception as exc:
        if spare is None or not is_disk_full(exc):
            raise
        written = False
    if spare is not None:
        spare.end(_token_hash(token), written)


def same_token(given: str | None, expected: str | None) -> bool:
    """Constant-time comparison of a CSRF token; an empty token never matches."""
    return bool(given) and bool(expected) and hmac.compare_digest(str(given), str(expected))
