"""The work of checking one upload — read, validate, audit — done in a bounded child process.

`check` runs in a child of auditor.untrusted (its memory, CPU and wall-clock limits cover the
whole check, not only the reading): a hostile file, or an audit that blows up on it, ends that
child alone. Uploads checked at once are then separate processes, so two workers use two cores
(threads shared one, the GIL's).

The child computes; the server writes. Once the file is read and validated, the child asks the
server (untrusted.ask) with what it read — who may upload this facility, which earlier results
count for repeats, the problems file — and the server answers from its own database connection:
SQLite keeps one writer, the action log and every upload row are written in one place, and a child
killed at a limit can hold no lock nor leave half a transaction. The child then audits and hands
back the results.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from auditor import untrusted

if TYPE_CHECKING:
    from auditor.contracts.results import Results
    from auditor.engine.waivers import WaiverSet
    from auditor.workbook.inspection import Loaded


@dataclass(frozen=True)
class Go:
    """The server's answer once the file is read: audit it, against these previous results."""

    previous: Path | None


@dataclass
class Checked:
    """What the child hands back: the results (None when the server said not to audit), or why the
    audit failed (the engine's own error, not the file's: the upload fails with it)."""

    results: Results | None = None  # without evidence rows: the server records statuses and counts
    failure: str | None = None
    # The results file, evidence and all, encoded here: the server is one process for every worker,
    # so what it does per upload (a sixth of a child's CPU, bench/README "Web: upload workers") is
    # what keeps two workers from twice one's speed on 2 cores.
    results_json: bytes = b""


def check(source: Path, waivers: WaiverSet | None) -> Checked:
    """Read and validate `source`, ask the server whether to audit it (a Go, or None), and audit it.
    The server is sent the Loaded without its typed and raw frames (what it needs is the Facility
    sheet, the problems and the file's bytes for the annotated copy): pickled, they would be most
    of what crosses."""
    from auditor.core import audit_loaded, validate_inspection

    loaded = validate_inspection(source)
    answer = untrusted.ask(slim(loaded))
    if not isinstance(answer, Go):
        return Checked()
    loaded.raw.sheets.clear()  # the cells' text is not needed once parsed (the server has its copy)
    try:
        audit = audit_loaded(loaded, waiver_set=waivers, previous=answer.previous)
    except (MemoryError, RecursionError):
        raise  # a limit the child met: said as such by untrusted
    except Exception as exc:  # the engine failed on this file: the upload fails with it, the child ends
        return Checked(failure=f"internal error while checking: {type(exc).__name__}: {exc}")
    results = audit.results
    bare = [dataclasses.replace(result, evidence=[]) for result in results.results]
    return Checked(
        results=dataclasses.replace(results, results=bare), results_json=(results.to_json() + "\n").encode()
    )


def slim(loaded: Loaded) -> Loaded:
    """A copy of `loaded` without the typed frames and, for an .xlsx (whose annotated copy is made
    from its bytes), the raw ones; the annotated copy of any other format is rebuilt from its raw
    cells, kept. The child keeps its own Loaded whole."""
    raw = dataclasses.replace(loaded.raw, sheets={}) if loaded.raw.format == "xlsx" else loaded.raw
    inspection = dataclasses.replace(loaded.inspection, sheets={}, date_only={})
    return dataclasses.replace(loaded, raw=raw, inspection=inspection)
