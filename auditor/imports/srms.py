"""Import ICE's Segregation Review Management System (SRMS) export: one placement per report row.

Every value is read through the profile `srms` (auditor/imports/profiles/srms.yml). The export
is split by facility into inspections in our CSV-folder form (Facility.csv + Placements.csv, one
report per row with its report_type), in the scope `segregation-notices`
(standards/scopes/segregation-notices.yml). Each folder is then audited exactly as `auditor audit
FOLDER` audits it, and that audit's results are the facility's results JSON: the importer makes
inspections, never results. A value the profile does not list is reported with its cell; rows
that are not reports (blank, or stray cells below the table) are counted and reported, never
imported.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from auditor.contracts.results import Results
from auditor.contracts.roster import Roster, Unrecognised
from auditor.core import audit_inspections
from auditor.errors import WorkbookError
from auditor.imports.profile import Profile, fold, load_profile
from auditor.imports.roster import name_key
from auditor.imports.table import Table, column_of, find_header, header_positions, is_blank, open_table
from auditor.safe_cells import csv_frame, csv_text
from auditor.standards.load import available_editions
from auditor.workbook import declarations as decl
from auditor.workbook.ids import FACILITY_ID_MAX
from auditor.workbook.zones import SPLIT_STATES

PROFILE = "srms"
SCOPE = "segregation-notices"  # standards/scopes/segregation-notices.yml
PLACEMENT_COLUMNS = (
    "placement_id",
    "detainee_id",
    "kind",
    "start",
    "end",
    "sex",
    "mental_illness",
    "serious_medical_illness",
    "serious_disability",
    "suicide_risk",
    "field_office_notified",
)
VULNERABILITIES = ("mental_illness", "serious_medical_illness", "serious_disability", "suicide_risk")
STATE_SUFFIX = re.compile(r"\s*\(([A-Z]{2})\)\s*$")  # "STEWART DETENTION CENTER (GA)"
SUMMARY_FILE, ISSUES_FILE = "import-summary.csv", "import-issues.csv"
TRACE_FILE = "import-trace.csv"  # each placement's export row, report type and reason, as found
NOTICES = {
    "SMU-NOTIFY-VULNERABLE": "vulnerable",
    "SMU-NOTIFY-14D": "notice_14d",
    "SMU-NOTIFY-30D": "notice_30d",
}
ID_PREFIX = "SRMS-"  # a facility's id is the prefix and its folder's slug in capitals
SLUG_MAX = FACILITY_ID_MAX - len(ID_PREFIX)  # a long name's slug is cut to keep its id valid


@dataclass
class Note:
    """Something the import did or found that a reviewer should know, with the cells concerned."""

    code: str
    message: str
    refs: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class FacilitySummary:
    slug: str
    facility_name: str
    facility_id: str
    aor: str | None
    state: str | None
    facility_type: str | None
    detention_standard: str | None
    edition: str
    roster_ref: str | None  # the roster row that gave type, state and standard
    rows: int
    rows_72h: int
    rows_14d: int
    rows_30d: int
    vulnerable_population: int
    vulnerable_late: int
    vulnerable_indeterminate: int  # a date-only Placement Date whose day straddles the 72 h
    vulnerable_status: str
    notice_14d_population: int
    notice_14d_late: int
    notice_14d_indeterminate: int
    notice_14d_status: str
    notice_30d_population: int  # the 30 Day Interval reports (docs/segregation.md: late ones undecided)
    notice_30d_late: int
    notice_30d_indeterminate: int
    notice_30d_status: str
    rating: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class SrmsImport:
    source: dict[str, Any]
    out_dir: Path
    rows_in: int  # every row below the header, to the end of the sheet's used range
    report_rows: int  # rows naming a facility: one report, one placement each
    blank_rows: int
    orphan_rows: int  # rows with a value but no facility: reported, not imported
    orphan_row_numbers: list[int]  # their Excel rows
    orphan_refs: list[str]  # every cell holding a value in them
    placements_out: int
    facilities: list[FacilitySummary]
    unrecognised: list[Unrecognised] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)

    def totals(self) -> dict[str, dict[str, int]]:
        """Population, late and undecided reports, deficient and compliant facilities of the two notices,
        over every facility."""
        out = {}
        for requirement, prefix in NOTICES.items():
            statuses = [getattr(f, f"{prefix}_status") for f in self.facilities]
            out[requirement] = {
                "population": sum(getattr(f, f"{prefix}_population") for f in self.facilities),
                "late": sum(getattr(f, f"{prefix}_late") for f in self.facilities),
                "indeterminate": sum(getattr(f, f"{prefix}_indeterminate") for f in self.facilities),
                "deficient_facilities": statuses.count("deficient"),
                "compliant_facilities": statuses.count("compliant"),
                "indeterminate_facilities": statuses.count("indeterminate"),
            }
        return out

    def to_dict(self) -> dict[str, Any]:
        data = {k: v for k, v in asdict(self).items() if k not in ("facilities", "unrecognised", "notes")}
        return data | {
            "out_dir": str(self.out_dir),
            "totals": self.totals(),
            "facilities": [f.to_dict() for f in self.facilities],
            "unrecognised": [u.to_dict() for u in self.unrecognised],
            "notes": [n.to_dict() for n in self.notes],
        }


def import_srms(
    path: str | Path, out_dir: str | Path, *, roster: Roster | None = None, profile: Profile | None = None
) -> SrmsImport:
    """Read an SRMS export; write a CSV folder and a results JSON per facility into out_dir."""
    profile = profile or load_profile(PROFILE)
    export = _Export.read(path, profile)
    reports = export.reports()
    orphans = ~reports & ~export.blank
    reader = _Reader(profile, export, reports)
    rows = reader.rows()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    writer = _Writer(profile, export, rows, roster, reader.notes)
    written = [writer.facility(out, name) for name in sorted(rows.facts["name"].unique(), key=fold)]
    writer.write_trace(out / TRACE_FILE)
    summaries = _audit(written)
    done = SrmsImport(
        source=export.source(reports),
        out_dir=out,
        rows_in=len(export.frame),
        report_rows=int(reports.sum()),
        blank_rows=int(export.blank.sum()),
        orphan_rows=int(orphans.sum()),
        orphan_row_numbers=export.frame.index[orphans.to_numpy()].tolist(),
        orphan_refs=export.cell_refs(orphans),
        placements_out=sum(f.rows for f in summaries),
        facilities=summaries,
        unrecognised=reader.unrecognised,
        notes=reader.notes,
    )
    _write_summary(out / SUMMARY_FILE, summaries)
    _write_issues(out / ISSUES_FILE, done)
    return done


# ---------------------------------------------------------------------------- reading the sheet


@dataclass
class _Export:
    """The sheet's data rows as cells: index = Excel row, columns = 0-based column, blanks None."""

    table: Table
    header_index: int
    frame: pd.DataFrame
    blank: pd.Series  # rows without a single value
    fields: dict[str, Any]  # the profile's fields
    columns: dict[str, int]  # our field → export column, for the fields the sheet has

    @classmethod
    def read(cls, path: str | Path, profile: Profile) -> _Export:
        table = open_table(path, profile["sheet"]["name_matches"])
        spec = profile["header"]
        header_index = find_header(table, spec["first_cell"], spec["must_include"], spec["within_first_rows"])
        body = table.rows[header_index + 1 :]
        frame = pd.DataFrame(body, index=pd.RangeIndex(len(body)) + table.excel_row(header_index + 1))
        frame = frame.astype(object).where(~_blank_cells(frame), None)
        positions = header_positions(table.rows[header_index])
        columns = {}
        for name, field_spec in profile["fields"].items():
            col = column_of(positions, field_spec["columns"])
            if col is not None:
                columns[name] = col
            elif field_spec.get("required"):
                raise WorkbookError(
                    f"{table.file}: sheet {table.sheet!r} has no {' or '.join(field_spec['columns'])!r} "
                    f"column in header row {table.excel_row(header_index)} (the SRMS profile needs it)"
                )
        return cls(table, header_index, frame, frame.isna().all(axis=1), profile["fields"], columns)

    def values(self, name: str) -> pd.Series:
        """A field's cells (all None when the sheet has no such column)."""
        if name not in self.columns:
            return pd.Series(None, index=self.frame.index, dtype=object)
        return self.frame[self.columns[name]]

    def reports(self) -> pd.Series:
        return self.values("facility_name").notna()

    def prefix(self, col: int) -> str:
        """`'2017 - 2023'!I` for column col: the Excel row completes the reference."""
        return re.sub(r"\d+$", "", self.table.ref(0, col))

    def refs(self, name: str, rows: pd.Index) -> list[str]:
        prefix = self.prefix(self.columns[name])
        return [f"{prefix}{row}" for row in rows.tolist()]

    def cell_refs(self, rows: pd.Series) -> list[str]:
        """Every cell holding a value in the given rows, row by row."""
        filled = self.frame[rows.to_numpy()].notna()
        prefixes = [self.prefix(int(c)) for c in filled.columns]
        return [
            f"{prefixes[c]}{row}"
            for row, cells in zip(filled.index.tolist(), filled.to_numpy(), strict=True)
            for c in np.flatnonzero(cells).tolist()
        ]

    def source(self, reports: pd.Series) -> dict[str, Any]:
        rows = self.frame.index[reports.to_numpy()]
        return {
            "file": self.table.file.name,
            "sha256": self.table.sha256,
            "profile": PROFILE,
            "sheet": self.table.sheet,
            "header_row": self.table.excel_row(self.header_index),
            "last_row": int(self.frame.index[-1]) if len(self.frame) else None,
            "first_report_row": int(rows.min()) if len(rows) else None,
            "last_report_row": int(rows.max()) if len(rows) else None,
        }


