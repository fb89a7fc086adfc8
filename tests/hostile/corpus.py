"""The project's own corpus of hostile inputs, each made by code (no binary is checked in).

    python tests/hostile/corpus.py OUT_DIR     # writes every file, and OUT_DIR/manifest.json

or, imported: `ENTRIES` (name → Entry) and `Entry.make(folder)`, which writes one input and returns
its path. Each entry says which kind of input it is, how the CLI takes it (`command`) and what must
come of it: a clear error (exit 1 for a bad file, 2 for a bad config) whose one `error:` line matches
`message`, or a valid result (exit 0). Files are small on disk: the bombs are a few MB that inflate
to GBs, the "1 GB" files are sparse.

Never open these in a test process: without the defences of auditor.untrusted and
auditor.workbook.container, `xlsx-xfd1048576` makes the Rust reader allocate about 512 GiB and abort.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
for _folder in (HERE, HERE.parent):  # run as a script: the makers beside it, builders.py in tests/
    if str(_folder) not in sys.path:
        sys.path.insert(0, str(_folder))

from hostile_texts import (  # noqa: E402
    TAILORING,
    WAIVER,
    csv_bad_utf16,
    csv_blank_lines,
    csv_cp1252,
    csv_cr_only,
    csv_huge_field,
    csv_invalid_bytes,
    csv_no_files,
    csv_nul_bytes,
    csv_sparse_gigabyte,
    csv_unclosed_quote,
    csv_utf16,
    csv_utf16_without_bom,
    csv_utf32,
    huge_yaml,
    sparse,
    text,
    yaml_bomb,
)
from hostile_workbooks import (  # noqa: E402
    ODD_CELLS,
    bomb_many_parts,
    bomb_rows,
    bomb_rows_alone,
    bomb_understated,
    bomb_zeros,
    crc_mismatch,
    deep_xml,
    empty_file,
    facility_rows,
    last_row,
    last_row_last_column,
    laughs_in_shared_strings,
    laughs_in_sheet,
    missing_part,
    ods_columns_bomb,
    ods_laughs,
    ods_rows_bomb,
    ods_xxe,
    sparse_gigabyte,
    too_many_parts,
    truncated,
    unknown_sheet_far_cell,
    wide_sheet,
    xfd1048576,
    xls_fat_count,
    xls_fat_loop,
    xls_out_of_range,
    xxe_in_sheet,
)
from openpyxl.utils import get_column_letter  # noqa: E402

from auditor.workbook.declarations import INTAKE  # noqa: E402

RED_MESA = REPO / "sample_data" / "red-mesa-cdf" / "inspection.xlsx"  # valid, FIC-CDF-0002, PBNDS-2011
RESULTS = REPO / "sample_data" / "red-mesa-cdf" / "previous-results.json"
MiB = 1 << 20
# Intake may fill its declared columns and a margin of 64 (21 gave CG); the width is read from the
# contract, which grows, and the first cell beyond it named by openpyxl, not by the code under test.
WIDE = (
    rf"sheet 'Intake' has a filled cell at {get_column_letter(len(INTAKE.columns) + 65)}1, "
    rf"far outside its {len(INTAKE.columns)} columns"
)

KINDS = ("workbook", "csv-folder", "tailoring", "waivers", "previous", "roster", "srms")

# What a refused workbook's one line may say: its own reason, or the bounded reader's.
READ_LIMIT = r"reading this file (needs more than|takes longer than)|the reader stopped on this file"


@dataclass(frozen=True)
class Entry:
    """One hostile input: how to make it, how to run it and what must come of it."""

    name: str
    kind: str  # one of KINDS
    make: Callable[[Path], Path]  # writes the input into a folder, returns its path
    exit_code: int  # 1 a bad file, 2 a bad config, 0 a valid result
    message: str = ""  # a regex the one `error:` line must match (re.search), or the output if answer≠error
    note: str = ""  # what the file is and why it is hostile
    answer: str = "error"  # error: one `error:` line; problems: a table of problems (exit 1); valid (exit 0)
    web: bool = True  # uploaded through the web app too (workbooks of a sane upload size)
    annotate: bool = False  # validate --annotate: also write the annotated copy
    seconds: float = 150.0  # the answer must come within this (the reader's own limit is 120 s)

    def command(self, path: Path, scratch: Path) -> list[str]:
        """The CLI arguments that read this input (`scratch`: a folder for anything written)."""
        if self.kind in ("workbook", "csv-folder"):
            annotate = ["--annotate", str(scratch / "annotated.xlsx")] if self.annotate else []
            return ["validate", str(path), *annotate]
        if self.kind in ("tailoring", "waivers", "previous"):
            return ["audit", str(RED_MESA), f"--{self.kind}", str(path)]
        if self.kind == "roster" and path.suffix == ".json":  # a roster JSON feeds the portfolio
            return ["portfolio", str(RESULTS), "--roster", str(path), "-o", str(scratch / "portfolio.pdf")]
        if self.kind == "roster":
            return ["facilities", "import", str(path)]
        if self.kind == "srms":
            return ["import", "srms", str(path), "-o", str(scratch / "srms-out")]
        raise ValueError(f"unknown kind {self.kind!r}")


# ---------------------------------------------------------------------------- the corpus

LIMITED = f"|{READ_LIMIT}"
FAR_IMPORT = r"sheet '%s' has a filled cell at XFD1048576, far outside its 256 columns"  # imports: 256
VALID = r"valid — no problems found"
ROSTER = "Facilities FY26"  # the sheet ICE's Detention Statistics workbook names
SRMS = "2022-2023"  # a fiscal-year sheet of ICE's SRMS export


def _entries() -> list[Entry]:
    workbook, csv = "workbook", "csv-folder"
    return [
        # workbooks: refused before any parser, or stopped by the bounded reader
        Entry(
            "xlsx-xfd1048576",
            workbook,
            xfd1048576,
            1,
            r"sheet 'Facility' has a filled cell at XFD1048576, far outside its 2 columns",
            "1.5 KB, one cell at Excel's last row and column: 512 GiB to calamine",
        ),
        Entry(
            "xlsx-bomb-zeros",
            workbook,
            bomb_zeros,
            1,
            r"part xl/worksheets/sheet2\.xml declares 3\.5 GiB once inflated",
            "3.5 GiB of zeros in the Intake part",
        ),
        Entry(
            "xlsx-bomb-rows",
            workbook,
            bomb_rows,
            1,
            r"part xl/worksheets/sheet2\.xml inflates 342 times \(2\.6 MiB to 900\.0 MiB\), a zip bomb",
            "17 million XML rows, deflated a thousandfold",
        ),
        Entry(
            "xlsx-bomb-understated",
            workbook,
            bomb_understated,
            1,
            r"part xl/worksheets/sheet2\.xml inflates to more than the 10,000 bytes it declares",
            "the rows bomb, its headers claiming 10 KB",
        ),
        Entry(
            "xlsx-bomb-many-parts",
            workbook,
            bomb_many_parts,
            1,
            r"the workbook's parts declare 2\.2 GiB once inflated; the limit is 2\.0 GiB",
            "300 parts of 7.5 MiB of zeros",
        ),
        Entry(
            "xlsx-too-many-parts",
            workbook,
            too_many_parts,
            1,
            r"the workbook holds 5,005 parts",  # 5,000 and the five of a minimal workbook
            "5,000 empty parts",
        ),
        Entry(
            "xlsx-laughs-sheet",
            workbook,
            laughs_in_sheet,
            1,
            r"sheet 'Facility' declares a DTD or XML entities",
            "a billion-laughs DTD in the Facility sheet",
        ),
        Entry("xlsx-xxe", workbook, xxe_in_sheet, 1, r"sheet 'Facility' declares a DTD or XML entities"),
        Entry(
            "ods-laughs",
            workbook,
            ods_laughs,
            1,
            r"content\.xml \(the sheets\) declares a DTD or XML entities",
        ),
        Entry("ods-xxe", workbook, ods_xxe, 1, r"content\.xml \(the sheets\) declares a DTD or XML entities"),
        Entry(
            "xlsx-laughs-shared-strings",
            workbook,
            laughs_in_shared_strings,
            1,
            r"DTD|entit" + LIMITED,
            "a billion-laughs DTD in sharedStrings.xml",
        ),
        Entry(
            "xlsx-crc-mismatch",
            workbook,
            crc_mismatch,
            1,
            r"sheet2\.xml does not match its checksum",
            "a real workbook, the Intake part's CRC off by one",
        ),
        Entry(
            "xlsx-truncated",
            workbook,
            truncated,
            1,
            r"the workbook is damaged or truncated",
            "a real workbook cut in half",
        ),
        Entry("xlsx-empty", workbook, empty_file, 1, r"the file is empty", "zero bytes named .xlsx"),
        Entry(
            "xlsx-sparse-1gb",
            workbook,
            sparse_gigabyte,
            1,
            r"the workbook is damaged or truncated|more than the 512 MiB an inspection file may be",
            "a real workbook then zeros to 1 GiB",
            web=False,
        ),
        Entry(
            "xlsx-16000-columns",
            workbook,
            wide_sheet,
            1,
            WIDE,
            "Intake declares and fills 16,000 columns",
            seconds=30,
        ),
        Entry(
            "xlsx-16000-columns-annotate",
            workbook,
            wide_sheet,
            1,
            WIDE,
            "the same, with --annotate (305 s before the limits)",
            web=False,
            annotate=True,
            seconds=60,
        ),
        Entry(
            "ods-columns-bomb",
            workbook,
            ods_columns_bomb,
            1,
            r"sheet 'Facility' has a filled cell at row 2, column 1,000,000,000, far outside its 2 columns",
            "one cell repeated a billion times across",
        ),
        Entry(
            "ods-rows-bomb",
            workbook,
            ods_rows_bomb,
            1,
            r"sheet 'Facility' has a filled cell at ALL2, far outside its 2 columns",  # ALL: column 1,000
            "a 1,000-cell row repeated a million times",
        ),
        Entry(
            "xls-fat-loop",
            workbook,
            xls_fat_loop,
            1,
            r"\.xls file is damaged: the chain of the stream 'Workbook' loops or overlaps another",
            "the Workbook chain leads back to its start",
        ),
        Entry(
            "xls-out-of-range",
            workbook,
            xls_out_of_range,
            1,
            r"\.xls file is damaged: the chain of the stream 'Workbook' points outside the file "
            r"\(sector 16,777,200\)",  # 0x00FFFFF0
            "the Workbook chain jumps past the end",
        ),
        Entry(
            "xls-fat-count",
            workbook,
            xls_fat_count,
            1,
            r"\.xls file is damaged: its header declares more sectors than the file's \d+",
            "the header declares 2**31 FAT sectors",
        ),
        # CSV folders: odd encodings and line ends are read; bytes that are not text are refused
        Entry(
            "csv-cr-only",
            csv,
            csv_cr_only,
            0,
            VALID,
            "classic Mac line ends (CR only)",
            answer="valid",
            web=False,
        ),
        Entry(
            "csv-utf-16-bom",
            csv,
            csv_utf16,
            0,
            VALID,
            "UTF-16 LE with its byte-order mark",
            answer="valid",
            web=False,
        ),
        Entry(
            "csv-utf-32-bom",
            csv,
            csv_utf32,
            0,
            VALID,
            "UTF-32 BE with its byte-order mark",
            answer="valid",
            web=False,
        ),
        Entry(
            "csv-cp1252",
            csv,
            csv_cp1252,
            0,
            r"Facility\.csv is not UTF-8 text; it was read as Windows-1252"
            r"(.|\n)*valid — 0 error\(s\), 1 warning",
            "Windows-1252: read, with a warning",
            answer="valid",
            web=False,
        ),
        Entry(
            "csv-invalid-bytes",
            csv,
            csv_invalid_bytes,
            1,
            r"Facility\.csv: line 3, byte \d+ \(0x81\) is neither UTF-8 nor Windows-1252",
            web=False,
        ),
        Entry("csv-nul-bytes", csv, csv_nul_bytes, 1, r"Facility\.csv: NUL byte at line 3", web=False),
        Entry("csv-utf-16-no-bom", csv, csv_utf16_without_bom, 1, r"NUL byte at line 1.*UTF-16", web=False),
        Entry("csv-bad-utf-16", csv, csv_bad_utf16, 1, r"not valid UTF-16-LE", web=False),
        Entry(
            "csv-unclosed-quote",
            csv,
            csv_unclosed_quote,
            1,
            r"not valid — \d+ error",
            "a quote opened in Facility.csv never closes",
            answer="problems",
            web=False,
        ),
        Entry(
            "csv-sparse-1gb",
            csv,
            csv_sparse_gigabyte,
            1,
            r"Intake\.csv: NUL byte at line 1|too large|more than" + LIMITED,
            web=False,
        ),
        Entry("csv-no-files", csv, csv_no_files, 1, r"holds no CSV files", web=False),
        Entry(
            "csv-huge-field",
            csv,
            csv_huge_field,
            0,
            VALID,
            "a 300,000-character name",
            answer="valid",
            web=False,
        ),
        Entry(
            "csv-blank-lines",
            csv,
            csv_blank_lines,
            0,
            VALID,
            "5,000,000 empty lines",
            answer="valid",
            web=False,
        ),
        # configs: exit 2, naming the file
        Entry(
            "tailoring-alias-bomb",
            "tailoring",
            text("tailoring.yml", yaml_bomb()),
            2,
            r"tailoring\.yml.*alias",
        ),
        Entry(
            "tailoring-nan-hours",
            "tailoring",
            text("tailoring.yml", TAILORING.format(hours=".nan")),
            2,
            r"tailoring\.yml:7: .*hours: \.nan is not a finite number",
        ),
        Entry(
            "tailoring-inf-hours",
            "tailoring",
            text("tailoring.yml", TAILORING.format(hours=".inf")),
            2,
            r"tailoring\.yml:7: .*hours: \.inf is not a finite number",
        ),
        Entry(
            "tailoring-negative-hours",
            "tailoring",
            text("tailoring.yml", TAILORING.format(hours="-1")),
            2,
            r"tailoring\.yml:7: .*hours: -1 is out of range \(0 < hours ≤ 8760\)",
        ),
        Entry(
            "tailoring-zero-hours",
            "tailoring",
            text("tailoring.yml", TAILORING.format(hours="0")),
            2,
            r"tailoring\.yml:7: .*hours: 0 is out of range \(0 < hours ≤ 8760\)",
        ),
        Entry(
            "tailoring-1e309-hours",
            "tailoring",
            text("tailoring.yml", TAILORING.format(hours="1e309")),
            2,
            r"tailoring\.yml:7: .*hours: .*1e309",
        ),
        Entry(
            "tailoring-huge-yaml", "tailoring", huge_yaml("tailoring.yml"), 2, r"tailoring\.yml.*(MB|bytes)"
        ),
        Entry(
            "tailoring-binary",
            "tailoring",
            text("tailoring.yml", bytes(range(256)) * 4),
            2,
            r"tailoring\.yml",
        ),
        Entry("waivers-alias-bomb", "waivers", text("waivers.yml", yaml_bomb()), 2, r"waivers\.yml.*alias"),
        Entry(
            "waivers-impossible-date",
            "waivers",
            text("waivers.yml", WAIVER.format(rid="FS-HOT-HOLD", expires="2026-02-30")),
            2,
            r"waivers\.yml:6: .*'2026-02-30'",
        ),
        Entry(
            "waivers-unparseable-date",
            "waivers",
            text("waivers.yml", WAIVER.format(rid="FS-HOT-HOLD", expires="next tuesday")),
            2,
            r"waivers\.yml:6: .*'next tuesday'",
        ),
        Entry(
            "waivers-unknown-id",
            "waivers",
            text("waivers.yml", WAIVER.format(rid="FS-HOT-HOLT", expires="2026-09-30")),
            2,
            r"waivers\.yml:2: .*no requirement 'FS-HOT-HOLT'",
        ),
        Entry("waivers-huge-yaml", "waivers", huge_yaml("waivers.yml"), 2, r"waivers\.yml.*(MB|bytes)"),
        Entry(
            "previous-deep-nesting",
            "previous",
            text("previous.json", "[" * 100_000 + "]" * 100_000),
            2,
            r"previous\.json: nested too deeply",
        ),
        Entry(
            "previous-huge-float",
            "previous",
            text("previous.json", '{"a": 1e999999}'),
            2,
            r"previous\.json: not valid JSON \(1e999999 is too large a number\)",
        ),
        Entry(
            "previous-huge-integer",
            "previous",
            text("previous.json", '{"a": ' + "9" * 100_000 + "}"),
            2,
            r"previous\.json: not valid JSON",
        ),
        Entry(
            "previous-nan",
            "previous",
            text("previous.json", '{"rating": NaN}'),
            2,
            r"previous\.json: not valid JSON \(NaN",
        ),
        Entry(
            "previous-not-results",
            "previous",
            text("previous.json", '{"schema_version": "1", "results": 5}'),
            2,
            r"previous\.json.*not a results file",
        ),
        Entry(
            "previous-sparse-300mb",
            "previous",
            sparse("previous.json", 300 * MiB),
            2,
            r"previous\.json: 300 MiB, more than the 256 MiB",
        ),
        # odd cells: each refused on one line naming what is wrong
        *(
            Entry(f"xlsx-cell-{name}", workbook, facility_rows(name, rows), 1, message)
            for name, (rows, message) in ODD_CELLS.items()
        ),
        # what the readers must still read: unknown sheets are never opened, Excel's last row is allowed
        Entry(
            "xlsx-unknown-sheet-far-cell",
            workbook,
            unknown_sheet_far_cell,
            0,
            r"sheet 'Notes' is not part of the inspection workbook; it was not read(.|\n)*valid — 0 error",
            "a valid inspection plus a Notes sheet filled at XFD1048576",
            answer="valid",
        ),
        Entry(
            "xlsx-last-row",
            workbook,
            last_row,
            1,
            r"Intake!B1048576 +arrival +a value is required here",
            "a valid inspection, one Intake detainee in row 1,048,576 (the rows between are blank)",
            answer="problems",
        ),
        Entry(
            "xlsx-last-row-last-column",
            workbook,
            last_row_last_column,
            1,
            r"reading this file needs more than 2 GiB of memory",  # the bounded reader is the defence
            "14 KB, one Intake cell at CG1048576: within the container limits, 89 million cells to read",
        ),
        Entry(
            "xlsx-deep-xml",
            workbook,
            deep_xml,
            1,
            r"the Facility field 'facility_id' is required",
            "200,000 nested elements in the Facility sheet's data",
            answer="problems",
        ),
        Entry(
            "xlsx-missing-part",
            workbook,
            missing_part,
            1,
            r"sheet 'Facility' cannot be read",
            "its part is absent",
        ),
        # ICE's roster and SRMS export are untrusted workbooks too
        Entry(
            "roster-json-deep-nesting",
            "roster",
            text("roster.json", '{"a": ' + "[" * 100_000 + "]" * 100_000 + "}"),
            2,
            r"roster\.json: nested too deeply",
            web=False,  # the web app imports rosters as workbooks only
        ),
        Entry("roster-xfd1048576", "roster", partial(xfd1048576, sheet=ROSTER), 1, FAR_IMPORT % ROSTER),
        Entry(
            "roster-bomb-rows",
            "roster",
            partial(bomb_rows_alone, sheet=ROSTER),
            1,
            r"part xl/worksheets/sheet1\.xml inflates 342 times \(2\.6 MiB to 900\.0 MiB\), a zip bomb",
        ),
        Entry(
            "roster-xls-fat-loop",
            "roster",
            partial(xls_fat_loop, first_sheet=ROSTER),
            1,
            r"\.xls file is damaged: the chain of the stream 'Workbook' loops or overlaps another",
        ),
        Entry("srms-xfd1048576", "srms", partial(xfd1048576, sheet=SRMS), 1, FAR_IMPORT % SRMS),
        Entry(
            "srms-bomb-rows",
            "srms",
            partial(bomb_rows_alone, sheet=SRMS),
            1,
            r"part xl/worksheets/sheet1\.xml inflates 342 times \(2\.6 MiB to 900\.0 MiB\), a zip bomb",
        ),
        Entry(
            "srms-xls-fat-loop",
            "srms",
            partial(xls_fat_loop, first_sheet=SRMS),
            1,
            r"\.xls file is damaged: the chain of the stream 'Workbook' loops or overlaps another",
        ),
    ]


ENTRIES: dict[str, Entry] = {e.name: e for e in _entries()}
assert all(e.kind in KINDS for e in ENTRIES.values())


def build(folder: Path, names: list[str] | None = None) -> dict[str, Path]:
    """Write the named entries (all by default), each into its own subfolder; a manifest beside them."""
    made: dict[str, Path] = {}
    for name in names or list(ENTRIES):
        entry = ENTRIES[name]
        home = folder / name
        home.mkdir(parents=True, exist_ok=True)
        made[name] = entry.make(home)
    manifest = [
        {
            "name": name,
            "kind": ENTRIES[name].kind,
            "path": str(path),
            "exit_code": ENTRIES[name].exit_code,
            "message": ENTRIES[name].message,
            "note": ENTRIES[name].note,
        }
        for name, path in made.items()
    ]
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return made


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: python tests/hostile/corpus.py OUT_DIR [ENTRY ...]")
    for name, path in build(Path(sys.argv[1]), sys.argv[2:] or None).items():
        print(f"{name:32} {path}")
