"""What every request works with: settings, the database, the stored files, the processing pool."""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass, field

from auditor.web.auth import SpareSessions
from auditor.web.db import Database
from auditor.web.files import Blobs
from auditor.web.processing import Processor
from auditor.web.settings import Settings

log = logging.getLogger(__name__)


@dataclass
class Web:
    settings: Settings
    db: Database
    blobs: Blobs
    processor: Processor
    rosters: Blobs  # ICE roster workbooks, stored like uploads but never processed as inspections
    sessions: SpareSessions = field(default_factory=SpareSessions)  # sign-in while the disk is full
    keeper: sqlite3.Connection | None = None  # see keep_wal_open

    @classmethod
    def open(cls, settings: Settings) -> Web:
        """Open (or create) the data folder; uploads a previous run left unprocessed are resumed."""
        settings.prepare()
        db = Database(settings.database)
        blobs = Blobs(settings.uploads_dir)
        blobs.clean_incoming()
        rosters = Blobs(settings.rosters_dir)
        rosters.clean_incoming()
        web = cls(settings, db, blobs, Processor(settings, db, blobs), rosters, keeper=keep_wal_open(db))
        resumed = web.processor.resume()
        if resumed:
            log.info("resumed %d upload(s) a previous run had not finished", resumed)
        return web

    def close(self) -> None:
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
