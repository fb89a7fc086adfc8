"""Import benchmark: ICE's whole SRMS export through `import_srms` (read, normalise, split by facility,
write 126 inspection folders, audit each through `auditor audit`'s own path, write the results JSONs).

Baselines, measured in the same run: a bare fastexcel read of the same sheet into pandas (no types,
no checks, nothing written) and, with `--base DIR`, the import of the code in DIR (a worktree of an
earlier commit: `git worktree add /tmp/base 0b98d90`). The export is ../shared/realdata/SRMS_
segregation_2018-2023_redacted.xlsx; without it the benchmark says so and stops.

Run: `.venv/bin/python bench/imports.py [--reps N] [--base DIR] [--readme]`. Medians of N runs (5);
they take turns, so a busy moment on a shared machine does not fall on one only. Each import runs
in a process of its own code tree (warmed by one import first), asked for one import at a time.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
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

if __name__ == "__main__" and "--serve" in sys.argv:  # a server imports its own tree's auditor
    sys.path.insert(0, sys.argv[sys.argv.index("--serve") + 1])
else:
    sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(Path(__file__).resolve().parent))

from readme import medians, write_section  # noqa: E402

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


def serve(out: Path) -> None:
    """Import once to warm up, then one import per line read on stdin, answering its wall and CPU
    seconds (this process and its children, which audit the folders) as a JSON line."""
    ours(out)
    print(json.dumps({"ready": srms.__file__}), flush=True)
    for _ in sys.stdin:
        wall, cpu = time.perf_counter(), _cpu()
        done = ours(out)
        answer = {"wall": time.perf_counter() - wall, "cpu": _cpu() - cpu, "rows": done.report_rows}
        print(json.dumps(answer), flush=True)


def _cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


class _Server:
    """An import server running the code of one tree."""

    def __init__(self, tree: Path, out: Path) -> None:
        command = [sys.executable, __file__, "--serve", str(tree), "--out", str(out)]
        env = {**os.environ, "PYTHONPATH": str(tree)}
        self.process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env
        )
        self.code = json.loads(self._line())["ready"]

    def _line(self) -> str:
        line = self.process.stdout.readline()
        if not line:
            raise SystemExit(f"the import server of {self.code if hasattr(self, 'code') else 'a tree'} ended")
        return line

    def once(self) -> dict:
        self.process.stdin.write("go\n")
        self.process.stdin.flush()
        return json.loads(self._line())

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument(
        "--base", type=Path, help="a tree of the code before (a git worktree) to compare with"
    )
    parser.add_argument("--readme", action="store_true", help="write the figures to bench/README.md")
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not SRMS.is_file():
        print(f"skipped: the SRMS export is not available ({SRMS} is absent)")
        return
    if args.serve:
        serve(args.out)
        return
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="bench-srms-") as tmp:
        out = Path(tmp) / "out"
        servers = {"ours": _Server(ROOT, Path(tmp) / "ours")}
        if args.base:
            servers["base"] = _Server(args.base.resolve(), Path(tmp) / "base")
        runs: dict[str, list[dict]] = {name: [] for name in servers}
        bare: list[float] = []
        for _ in range(args.reps):
            bare.append(medians([bare_read], 1)[0][0])
            for name, server in servers.items():
                runs[name].append(server.once())
        for server in servers.values():
            server.close()
        engine, calls = audit_share(out)
        done = ours(out)
    load_after = os.getloadavg()[0]
    figures = {
        "bare": (statistics.median(bare), bare_rows()),
        "runs": {name: (_median(r, "wall"), _median(r, "cpu")) for name, r in runs.items()},
        "ours": done,
        "engine": (engine, calls),
        "load": (load_before, load_after),
        "base": str(args.base) if args.base else None,
    }
    print(summary(figures, args.reps))
    if args.readme:
        write_section(readme_section(figures, args.reps))


def _median(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def bare_rows() -> int:
    return bare_read()


def summary(figures: dict, reps: int) -> str:
    bare, rows = figures["bare"]
    done = figures["ours"]
    engine, calls = figures["engine"]
    lines = [f"bare fastexcel read: {bare:.2f} s ({rows:,} rows)"]
    for name, (wall, cpu) in figures["runs"].items():
        lines.append(f"import_srms, {name}: {wall:.2f} s, CPU {cpu:.2f} s (with its children)")
    if "base" in figures["runs"]:
        lines.append(f"ours / base: {figures['runs']['ours'][0] / figures['runs']['base'][0]:.2f}")
    lines.append(
        f"auditing {calls} folders {engine:.2f} s of one run; {done.report_rows:,} report rows → "
        f"{done.placements_out:,} placements, {len(done.facilities)} facilities; medians of {reps}; "
        f"load average {figures['load'][0]:.1f} / {figures['load'][1]:.1f}"
    )
    return "\n".join(lines)


def readme_section(figures: dict, reps: int) -> str:
    bare, rows = figures["bare"]
    done = figures["ours"]
    engine, calls = figures["engine"]
    load_before, load_after = figures["load"]
    wall, cpu = figures["runs"]["ours"]
    base_row, ratio = "", ""
    if "base" in figures["runs"]:
        base_wall, base_cpu = figures["runs"]["base"]
        ratio = f"**{wall / base_wall:.2f}×** the code before"
        base_row = (
            f"| `import_srms`, the code before (commit 0b98d90: the import evaluated the two notices "
            f"itself) | {base_wall:.2f} | {base_cpu:.2f} | 1.00 |\n"
        )
    totals = done.totals()
    vulnerable, fourteen = totals["SMU-NOTIFY-VULNERABLE"], totals["SMU-NOTIFY-14D"]
    return f"""## Imports