def _blank_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """Empty or whitespace-only cells (pandas' string methods where a column is all text)."""
    out = {}
    for col in frame.columns:
        values = frame[col]
        if pd.api.types.is_string_dtype(values) and values.dtype != object:
            out[col] = (values.isna() | (values.str.strip() == "")).to_numpy(dtype=bool)
        else:
            out[col] = values.map(is_blank).to_numpy(dtype=bool)
    return pd.DataFrame(out, index=frame.index)


# ---------------------------------------------------------------------------- normalising


@dataclass
class _Rows:
    """The report rows (index = export row): Placements as text (what the CSV holds) and each
    row's facility facts."""

    text: pd.DataFrame
    facts: pd.DataFrame  # name, state, aor, report_type (canonical)


class _Reader:
    """Normalises the report rows through the profile, noting every value it does not know."""

    def __init__(self, profile: Profile, export: _Export, reports: pd.Series):
        self.profile, self.export = profile, export
        self.index = export.frame.index[reports.to_numpy()]
        self.unrecognised: list[Unrecognised] = []
        self.notes: list[Note] = []

    def cells(self, name: str) -> pd.Series:
        return self.export.values(name).loc[self.index]

    def header(self, name: str) -> str:
        return " ".join(
            str(self.export.table.rows[self.export.header_index][self.export.columns[name]]).split()
        )

    def lookup(self, name: str) -> tuple[pd.Series, pd.Series]:
        """(canonical value or None, the cell as found) of a field read through its value table.

        Each distinct value is looked up once; an unknown one is reported at every cell holding it."""
        found = self.cells(name)
        table = self.profile.table(self.export.fields[name]["values"])
        answers = {value: table.lookup(value) for value in pd.unique(found.dropna())}
        canonical = found.map({v: a.value for v, a in answers.items()}).astype(object)
        unknown = [v for v, a in answers.items() if not a.known]
        if unknown:
            self.report(name, found, found.isin(unknown).to_numpy(), table.expected())
        return canonical.where(canonical.notna(), None), found

    def report(self, name: str, found: pd.Series, mask: np.ndarray, expected: str) -> None:
        refs = self.export.refs(name, found.index[mask])
        values = found[mask].map(str).tolist()
        self.unrecognised += [
            Unrecognised(ref, name, value, expected) for ref, value in zip(refs, values, strict=True)
        ]

    def when(self, name: str) -> tuple[pd.Series, np.ndarray]:
        """(instant, date-only mask) of a date field: an Excel date is 00:00 of its day."""
        found = self.cells(name)
        kinds = found.map(type)
        is_date, is_stamp = (kinds == dt.date).to_numpy(), (kinds == dt.datetime).to_numpy()
        bad = found.notna().to_numpy() & ~(is_date | is_stamp)
        if bad.any():  # text or a number where a date belongs: reported, left empty
            self.report(name, found, bad, "an Excel date or date and time")
        stamps = pd.to_datetime(found.where(is_date | is_stamp), errors="coerce").astype("datetime64[us]")
        return stamps, is_date

    def flag(self, name: str) -> pd.Series:
        """A vulnerability as our TRUE/FALSE text; empty stays empty (not recorded is not "no")."""
        if name not in self.export.columns:
            return pd.Series(None, index=self.index, dtype=object)
        value, _ = self.lookup(name)
        return value.map({"true": "TRUE", "false": "FALSE"}).astype(object)

    def rows(self) -> _Rows:
        kind, reason = self.lookup("kind")
        report_type, report_type_found = self.lookup("report_type")
        start, start_date_only = self.when("start")
        end, end_date_only = (
            self.when("end") if "end" in self.export.columns else (_no_dates(self.index), None)
        )
        notified, notified_date_only = self.when("field_office_notified")
        sex = self.lookup("sex")[0] if "sex" in self.export.columns else pd.Series(None, index=self.index)
        ids = pd.Series(self.index, index=self.index).map("{:06d}".format)
        text = pd.DataFrame(
            {
                "placement_id": "SRMS-R" + ids,
                "detainee_id": "SRMS-D" + ids,
                "kind": kind,
                "start": _stamp_text(start, date_only=start_date_only),  # a Placement Date: its whole day
                "end": _stamp_text(end, date_only=end_date_only),
                "sex": sex,
                **{name: self.flag(name) for name in VULNERABILITIES},
                "field_office_notified": _stamp_text(notified),
                "report_type": report_type,
            },
            index=self.index,
        )
        trace = self.profile["trace"]
        text[trace["row"]] = [str(row) for row in self.index.tolist()]
        text[trace["report_type"]] = report_type_found.map(_as_text)
        text[trace["reason"]] = reason.map(_as_text)
        text = text.astype(object).where(text.notna(), None)
        self.note_dates(start, end, notified, notified_date_only)
        self.note_empty(("start", "field_office_notified", "kind", "report_type"))
        facts = self.facts(report_type)
        usable = self.note_unusable(kind.notna() & start.notna())
        return _Rows(text[usable], facts[usable])

    def note_unusable(self, usable: pd.Series) -> np.ndarray:
        """Rows our Placements sheet cannot hold (no kind or start, which it requires): not written,
        so every facility folder is a valid inspection; each is reported with its cells, never lost."""
        mask = usable.to_numpy(dtype=bool)
        if not mask.all():
            rows = self.index[~mask]
            refs = [ref for name in ("kind", "start") for ref in self.export.refs(name, rows)]
            self.notes.append(
                Note(
                    "not_imported",
                    f"{int((~mask).sum())} report row(s) without a placement kind or start, which a "
                    "Placements row needs: not imported (see the unrecognised or empty cells)",
                    sorted(refs, key=lambda ref: (int(re.sub(r"\D", "", ref.split("!")[-1])), ref)),
                )
            )
        return mask

    def facts(self, report_type: pd.Series) -> pd.DataFrame:
        names = self.cells("facility_name").map(lambda v: " ".join(str(v).split()))
        has_aor = "aor" in self.export.columns
        aor = self.lookup("aor")[0] if has_aor else pd.Series(None, index=self.index, dtype=object)
        facts = pd.DataFrame({"name": names, "aor": aor, "report_type": report_type})
        empty = self.cells("aor").isna() if has_aor else pd.Series(True, index=self.index)
        facts["aor"] = self.fill_aor(facts, empty)
        return facts

    def fill_aor(self, facts: pd.DataFrame, empty: pd.Series) -> pd.Series:
        """An empty AOR takes the facility's own (the one most of its rows give): both reported."""
        counts = facts.dropna(subset=["aor"]).groupby(["name", "aor"]).size().reset_index(name="n")
        counts = counts.sort_values(["name", "n", "aor"], ascending=[True, False, True])
        main = counts.drop_duplicates("name").set_index("name")["aor"]
        for name, group in counts.groupby("name", sort=True):
            if len(group) > 1:
                split = ", ".join(f"{a}: {n} rows" for a, n in zip(group["aor"], group["n"], strict=True))
                self.notes.append(
                    Note(
                        "aor_varies",
                        f"{name} is reported under {len(group)} AORs ({split}); "
                        f"its Facility sheet gives {main[name]}",
                    )
                )
        filled = facts["aor"].where(~empty, facts["name"].map(main))
        done = (empty & filled.notna()).to_numpy()
        if done.any() and "aor" in self.export.columns:
            self.notes.append(
                Note(
                    "aor_filled",
                    f"{int(done.sum())} report row(s) with an empty {self.header('aor')}: filled with the "
                    "facility's AOR from its other rows",
                    self.export.refs("aor", facts.index[done]),
                )
            )
        return filled.astype(object).where(filled.notna(), None)

    def note_dates(self, start, end, notified, notified_date_only) -> None:
        checks = [
            (
                "filed_before_placement",
                (notified < start).to_numpy(),
                "field_office_notified",
                f"report(s) with {self.header('field_office_notified')} before {self.header('start')}: "
                "kept; a negative delay is on time",
            ),
            (
                "created_without_time",
                notified_date_only & notified.notna().to_numpy(),
                "field_office_notified",
                f"{self.header('field_office_notified')} cell(s) with a date but no time: read as 00:00",
            ),
        ]
        if "end" in self.export.columns:
            checks.append(
                (
                    "released_before_placement",
                    (end < start).to_numpy(),
                    "end",
                    f"{self.header('end')} cell(s) before {self.header('start')}: kept as found",
                )
            )
        for code, mask, name, message in checks:
            if mask.any():
                self.notes.append(
                    Note(code, f"{int(mask.sum())} {message}", self.export.refs(name, self.index[mask]))
                )

    def note_empty(self, names: tuple[str, ...]) -> None:
        """Report rows missing a value the evaluation needs (kept: the placement is still written)."""
        for name in names:
            empty = self.cells(name).isna().to_numpy()
            if empty.any():
                self.notes.append(
                    Note(
                        f"empty_{name}",
                        f"{int(empty.sum())} report row(s) with an empty {self.header(name)}",
                        self.export.refs(name, self.index[empty]),
                    )
                )


