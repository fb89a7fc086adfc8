"""Import benchmark: ICE's whole SRMS export through `auditor import srms` (read, normalise, split by
facility, write 126 inspection folders, audit each through `auditor audit`'s own path, write the
results JSONs), as a whole process, against a bare read of the same file as a whole process.

Baselines, measured in the same turns: a bare fastexcel read of the same sheet into pandas (`python
-c`, no types, no checks, nothing written) and, with `--base DIR`, `auditor import srms` of the code
in DIR (a worktree of an earlier commit: `git worktree add /tmp/base aa8b9a1`). Every command is a
fresh process with its bytecode cached (bench/startup.py's `once`); they take turns after one
warm-up round. The export is ../shared/realdata/SRMS_segregation_2018-2023_redacted.xlsx; without
it the benchmark says so and stops. Goal (issue 19 item 7): the import at most 3× the bare read.

Run: `.venv/bin/python bench/imports.py [--reps N] [--base DIR] [--readme]`.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRMS = (ROOT / ".." / "shared" / "realdata" / "SRMS_segregation_2018-2023_redacted.xlsx").resolve()
SHEET = "2017 - 2023"

sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(Path(__file__).resolve().parent))

import startup  # noqa: E402
from readme import write_section  # noqa: E402

import auditor.imports.srms as srms  # noqa: E402


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


def whole_processes(reps: int, base: Path | None, out: Path) -> dict[str, list[tuple[float, float]]]:
    """Wall and CPU seconds (the process and its children) of each command as a whole process, in
    turn after one warm-up round: the bare read, `auditor import srms` of this tree and of `base`."""
    python = sys.executable
    bare = f"import fastexcel; fastexcel.read_excel({str(SRMS)!r}).load_sheet({SHEET!r}).to_pandas()"
    # `python -m auditor` did not exist at 0b98d90: both trees run the function their installed
    # `auditor` script calls (pyproject's [project.scripts]), each tree's own
    cli = [python, "-c", "from auditor.cli import main; main()", "import", "srms", str(SRMS), "-o"]
    commands = {"bare": ([python, "-c", bare], ROOT), "ours": ([*cli, str(out / "ours")], ROOT)}
    if base is not None:
        commands["base"] = ([*cli, str(out / "base")], base.resolve())
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for round_ in range(reps + 1):
        for name, (argv, tree) in commands.items():
            shutil.rmtree(out / name, ignore_errors=True)
            figures = startup.once(argv, tree)
            if round_:
                times[name].append(figures)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument(
        "--base", type=Path, help="a tree of the code before (a git worktree) to compare with"
    )
    parser.add_argument("--readme", action="store_true", help="write the figures to bench/README.md")
    args = parser.parse_args()
    if not SRMS.is_file():
        print(f"skipped: the SRMS export is not available ({SRMS} is absent)")
        return
    load_before = os.getloadavg()[0]
    started = time.strftime("%d %b %Y %H:%M UTC", time.gmtime())
    with tempfile.TemporaryDirectory(prefix="bench-srms-") as tmp:
        out = Path(tmp)
        times = whole_processes(args.reps, args.base, out)
        engine, calls = audit_share(out / "in-process")
        done = ours(out / "in-process")
    load_after = os.getloadavg()[0]
    figures = {
        "rows": bare_rows(),
        "runs": {name: _figures(pairs) for name, pairs in times.items()},
        "ours": done,
        "engine": (engine, calls),
        "load": (load_before, load_after),
        "when": (started, time.strftime("%H:%M UTC", time.gmtime())),
        "base": _commit(args.base) if args.base else None,
    }
    print(summary(figures, args.reps))
    if args.readme:
        write_section(readme_section(figures, args.reps))


def _commit(tree: Path) -> str:
    """The short commit a worktree has checked out (its label in the table)."""
    done = subprocess.run(
        ["git", "-C", str(tree), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    )
    return done.stdout.strip() or str(tree)


def _figures(pairs: list[tuple[float, float]]) -> dict[str, float]:
    wall, cpu = [w for w, _ in pairs], [c for _, c in pairs]
    return {
        "wall": statistics.median(wall),
        "min": min(wall),
        "cpu": statistics.median(cpu),
        "cpu_min": min(cpu),
    }


def bare_rows() -> int:
    return bare_read()


def summary(figures: dict, reps: int) -> str:
    done = figures["ours"]
    engine, calls = figures["engine"]
    runs = figures["runs"]
    lines = []
    for name, f in runs.items():
        lines.append(
            f"{name}: wall {f['wall']:.2f} s (min {f['min']:.2f}), "
            f"CPU {f['cpu']:.2f} s (min {f['cpu_min']:.2f})"
        )
    lines.append(f"ours / bare: {runs['ours']['wall'] / runs['bare']['wall']:.2f}x wall (goal <= 3)")
    if "base" in runs:
        lines.append(f"ours / base: {runs['ours']['wall'] / runs['base']['wall']:.2f}x wall")
    lines.append(
        f"auditing {calls} folders {engine:.2f} s of one in-process import; {done.report_rows:,} report rows "
        f"-> {done.placements_out:,} placements, {len(done.facilities)} facilities; medians of {reps}; "
        f"load average {figures['load'][0]:.1f} / {figures['load'][1]:.1f}"
    )
    return "\n".join(lines)


def _row(label: str, f: dict[str, float], ratios: str) -> str:
    return f"| {label} | {f['wall']:.2f} | {f['min']:.2f} | {f['cpu']:.2f} | {ratios} |\n"


def readme_section(figures: dict, reps: int) -> str:
    done = figures["ours"]
    engine, calls = figures["engine"]
    load_before, load_after = figures["load"]
    runs = figures["runs"]
    bare, ours_ = runs["bare"], runs["ours"]
    vs_bare = f"**{ours_['wall'] / bare['wall']:.2f}×** the bare read (CPU {ours_['cpu'] / bare['cpu']:.2f}×)"
    table = _row(f"bare fastexcel read of the sheet to pandas ({figures['rows']:,} rows)", bare, "1.00")
    if "base" in runs:
        base = runs["base"]
        table += _row(
            f"`auditor import srms` before ({figures['base']}: each folder loaded and evaluated alone)",
            base,
            f"{base['wall'] / bare['wall']:.2f}× the bare read",
        )
        vs_bare += (
            f"; **{ours_['wall'] / base['wall']:.2f}×** the code before "
            f"(CPU {ours_['cpu'] / base['cpu']:.2f}×)"
        )
    table += _row("`auditor import srms`, whole file", ours_, vs_bare)
    results = "; ".join(
        f"{requirement} {t['late']:,} late and {t['indeterminate']:,} undecided of {t['population']:,} "
        f"reports, {t['deficient_facilities']} facilities deficient"
        for requirement, t in done.totals().items()
    )
    return f"""## Imports

