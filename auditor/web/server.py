"""The HTTP server `auditor serve` runs: uvicorn over h11, with the limits uvicorn lacks.

uvicorn closes a connection idle between requests (keep-alive timeout) but waits for ever for a
request's headers: a client that opens connections and sends its headers one byte every few
seconds (slowloris) holds them all. TimedH11Protocol gives the request line and headers
`header_timeout` seconds from their first byte (or from the connection), then answers 408 and
closes. Slow bodies are the app's part (auditor.web.middleware.BodyDeadline).
"""

from __future__ import annotations

import asyncio
import ipaddress

import h11
import uvicorn
from fastapi import FastAPI
from uvicorn.protocols.http.h11_impl import H11Protocol

from auditor.web.settings import Settings

_TIMEOUT_TEXT = b"the request headers came too slowly\n"
TIMEOUT_ANSWER = (
    b"HTTP/1.1 408 Request Timeout\r\ncontent-type: text/plain; charset=utf-8\r\nconnection: close\r\n"
    b"content-length: " + str(len(_TIMEOUT_TEXT)).encode() + b"\r\n\r\n" + _TIMEOUT_TEXT
)


class TimedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a deadline on each request's line and headers."""

    header_timeout = 10.0  # set per server by protocol_class

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        self._header_timer: asyncio.TimerHandle | None = None
        super().connection_made(transport)
        self._arm()  # a connection that never sends a byte is cut off too

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self._arm()  # part of a request line or headers: the deadline runs from its first byte
        else:
            self._disarm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def on_response_complete(self) -> None:
        self._disarm()  # between requests, uvicorn's keep-alive timeout applies
        super().on_response_complete()

    def _arm(self) -> None:
        if self._header_timer is None:
            self._header_timer = self.loop.call_later(self.header_timeout, self._headers_too_slow)

    def _disarm(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self.transport.write(TIMEOUT_ANSWER)
            self.transport.close()


def protocol_class(header_timeout: float) -> type[TimedH11Protocol]:
    return type("TimedH11Protocol", (TimedH11Protocol,), {"header_timeout": header_timeout})


def is_loopback(host: str) -> bool:
    """True for an address only this machine can reach (127.0.0.0/8, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def server(app: FastAPI, settings: Settings, host: str, port: int, log_level: str = "info") -> uvicorn.Server:
    """A uvicorn server for `app` with the settings' timeouts and limits (not yet started)."""
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        http=protocol_class(settings.header_timeout),
        ws="none",
        lifespan="on",
        timeout_keep_alive=max(1, round(settings.keep_alive_seconds)),
        h11_max_incomplete_event_size=settings.max_header_bytes,
        limit_concurrency=settings.max_connections,
        log_level=log_level,
        server_header=False,
    )
    return uvicorn.Server(config)
