"""The facility registry: ICE's roster facilities, kept in the web app's database.

Importing a Detention Statistics workbook (`auditor facilities import FILE --data DIR`, or the web
app's facilities page) upserts one row per facility, keyed by the roster's facility_id, with the
file it came from. The web app lists them, and a new inspection's Facility sheet is pre-filled
from them. The current facilities are those of the newest roster (by its data date, whatever the
order of import); facilities only older rosters list are kept as history (`listed` is false,
"no longer listed"): ICE drops facilities it stops using, and their inspections still refer to
them, but they are never counted as current.

The registry uses `auditor.db` (plain sqlite3), never the web app, so the command line can write
the same database the web app reads without importing FastAPI.
"""

from __future__ import annotations

import dataclasses
import json
import re
import sqlite3
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from auditor.contracts.roster import Facility, Roster
from auditor.db import Database, now
from auditor.errors import RegistryError, WorkbookError
from auditor.workbook.declarations import AORS, EDITIONS
from auditor.workbook.ids import facility_id_problem

# ICE's facility types that are surely one of ours (FAMILY is ICE's family residential center);
# BOP, STATE, DOD, MOC, JUVENILE, TAP-ICE, FAMILY-STAGING and OTHER have no sure match: left empty.
TYPE_MAP = {kind: kind for kind in ("SPC", "CDF", "IGSA", "DIGSA", "USMS-IGA", "USMS-CDF", "STAGING")}
TYPE_MAP["FAMILY"] = "FRC"
PREFILLED = ("facility_id", "facility_name", "facility_type", "aor", "state", "detention_standard")
POSITION = ("row", "ref")  # where a record sat in its file: not a fact about the facility
COUNTS = ("added", "updated", "unchanged", "older")
SOURCE_COLUMNS = "source_file, source_sha256, source_data_date, imported_at, changed_at"


# ---------------------------------------------------------------------------- saving a roster


def save_roster(db: Database, roster: Roster, *, user: str | None = None) -> dict[str, Any]:
    """Upsert every facility of `roster`; one transaction, one line in the audit log.

    Counts: `added` (new ids), `updated` (facts changed), `unchanged` (same facts; the record is
    still rewritten, pointing at this file and its spellings), `older` (the registry holds them
    from a roster with a later data date, which an older file does not overwrite).
    """
    source = roster.source
    for number, facility in enumerate(roster.facilities, 1):  # ids become URLs and file names
        if why := facility_id_problem(facility.facility_id):
            raise WorkbookError(f"{source['file']}: facility {number} ({facility.name[:80]!r}): {why}")
    at = now()
    counts = dict.fromkeys(COUNTS, 0)
    with db.write() as conn:
        import_id = _record_import(conn, source, at, user, len(roster.facilities))
        for facility in roster.facilities:
            counts[_upsert(conn, facility.to_dict(), source, import_id, at)] += 1
        conn.execute(
            "UPDATE registry_imports SET added = ?, updated = ?, unchanged = ?, older = ? WHERE id = ?",
            (*(counts[c] for c in COUNTS), import_id),
        )
        db.log(conn, user, "registry.import", source["file"], describe_import(source, counts))
    return {
        "import_id": import_id,
        "file": source["file"],
        "data_date": source.get("data_date"),
        "facilities": len(roster.facilities),
        **counts,
    }


def describe_import(source: Mapping[str, Any], counts: Mapping[str, int]) -> str:
    """One line: `FY26.xlsx (data of 2026-02-05): 31 added, 180 updated, 9 unchanged, 0 older`."""
    dated = f" (data of {source['data_date']})" if source.get("data_date") else ""
    figures = ", ".join(f"{counts[c]} {c}" for c in COUNTS)
    return f"{source['file']}{dated}, sha256 {str(source.get('sha256', ''))[:12]}: {figures}"