def _no_dates(index: pd.Index) -> pd.Series:
    return pd.Series(pd.NaT, index=index, dtype="datetime64[us]")


def _as_text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    return " ".join(str(value).split())


def _stamp_text(values: pd.Series, date_only: np.ndarray | None = None) -> pd.Series:
    """Instants as our workbook writes them (YYYY-MM-DD HH:MM, seconds only when there are some);
    cells that held a date without a time stay a date."""
    text = values.dt.strftime("%Y-%m-%d %H:%M").astype(object)
    seconds = (values.dt.second.fillna(0) != 0).to_numpy()
    if seconds.any():
        text[seconds] = values[seconds].dt.strftime("%Y-%m-%d %H:%M:%S")
    if date_only is not None and date_only.any():
        text[date_only] = text[date_only].str[:10]
    return text.where(values.notna(), None)


# ---------------------------------------------------------------------------- facilities and results


class _Writer:
    """Writes each facility's inspection folder, audits it, and sums up what it found."""

    def __init__(
        self, profile: Profile, export: _Export, rows: _Rows, roster: Roster | None, notes: list[Note]
    ) -> None:
        self.profile, self.export, self.rows, self.notes = profile, export, rows, notes
        self.roster = _RosterIndex(roster) if roster is not None else None
        self.groups = rows.facts.groupby("name", sort=False).indices  # name → row positions
        # formula-like text quoted once for every facility's CSV; cells as Python values (None for an
        # empty one), written by the csv module: pandas' to_csv cost milliseconds a folder
        quoted = csv_frame(rows.text)
        self.columns = list(quoted.columns)
        self.cells = quoted.astype(object).where(quoted.notna(), None).to_numpy(dtype=object)
        first = pd.to_datetime(rows.text["start"], format="ISO8601").min()
        last = pd.to_datetime(rows.text["field_office_notified"], format="ISO8601").max()
        self.period = (_day(first), _day(last))  # the export's first placement .. its last report
        self.inspection_id = f"SRMS-{self.period[0]}-{self.period[1]}"
        self.slugs: set[str] = set()
        # the trace columns go to one file beside the folders, which hold only the workbook's own columns
        self.traced = list(profile["trace"].values())
        self.sheet_columns = [i for i, c in enumerate(self.columns) if c not in self.traced]
        self.trace_columns = [self.columns.index(c) for c in ("placement_id", *self.traced)]
        self.trace: list[list[Any]] = []

    def facility(self, out: Path, name: str) -> _Written:
        """Write the facility's inspection folder (Facility.csv, Placements.csv)."""
        at = self.groups[name]
        slug = self.slug(name)
        facility, roster_ref = self.facility_fields(name, slug, self.rows.facts.iloc[at])
        folder = out / slug
        folder.mkdir(exist_ok=True)
        _write_facility_csv(folder / "Facility.csv", facility)
        cells = self.cells[at]
        header = [self.columns[i] for i in self.sheet_columns]
        _write_rows(folder / "Placements.csv", header, cells[:, self.sheet_columns].tolist())
        self.trace += [[slug, *row] for row in cells[:, self.trace_columns].tolist()]
        return _Written(slug, folder, facility, self.rows.text["report_type"].iloc[at], roster_ref)

    def write_trace(self, path: Path) -> None:
        """Every placement written, with its folder and the export's row, report type and reason."""
        _write_rows(path, ["folder", "placement_id", *self.traced], self.trace)

    def slug(self, name: str) -> str:
        """A folder name from the facility name; a second facility with the same slug gets -2.

        Capped at SLUG_MAX, suffix included, so that `SRMS-{SLUG}` is always a valid facility id."""
        base = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "facility"
        slug, n = _capped(base, ""), 1
        while slug in self.slugs:
            n += 1
            slug = _capped(base, f"-{n}")
        self.slugs.add(slug)
        return slug

    def facility_fields(self, name: str, slug: str, facts: pd.DataFrame) -> tuple[dict[str, Any], str | None]:
        """The Facility sheet: name and AOR from the export, state from the name's `(XX)`, type and
        standard from the roster when it names the facility (else empty: never guessed)."""
        suffix = STATE_SUFFIX.search(name)
        state = suffix.group(1) if suffix else None
        matched = self.roster.match(name, state) if self.roster else None
        facility_type = standard = None
        if matched is not None:
            state = state or matched.state
            facility_type = self.ours(name, "facility_type", matched.facility_type, decl.FACILITY_TYPES)
            standard = self.ours(name, "detention_standard", matched.detention_standard, available_editions())
        aors = facts["aor"].dropna().value_counts()
        aor = min(aors.items(), key=lambda kv: (-kv[1], kv[0]))[0] if len(aors) else None
        fields = {
            "time_zone": self.zone(name, state),
            "facility_id": f"{ID_PREFIX}{slug.upper()}",
            "facility_name": name,
            "facility_type": facility_type,
            "aor": aor,
            "state": state,
            "detention_standard": standard,
            "rated_capacity": None,
            "inspection_id": self.inspection_id,
            "inspection_type": None,
            "inspection_start": self.period[1],
            "inspection_end": self.period[1],
            # the export's period for every facility (what was reviewed), which lets the folders be
            # evaluated together (engine/many.py: rows of one zone and review period)
            "review_period_start": self.period[0],
            "review_period_end": self.period[1],
            "lead_inspector": None,
            "previous_inspection_id": None,
            "scope": SCOPE,
        }
        return fields, matched.ref if matched is not None else None

    def zone(self, name: str, state: str | None) -> str | None:
        """A state in one zone gives it (the reader's own rule: None here). In a state spanning zones
        the export does not say which: the first the reader names, and a note. Every zone of such a
        state keeps the same daylight-saving rules, so each notice's delay after its placement (all
        these rules measure) is the same in any; only instants shown in UTC would differ."""
        if state not in SPLIT_STATES:
            return None
        zone, others = SPLIT_STATES[state][0], " or ".join(SPLIT_STATES[state][1:])
        self.notes.append(
            Note(
                "time_zone_chosen",
                f"{name}: {state} spans more than one time zone and the export does not say which; "
                f"read in {zone} (not {others}): the delays are the same in either",
            )
        )
        return zone

    def ours(self, name: str, what: str, value: str | None, allowed: Sequence[str]) -> str | None:
        """A roster value our Facility sheet allows, else None and a note (never mapped by guess)."""
        if value is None or value in allowed:
            return value
        self.notes.append(Note(f"roster_{what}", f"{name}: the roster's {what} {value!r} is not one of ours"))
        return None


