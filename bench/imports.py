"""Import benchmark: ICE's whole SRMS export through `import_srms` (read, normalise, split by facility,
write 126 inspection folders, audit each through `auditor audit`'s own path, write the results JSONs).

Baseline, measured in the same run: a bare fastexcel read of the same sheet into pandas (no
types, no checks, nothing written). The export is ../shared/realdata/SRMS_segregation_2018-2023_
redacted.xlsx; without it the benchmark says so and stops.

Run: `.venv/bin/python bench/imports.py [--reps N] [--readme]`. Medians of N runs (5); the two
take turns, so a busy moment on a shared machine does not fall on one only.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from readme import medians, write_section  # noqa: E402

import auditor.imports.srms as srms  # noqa: E402

SRMS = (ROOT / ".." / "shared" / "realdata" / "SRMS_segregation_2018-2023_redacted.xlsx").resolve()
SHEET = "2017 - 2023"


def bare_read() -> int:
    import fastexcel

    frame = fastexcel.read_excel(str(SRMS)).load_sheet(SHEET).to_pandas()
    return len(frame)


def ours(out: Path) -> srms.SrmsImport:
    shutil.rmtree(out, ignore_errors=True)
    return srms.import_srms(SRMS, out)


def audit_share(out: Path) -> tuple[float, int]:
    """Wall seconds of one import spent auditing the folders it wrote, and how many folders."""
    spent, folders = [0.0], [0]
    real = srms.audit_inspections

    def timed(paths, **kwargs):
        started = time.perf_counter()
        try:
            return real(paths, **kwargs)
        finally:
            spent[0] += time.perf_counter() - started
            folders[0] += len(paths)

    srms.audit_inspections = timed
    try:
        ours(out)
    finally:
        srms.audit_inspections = real
    return spent[0], folders[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--readme", action="store_true", help="write the figures to bench/README.md")
    args = parser.parse_args()
    if not SRMS.is_file():
        print(f"skipped: the SRMS export is not available ({SRMS} is absent)")
        return
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="bench-srms-") as tmp:
        out = Path(tmp) / "out"
        ours(out)  # warm: imports, standards loaded and linted once per process
        (base_wall, base_cpu, rows), (wall, cpu, done) = medians([bare_read, lambda: ours(out)], args.reps)
        engine, calls = audit_share(out)
    load_after = os.getloadavg()[0]
    figures = {
        "base": (base_wall, base_cpu, rows),
        "ours": (wall, cpu, done),
        "engine": (engine, calls),
        "load": (load_before, load_after),
    }
    print(summary(figures, args.reps))
    if args.readme:
        write_section(readme_section(figures, args.reps))


def summary(figures: dict, reps: int) -> str:
    base_wall, _, rows = figures["base"]
    wall, cpu, done = figures["ours"]
    engine, calls = figures["engine"]
    return (
        f"bare fastexcel read: {base_wall:.2f} s ({rows:,} rows); import_srms: {wall:.2f} s "
        f"({wall / base_wall:.1f}×), CPU {cpu:.2f} s; auditing {calls} folders {engine:.2f} s; "
        f"{done.report_rows:,} report rows → {done.placements_out:,} placements, "
        f"{len(done.facilities)} facilities; medians of {reps}"
    )


def readme_section(figures: dict, reps: int) -> str:
    base_wall, base_cpu, rows = figures["base"]
    wall, cpu, done = figures["ours"]
    engine, calls = figures["engine"]
    load_before, load_after = figures["load"]
    totals = done.totals()
    vulnerable, fourteen = totals["SMU-NOTIFY-VULNERABLE"], totals["SMU-NOTIFY-14D"]
    return f"""## Imports

ICE's SRMS export (`SRMS_segregation_2018-2023_redacted.xlsx`, 1.5 MB, in ../shared/realdata; never
in the repository) through `auditor import srms` (`bench/imports.py`). Reproduce with
`.venv/bin/python bench/imports.py --readme`.

Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, pandas \
{version("pandas")}, fastexcel {version("fastexcel")}, python-calamine {version("python-calamine")}. \
Medians of {reps} runs; the two functions compared take turns. Load average (1 min) before / after: \
{load_before:.1f} / {load_after:.1f}: the machine is shared, so wall times move with it. CPU seconds \
are this process's only: the folders are audited in child processes.

| measure | median s | CPU s | ratio |
|---|---|---|---|
| bare fastexcel read of the sheet to pandas ({rows:,} rows, no types, nothing written) | {base_wall:.2f} \
| {base_cpu:.2f} | 1.00 |
| `import_srms`, whole file | {wall:.2f} | {cpu:.2f} | {wall / base_wall:.1f} |

- Rows in and out: {done.rows_in:,} rows below the header; {done.report_rows:,} report rows → \
{done.placements_out:,} placements in {len(done.facilities)} facility folders (Facility.csv, \
Placements.csv) and {len(done.facilities)} results JSONs; {done.blank_rows:,} blank rows and \
{done.orphan_rows} rows holding only a stray `Suicide Risk` below the table, reported by cell, not \
imported; {len(done.unrecognised)} unrecognised values.
- Results, all facilities: SMU-NOTIFY-VULNERABLE (on the `72 Hour` reports) {vulnerable["late"]:,} late \
of {vulnerable["population"]:,}, {vulnerable["deficient_facilities"]} facilities deficient; SMU-NOTIFY-14D \
(on the `14 Day` reports) {fourteen["late"]:,} late of {fourteen["population"]:,}, \
{fourteen["deficient_facilities"]} facilities deficient. Per facility: `import-summary.csv` in the output.
- What `import_srms` does beyond the baseline: reads every cell with its Excel position (python-calamine, \
so every reported cell has its reference) and hashes the file; normalises each distinct value once \
through the profile's tables; writes {2 * len(done.facilities)} CSV files (one inspection folder per \
facility, in the scope `segregation-notices`); then audits every folder exactly as `auditor audit \
FOLDER` does (read back, validated, every requirement of the edition evaluated or reported not \
assessed), in two bounded children forked at once, half the folders each; writes \
{len(done.facilities)} results JSONs and two summaries.
- Where the time goes: {engine:.2f} s of one run audits the {calls} folders. Before the import made \
inspections (it evaluated the two notices itself, a second pipeline: commit 0b98d90), the same \
bench took 3.16 s, run in the same session by hand from a worktree of that commit: one audit path \
costs the import about twice the time (validation and the results of each facility's 68 requirements, \
in two children), bought so that `auditor audit FOLDER` gives the import's own numbers.
"""


if __name__ == "__main__":
    main()