ICE's SRMS export (`SRMS_segregation_2018-2023_redacted.xlsx`, 1.5 MB, in ../shared/realdata; never
in the repository) through `auditor import srms` (`bench/imports.py`), as whole processes. Reproduce
with `git worktree add /tmp/base aa8b9a1 && .venv/bin/python bench/imports.py --base /tmp/base --readme`.

Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, pandas \
{version("pandas")}, fastexcel {version("fastexcel")}. Each command a fresh process (bytecode cached), the \
commands in turn after one warm-up round, {reps} runs: median and minimum wall seconds, median CPU seconds \
(the process and its children, which audit the folders). Measured {figures["when"][0]} to \
{figures["when"][1]}; load average (1 min) before / after: {load_before:.1f} / {load_after:.1f}: the 2 cores \
were shared with other sessions' tests, so wall times are longer than on a quiet machine; the ratios \
compare runs made in the same turns, and CPU seconds are the steadier figure.

| command | wall median s | wall min s | CPU median s | ratio (wall medians) |
|---|---|---|---|---|
{table}
- Goal (issue 19 item 7): the import at most 3× the bare read, as whole processes.
- Rows in and out: {done.rows_in:,} rows below the header; {done.report_rows:,} report rows → \
{done.placements_out:,} placements in {len(done.facilities)} facility folders (Facility.csv, \
Placements.csv) and {len(done.facilities)} results JSONs; {done.blank_rows:,} blank rows and \
{done.orphan_rows} rows holding only a stray `Suicide Risk` below the table, reported by cell, not \
imported; {len(done.unrecognised)} unrecognised values.
- Results, all facilities: {results}. Per facility: `import-summary.csv` in the output.
- What the import does beyond the code before: writes {2 * len(done.facilities)} CSV files (one \
inspection folder per facility, in the scope `segregation-notices`), then audits every folder exactly \
as `auditor audit FOLDER` does (read back, parsed, validated, the scope's requirements evaluated \
and the others reported not assessed), in two bounded children forked at once, half the folders each; \
{engine:.2f} s of one in-process import audits the {calls} folders. Since aa8b9a1 the folders of one \
zone are parsed and validated as one frame and split back (workbook/many.py), and the three notices \
run once on all their rows, their outcome and evidence records split by facility (engine/many.py); \
each folder's results JSON equals `auditor audit FOLDER`'s, for all 126 real folders and a synthetic \
export (tests/imports/test_srms_batch.py).
{NOTES}"""


NOTES = """\
- Goal not met. Where the import's time now goes (cProfile of one import, the 126 folders audited in \
the process, commit 4eb27fc, 5 Dec 00:33 UTC, load 6.5; shares of the whole): writing the 126 results \
JSONs 19 % (`Results.to_json`: a recursive walk of some 750,000 values; now in the two children), \
loading the folders 19 % \
(their Facility sheets one by one 9 %, the joined Placements parsed and validated 8 %), the notices \
run on the joined rows 15 % (the deadlines and their evidence text 8 %, the evidence records 5 %), \
each folder's Results assembled 13 % (the 85 requirements outside the scope made not assessed, 7 %), \
reading the 252 CSV files back 8 %, reading the export's cells in a child 8 %, writing the folders \
6 %, normalising 3 %. Start-up alone (importing the CLI, pandas, pandera) is 0.9 s CPU, 1.7× the \
bare read's whole process: at most 3× leaves 0.7 s CPU for everything else, against about 6 s now. \
What would close it is no longer per-folder fixed cost but work proportional to the 126 results: \
their JSON (a generic walk per value), their not-assessed results (85 per folder, all alike) and the \
folders' Facility sheets and CSV files, written and read back so that each folder is what `auditor \
audit FOLDER` reads.
- Done in this session (each measured in its commit): the folders audited together (above); \
Placements.csv and the trace written with the csv module, not pandas' to_csv per folder (identical \
files); the results JSONs written by the two children that audit the folders, in parallel, rather than \
by the parent (against f757654 in turn, 5 Dec 00:45-00:50 UTC, load 6.0-6.7, medians of 5: wall 17.6 \
against 18.3 s, CPU 7.5 against 7.4 s: no CPU saved, a little wall when the cores are busy); earlier: \
`Results.to_dict` without `dataclasses.asdict`'s deep copy, each folder read in the \
bounded child that audits it, identifiers in evidence masked by a plain loop below 2,000 rows.
"""


if __name__ == "__main__":
    main()
