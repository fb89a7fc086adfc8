"""The workspace: one data folder (SQLite database and stored files) and the use cases over it.

The command line (`--data DIR`) and the web app open the same Workspace and call the same
functions; neither holds a use case of its own, and neither imports the other.

    auditor.sqlite3   users, uploads, inspections, results, waivers, the facility registry, the log
    uploads/          every uploaded original, named by its SHA-256, fsynced before it is read
    rosters/          ICE roster workbooks administrators imported, stored the same way
    outputs/<id>/     per upload: problems JSON, results JSON, annotated workbook, report PDF
    reports/          what is not tied to one upload: the blank template, portfolio PDFs
    signed/           signed-off reports, named by their SHA-256, stored once and never rewritten
    signing/          the signing key and certificate (configured, or self-signed, mode 0600)
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from auditor.db import Database
from auditor.service.files import Blobs
from auditor.service.processing import Processor

log = logging.getLogger(__name__)

DATABASE = "auditor.sqlite3"
FOLDERS = ("uploads", "rosters", "outputs", "reports")


@dataclass
class Workspace:
    data_dir: Path
    db: Database
    blobs: Blobs  # uploaded originals
    rosters: Blobs  # ICE roster workbooks, stored like uploads but never processed as inspections
    workers: int = 2  # uploads checked at once (by the processor)
    processor: Processor | None = field(default=None, repr=False)  # None: nothing is processed here
    keeper: sqlite3.Connection | None = field(default=None, repr=False)  # see keep_wal_open

    @classmethod
    def open(cls, data_dir: str | Path, *, workers: int = 2, process: bool = False) -> Workspace:
        """Open (or create) the data folder. With `process`, uploads are checked in the background
        (the web app) and those a previous run left unprocessed are resumed; without, a caller
        processes what it records itself (the command line)."""
        data = Path(data_dir)
        for name in FOLDERS:
            (data / name).mkdir(parents=True, exist_ok=True)
        ws = cls(data, Database(data / DATABASE), Blobs(data / "uploads"), Blobs(data / "rosters"), workers)
        ws.blobs.clean_incoming()
        ws.rosters.clean_incoming()
        if process:
            ws.keeper = keep_wal_open(ws.db)
            ws.processor = Processor(ws)
            resumed = ws.processor.resume()
            if resumed:
                log.info("resumed %d upload(s) a previous run had not finished", resumed)
        return ws

    @property
    def database(self) -> Path:
        return self.data_dir / DATABASE

    @property
    def uploads_dir(self) -> Path:
        return self.data_dir / "uploads"

    @property
    def rosters_dir(self) -> Path:
        return self.data_dir / "rosters"

    @property
    def outputs_dir(self) -> Path:
        return self.data_dir / "outputs"

    @property
    def reports_dir(self) -> Path:
        return self.data_dir / "reports"

    def outputs(self, upload_id: int) -> Path:
        """The folder of one upload's results, problems, annotated copy and report."""
        return self.outputs_dir / str(int(upload_id))

    def close(self) -> None:
        if self.processor is not None:
            self.processor.close()
        if self.keeper is not None:
            self.keeper.close()


def keep_wal_open(db: Database) -> sqlite3.Connection:
    """A connection held open while the server runs, so that SQLite's -wal and -shm files are never
    deleted (it removes them when the last connection closes). Each request opens its own connection,
    and one that had to create the -shm file again fails on a full disk ("disk I/O error"), reads
    and sign-in included; with the files kept, only writes fail."""
    conn = sqlite3.connect(db.path, check_same_thread=False)
    conn.execute("SELECT count(*) FROM meta").fetchone()  # maps the shared memory now, while there is room
    return conn
