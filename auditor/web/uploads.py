"""Receiving an upload: the multipart body streamed to disk, size-limited while it arrives.

Order matters and is the whole point of this module: the bytes are written and fsynced, then
the row is recorded, and only then is the upload handed to processing. The original file name
is kept as display text only; the stored name is the content's SHA-256.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from python_multipart import MultipartParser
from python_multipart.exceptions import ParseError
from python_multipart.multipart import parse_options_header
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request

from auditor.db import Database
from auditor.service import store
from auditor.service.accounts import User
from auditor.service.files import Blobs, Incoming, Stored, TooLarge, describe_size, is_disk_full
from auditor.web.auth import same_token
from auditor.web.errors import BadRequest, CsrfFailed, InsufficientStorage, PayloadTooLarge

FILE_FIELD = "file"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
MAX_FIELDS_BYTES = 16 * 1024  # every non-file field together
MULTIPART_SLACK = 64 * 1024  # headers and boundaries around the file
DRAIN_FACTOR = 4  # after the limit is passed, read (and discard) up to this many times it, then stop


@dataclass
class _Part:
    name: str = ""
    filename: str | None = None
    header_field: bytes = b""
    header_value: bytes = b""
    headers: dict[bytes, bytes] = field(default_factory=dict)
    data: bytearray = field(default_factory=bytearray)


class _Receiver:
    """python-multipart callbacks: fields into memory (small), the one file into an Incoming."""

    def __init__(self, blobs: Blobs, limit: int) -> None:
        self.blobs, self.limit = blobs, limit
        self.fields: dict[str, str] = {}
        self.file: Incoming | None = None
        self.filename: str | None = None
        self.part = _Part()
        self.field_bytes = 0
        self.pending: list[bytes] = []
        self.file_complete = False  # the file part's closing boundary was seen

    def callbacks(self) -> dict:
        return {
            "on_part_begin": self.on_part_begin,
            "on_header_field": self.on_header_field,
            "on_header_value": self.on_header_value,
            "on_header_end": self.on_header_end,
            "on_headers_finished": self.on_headers_finished,
            "on_part_data": self.on_part_data,
            "on_part_end": self.on_part_end,
        }

    def on_part_begin(self) -> None:
        self.part = _Part()

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self.part.header_field += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self.part.header_value += data[start:end]

    def on_header_end(self) -> None:
        self.part.headers[self.part.header_field.lower()] = self.part.header_value
        self.part.header_field, self.part.header_value = b"", b""

    def on_headers_finished(self) -> None:
        _, options = parse_options_header(self.part.headers.get(b"content-disposition", b""))
        self.part.name = options.get(b"name", b"").decode("utf-8", "replace")
        if b"filename" in options:
            self.part.filename = options[b"filename"].decode("utf-8", "replace")
            if self.part.name == FILE_FIELD:
                if self.file is not None:
                    raise BadRequest("send one file per upload")
                self.file = self.blobs.incoming(self.limit)
                self.filename = self.part.filename

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        chunk = data[start:end]
        if self.part.filename is not None:
            if self.part.name == FILE_FIELD:
                self.pending.append(chunk)
            return  # other file fields are ignored
        self.field_bytes += len(chunk)
        if self.field_bytes > MAX_FIELDS_BYTES:
            raise BadRequest("the form fields are too long")
        self.part.data.extend(chunk)

    def on_part_end(self) -> None:
        if self.part.filename is not None and self.part.name == FILE_FIELD:
            self.file_complete = True
        if self.part.filename is None and self.part.name:
            self.fields[self.part.name] = self.part.data.decode("utf-8", "replace")

    def flush(self) -> None:
        """Write the file bytes the last chunk brought (raises TooLarge past the limit)."""
        if self.file is not None:
            for chunk in self.pending:
                self.file.write(chunk)
        self.pending.clear()


@dataclass
class Received:
    upload_id: int
    name: str
    size: int
    sha256: str


def display_name(filename: str | None) -> str:
    """The uploader's file name as display text (escaped wherever shown): no control characters,
    bounded, and without the Windows folder some old browsers send ("C:\\Users\\…\\name.xlsx")."""
    name = filename or ""
    if re.match(r"^[A-Za-z]:\\", name):
        name = name.rsplit("\\", 1)[-1]
    name = re.sub(r"[\x00-\x1f\x7f]", "", name).strip()
    return name[:255] or "unnamed file"


def too_large_message(limit: int) -> str:
    return (
        f"The file is larger than the upload limit of {describe_size(limit)}, so it was not stored. "
        "Split the inspection into smaller workbooks or ask an administrator to raise the limit "
        "(auditor serve --max-upload-mb)."
    )


async def receive_upload(
    request: Request,
    blobs: Blobs,
    db: Database,
    user: User,
    *,
    limit: int,
    requested_inspection: int | None = None,
) -> Received:
    """Stream the request's file to disk, then record it; raises BadRequest, CsrfFailed, PayloadTooLarge."""
    stored = await receive_file(request, blobs, user, limit=limit)
    upload_id = await run_in_threadpool(
        store.record_upload,
        db,
        sha256=stored.sha256,
        size=stored.size,
        name=stored.name,
        user=user,
        requested_inspection=requested_inspection,
    )
    return Received(upload_id, stored.name, stored.size, stored.sha256)