ICE's SRMS export (`SRMS_segregation_2018-2023_redacted.xlsx`, 1.5 MB, in ../shared/realdata; never
in the repository) through `auditor import srms` (`bench/imports.py`). Reproduce with
`git worktree add /tmp/base 0b98d90 && .venv/bin/python bench/imports.py --base /tmp/base --readme`.

Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, pandas \
{version("pandas")}, fastexcel {version("fastexcel")}, python-calamine {version("python-calamine")}. \
Medians of {reps} runs taking turns; each import runs in a process of its own code tree, warmed by one \
import, so both codes are measured alike. CPU seconds count the import's process and its children \
(which audit the folders). Load average (1 min) before / after: {load_before:.1f} / {load_after:.1f}: \
the 2 cores were shared with other sessions running tests, so wall times are longer than on a quiet \
machine and move from run to run; the ratio compares runs made under the same load.

| measure | median s | CPU s | ratio |
|---|---|---|---|
| bare fastexcel read of the sheet to pandas ({rows:,} rows, no types, nothing written) | {bare:.2f} \
| | |
{base_row}| `import_srms`, whole file | {wall:.2f} | {cpu:.2f} | {ratio} |

- Rows in and out: {done.rows_in:,} rows below the header; {done.report_rows:,} report rows → \
{done.placements_out:,} placements in {len(done.facilities)} facility folders (Facility.csv, \
Placements.csv) and {len(done.facilities)} results JSONs; {done.blank_rows:,} blank rows and \
{done.orphan_rows} rows holding only a stray `Suicide Risk` below the table, reported by cell, not \
imported; {len(done.unrecognised)} unrecognised values.
- Results, all facilities: SMU-NOTIFY-VULNERABLE (on the `72 Hour` reports) {vulnerable["late"]:,} late \
of {vulnerable["population"]:,}, {vulnerable["deficient_facilities"]} facilities deficient; SMU-NOTIFY-14D \
(on the `14 Day` reports) {fourteen["late"]:,} late of {fourteen["population"]:,}, \
{fourteen["deficient_facilities"]} facilities deficient. Per facility: `import-summary.csv` in the output.
- What `import_srms` does beyond the code before: writes {2 * len(done.facilities)} CSV files (one \
inspection folder per facility, in the scope `segregation-notices`), then audits every folder exactly \
as `auditor audit FOLDER` does (read back, parsed, validated, the scope's two requirements evaluated \
and the others reported not assessed), in two bounded children forked at once, half the folders each; \
{engine:.2f} s of one run audits the {calls} folders.
{NOTES}"""


NOTES = """\
- Where a child's time goes (cProfile of the 126 folders in one process, shares of the whole): \
loading 54 % — parsing the Placements sheet 16 %, pandera 14 %, the Facility sheet 15 % (its 17 \
fields parsed one one-cell Series at a time, `_field_value` → `parse_column`), sorting and merging \
the problems 8 %; reading the CSV files back 20 %, of which 12 % builds three one-row problem \
DataFrames per folder for the warnings `unknown_column` (the provenance columns `srms_row`, \
`srms_report_type`, `srms_placement_reason`, which no sheet declares) — those three warnings also \
cost the problems' sort; evaluating 26 %, half of it the evidence of the late notices \
(`evidence.records`), the other 66 requirements' not-assessed results 1 %. Each step costs \
little; it is paid 126 times on frames of about a hundred rows, where pandas' fixed cost per call \
dominates.
- Done here: the caller's objects are frozen out of the collector before the children fork \
(`untrusted._forked`: a child's collections walked the whole imported workbook, 0.6 s of CPU per \
child, now 0.2 s), and the children send back the results and problems, not the typed frames (half \
of what they pickled and the parent unpickled). What remains is in the workbook loader (the \
Facility fields parsed together, the provenance columns declared or not written) and in the \
evidence of each late notice.
"""


if __name__ == "__main__":
    main()
