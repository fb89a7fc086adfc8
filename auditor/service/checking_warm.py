"""Imported by the readers' fork server (auditor.untrusted.PRELOAD), never by the server itself:
every packaged edition is loaded once there, so each upload's child is forked with the standards
already parsed (about a second of YAML per child otherwise). Pure Python, no threads started: the
fork server stays safe to fork from. A standards problem is left for the upload to report."""

from __future__ import annotations

import contextlib

from auditor.errors import AuditorError
from auditor.standards.load import available_editions, load_edition

for _name in available_editions():
    with contextlib.suppress(AuditorError, OSError):
        load_edition(_name)
