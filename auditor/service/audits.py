"""Auditing a file into the workspace: what an upload does, for a file the command line names.

`auditor audit FILE --data DIR --as NAME` stores the file as an upload is stored (fsynced, named
by its SHA-256), records it in NAME's name, and checks it with the same processing an upload gets
(the workspace's waivers, the facility's previous results, the annotated copy), so the web app
then shows it like any other upload.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from auditor.contracts.results import Results
from auditor.errors import ConfigError
from auditor.service import store
from auditor.service.accounts import User
from auditor.service.processing import annotated_workbook, process_upload

if TYPE_CHECKING:
    from auditor.service.workspace import Workspace
    from auditor.workbook.inspection import Loaded

CHUNK = 1 << 20


@dataclass
class Recorded:
    upload: dict[str, Any]  # the upload's row: id, status, message, facility, rating…
    loaded: Loaded | None  # None when the file could not be read
    results: Results | None  # None unless audited


def record_file(ws: Workspace, path: Path, user: User) -> int:
    """Store a workbook file as an upload is stored, then record it; returns the upload's id."""
    if not path.is_file():
        raise ConfigError(
            f"{path}: only a workbook file can be recorded in a data folder (a CSV folder cannot be an "
            "upload); save it as .xlsx, or audit it without --data"
        )
    incoming = ws.blobs.incoming(path.stat().st_size)
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(CHUNK), b""):
                incoming.write(block)
    except BaseException:
        incoming.discard()
        raise
    sha, size = ws.blobs.keep(incoming)
    return store.record_upload(
        ws.db, sha256=sha, size=size, name=path.name, user=user, requested_inspection=None
    )


def audit_file(ws: Workspace, path: Path, user: User) -> Recorded:
    """Record the file, then check it now exactly as the web app checks an upload."""
    upload_id = record_file(ws, path, user)
    status, loaded = process_upload(ws, upload_id)
    if loaded is not None and len(loaded.problems):
        annotated_workbook(ws, upload_id, loaded)
    upload = store.get_upload(ws.db, upload_id)
    assert upload is not None
    results = Results.read(ws.outputs(upload_id) / "results.json") if status == "audited" else None
    return Recorded(upload, loaded, results)
