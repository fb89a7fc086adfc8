"""Processing a stored upload: read → validate → audit, each upload in a child process.

The upload's bytes and row exist before anything here runs, so a failure at any step leaves
the upload listed with its error; a server that stopped mid-way picks pending uploads up again
when it starts, once: an upload whose check was interrupted MAX_ATTEMPTS times is `failed` and
never run again, so a file that somehow killed the server cannot kill it at every restart. The
file is read, validated and audited in a bounded child process (auditor.service.checking): a
hostile file ends its child, not the server nor another upload, and uploads checked at once use
as many cores. A thread per worker waits on its child and writes what it computed. The
annotated workbook (slow to write: openpyxl copies the whole workbook) is written after the
outcome is recorded, so the problems show at once; downloading it before it is ready waits for
it, or writes it.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import sqlite3
import threading
from collections import defaultdict
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from auditor import untrusted
from auditor.errors import AuditorError, ReadLimitError, WorkbookError
from auditor.service import assignments, checking, facility_names, store
from auditor.service.accounts import User, user_named
from auditor.service.files import Blobs, is_disk_full, write_durably
from auditor.service.stages import begin as begin_stage
from auditor.service.waivers import waiver_set
from auditor.workbook.read import warm_up

if TYPE_CHECKING:
    from auditor.service.workspace import Workspace
    from auditor.workbook.inspection import Loaded

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 2
DISK_FULL = (
    "the server's disk is full, so the results could not be written; the file is stored: an "
    "administrator can check it again (Check again) once there is room"
)
OUTPUTS = ("problems.json", "annotated.xlsx", "results.json", "draft.pdf", "report.pdf")
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")  # the uploaded name's, kept for the input's
_annotation_locks: defaultdict[int, threading.Lock] = defaultdict(threading.Lock)
_annotation_guard = threading.Lock()


class Processor:
    """Runs process_upload for each submitted upload, at most `workers` at a time."""

    def __init__(self, ws: Workspace) -> None:
        self.ws, self.db = ws, ws.db
        untrusted.start_pool(max(1, ws.workers), warm_up=warm_up)  # warm before the first upload
        self._pool = ThreadPoolExecutor(max_workers=max(1, ws.workers), thread_name_prefix="auditor-upload")
        self._jobs: dict[int, Future[str]] = {}
        self._followups: set[Future[Any]] = set()
        self._lock = threading.Lock()

    def submit(self, upload_id: int) -> Future[str]:
        """Process the upload (once: a second call while it runs returns the same job)."""
        with self._lock:
            job = self._jobs.get(upload_id)
            if job is None or job.done():
                job = self._pool.submit(self._run, upload_id)
                self._jobs[upload_id] = job
                job.add_done_callback(lambda _done, key=upload_id: self._forget(key))
            return job

    def _run(self, upload_id: int) -> str:
        status, loaded = process_upload(self.ws, upload_id)
        if loaded is not None and len(loaded.problems):
            with self._lock:
                followup = self._pool.submit(annotated_workbook, self.ws, upload_id, loaded)
                self._followups.add(followup)
            followup.add_done_callback(self._followups.discard)
        return status

    def _forget(self, upload_id: int) -> None:
        with self._lock:
            job = self._jobs.get(upload_id)
            if job is not None and job.done():
                del self._jobs[upload_id]

    def resume(self) -> int:
        """Submit the uploads a previous run stored but did not finish; returns how many."""
        count = 0
        for row in store.pending(self.db):
            if row["attempts"] >= MAX_ATTEMPTS:
                store.finish(
                    self.db,
                    row["id"],
                    "failed",
                    f"checking this upload was interrupted {row['attempts']} times (the server stopped while "
                    "it ran); the file is stored and an administrator can try again",
                )
            else:
                self.submit(row["id"])
                count += 1
        return count

    def idle(self, timeout: float | None = None) -> None:
        """Wait until every submitted upload (and its annotated workbook) is done: tests, benchmarks."""
        while True:
            with self._lock:
                jobs = [*self._jobs.values(), *self._followups]
            if not jobs:
                return
            for job in jobs:
                job.exception(timeout)
            with self._lock:
                if all(job.done() for job in [*self._jobs.values(), *self._followups]):
                    return

    def close(self) -> None:
        # Queued jobs are cancelled: their uploads stay `received` and resume at the next start.
        self._pool.shutdown(wait=True, cancel_futures=True)


def process_upload(ws: Workspace, upload_id: int) -> tuple[str, Loaded | None]:
    """Validate and audit one stored upload; returns the status recorded (and what was loaded)."""
    db = ws.db
    row = store.claim(db, upload_id)
    if row is None:
        return "missing", None
    folder = ws.outputs(upload_id)
    folder.mkdir(parents=True, exist_ok=True)
    for name in OUTPUTS:  # a re-run replaces everything an earlier run wrote
        (folder / name).unlink(missing_ok=True)
    loaded: Loaded | None = None
    try:
        status, message, fields, loaded = _process(ws, row, folder)
    except AuditorError as exc:  # unusable standards or configuration: the upload is not at fault
        status, message, fields = "failed", str(exc), {}
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # a failing audit (even a pyo3 panic) must leave the upload listed
        log.exception("processing upload %s failed", upload_id)
        status, fields = "failed", {}
        message = (
            DISK_FULL if is_disk_full(exc) else f"internal error while checking: {type(exc).__name__}: {exc}"
        )
    try:
        store.finish(db, upload_id, status, message, **fields)
    except sqlite3.Error:
        log.exception("recording the outcome of upload %s failed", upload_id)
        return "failed", None
    return status, loaded


def _process(
    ws: Workspace, row: sqlite3.Row, folder: Path
) -> tuple[str, str | None, dict[str, Any], Loaded | None]:
    """Check the upload in a bounded child (checking.check): it reads and validates, this process
    answers its question (`_decide`: refusal, filing, the problems file, previous results) and then
    writes the results it computed."""
    db = ws.db
    begin_stage(folder, "reading")  # for the upload's page while it runs (validation is part of reading)
    source = _input_link(ws.blobs, row["sha256"], folder, row["original_name"])
    decided: dict[str, Any] = {}

    def decide(loaded: Loaded) -> checking.Go | None:
        decided["loaded"] = loaded
        go, decided["outcome"] = _decide(ws, row, folder, loaded)
        return go

    try:
        checked: checking.Checked = untrusted.run(
            checking.check, source, waiver_set(db), what=str(source), on_ask=decide
        )
    except ReadLimitError as exc:  # the file ended its reader or met a limit: failed, with the reason
        return "failed", _without(str(exc), source), {}, None
    except WorkbookError as exc:
        return "rejected", _without(str(exc), source), {}, None
    status, message, fields = decided["outcome"]
    loaded = decided["loaded"]
    if checked.failure is not None:
        return "failed", checked.failure, {}, None
    results = checked.results
    if results is None:  # refused, rejected or invalid: as _decide said
        return status, message, fields, loaded if status == "invalid" else None
    write_durably(folder / "results.json", checked.results_json)
    s = results.summary
    fields.update(
        results=results,
        rating=s.rating,
        compliant=s.compliant,
        deficient=s.deficient,
        priority=s.priority_deficiencies,
        repeats=s.repeat_deficiencies,
        waived=s.waived,
        inspection_end=str(results.inspection.get("inspection_end") or ""),
        edition=results.standards["edition"],
        **store.headline_fields(results),  # indeterminate, decided of in scope: what the lists show
    )
    return (
        "audited",
        f"{s.rating}: {s.deficient} deficient of {s.requirements_assessed} assessed",
        fields,
        loaded,
    )


def _decide(
    ws: Workspace, row: sqlite3.Row, folder: Path, loaded: Loaded
) -> tuple[checking.Go | None, tuple[str, str | None, dict[str, Any]]]:
    """Once the file is read (in this process, with its database): refuse it, file it, write its
    problems; a Go (with the previous results) when it is to be audited, and the outcome otherwise."""
    from auditor.core import validation_json

    db = ws.db
    kind = loaded.raw.format
    facility = loaded.inspection.facility
    facility_id, inspection_id = _text(facility.get("facility_id")), _text(facility.get("inspection_id"))
    uploader = user_named(db, row["uploaded_by_name"])
    refusal = assignments.upload_refusal(db, uploader, facility_id, facility_cell(loaded, "facility_id"))
    if refusal is not None:  # filed under no facility: never its result, never its latest
        with db.write() as conn:
            target = f"facility {facility_id}" if facility_id else f"upload {row['id']}"
            db.log(
                conn,
                row["uploaded_by_name"],
                "access.refused",
                target[:200],
                f"upload {row['id']}: {refusal}"[:300],
                facility_id=facility_id,
            )
        return None, ("refused", refusal, {"kind": kind})
    name = _kept_name(ws, loaded, uploader, facility_id, _text(facility.get("facility_name")))
    try:
        store.attach(db, row, facility_id, inspection_id, name)
    except store.Mismatch as exc:
        return None, ("rejected", str(exc), {"kind": kind})
    problems = loaded.problems
    fields: dict[str, Any] = {"kind": kind, "errors": problems.errors, "warnings": problems.warnings}
    report = validation_json(Path(row["original_name"]), loaded)
    write_durably(folder / "problems.json", json.dumps(report, ensure_ascii=False, default=str).encode())
    if not loaded.valid:
        message = f"{problems.errors} error(s) and {problems.warnings} warning(s): nothing was audited"
        return None, ("invalid", message, fields)
    previous_upload = store.previous_results(
        db, str(facility_id), str(inspection_id), _text(facility.get("previous_inspection_id"))
    )
    previous = ws.outputs(previous_upload) / "results.json" if previous_upload else None
    begin_stage(folder, "evaluating")
    return checking.Go(previous if previous and previous.exists() else None), ("audited", None, fields)


def load_upload(blobs: Blobs, sha256: str, folder: Path, name: str) -> tuple[Loaded, str]:
    """Validate the stored original (opened once, in the bounded reader: its bytes are sniffed,
    checked, hashed and read, and kept for the annotated copy); returns it and its kind. Read
    through `input.<its extension>`, a hard link to the original (never a change to it), so that
    the results name the input as before; its kind comes from its bytes. Raises WorkbookError."""
    from auditor.core import validate_inspection

    source = _input_link(blobs, sha256, folder, name)
    try:
        loaded = validate_inspection(source)
    except WorkbookError as exc:
        raise type(exc)(_without(str(exc), source)) from None
    return loaded, loaded.raw.format


def _input_link(blobs: Blobs, sha256: str, folder: Path, name: str) -> Path:
    """`input.<the uploaded name's extension>` in the upload's folder: a hard link to the original."""
    original = blobs.path(sha256)
    suffix = Path(name).suffix.lower()
    source = folder / f"input{suffix if suffix in WORKBOOK_SUFFIXES else ''}"
    source.unlink(missing_ok=True)
    try:
        os.link(original, source)
    except OSError:
        shutil.copyfile(original, source)
    return source


