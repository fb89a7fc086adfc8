"""Order benchmark: the same facility-year evaluated with its rows in three orders.

The evaluate benchmark's facility-year (bench/evaluate.py: built in memory, typed as the parser
types it) is generated grouped: the Checks placement by placement, each in time order, which is
the order max_gap works in. A logging system exports by time (the checks of all placements
interleaved) and an inspector's workbook may come in any order. Here every sheet's rows are also
put in time order ("by time": by the sheet's first date-time column) and shuffled (one fixed
permutation per sheet), numbered again from Excel row 2 as a file written in that order would be.
Timed in turn, the three copies, each median and minimum of --reps runs:

    evaluate   every requirement of PBNDS-2011 (evaluate(): evidence, summary, rating)
    <kind>     the requirements of each rule kind that sorts (max_gap, cadence), all in one
               evaluation context, as evaluate() runs them: the rules reading the same sheets
               share one sort (max_gap's checks by placement and time)

Before timing, the three are checked to agree: every requirement's status and counts, and its
evidence (sheet, row of the generated copy, verdict, detail) once the moved rows are mapped back;
a record that stands for several rows (a cadence gap, a unit-week) cites the first of them in the
file, so there the row is left out of the comparison. Goal (issue 19): any order as fast as
the generated one, but for the one sort of a sheet.

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


def reordered(inspection: Inspection, how: str, seed: int = 19) -> tuple[Inspection, dict[str, np.ndarray]]:
    """The inspection with every sheet's rows in another order, numbered again from row 2, and per
    sheet the generated copy's row of each new row. `how`: "shuffled" (a random order) or
    "by time" (by the sheet's first date-time column, as a chronological export: the Checks of all
    placements interleaved)."""
    rng = np.random.default_rng(seed)
    sheets, old_rows, moves = {}, {}, {}
    for name, frame in inspection.sheets.items():
        stamps = [c for c in frame.columns if pd.api.types.is_datetime64_any_dtype(frame[c])]
        if how == "shuffled" or not stamps:
            moves[name] = rng.permutation(len(frame))
        else:
            moves[name] = np.argsort(frame[stamps[0]].to_numpy(dtype="datetime64[us]"), kind="stable")
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
# rows, the first in the file: reordered, another row of the same group; compared without rows
GROUP_RECORDS = ("cadence", "daily_presence", "weekly_minimum")


def outcomes(inspection: Inspection, edition: Edition, old_rows: dict[str, np.ndarray] | None) -> dict:
    """Per requirement: status, counts and the evidence (rows as the generated copy's)."""
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
    copies = {"as generated": ordered}
    moved = {how: reordered(ordered, how) for how in ("by time", "shuffled")}
    copies |= {how: copy for how, (copy, _) in moved.items()}
    sizes = ", ".join(f"{name} {len(frame):,}" for name, frame in ordered.sheets.items())
    print(f"facility-year: {sizes}")
    edition = load_edition("PBNDS-2011")

    expected = outcomes(ordered, edition, None)
    for how, (copy, old_rows) in moved.items():
        got = outcomes(copy, edition, old_rows)
        differ = [rid for rid in expected if expected[rid] != got[rid]]
        assert not differ, f"as generated and {how} disagree on {differ}"
    print(f"the three orders agree on all {len(expected)} requirements (counts and evidence)")

    workloads = {"evaluate": (lambda i: lambda: evaluate(i, edition))}
    for kind in SORTING_KINDS:
        workloads[kind] = lambda i, k=kind: of_kind(i, edition, k)
    print(f"\n{'workload':<10}" + "".join(f"{how + ' med':>20}{'min':>8}" for how in copies) + "   ratios")
    for name, make in workloads.items():
        times = interleaved({how: make(copy) for how, copy in copies.items()}, reps)
        base = times["as generated"]
        line = f"{name:<10}" + "".join(f"{statistics.median(t):>20.3f}{min(t):>8.3f}" for t in times.values())
        ratios = [
            statistics.median(y / x for x, y in zip(base, times[how], strict=True))
            for how in ("by time", "shuffled")
        ]
        print(line + "".join(f"{r:>7.2f}x" for r in ratios))
    print(
        f"# seconds, {reps} runs each, the three in turn; ratios: by time and shuffled over as generated,"
        " the median of the pairs"
    )


if __name__ == "__main__":
    main()