def _record_import(
    conn: sqlite3.Connection, source: Mapping[str, Any], at: str, user: str | None, facilities: int
) -> int:
    cursor = conn.execute(
        "INSERT INTO registry_imports (file, sha256, title, data_date, imported_at, imported_by,"
        " facilities, added, updated, unchanged, older) VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0, 0, 0)",
        (
            source["file"],
            source["sha256"],
            source.get("title"),
            source.get("data_date"),
            at,
            user,
            facilities,
        ),
    )
    return int(cursor.lastrowid or 0)


def _upsert(
    conn: sqlite3.Connection, record: dict[str, Any], source: Mapping[str, Any], import_id: int, at: str
) -> str:
    """Write one facility; returns which count it adds to."""
    stored = conn.execute(
        "SELECT record, source_data_date, changed_at FROM registry WHERE facility_id = ?",
        (record["facility_id"],),
    ).fetchone()
    if stored is not None and _is_older(source.get("data_date"), stored["source_data_date"]):
        return "older"
    changed = stored is None or _facts(json.loads(stored["record"])) != _facts(record)
    conn.execute(
        f"""
        INSERT INTO registry (facility_id, name, state, aor, facility_type, detention_standard, record,
                              {SOURCE_COLUMNS}, source_import)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (facility_id) DO UPDATE SET
            name = excluded.name, state = excluded.state, aor = excluded.aor,
            facility_type = excluded.facility_type, detention_standard = excluded.detention_standard,
            record = excluded.record, source_file = excluded.source_file,
            source_sha256 = excluded.source_sha256, source_data_date = excluded.source_data_date,
            imported_at = excluded.imported_at, changed_at = excluded.changed_at,
            source_import = excluded.source_import
        """,
        (
            record["facility_id"],
            record["name"],
            record["state"],
            record["aor"],
            record["facility_type"],
            record["detention_standard"],
            json.dumps(record, ensure_ascii=False, sort_keys=True),
            source["file"],
            source["sha256"],
            source.get("data_date"),
            at,
            at if changed else stored["changed_at"],
            import_id,
        ),
    )
    if stored is None:
        return "added"
    return "updated" if changed else "unchanged"


def _facts(record: Mapping[str, Any]) -> dict[str, Any]:
    """What an update is about: not where the row sat, nor how ICE spelled a value it normalises
    ("PBNDS 2011 - 2016 Revised" one year, "… Revisions" the next)."""
    return {k: v for k, v in record.items() if k not in POSITION and not k.endswith("_label")}


def _is_older(incoming: str | None, stored: str | None) -> bool:
    """Only two known data dates are compared: a file without one is taken as the latest."""
    return incoming is not None and stored is not None and incoming < stored


# ---------------------------------------------------------------------------- reading it


def list_registry(db: Database, aor: str | None = None, *, listed_only: bool = False) -> list[dict[str, Any]]:
    """Every registry facility (or those of one AOR, or only those the newest roster lists), by
    name: the roster record, its source and `listed` (in the newest roster)."""
    where, params = ("WHERE aor = ?", (aor,)) if aor else ("", ())
    with db.read() as conn:
        newest = _newest_roster(conn)
        rows = conn.execute(
            f"SELECT record, {SOURCE_COLUMNS} FROM registry {where} ORDER BY name, facility_id", params
        ).fetchall()
    records = [_row(r, newest) for r in rows]
    return [r for r in records if r["listed"]] if listed_only else records


def registry_facility(db: Database, facility_id: str) -> dict[str, Any] | None:
    with db.read() as conn:
        row = conn.execute(
            f"SELECT record, {SOURCE_COLUMNS} FROM registry WHERE facility_id = ?", (facility_id,)
        ).fetchone()
        return _row(row, _newest_roster(conn)) if row else None


def _newest_roster(conn: sqlite3.Connection) -> sqlite3.Row | None:
    """The import whose data is newest: the latest data date; among equals (or none), the last one."""
    return conn.execute(
        "SELECT file, data_date, sha256 FROM registry_imports "
        "ORDER BY data_date IS NULL, data_date DESC, id DESC"
    ).fetchone()


def newest_roster_import(db: Database) -> dict[str, Any] | None:
    """The import that decides which facilities are current: file, data date, sha256."""
    with db.read() as conn:
        row = _newest_roster(conn)
    return dict(row) if row else None


