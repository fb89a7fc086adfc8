"""The web app's settings: one frozen value, built by `auditor serve` or by a test."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

MB = 1024 * 1024


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    max_upload_bytes: int = 50 * MB
    secure_cookies: bool = False  # set the Secure flag (serve behind HTTPS)
    workers: int = 2  # uploads validated and audited at once
    wait_seconds: float = 30.0  # how long an upload request waits for its audit before answering
    session_hours: float = 12.0

    @property
    def database(self) -> Path:
        return self.data_dir / "auditor.sqlite3"

    @property
    def uploads_dir(self) -> Path:
        """The original bytes of every upload, named by their SHA-256."""
        return self.data_dir / "uploads"

    @property
    def rosters_dir(self) -> Path:
        """ICE roster workbooks administrators imported, named by their SHA-256."""
        return self.data_dir / "rosters"

    @property
    def outputs_dir(self) -> Path:
        """Per upload: results JSON, problems JSON, annotated workbook, report PDF."""
        return self.data_dir / "outputs"

    @property
    def reports_dir(self) -> Path:
        """Reports not tied to one upload: the blank template, portfolio PDFs."""
        return self.data_dir / "reports"

    def prepare(self) -> None:
        for folder in (self.data_dir, self.uploads_dir, self.rosters_dir, self.outputs_dir, self.reports_dir):
            folder.mkdir(parents=True, exist_ok=True)
