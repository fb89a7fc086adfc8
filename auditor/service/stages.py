"""Where the checking of an upload has got to, for its page while it runs: a one-word file in the
upload's outputs folder, written by processing as each stage begins.

The stages are `reading` (the bounded reader opens the file, parses every cell and validates the
sheets: one step, since it validates as it reads) and `evaluating` (the requirements are checked
against the standards). A file, not a database row: a stage is transient, needs no migration, and
a stage lost (a full disk) only leaves the page saying "being checked".
"""

from __future__ import annotations

import contextlib
from pathlib import Path

STAGE_FILE = "stage"
STAGES = ("reading", "evaluating")


def begin(folder: Path, stage: str) -> None:
    """Record that `stage` has begun (never fails the processing it reports on)."""
    if stage not in STAGES:
        raise ValueError(f"unknown stage {stage!r}")
    with contextlib.suppress(OSError):  # a full disk: the page says less, the check goes on
        (folder / STAGE_FILE).write_text(stage, encoding="ascii")


def current(folder: Path) -> str | None:
    """The stage recorded in `folder`, or None (none yet, or not one of STAGES)."""
    try:
        stage = (folder / STAGE_FILE).read_text(encoding="ascii", errors="replace")[:20].strip()
    except OSError:
        return None
    return stage if stage in STAGES else None