async def receive_file(request: Request, blobs: Blobs, user: User, *, limit: int, what: str = "") -> Stored:
    """Stream the request's file into `blobs` (fsynced, named by its SHA-256) once the CSRF token
    matches; records nothing. Raises BadRequest, CsrfFailed, PayloadTooLarge."""
    content_type, options = parse_options_header(request.headers.get("content-type", ""))
    if content_type != b"multipart/form-data" or not options.get(b"boundary"):
        raise BadRequest("send the workbook as multipart/form-data, in a field named 'file'")
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > DRAIN_FACTOR * limit + MULTIPART_SLACK:
        raise PayloadTooLarge(too_large_message(limit))
    header_ok = same_token(request.headers.get(CSRF_HEADER), user.csrf_token)
    receiver = _Receiver(blobs, limit)
    parser = MultipartParser(options[b"boundary"], receiver.callbacks())
    try:
        stream = request.stream()
        async for chunk in stream:
            parser.write(chunk)
            receiver.flush()
        parser.finalize()
    except TooLarge:
        if receiver.file is not None:
            receiver.file.discard()
        await _drain(stream, DRAIN_FACTOR * limit)
        raise PayloadTooLarge(too_large_message(limit)) from None
    except ParseError:
        if receiver.file is not None:
            receiver.file.discard()
        raise BadRequest(
            "the upload is not a well-formed multipart form; send the file in a field named 'file'"
        ) from None
    except OSError as exc:
        if receiver.file is not None:
            receiver.file.discard()
        if not is_disk_full(exc):
            raise
        await _drain(stream, DRAIN_FACTOR * limit)  # so that a browser shows the answer, not a reset
        raise InsufficientStorage() from None
    except HTTPException as exc:  # the server's own body limit
        if receiver.file is not None:
            receiver.file.discard()
        if exc.status_code == 413:
            raise PayloadTooLarge(too_large_message(limit)) from None
        raise
    except BaseException:
        if receiver.file is not None:
            receiver.file.discard()
        raise
    incoming = receiver.file
    if not (header_ok or same_token(receiver.fields.get(CSRF_FIELD), user.csrf_token)):
        if incoming is not None:
            incoming.discard()
        raise CsrfFailed()
    if incoming is None or (incoming.size == 0 and not receiver.filename):
        if incoming is not None:
            incoming.discard()
        raise BadRequest(f"choose {what or 'a workbook to upload (.xlsx, .xlsm, .xls or .ods)'}")
    if not receiver.file_complete:
        incoming.discard()
        raise BadRequest("the upload was cut short before the end of the file; send it again")
    sha, size = await run_in_threadpool(blobs.keep, incoming)
    return Stored(display_name(receiver.filename), size, sha)


async def _drain(stream, budget: int) -> None:
    """Read and drop the rest of the body (bounded), so a browser gets the answer, not a reset."""
    seen = 0
    async for chunk in stream:
        seen += len(chunk)
        if seen > budget:
            break