def _capped(base: str, suffix: str) -> str:
    """`base` cut so that it and `suffix` fit SLUG_MAX, never ending in a hyphen."""
    return base[: SLUG_MAX - len(suffix)].rstrip("-") + suffix


@dataclass
class _Written:
    slug: str
    folder: Path
    facility: dict[str, Any]
    report_type: pd.Series
    roster_ref: str | None


def _audit(written: list[_Written]) -> list[FacilitySummary]:
    """Audit every folder as `auditor audit FOLDER` does (in bounded children, which write its results
    beside it: the facility's results JSON). Our own text always validates; if it did not, that is a
    bug of ours, said with the first problem rather than hidden."""
    summaries = []
    audits = audit_inspections([w.folder for w in written], json_beside=True)
    for done, audit in zip(written, audits, strict=True):
        if audit.results is None:
            first = audit.loaded.problems.records()[0]
            raise WorkbookError(
                f"{done.folder}: the inspection written for this facility does not validate "
                f"({first['sheet']}!{first['cell']}: {first['message']})"
            )
        summaries.append(_summary(done.slug, done.facility, done.report_type, audit.results, done.roster_ref))
    return summaries


class _RosterIndex:
    """ICE's roster by normalised name: `(GA)` suffixes, case and punctuation ignored."""

    def __init__(self, roster: Roster) -> None:
        self.by_name: dict[str, list[Any]] = {}
        for facility in roster.facilities:
            self.by_name.setdefault(name_key(facility.name)[0], []).append(facility)

    def match(self, name: str, state: str | None) -> Any:
        found = self.by_name.get(name_key(name)[0], [])
        if state:
            found = [f for f in found if f.state in (state, None)]
        return found[0] if len(found) == 1 else None  # two candidates: not guessed


