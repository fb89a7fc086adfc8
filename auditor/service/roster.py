"""ICE's facility roster in the workspace: importing a stored roster workbook, reading a facility
of the registry, and the inspection template pre-filled from it.

A roster workbook is stored (fsynced, named by its SHA-256, in `rosters/`) before it is read,
like an upload; the import and every refusal are written to the action log.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from auditor.errors import AuditorError, RegistryError
from auditor.imports.roster import import_roster
from auditor.registry import prefilled_workbook, registry_facility, save_roster
from auditor.service.accounts import User
from auditor.service.files import Stored

if TYPE_CHECKING:
    from auditor.service.workspace import Workspace


class RosterRefused(AuditorError):
    """The stored file is not a roster the importer can read; the message names the file as sent."""


def import_stored(ws: Workspace, user: User, stored: Stored) -> dict[str, Any]:
    """Import a roster workbook kept in `ws.rosters`; returns save_roster's counts."""
    path = ws.rosters.path(stored.sha256)
    try:
        roster = import_roster(path)
    except AuditorError as exc:
        message = str(exc).replace(str(path), stored.name)  # never show where files live on the server
        with ws.db.write() as conn:
            ws.db.log(conn, user.name, "registry.refused", stored.name, message[:300])
        raise RosterRefused(message) from None
    roster.source["file"] = stored.name  # the stored name is the content's hash
    return save_roster(ws.db, roster, user=user.name)


def roster_facility(ws: Workspace, facility_id: str) -> dict[str, Any]:
    record = registry_facility(ws.db, facility_id)
    if record is None:
        raise RegistryError(f"there is no facility {facility_id!r} in ICE's roster")
    return record


def prefilled_bytes(ws: Workspace, facility_id: str) -> bytes:
    """The inspection template with this facility's Facility sheet pre-filled (written in ~0.1 s)."""
    roster_facility(ws, facility_id)
    with tempfile.TemporaryDirectory(prefix="auditor-prefill-") as folder:
        path = prefilled_workbook(ws.db, facility_id, Path(folder) / "inspection.xlsx")
        return path.read_bytes()
