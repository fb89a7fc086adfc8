"""Where the package finds its data: the standards editions and the report templates.

In a source checkout they are the repository's `standards/` and `reports/` folders; in an
installed wheel they are packaged under `auditor/_data/` (see pyproject.toml).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


@cache
def data_dir(name: str) -> Path:
    """The folder `standards` or `reports`, wherever this installation keeps it."""
    for candidate in (PACKAGE / "_data" / name, PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"the auditor's {name}/ folder is missing from this installation")


def standards_dir() -> Path:
    return data_dir("standards")


def reports_dir() -> Path:
    return data_dir("reports")
