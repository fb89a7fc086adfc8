"""Slow clients (slowloris) against the real server `auditor serve` runs: uvicorn with
auditor.web.server's protocol, on 127.0.0.1 on a free port, with deadlines of a second or so.

Headers sent a byte at a time, a connection that sends nothing, and a body trickled below the
minimum rate are each cut off, while another client is served all along."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest

from auditor.web.server import server

HEADER_TIMEOUT = 1.0
BODY_IDLE = 1.0
MIN_RATE = 2000  # bytes a second


@pytest.fixture
def live(make_app) -> Iterator[tuple[str, int]]:
    app = make_app(header_timeout=HEADER_TIMEOUT, body_idle_seconds=BODY_IDLE, min_body_rate=MIN_RATE)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    running = server(app, app.state.web.settings, "127.0.0.1", port, log_level="warning")
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not running.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the server did not start"
        time.sleep(0.05)
    yield "127.0.0.1", port
    running.should_exit = True
    thread.join(10)
    assert not thread.is_alive(), "the server did not stop"


def _read_until_closed(sock: socket.socket, limit: float) -> tuple[bytes, float]:
    """Everything the server sends until it closes the connection; (bytes, seconds it took)."""
    sock.settimeout(limit)
    start, got = time.monotonic(), b""
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            return got, time.monotonic() - start
        got += chunk


def _served(host: str, port: int) -> float:
    """Seconds a normal client waits for the sign-in page (asserting it gets it)."""
    start = time.monotonic()
    answer = httpx.get(f"http://{host}:{port}/login", timeout=5)
    assert answer.status_code == 200 and "Sign in" in answer.text
    return time.monotonic() - start


def test_headers_sent_a_byte_at_a_time_are_cut_off(live) -> None:
    host, port = live
    request = b"GET /login HTTP/1.1\r\nHost: x\r\nUser-Agent: slow" + b"w" * 200
    with socket.create_connection((host, port)) as sock:
        start = time.monotonic()
        sent = 0
        try:
            for byte in request:  # one byte every 0.2 s: 40 s for the whole request, never sent
                sock.sendall(bytes([byte]))
                sent += 1
                if sent % 5 == 0:
                    assert _served(host, port) < 1.0  # others are served meanwhile
                time.sleep(0.2)
                if time.monotonic() - start > 5:
                    break
        except (BrokenPipeError, ConnectionResetError):
            pass
        answer, _ = _read_until_closed(sock, 5)
        cut_after = time.monotonic() - start
    assert answer.startswith(b"HTTP/1.1 408 "), answer
    assert HEADER_TIMEOUT <= cut_after < HEADER_TIMEOUT + 1.5, cut_after
    assert sent < len(request)


def test_a_connection_that_sends_nothing_is_closed(live) -> None:
    host, port = live
    with socket.create_connection((host, port)) as sock:
        answer, seconds = _read_until_closed(sock, 5)
    assert answer.startswith(b"HTTP/1.1 408 ")
    assert HEADER_TIMEOUT - 0.1 <= seconds < HEADER_TIMEOUT + 1.5, seconds


def test_a_body_slower_than_the_minimum_rate_is_cut_off(live) -> None:
    host, port = live
    body = b"name=ines&password=" + b"x" * 500
    head = (
        f"POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode()
    with socket.create_connection((host, port)) as sock:
        sock.sendall(head)
        start = time.monotonic()
        try:
            for i in range(0, len(body), 10):  # 10 bytes every 0.1 s: 100 bytes/s, under 2000
                sock.sendall(body[i : i + 10])
                time.sleep(0.1)
                if time.monotonic() - start > 4:
                    break
        except (BrokenPipeError, ConnectionResetError):
            pass
        answer, _ = _read_until_closed(sock, 5)
        cut_after = time.monotonic() - start
    assert answer.startswith(b"HTTP/1.1 408 "), answer[:200]
    assert b"connection: close" in answer.lower()
    assert b"came too slowly" in answer
    assert BODY_IDLE <= cut_after < BODY_IDLE + 2, cut_after
    assert _served(host, port) < 1.0


def test_a_body_that_stops_is_cut_off_and_a_normal_one_is_not(live) -> None:
    host, port = live
    head = (
        b"POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        b"Content-Length: 1000\r\n\r\nname=ines"
    )
    with socket.create_connection((host, port)) as sock:
        sock.sendall(head)
        answer, seconds = _read_until_closed(sock, 5)
    assert answer.startswith(b"HTTP/1.1 408 ")
    assert BODY_IDLE - 0.1 <= seconds < BODY_IDLE + 1.5, seconds
    # A whole form sent at once is read as usual (403: the sign-in form's token is missing).
    quick = httpx.post(f"http://{host}:{port}/login", data={"name": "ines", "password": "x"}, timeout=5)
    assert quick.status_code == 403 and "expired" in quick.text


def test_headers_over_the_size_limit_are_refused(live) -> None:
    """h11 refuses headers that pass max_header_bytes while incomplete (what one read brings at once
    is parsed whole: the buffer is bounded by that read, 256 KB at most)."""
    host, port = live
    with socket.create_connection((host, port)) as sock:
        start = time.monotonic()
        try:
            sock.sendall(b"GET /login HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * (1024 * 1024))
            answer, _ = _read_until_closed(sock, 5)
        except (BrokenPipeError, ConnectionResetError):
            answer = b""  # the server answered and closed while the rest was still being sent
        seconds = time.monotonic() - start
    # Refused as too large, not left waiting for the header deadline (which answers 408).
    assert answer == b"" or answer.startswith(b"HTTP/1.1 400 "), answer[:100]
    assert seconds < HEADER_TIMEOUT, seconds
    assert _served(host, port) < 1.0


def test_many_idle_connections_are_all_closed_and_others_served_meanwhile(live) -> None:
    host, port = live
    idle = [socket.create_connection((host, port)) for _ in range(200)]
    try:
        for sock in idle[::2]:
            sock.sendall(b"GET / HTTP/1.1\r\n")  # half of them start a request and stop there
        assert _served(host, port) < 1.0
        time.sleep(HEADER_TIMEOUT + 0.5)
        for sock in idle:
            answer, _ = _read_until_closed(sock, 2)
            assert answer.startswith(b"HTTP/1.1 408 ")
    finally:
        for sock in idle:
            sock.close()
    assert _served(host, port) < 1.0
