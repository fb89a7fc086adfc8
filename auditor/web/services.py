"""What every request works with: settings, the database, the stored files, the processing pool."""

from __future__ import annotations

import logging
from dataclasses import dataclass

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

    @classmethod
    def open(cls, settings: Settings) -> Web:
        """Open (or create) the data folder; uploads a previous run left unprocessed are resumed."""
        settings.prepare()
        db = Database(settings.database)
        blobs = Blobs(settings.uploads_dir)
        blobs.clean_incoming()
        rosters = Blobs(settings.rosters_dir)
        rosters.clean_incoming()
        web = cls(settings, db, blobs, Processor(settings, db, blobs), rosters)
        resumed = web.processor.resume()
        if resumed:
            log.info("resumed %d upload(s) a previous run had not finished", resumed)
        return web

    def close(self) -> None:
        self.processor.close()
