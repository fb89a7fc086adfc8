"""The operations users ask for, composed once: the CLI and the web app both call these."""

from __future__ import annotations

from pathlib import Path

from auditor.workbook.inspection import Loaded, load


def validate_inspection(path: str | Path) -> Loaded:
    """Read and validate an inspection (every problem, errors and warnings)."""
    return load(path)
