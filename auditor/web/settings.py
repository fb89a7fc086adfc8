"""The web app's settings: one frozen value, built by `auditor serve` or by a test."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from auditor.service.signin import Limits

MB = 1024 * 1024


@dataclass(frozen=True)
class Settings:
    """Every limit the web app enforces, with its default (docs/security.md lists them)."""

    data_dir: Path
    max_upload_bytes: int = 50 * MB
    # The Secure flag on cookies: browsers then send them over HTTPS only. `auditor serve
    # --insecure-cookies` turns it off, for plain http on this machine (127.0.0.1) only.
    secure_cookies: bool = True
    workers: int = 2  # uploads validated and audited at once
    wait_seconds: float = 30.0  # how long an upload request waits for its audit before answering
    session_hours: float = 12.0
    session_idle_minutes: float = 30.0  # a session unused this long has ended
    # Sign-in throttling (auditor.service.signin): this many failures within the window, for one
    # account or from one client address, and sign-ins there are refused (429) until the oldest leaves it.
    signin_account_failures: int = 5
    signin_address_failures: int = 20
    signin_window_minutes: float = 15.0
    # Slow clients (slowloris): a request's line and headers must arrive within header_timeout
    # seconds of its first byte (or of the connection); its body must keep coming, no pause over
    # body_idle_seconds and, past that time, at least min_body_rate bytes a second on average.
    header_timeout: float = 10.0
    body_idle_seconds: float = 20.0
    min_body_rate: int = 1024
    keep_alive_seconds: float = 5.0  # an idle connection between requests is closed after this
    # Request line and headers together, checked by h11 while they are incomplete (what one read
    # brings whole, up to 256 KB, is parsed as it is): past it, 400 and the connection closed.
    max_header_bytes: int = 16 * 1024
    max_connections: int = 1000  # beyond this many at once, requests are answered 503

    @property
    def signin_limits(self) -> Limits:
        return Limits(self.signin_account_failures, self.signin_address_failures, self.signin_window_minutes)
