"""Signing in, throttled: failed attempts per account and per client address slow a guesser down.

A failure is a row of `sign_in_failures` (migration 3), so every worker and process serving one
data folder counts the same ones. When an account, or an address, has `Limits` failures within the
window, further attempts are refused (429 with Retry-After) without checking the password, until
the oldest of those failures leaves the window. A successful sign-in clears its account's count,
never its addresses' (an attacker who owns one account must not be able to reset the address that
guesses another's). Refused attempts are not counted and not logged one by one: the failure that
reaches a limit says so in the action log, so a flood cannot grow the log without bound.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from dataclasses import dataclass

from auditor.db import Database, now
from auditor.service import action_log
from auditor.service.accounts import User, authenticate
from auditor.service.files import is_disk_full

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limits:
    """How many failures, within how long, before sign-ins are refused (docs/security.md)."""

    account_failures: int = 5
    address_failures: int = 20
    window_minutes: float = 15.0


class Throttled(Exception):
    """Raised instead of checking a password: too many recent failures for the account or address."""

    def __init__(self, retry_after: int, whose: str) -> None:
        minutes = math.ceil(retry_after / 60)
        super().__init__(
            f"too many failed sign-ins for this {whose}: try again in {minutes} minute{'s' * (minutes != 1)}"
        )
        self.retry_after = retry_after


def sign_in(db: Database, name: str, password: str, address: str, limits: Limits = Limits()) -> User | None:
    """The account, when the password is right; None when wrong; Throttled when too many failed."""
    name, address = name[:64], (address or "unknown")[:64]
    _refuse_if_throttled(db, name, address, limits)
    user = authenticate(db, name, password)
    try:
        with db.write() as conn:
            if user is not None:
                # The failures stop being the account's ('' is no account's name) and go on
                # counting for their addresses.
                conn.execute("UPDATE sign_in_failures SET account = '' WHERE account = ?", (name,))
                return user
            conn.execute("DELETE FROM sign_in_failures WHERE at <= ?", (_since(limits),))
            conn.execute(
                "INSERT INTO sign_in_failures (at, account, address) VALUES (?, ?, ?)", (now(), name, address)
            )
            detail = "wrong user name or password" + _reached(conn, name, address, limits)
            action_log.record(db, name, "signin.failed", name, detail, address=address, conn=conn)
    except Exception as exc:  # a full disk: the failure is not counted, the answer is the same
        if not is_disk_full(exc):
            raise
        log.warning("disk full: a failed sign-in of %r from %s was not counted", name, address)
    return user


def _refuse_if_throttled(db: Database, name: str, address: str, limits: Limits) -> None:
    with db.read() as conn:
        for column, value, limit, whose in (
            ("account", name or None, limits.account_failures, "account"),
            ("address", address, limits.address_failures, "address"),
        ):
            # The limit-th most recent failure: once it leaves the window, fewer than `limit` remain.
            row = conn.execute(
                f"SELECT at FROM sign_in_failures WHERE {column} = ? AND at > ? ORDER BY at DESC"
                " LIMIT 1 OFFSET ?",
                (value, _since(limits), max(limit, 1) - 1),
            ).fetchone()
            if row is not None:
                ends = _instant(row["at"]) + dt.timedelta(minutes=limits.window_minutes)
                wait = math.ceil((ends - dt.datetime.now(dt.UTC)).total_seconds())
                raise Throttled(max(wait, 1), whose)


def _reached(conn, name: str, address: str, limits: Limits) -> str:
    """Words for the log when this failure made the account or the address reach its limit."""
    since = _since(limits)
    said = ""
    for column, value, limit, whose in (
        ("account", name, limits.account_failures, "account"),
        ("address", address, limits.address_failures, "address"),
    ):
        count = conn.execute(
            f"SELECT COUNT(*) FROM sign_in_failures WHERE {column} = ? AND at > ?", (value, since)
        ).fetchone()[0]
        if count == limit:
            said += (
                f"; {limit} failures in {limits.window_minutes:g} minutes: this {whose}'s sign-ins are"
                f" refused for {limits.window_minutes:g} minutes"
            )
    return said


def _since(limits: Limits) -> str:
    start = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=limits.window_minutes)
    return start.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _instant(stored: str) -> dt.datetime:
    return dt.datetime.fromisoformat(stored.replace("Z", "+00:00"))
