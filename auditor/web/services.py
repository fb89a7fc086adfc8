"""What every request works with: the settings, the workspace, and sessions kept while the disk is full."""

from __future__ import annotations

from dataclasses import dataclass, field

from auditor.db import Database
from auditor.service.files import Blobs
from auditor.service.processing import Processor
from auditor.service.workspace import Workspace
from auditor.web.auth import SpareSessions
from auditor.web.settings import Settings


@dataclass
class Web:
    settings: Settings
    workspace: Workspace
    sessions: SpareSessions = field(default_factory=SpareSessions)  # sign-in while the disk is full

    @classmethod
    def open(cls, settings: Settings) -> Web:
        """Open (or create) the data folder; uploads a previous run left unprocessed are resumed."""
        return cls(settings, Workspace.open(settings.data_dir, workers=settings.workers, process=True))

    # The workspace's parts, as the routes use them.
    @property
    def db(self) -> Database:
        return self.workspace.db

    @property
    def blobs(self) -> Blobs:
        return self.workspace.blobs

    @property
    def rosters(self) -> Blobs:
        return self.workspace.rosters

    @property
    def processor(self) -> Processor:
        assert self.workspace.processor is not None  # opened with process=True
        return self.workspace.processor

    def close(self) -> None:
        self.workspace.close()