def _listed(source: Mapping[str, Any], newest: sqlite3.Row | None) -> bool:
    """Does the newest roster list this facility? Its record was then written from a roster of the
    same data date (an older file never overwrites it), or from the same file when none has a date."""
    if newest is None:
        return True
    if newest["data_date"] is not None:
        return source.get("source_data_date") == newest["data_date"]
    return source.get("source_sha256") == newest["sha256"]


def registry_roster(db: Database) -> Roster | None:
    """The facilities of the newest roster (the portfolio starts from them); None when there is none."""
    records = list_registry(db, listed_only=True)
    if not records:
        return None
    names = [f.name for f in dataclasses.fields(Facility)]
    facilities = [Facility(**{name: record.get(name) for name in names}) for record in records]
    dates = [r["source_data_date"] for r in records if r.get("source_data_date")]
    files = sorted({r["source_file"] for r in records})
    source = {
        "file": ", ".join(files),
        "files": files,
        "title": "ICE facilities in the registry",
        "data_date": max(dates) if dates else None,
        "facilities": len(facilities),
    }
    return Roster(source=source, facilities=facilities)


def registry_version(db: Database) -> str:
    """Changes whenever the registry does (for caching what is rendered from it)."""
    with db.read() as conn:
        row = conn.execute("SELECT COUNT(*) AS n, MAX(imported_at) AS at FROM registry").fetchone()
    return f"{row['n']}@{row['at']}"


def registry_aors(db: Database) -> list[str]:
    """The AORs registry facilities are in (for a filter)."""
    with db.read() as conn:
        rows = conn.execute("SELECT DISTINCT aor FROM registry WHERE aor IS NOT NULL ORDER BY aor").fetchall()
    return [r["aor"] for r in rows]


def list_imports(db: Database, limit: int = 10) -> list[dict[str, Any]]:
    """The latest roster imports, newest first."""
    with db.read() as conn:
        rows = conn.execute("SELECT * FROM registry_imports ORDER BY id DESC LIMIT ?", (limit,)).fetchall()
    return [dict(r) for r in rows]


def _row(row: sqlite3.Row, newest: sqlite3.Row | None) -> dict[str, Any]:
    source = dict(row)  # (a sqlite3.Row iterates over its values, dict() pairs them with names)
    return {**json.loads(source.pop("record")), **source, "listed": _listed(source, newest)}


def open_registry(database: Path) -> Database:
    """The registry in a data folder's database; never creates one just to read it."""
    if not database.is_file():
        raise RegistryError(
            f"no facility registry in {database.parent}: import a roster first "
            f"(auditor facilities import FILE --data {database.parent})"
        )
    return Database(database)


# ---------------------------------------------------------------------------- a new inspection


def prefill(record: Mapping[str, Any] | Facility) -> dict[str, str]:
    """The Facility-sheet fields a new inspection takes from a roster record; a field without a
    sure counterpart among our values is left empty, never guessed."""
    r = record.to_dict() if isinstance(record, Facility) else record
    aor = _text(r.get("aor")).upper()
    state = _text(r.get("state")).upper()
    standard = _text(r.get("detention_standard"))
    return {
        "facility_id": _text(r.get("facility_id")),
        "facility_name": _text(r.get("name")),
        "facility_type": TYPE_MAP.get(_text(r.get("facility_type")), ""),
        "aor": aor if aor in AORS else "",
        "state": state if re.fullmatch(r"[A-Z]{2}", state) else "",
        "detention_standard": standard if standard in EDITIONS else "",
    }


def _text(value: Any) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def prefilled_workbook(db: Database, facility_id: str, path: str | Path) -> Path:
    """Write the inspection template with the Facility sheet pre-filled from the registry."""
    from auditor.workbook.template import write_template

    record = registry_facility(db, facility_id)
    if record is None:
        raise RegistryError(
            f"no facility {facility_id!r} in the registry ({db.path.parent}); "
            "`auditor facilities list` shows the ids"
        )
    return write_template(path, prefill(record))