def _day(value: Any) -> dt.date | None:
    return None if pd.isna(value) else pd.Timestamp(value).date()


def _summary(
    slug: str,
    facility: dict[str, Any],
    report_type: pd.Series,
    results: Results,
    roster_ref: str | None,
) -> FacilitySummary:
    by_id = {r.requirement_id: r for r in results.results}
    counts = report_type.value_counts()
    notices: dict[str, Any] = {}
    for requirement, prefix in NOTICES.items():
        found = by_id.get(requirement)
        notices[f"{prefix}_population"] = found.population if found else 0
        notices[f"{prefix}_late"] = found.violations if found else 0
        notices[f"{prefix}_indeterminate"] = found.indeterminate if found else 0
        notices[f"{prefix}_status"] = found.status if found else "absent"
    return FacilitySummary(
        slug=slug,
        facility_name=facility["facility_name"],
        facility_id=facility["facility_id"],
        aor=facility["aor"],
        state=facility["state"],
        facility_type=facility["facility_type"],
        detention_standard=facility["detention_standard"],
        edition=results.standards["edition"],
        roster_ref=roster_ref,
        rows=len(report_type),
        rows_72h=int(counts.get("72-hour", 0)),
        rows_14d=int(counts.get("14-day", 0)),
        rows_30d=int(counts.get("30-day-interval", 0)),
        rating=results.summary.rating,
        **notices,
    )


