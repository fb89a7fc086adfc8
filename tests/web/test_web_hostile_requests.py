"""Requests as an attacker sends them: malformed multipart bodies, bodies over the limits, and
errors raised by the core. Each gets a 4xx with a message a person can read, never a 500."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from fastapi import FastAPI
from webclient import Client, run

from auditor.errors import ConfigError, ReadLimitError, RegistryError, ReportError, WorkbookError
from auditor.web.app import FORM_LIMIT

HEAD = b'Content-Disposition: form-data; name="file"; filename="a.xlsx"\r\n\r\nPK\x03\x04'
XYZ = b"multipart/form-data; boundary=XyZ"
MALFORMED: dict[str, tuple[bytes, bytes]] = {
    # name: (content-type header, body)
    "no boundary": (b"multipart/form-data", b"--XyZ\r\n" + HEAD + b"\r\n--XyZ--\r\n"),
    "empty boundary": (b"multipart/form-data; boundary=", b"--\r\n" + HEAD + b"\r\n----\r\n"),
    "body with another boundary": (b"multipart/form-data; boundary=b", b"--a\r\n" + HEAD + b"\r\n--a--\r\n"),
    "unterminated quote": (b'multipart/form-data; boundary="XyZ', b"--XyZ\r\n" + HEAD + b"\r\n--XyZ--\r\n"),
    "non-ASCII boundary": ("multipart/form-data; boundary=é".encode(), "--é\r\n".encode() + HEAD),
    "control characters": (b"multipart/form-data; boundary=\x01\x02", b"--\x01\x02\r\n" + HEAD),
    "boundary of 200 bytes": (b"multipart/form-data; boundary=" + b"x" * 200, b"--" + b"x" * 200 + b"\r\n"),
    "NUL in a part header": (XYZ, b"--XyZ\r\n\x00: x\r\n\r\nv\r\n--XyZ--\r\n"),
    "part header without colon": (XYZ, b"--XyZ\r\nnocolon\r\n\r\nv\r\n--XyZ--"),
    "cut in a part header": (b"multipart/form-data; boundary=XyZ", b"--XyZ\r\nContent-Disposition: form-da"),
    "cut in the file": (b"multipart/form-data; boundary=XyZ", b"--XyZ\r\n" + HEAD),
    "closing boundary only": (b"multipart/form-data; boundary=XyZ", b"--XyZ--"),
    "not multipart at all": (b"multipart/form-data; boundary=XyZ", b"just some bytes"),
    "json sent as a form": (b"application/json", b'{"file": "PK"}'),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_a_malformed_multipart_upload_is_a_400_with_a_message(app: FastAPI, case: str) -> None:
    content_type, body = MALFORMED[case]

    async def scenario() -> None:
        async with Client(app) as ada:
            await ada.sign_in("ada")
            for url in ("/api/uploads", "/uploads", "/api/registry", "/facilities/roster"):
                headers = {"content-type": content_type, "X-CSRF-Token": ada.csrf}
                answer = await ada.post(url, content=body, headers=headers)
                # The pages carry the CSRF token in the form, which a malformed form cannot deliver:
                # 403 there is as right as 400; never a 5xx.
                allowed = (400,) if url.startswith("/api/") else (400, 403)
                assert answer.status_code in allowed, (url, answer.status_code, answer.text[:300])
                if url.startswith("/api/"):
                    assert answer.json()["ok"] is False and answer.json()["error"]
                else:
                    assert 'class="error-summary"' in answer.text
            assert (await ada.get("/api/uploads")).json()["uploads"] == []

    run(scenario())
    uploads = app.state.web.workspace.uploads_dir
    assert [p for p in uploads.iterdir() if p.is_file()] == []
    incoming = uploads / ".incoming"
    assert not incoming.exists() or list(incoming.iterdir()) == []


def test_form_and_json_bodies_over_the_limit_are_refused_while_streaming(app: FastAPI) -> None:
    """Sign-in (a form and JSON) and the waiver form take at most FORM_LIMIT: a 64 MB body is
    refused after about that much, not read to its end."""
    pulled = 0

    async def body() -> AsyncIterator[bytes]:
        nonlocal pulled
        for _ in range(1024):
            pulled += 65536
            yield b"a" * 65536

    async def scenario() -> None:
        nonlocal pulled
        async with Client(app) as ada:
            await ada.sign_in("ada")
            for url, content_type in (
                ("/login", "application/x-www-form-urlencoded"),
                ("/api/session", "application/json"),
                ("/waivers", "application/x-www-form-urlencoded"),
            ):
                pulled = 0
                answer = await ada.post(url, content=body(), headers={"content-type": content_type})
                assert answer.status_code == 413, (url, answer.status_code)
                assert pulled <= FORM_LIMIT + 2 * 65536, (url, pulled)
            declared = await ada.post(
                "/api/session",
                content=b"{}",
                headers={"content-type": "application/json", "content-length": str(1 << 40)},
            )
            assert declared.status_code == 413
            assert declared.json()["status"] == 413

    run(scenario())


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (WorkbookError("the file is not a workbook"), 422),
        (ReadLimitError("reading this file needs more than 2 GiB"), 422),
        (ConfigError("waivers.yml line 3: unknown field 'expiry'"), 400),
        (RegistryError("no facility 'X-1' in the registry"), 404),
        (ReportError("the report could not be rendered"), 422),
    ],
)
def test_an_auditor_error_in_a_request_is_its_4xx_with_its_message(app: FastAPI, error, status) -> None:
    def fails() -> None:
        raise error

    app.add_api_route("/api/fails", fails)
    app.add_api_route("/fails", fails)

    async def scenario() -> None:
        async with Client(app) as ines:
            api = await ines.get("/api/fails")
            assert api.status_code == status
            assert api.json() == {"ok": False, "error": str(error), "status": status}
            page = await ines.get("/fails")
            assert page.status_code == status
            assert "text/html" in page.headers["content-type"]
            message = str(error)
            assert message[0].upper() + message[1:].replace("'", "&#39;") in page.text

    run(scenario())


def test_an_unexpected_os_error_is_a_500_page_not_a_traceback(app: FastAPI) -> None:
    def fails() -> None:
        raise PermissionError(13, "Permission denied", "/data/uploads/ab")

    app.add_api_route("/api/broken", fails)

    async def scenario() -> None:
        async with Client(app) as ines:
            answer = await ines.get("/api/broken")
            assert answer.status_code == 500
            assert answer.json()["error"] == "something went wrong on the server; it was logged"
            assert "/data/uploads" not in answer.text  # nothing of the server's insides

    run(scenario())
