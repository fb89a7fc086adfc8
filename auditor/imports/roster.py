"""Import ICE's facility roster (a Detention Statistics workbook) as one record per facility.

Every value is read through the profile `ice-detention-statistics`; a value its tables do not
list is kept as found and reported with its cell, never guessed or dropped.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from auditor import untrusted
from auditor.contracts.roster import Facility, Roster, Unrecognised
from auditor.errors import ConfigError
from auditor.imports.profile import Profile, ValueTable, fold, load_profile
from auditor.imports.table import Table, column_of, find_header, header_positions, is_blank, open_table

PROFILE = "ice-detention-statistics"


def import_roster(path: str | Path, profile: Profile | None = None) -> Roster:
    """Read the Facilities sheet of an ICE Detention Statistics workbook."""
    profile = profile or load_profile(PROFILE)
    table = open_table(path, profile["sheet"]["name_matches"])
    spec = profile["header"]
    header_index = find_header(table, spec["first_cell"], spec["must_include"], spec["within_first_rows"])
    if profile.get("table_ends_at") != "first_cell_only":
        raise ConfigError(f"profile {profile.id}: table_ends_at must be first_cell_only")
    reader = _RowReader(profile, table, header_positions(table.rows[header_index]))
    facilities: list[Facility] = []
    index = header_index + 1
    for index in range(header_index + 1, len(table.rows)):
        row = table.rows[index]
        if all(is_blank(v) for v in row[1:]):  # a blank row or a footnote ends the table
            break
        facilities.append(reader.facility(index, row))
    else:
        index = len(table.rows)
    return Roster(
        source={
            "file": table.file.name,
            "sha256": table.sha256,
            "profile": profile.id,
            "sheet": table.sheet,
            "header_row": table.excel_row(header_index),
            "first_row": table.excel_row(header_index + 1),
            "last_row": table.excel_row(index - 1),
            "facilities": len(facilities),
            **_banner(table, header_index, profile),
        },
        facilities=facilities,
        unrecognised=reader.unrecognised,
    )


def _banner(table: Table, header_index: int, profile: Profile) -> dict[str, Any]:
    """The title and data date written above the table."""
    spec = profile.get("banner", {})
    title = data_date = None
    for row in table.rows[:header_index]:
        text = " ".join(str(v) for v in row if isinstance(v, str) and v.strip())
        if title is None and re.search(spec.get("title_matches", "$^"), text.strip(), re.IGNORECASE):
            title = " ".join(text.split())
        match = re.search(spec.get("data_date_matches", "$^"), text)
        if data_date is None and match:
            data_date = dt.datetime.strptime(match.group(1), "%m/%d/%Y").date().isoformat()
    return {"title": title, "data_date": data_date}


class _RowReader:
    """Reads one roster row into a Facility, noting every value the profile does not know."""

    def __init__(self, profile: Profile, table: Table, positions: dict[str, int]):
        self.profile, self.table, self.positions = profile, table, positions
        self.tables: dict[str, ValueTable] = {}
        self.unrecognised: list[Unrecognised] = []

    def column(self, headers: list[str]) -> int | None:
        return column_of(self.positions, headers)

    def cell(self, row: list[Any], index: int, headers: list[str]) -> tuple[Any, int | None]:
        col = self.column(headers)
        if col is None or col >= len(row) or is_blank(row[col]):
            return None, col
        value = row[col]
        return (" ".join(value.split()) if isinstance(value, str) else value), col

    def value(self, row: list[Any], index: int, name: str, headers: list[str], table: str) -> tuple[Any, Any]:
        """(canonical value, label as found) through a value table."""
        raw, col = self.cell(row, index, headers)
        if raw is None:
            return None, None
        found = self.table_named(table).lookup(raw)
        if not found.known:
            self.note(index, col, name, raw, self.table_named(table).expected())
        return found.value, str(raw)

    def table_named(self, name: str) -> ValueTable:
        if name not in self.tables:
            self.tables[name] = self.profile.table(name)
        return self.tables[name]

    def note(self, index: int, col: int | None, name: str, raw: Any, expected: str) -> None:
        ref = self.table.ref(index, col) if col is not None else self.table.ref(index, 0)
        self.unrecognised.append(Unrecognised(ref, name, str(raw), expected))

    def facility(self, index: int, row: list[Any]) -> Facility:
        fields = self.profile["fields"]
        text = {
            key: self.cell(row, index, fields[key]["columns"])[0]
            for key in ("name", "address", "city", "state", "aor")
        }
        text = {k: (str(v) if v is not None else None) for k, v in text.items()}
        zip_code = self.zip(row, index, fields["zip"]["columns"])
        facility_type, type_label = self.value(
            row, index, "facility_type", fields["facility_type"]["columns"], "facility_type"
        )
        pending, _ = self.value(
            row, index, "pending_inspection", fields["pending_inspection"]["columns"], "pending_inspection"
        )
        last = self.last_inspection(row, index)
        if last["last_inspection_status"] == "none reported" and pending:
            last["last_inspection_status"] = pending  # FY25's "Pending FY25 Inspection: Scheduled"
        return Facility(
            facility_id=facility_key(text["name"] or "", text["state"], zip_code),
            name=text["name"] or "",
            address=text["address"],
            city=text["city"],
            state=text["state"],
            zip=zip_code,
            aor=text["aor"],
            facility_type=facility_type,
            facility_type_label=type_label,
            guaranteed_minimum=self.count(row, index, fields["guaranteed_minimum"]["columns"]),
            pending_inspection=pending,
            row=self.table.excel_row(index),
            ref=self.table.ref(index, 0),
            **last,
        )

    def zip(self, row: list[Any], index: int, headers: list[str]) -> str | None:
        raw, col = self.cell(row, index, headers)
        if raw is None:
            return None
        if isinstance(raw, float) and raw.is_integer() and 0 <= raw < 100000:
            return f"{int(raw):05d}"  # a number lost its leading zeros: 2863 is 02863
        if isinstance(raw, str) and re.fullmatch(r"\d{5}(-\d{4})?", raw):
            return raw
        if isinstance(raw, str) and re.fullmatch(r"\d{3,4}", raw):
            return raw.zfill(5)
        self.note(index, col, "zip", raw, "a 5-digit ZIP code")
        return str(raw)

    def count(self, row: list[Any], index: int, headers: list[str]) -> int | None:
        raw, col = self.cell(row, index, headers)
        if raw is None or fold(raw) == "n/a":
            return None
        if isinstance(raw, float) and raw.is_integer():
            return int(raw)
        self.note(index, col, "guaranteed_minimum", raw, "a whole number")
        return None

    def last_inspection(self, row: list[Any], index: int) -> dict[str, Any]:
        spec = self.profile["last_inspection"]
        absent = {fold(v) for v in spec.get("absent", [])}
        groups = [g for g in spec["groups"] if self.column(g["end_date"]) is not None]
        chosen = groups[0] if groups else spec["groups"][0]
        for group in groups:
            raw, _ = self.cell(row, index, group["end_date"])
            if raw is not None and fold(raw) not in absent:
                chosen = group
                break
        kind, kind_label = self.value(row, index, "last_inspection_type", chosen["type"], "inspection_type")
        standard, standard_label = self.value(
            row, index, "detention_standard", chosen["standard"], "standard"
        )
        rating, rating_label = self.value(row, index, "final_rating", chosen["rating"], "rating")
        end, status = self.end_date(row, index, chosen["end_date"])
        outcome = self.table_named("rating_outcome").lookup(rating).value if rating else None
        return {
            "last_inspection_type": kind,
            "last_inspection_type_label": kind_label,
            "detention_standard": standard,
            "detention_standard_label": standard_label,
            "final_rating": rating,
            "final_rating_label": rating_label,
            "rating_outcome": outcome,
            "last_inspection_end": end,
            "last_inspection_status": status,
        }

    def end_date(self, row: list[Any], index: int, headers: list[str]) -> tuple[str | None, str]:
        raw, col = self.cell(row, index, headers)
        if raw is None:
            return None, "none reported"
        if isinstance(raw, dt.datetime):
            return raw.date().isoformat(), "inspected"
        if isinstance(raw, dt.date):
            return raw.isoformat(), "inspected"
        text = str(raw)
        if re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}", text):  # US dates stored as text
            try:
                return dt.datetime.strptime(text, "%m/%d/%Y").date().isoformat(), "inspected"
            except ValueError:
                pass
        found = self.table_named("end_date_placeholder").lookup(text)
        if found.known and found.value:
            return None, found.value
        self.note(index, col, "last_inspection_end", text, "a date (M/D/YYYY) or a known placeholder")
        return None, text


def facility_key(name: str, state: str | None, zip_code: str | None) -> str:
    """A stable id for a roster facility: ICE publishes none, and names repeat across states."""
    slug = re.sub(r"[^A-Z0-9]+", "-", name.upper()).strip("-")
    return "-".join(part for part in ("ICE", state or "XX", zip_code or "00000", slug) if part)


def name_key(name: str, state: str | None = None) -> tuple[str, str | None]:
    """(name, state) for matching the same facility across sources: case, punctuation and a
    trailing state in brackets ("STEWART DETENTION CENTER (GA)", ICE's SRMS style) ignored."""
    text = " ".join(name.upper().split())
    suffix = re.search(r"\s*\(([A-Z]{2})\)$", text)
    if suffix:
        text, state = text[: suffix.start()], state or suffix.group(1)
    return re.sub(r"[^A-Z0-9]+", " ", text).strip(), (state.upper() if state else None)


def _starts_like_json(path: Path) -> bool:
    """Told from the first bytes, not the whole file (a workbook can be large)."""
    with path.open("rb") as handle:
        return handle.read(64).lstrip().startswith(b"{")


def load_roster(path: str | Path) -> Roster:
    """A roster from an ICE workbook, or from the JSON `auditor facilities import` wrote."""
    path = Path(path)
    if path.is_file() and _starts_like_json(path):
        return untrusted.load_json_as(
            path, Roster.from_dict, "a roster from `auditor facilities import --format json`"
        )
    return import_roster(path)