# ---------------------------------------------------------------------------- files


def _write_facility_csv(path: Path, facility: dict[str, Any]) -> None:
    """Key/value form, as our CSV-folder reader expects: every field of the sheet, empty if unknown."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["field", "value"])
        for column in decl.FACILITY.columns:
            value = facility.get(column.name)
            writer.writerow([column.name, "" if value is None else csv_text(str(value))])


def _write_rows(path: Path, header: list[str], rows: list[list[Any]]) -> None:
    """A CSV file as pandas' to_csv writes one (minimal quoting, LF, an empty cell for None)."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def _write_summary(path: Path, summaries: list[FacilitySummary]) -> None:
    names = [f.name for f in dataclasses.fields(FacilitySummary)]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=names)
        writer.writeheader()
        writer.writerows({k: csv_text(v) for k, v in s.to_dict().items()} for s in summaries)


def _write_issues(path: Path, done: SrmsImport) -> None:
    """Every reported cell, one per line: unknown values, rows not imported, notes."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["issue", "ref", "field", "value", "detail"])
        for item in done.unrecognised:
            row = ["unrecognised", item.ref, item.field, item.value, f"expected {item.expected}"]
            writer.writerow([csv_text(v) for v in row])
        for ref in done.orphan_refs:
            row = ["orphan_row", ref, "", "", "a value in a row with no facility: not imported"]
            writer.writerow([csv_text(v) for v in row])
        for note in done.notes:
            for ref in note.refs or [""]:
                writer.writerow([csv_text(v) for v in [note.code, ref, "", "", note.message]])