def annotated_workbook(ws: Workspace, upload_id: int, loaded: Loaded | None = None) -> Path | None:
    """The upload's annotated copy (every problem marked), written once; None when it has no problem."""
    from auditor.workbook.annotate import annotate

    folder = ws.outputs(upload_id)
    target = folder / "annotated.xlsx"
    with _annotation_guard:
        lock = _annotation_locks[upload_id]
    with lock:
        if target.exists():
            return target
        if loaded is None:
            upload = store.get_upload(ws.db, upload_id)
            if upload is None or upload["status"] not in ("invalid", "audited"):
                return None
            loaded, _ = load_upload(ws.blobs, upload["sha256"], folder, upload["original_name"])
        if not len(loaded.problems):
            return None
        partial = folder / "annotated.partial.xlsx"
        try:
            annotate(loaded.raw, loaded.problems, partial)
            os.replace(partial, target)
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException:
            log.exception("annotating upload %s failed", upload_id)
            partial.unlink(missing_ok=True)
            return None
    return target


def facility_cell(loaded: Loaded, field: str) -> str:
    """Where the Facility sheet gives a field's value (column B of its row): Facility!B2."""
    fields = loaded.raw.facility
    if fields is None or field not in fields.index:
        return "the Facility sheet"
    return f"Facility!B{int(fields.loc[field, 'row'])}"


def _kept_name(
    ws: Workspace, loaded: Loaded, uploader: User | None, facility_id: str | None, given: str | None
) -> str | None:
    """The facility name the upload files: an inspector's differing one is a warning, not a rename."""
    if facility_id is None or given is None or uploader is None or uploader.is_admin:
        return given
    kept = facility_names.name_of_record(ws.db, facility_id)
    if kept is None or facility_names.same_name(given, kept):
        return given if kept is None else kept
    loaded.add([facility_names.renamed_warning(given, kept, facility_cell(loaded, "facility_name"))])
    return kept


def _without(text: str, path: Path) -> str:
    """An error message without the server's own path to the file."""
    for prefix in (f"{path}: ", str(path)):
        text = text.replace(prefix, "")
    return text[:1000]


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None
