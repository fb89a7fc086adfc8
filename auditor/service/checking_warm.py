"""Imported by the readers' fork server (auditor.untrusted.PRELOAD), never by the server itself:
every packaged edition is loaded, and a small packaged inspection validated and audited, once
there, so each upload's child is forked with the standards parsed and the engine's first-use costs
paid (schemas built, holiday calendars, lazily imported modules): otherwise every child pays them
again, a second or more of CPU per upload. The sample is read as any file is, in a forked child,
so that no reader library runs in the fork server. A problem here is left for the uploads to meet."""

from __future__ import annotations

import contextlib

from auditor.errors import AuditorError
from auditor.standards.load import available_editions, load_edition


def _warm() -> None:
    from auditor.core import audit_inspection
    from auditor.paths import data_dir

    for name in available_editions():
        with contextlib.suppress(AuditorError, OSError):
            load_edition(name)
    with contextlib.suppress(Exception):
        audit_inspection(data_dir("sample_data") / "cedar-flats-spc" / "inspection.xlsx")


_warm()
