"""Order benchmark: the same facility-year evaluated with its rows in time order and shuffled.

The evaluate benchmark's facility-year (bench/evaluate.py: built in memory, typed as the parser
types it) is written in time order, the order a logging system exports; an inspector's workbook
may come in any order. Here every sheet's rows are shuffled (one fixed permutation per sheet) and
numbered again from Excel row 2, as a file written in that order would be. Timed in turn, the
two copies, each median and minimum of --reps runs:

    evaluate   every requirement of PBNDS-2011 (evaluate(): evidence, summary, rating)
    <kind>     the requirements of each rule kind that sorts (max_gap, cadence), all in one
               evaluation context, as evaluate() runs them: the rules reading the same sheets
               share one sort (max_gap's checks by placement and time)

Before timing, the two are checked to agree: every requirement's status and counts, and its
evidence (sheet, row of the time-ordered copy, verdict, detail) once the shuffled rows are mapped
back; a record that stands for several rows (a cadence gap, a unit-week) cites the first of them
in the file, so there the row is left out of the comparison. Goal (issue 19): shuffled as fast as
sorted, but for the one sort of a sheet.

Run: `.venv/bin/python bench/shuffled.py [--reps N] [--admissions N] [--checks N]`. Nothing here is
asserted on time.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import os
import platform
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from evaluate import facility_year  # noqa: E402

from auditor.contracts.inspection import Inspection  # noqa: E402
from auditor.engine.context import Context  # noqa: E402
from auditor.engine.evaluate import evaluate, evaluate_requirement  # noqa: E402
from auditor.standards.load import load_edition  # noqa: E402
from auditor.standards.model import Edition  # noqa: E402

SORTING_KINDS = ("max_gap", "cadence")


def shuffled(inspection: Inspection, seed: int = 19) -> tuple[Inspection, dict[str, np.ndarray]]:
    """The inspection with every sheet's rows in a random order, numbered again from row 2, and
    per sheet the time-ordered copy's row of each new row."""
    rng = np.random.default_rng(seed)
    sheets, old_rows, moves = {}, {}, {}
    for name, frame in inspection.sheets.items():
        moves[name] = rng.permutation(len(frame))
        moved = frame.iloc[moves[name]]
        old_rows[name] = moved.index.to_numpy()
        moved.index = pd.RangeIndex(2, 2 + len(moved))
        sheets[name] = moved
    date_only = {  # positional masks, moved with their rows
        sheet: {column: np.asarray(mask)[moves[sheet]] for column, mask in columns.items()}
        for sheet, columns in inspection.date_only.items()
    }
    return dataclasses.replace(inspection, sheets=sheets, date_only=date_only), old_rows


# kinds whose record is a group of rows (a gap between events, a unit-week) and cites one of its
# rows, the first in the file: shuffled, another row of the same group; compared without rows
GROUP_RECORDS = ("cadence", "daily_presence", "weekly_minimum")


def outcomes(inspection: Inspection, edition: Edition, old_rows: dict[str, np.ndarray] | None) -> dict:
    """Per requirement: status, counts and the evidence (rows as the time-ordered copy's)."""
    results = evaluate(inspection, edition)
    out = {}
    for result in results.results:
        grouped = edition.requirements[result.requirement_id].kind in GROUP_RECORDS
        evidence = Counter()
        for e in result.evidence:
            row = e.row
            if old_rows is not None and row is not None and e.sheet in old_rows:
                row = int(old_rows[e.sheet][row - 2])
            evidence[(e.sheet, None if grouped else row, e.verdict, e.detail)] += 1
        counts = (result.status, result.population, result.violations, result.indeterminate)
        out[result.requirement_id] = (counts, evidence)
    return out


def interleaved(fns: dict[str, Callable[[], object]], reps: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(reps):
        for name, fn in fns.items():
            gc.collect()
            started = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - started)
    return times


def of_kind(inspection: Inspection, edition: Edition, kind: str) -> Callable[[], object]:
    requirements = [r for r in edition.requirements.values() if r.kind == kind]

    def run() -> object:
        ctx = Context(inspection)
        return [evaluate_requirement(r, ctx, edition) for r in requirements]

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=5, help="repetitions per figure (at least 5)")
    parser.add_argument("--admissions", type=int, default=200_000)
    parser.add_argument("--checks", type=int, default=2_000_000)
    parser.add_argument("--readings", type=int, default=100_000)
    args = parser.parse_args()
    reps = max(5, args.reps)
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"pandas {pd.__version__}, numpy {np.__version__}"
    )
    ordered = facility_year(args.admissions, args.checks, args.readings)
    mixed, old_rows = shuffled(ordered)
    sizes = ", ".join(f"{name} {len(frame):,}" for name, frame in ordered.sheets.items())
    print(f"facility-year: {sizes}")
    edition = load_edition("PBNDS-2011")

    expected, got = outcomes(ordered, edition, None), outcomes(mixed, edition, old_rows)
    differ = [rid for rid in expected if expected[rid] != got[rid]]
    assert not differ, f"sorted and shuffled disagree on {differ}"
    print(f"sorted and shuffled agree on all {len(expected)} requirements (counts and evidence)")

    workloads = {"evaluate": (lambda i: lambda: evaluate(i, edition))}
    for kind in SORTING_KINDS:
        workloads[kind] = lambda i, k=kind: of_kind(i, edition, k)
    print(f"\n{'workload':<10}{'sorted med':>12}{'min':>8}{'shuffled med':>14}{'min':>8}{'ratio':>8}")
    for name, make in workloads.items():
        times = interleaved({"sorted": make(ordered), "shuffled": make(mixed)}, reps)
        a, b = times["sorted"], times["shuffled"]
        ratio = statistics.median(y / x for x, y in zip(a, b, strict=True))
        print(
            f"{name:<10}{statistics.median(a):>12.3f}{min(a):>8.3f}{statistics.median(b):>14.3f}{min(b):>8.3f}"
            f"{ratio:>7.2f}x"
        )
    print(f"# seconds, {reps} runs each, the two in turn; ratio: median of shuffled/sorted pair by pair")


if __name__ == "__main__":
    main()
