"""What reading untrusted files in a bounded child costs, and what a hostile wide sheet costs now.

1. `read()` (a bounded child: forked from this process, as the CLI does, or from the warm fork
   server, as the web app does) against `read_here()` (the same reader in this process, no
   limits), on a sample inspection and on a 10,000-admission workbook; the functions take turns.
2. `load()` of a workbook whose Intake sheet has 16,000 columns (the issue's 32 s to validate):
   refused by the container check, against `load()` of the same rows without the extra columns.

Run: `.venv/bin/python bench/untrusted.py [--reps N] [--readme]`.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from readme import medians, write_section  # noqa: E402
from web import workbook  # noqa: E402

from auditor import untrusted  # noqa: E402
from auditor.errors import WorkbookError  # noqa: E402
from auditor.workbook.inspection import load  # noqa: E402
from auditor.workbook.read import read, read_here, warm_up  # noqa: E402

CACHE = ROOT / "bench" / ".cache"
SAMPLE = ROOT / "sample_data" / "cedar-flats-spc" / "inspection.xlsx"
WIDE_COLUMNS = 16_000
WIDE_ROWS = 50


def wide_pair() -> tuple[Path, Path]:
    """An inspection whose Intake sheet has 16,000 extra columns, and the same without them."""
    import xlsxwriter
    from openpyxl import load_workbook

    wide, narrow = CACHE / "wide-16000.xlsx", CACHE / "wide-narrow.xlsx"
    if wide.exists() and narrow.exists():
        return wide, narrow
    CACHE.mkdir(parents=True, exist_ok=True)
    source = load_workbook(SAMPLE, read_only=True)
    sheets = {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in source}
    for path, extra in ((wide, WIDE_COLUMNS), (narrow, 0)):
        book = xlsxwriter.Workbook(str(path))
        for title, rows in sheets.items():
            ws = book.add_worksheet(title)
            keep = rows[: WIDE_ROWS + 1] if title == "Intake" else rows
            for r, row in enumerate(keep):
                values = [v for v in row]
                if title == "Intake" and extra:
                    width = len(values)
                    values += [f"extra_{c}" if r == 0 else f"v{r}" for c in range(extra)]
                    assert len(values) == width + extra
                for c, value in enumerate(values):
                    if value is not None:
                        ws.write(r, c, value)
        book.close()
    return wide, narrow


def settled_medians(fns: list, reps: int, settle: float = 2.0) -> list[tuple[float, float, object]]:
    """Median wall seconds of each function, taking turns as `medians` does, but each timed call
    first waits for the pool's replacement child to warm up in the background (as it has time to
    between uploads), so that neither function pays for that warm-up."""
    import statistics
    import time

    walls: list[list[float]] = [[] for _ in fns]
    for _ in range(reps):
        for i, fn in enumerate(fns):
            time.sleep(settle)
            started = time.perf_counter()
            fn()
            walls[i].append(time.perf_counter() - started)
    return [(statistics.median(w), 0.0, None) for w in walls]


def _load_or_error(path: Path) -> str:
    try:
        loaded = load(path)
    except WorkbookError as exc:
        return f"refused: {str(exc)[len(str(path)) + 2 :][:90]}…"
    return f"{loaded.problems.errors} errors, {loaded.problems.warnings} warnings"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=7)
    parser.add_argument("--readme", action="store_true")
    args = parser.parse_args()
    big = workbook(10_000)
    wide, narrow = wide_pair()
    load_before = os.getloadavg()[0]
    rows: list[tuple[str, float, float, str]] = []
    for label, path in (("sample inspection", SAMPLE), ("10,000 admissions", big)):
        size = f"{path.stat().st_size / 1e6:.2f} MB"
        fork = medians([lambda p=path: read_here(p), lambda p=path: read(p)], args.reps)
        rows += [
            (f"{label} ({size}): read in this process (baseline)", fork[0][0], 1.0, ""),
            (f"{label}: read in a bounded child forked from the caller (CLI)", fork[1][0], 0.0, ""),
        ]
        rows[-1] = (*rows[-1][:2], fork[1][0] / fork[0][0], f"+{(fork[1][0] - fork[0][0]) * 1000:.0f} ms")
    untrusted.start_pool(2, warm_up=warm_up)
    for label, path in (("sample inspection", SAMPLE), ("10,000 admissions", big)):
        served = settled_medians([lambda p=path: read_here(p), lambda p=path: read(p)], args.reps)
        rows += [
            (
                f"{label}: read in a bounded child from the warm pool (web app)",
                served[1][0],
                served[1][0] / served[0][0],
                f"+{(served[1][0] - served[0][0]) * 1000:.0f} ms; baseline {served[0][0]:.3f} s in this pair",
            )
        ]
    wide_times = medians([lambda: _load_or_error(narrow), lambda: _load_or_error(wide)], args.reps)
    rows += [
        (
            f"load(), Intake of {WIDE_ROWS} rows, its own columns (baseline)",
            wide_times[0][0],
            1.0,
            str(wide_times[0][2]),
        ),
        (
            f"load(), the same with {WIDE_COLUMNS:,} more columns ({wide.stat().st_size / 1e6:.1f} MB)",
            wide_times[1][0],
            wide_times[1][0] / wide_times[0][0],
            str(wide_times[1][2]),
        ),
    ]
    table = ["| measure | median s | ratio | notes |", "|---|---|---|---|"]
    table += [f"| {name} | {seconds:.3f} | {ratio:.2f} | {note} |" for name, seconds, ratio, note in rows]
    print("\n".join(table))
    if args.readme:
        machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
        write_section(
            "\n".join(
                [
                    "## Untrusted files",
                    "",
                    "What reading every untrusted file in a bounded child process costs "
                    "(`bench/untrusted.py`). Reproduce with `.venv/bin/python bench/untrusted.py --readme`.",
                    "",
                    f"Machine: {machine}. Medians of {args.reps} runs, the two functions of each pair "
                    "taking turns; ratios against the baseline of the same pair. Load average (1 min) "
                    f"before / after: {load_before:.1f} / {os.getloadavg()[0]:.1f}.",
                    "",
                    *table,
                    "",
                    "- The child's cost is a fork (or a warm child taken from the pool) plus pickling the "
                    "raw sheets back; the reading itself is the same.",
                    "- The pool's rows wait 2 s before each timed call, as a replacement child has time to "
                    "warm up between uploads; without that pause the warm-up competes with whichever read "
                    "comes next.",
                    "- The 16,000-column sheet is refused by the container check "
                    "(auditor/workbook/container.py) before any reader allocates for it; the issue measured "
                    "32 s to validate it and 305 s to annotate it before. Its baseline keeps every other "
                    "sheet of the sample whole, so their references to the Intake rows cut away are errors: "
                    "a timing baseline only.",
                ]
            )
        )


if __name__ == "__main__":
    main()
