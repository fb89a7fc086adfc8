"""Waiver files (YAML, or a CSV with the same columns in any encoding Excel saves), read and checked
into the engine's WaiverSet: every refusal names the file, the line and the field.

    waivers:
      - requirement_id: FS-HOT-HOLD
        facility_id: CDF-0002      # or "*" for every facility
        justification: Why the deficiency is accepted for now.
        approved_by: J. Rivera, Field Office Director
        expires: 2026-12-31

A CSV is decoded as every CSV is (workbook/text_files.decode_text); a Windows-1252 guess is a
warning in the results.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import hashlib
import io
import re
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any

from auditor.config_yaml import YamlDocument, load_yaml, read_limited
from auditor.engine.waivers import WaiverEntry, WaiverSet
from auditor.errors import ConfigError, WorkbookError
from auditor.standards.load import available_editions, load_edition
from auditor.workbook.text_files import decode_text

FIELDS = ("requirement_id", "facility_id", "justification", "approved_by", "expires")
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def load_waivers(
    path: str | Path,
    *,
    requirement_ids: Collection[str] | None = None,
    facilities: Collection[str] | None = None,
) -> WaiverSet:
    """Read a waivers file (YAML, or CSV by its suffix); every refusal names its file and line.

    A requirement id must exist in `requirement_ids` (default: every edition's), so a misspelt one
    is an error rather than a waiver that is silently "not needed". When `facilities` is given (a
    registry's ids), a facility_id other than `*` must be one of them.
    """
    path = Path(path)
    warnings: list[str] = []
    if path.suffix.lower() == ".csv":
        raw = read_limited(path, what="waivers file")
        records = _csv(raw, path, warnings)
    else:
        doc = load_yaml(path, what="waivers file")
        raw, records = doc.raw, _yaml(doc)
    known = set(requirement_ids) if requirement_ids is not None else known_requirement_ids()
    entries = []
    for number, (record, where) in enumerate(records, start=1):
        entry = _entry(where, number, record)
        if entry.requirement_id not in known:
            close = difflib.get_close_matches(entry.requirement_id, sorted(known), n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            raise ConfigError(
                f"{where('requirement_id')}: waiver {number}: requirement_id: there is no requirement "
                f"{entry.requirement_id!r} in any edition{hint}"
            )
        if facilities is not None and entry.facility_id != "*" and entry.facility_id not in facilities:
            raise ConfigError(
                f"{where('facility_id')}: waiver {number} ({entry.requirement_id}): facility_id: "
                f"{entry.facility_id!r} is not a facility of the registry"
            )
        entries.append(entry)
    return WaiverSet(entries, path.name, hashlib.sha256(raw).hexdigest(), warnings)


def known_requirement_ids() -> set[str]:
    """The id of every requirement of every edition: what a waiver may name."""
    return {rid for name in available_editions() for rid in load_edition(name).requirements}


Where = Callable[[str], str]  # a field's name → "file:line"


def _yaml(doc: YamlDocument) -> list[tuple[Any, Where]]:
    data = doc.data
    if not isinstance(data, dict) or not isinstance(data.get("waivers"), list):
        raise ConfigError(f"{doc.where('waivers')}: expected a list under 'waivers:'")
    for key in data:
        if key != "waivers":
            raise ConfigError(f"{doc.where(key)}: {key}: unknown field (a waivers file has only 'waivers:')")
    return [
        (record, lambda field, i=index: doc.where("waivers", i, field))
        for index, record in enumerate(data["waivers"])
    ]


def _csv(raw: bytes, path: Path, warnings: list[str]) -> list[tuple[Any, Where]]:
    try:  # as every CSV the project reads: BOMs, strict UTF-8 else Windows-1252, CR line ends
        decoded = decode_text(raw, str(path))
    except WorkbookError as exc:  # a waivers file is configuration: exit 2, as its other errors
        raise ConfigError(str(exc)) from None
    if decoded.warning:
        warnings.append(decoded.warning)
    reader = csv.reader(io.StringIO(decoded.text, newline=""))
    records: list[tuple[Any, Where]] = []
    try:
        header = [name.strip() for name in next(reader, [])]
        unknown = [name for i, name in enumerate(header) if name not in FIELDS or name in header[:i]]
        if unknown or not header:
            raise ConfigError(
                f"{path}:1: {(unknown or ['(no header)'])[0]}: unknown or repeated column "
                f"(a waivers CSV has the columns {', '.join(FIELDS)})"
            )
        start = reader.line_num + 1
        for row in reader:
            where: Where = lambda field, line=start: f"{path}:{line}"  # noqa: E731
            start = reader.line_num + 1
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                raise ConfigError(f"{where('')}: {len(row)} cells where the header has {len(header)}")
            records.append((dict(zip(header, row, strict=True)), where))
    except csv.Error as exc:
        raise ConfigError(f"{path}:{reader.line_num}: not a readable CSV ({exc})") from None
    return records


def _entry(where: Where, number: int, record: Any) -> WaiverEntry:
    if not isinstance(record, dict):
        raise ConfigError(f"{where('')}: waiver {number}: expected {', '.join(FIELDS)}")
    rid = record.get("requirement_id")
    label = f"waiver {number} ({rid})" if isinstance(rid, str) and rid.strip() else f"waiver {number}"
    for key in record:
        if key not in FIELDS:
            raise ConfigError(
                f"{where(key)}: {label}: {key}: unknown field (a waiver has {', '.join(FIELDS)})"
            )
    missing = [f for f in FIELDS if record.get(f) is None or not str(record[f]).strip()]
    if missing:
        raise ConfigError(f"{where(missing[0])}: {label}: {', '.join(missing)} required")
    for key in FIELDS[:4]:
        if not isinstance(record[key], str):
            raise ConfigError(f"{where(key)}: {label}: {key} must be text (quote it)")
    return WaiverEntry(
        requirement_id=record["requirement_id"].strip(),
        facility_id=record["facility_id"].strip(),
        justification=" ".join(record["justification"].split()),
        approved_by=record["approved_by"].strip(),
        expires=parse_expiry(record["expires"], f"{where('expires')}: {label}: expires"),
    )


def parse_expiry(value: Any, what: str = "expires") -> dt.date:
    """A calendar date, strictly: a YAML date or YYYY-MM-DD text, never a date and time.

    `date.fromisoformat` alone also takes 20261231 and 2026-W01-1 (which is 2025-12-29); a
    waiver's expiry is written one way only. Raises ConfigError starting with `what`.
    """
    if isinstance(value, dt.datetime):
        raise ConfigError(f"{what} {value.isoformat(sep=' ')} is a date and time; give a YYYY-MM-DD date")
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if ISO_DATE.fullmatch(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError as exc:
            raise ConfigError(f"{what} {text!r} is not a date ({exc})") from None
    raise ConfigError(f"{what} {text!r} is not a YYYY-MM-DD date")
