"""Order benchmark: the same facility-year evaluated with its rows in three orders.

The evaluate benchmark's facility-year (bench/evaluate.py: built in memory, typed as the parser
types it) is generated grouped: the Checks placement by placement, each in time order, which is
the order max_gap works in. A logging system exports by time (the checks of all placements
interleaved) and an inspector's workbook may come in any order. Here every sheet's rows are also
put in time order ("by time": by the sheet's first date-time column) and shuffled (one fixed
permutation per sheet), numbered again from Excel row 2 as a file written in that order would be.
Timed in turn, the three copies, medians of --reps runs, wall and CPU seconds:

    evaluate   every requirement of PBNDS-2011 (evaluate(): evidence, summary, rating)
    <kind>     the requirements of each rule kind that sorts (max_gap, cadence, segregation_notices), in one
               evaluation context, as evaluate() runs them: the rules reading the same sheets
               share one sort (max_gap's checks by placement and time)

Before timing, the three are checked to agree: every requirement's status and counts, and its
evidence (sheet, row of the generated copy, verdict, detail) once the moved rows are mapped back;
a record that stands for several rows (a cadence gap, a unit-week) cites the first of them in the
file, so there the row is left out of the comparison. Goal (issue 19): any order as fast as
the generated one, but for the one sort of a sheet.

Run: `.venv/bin/python bench/shuffled.py [--reps N] [--admissions N] [--checks N] [--readme]` (--readme
writes the "Order" section of bench/README.md). Nothing here is asserted on time.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import platform
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from evaluate import facility_year  # noqa: E402
from readme import Timing, load_average, machine, markdown_table, turns, write_section  # noqa: E402

from auditor.contracts.inspection import Inspection  # noqa: E402
from auditor.engine.context import Context  # noqa: E402
from auditor.engine.evaluate import evaluate, evaluate_requirement  # noqa: E402
from auditor.standards.load import load_edition  # noqa: E402
from auditor.standards.model import Edition  # noqa: E402

SORTING_KINDS = ("max_gap", "cadence", "segregation_notices")


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
    parser.add_argument("--readme", action="store_true", help="write the figures to bench/README.md")
    args = parser.parse_args()
    reps = max(5, args.reps)
    before = load_average()
    started = dt.datetime.now(dt.UTC)
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

    workloads = {f"`evaluate()`, all {len(expected)} requirements": (lambda i: lambda: evaluate(i, edition))}
    for kind in SORTING_KINDS:
        count = sum(r.kind == kind for r in edition.requirements.values())
        workloads[f"the {count} {kind} requirements, one context"] = lambda i, k=kind: of_kind(i, edition, k)
    rows = []
    for name, make in workloads.items():
        timed = turns({how: make(copy) for how, copy in copies.items()}, reps)
        rows.append((name, timed))
        print(f"{name}: " + "; ".join(f"{how} {_figure(t)}" for how, t in timed.items()), flush=True)
    after = load_average()
    table = _table(rows)
    print("\n".join(table))
    if args.readme:
        write_section(_section(table, reps, started, (before, after), sizes))


def _figure(t: Timing) -> str:
    return f"{t.median:.3f} s (CPU {t.cpu_median:.3f})"


def _table(rows: list[tuple[str, dict[str, Timing]]]) -> list[str]:
    """Seconds wall (CPU), medians, and each order against the generated one: the ratio of the medians
    of wall and of CPU."""
    head = (
        "workload",
        "as generated s (CPU)",
        "by time s (CPU)",
        "shuffled s (CPU)",
        "by time / as generated, wall (CPU)",
        "shuffled / as generated, wall (CPU)",
    )
    body = []
    for name, timed in rows:
        base = timed["as generated"]
        ratios = [
            f"**{timed[how].median / base.median:.2f}×** ({timed[how].cpu_median / base.cpu_median:.2f}×)"
            for how in ("by time", "shuffled")
        ]
        body.append((name, *(_figure(timed[how]).replace(" s (CPU ", " (") for how in timed), *ratios))
    return markdown_table([head, *body])


def _section(table: list[str], reps: int, started: dt.datetime, load: tuple[float, float], sizes: str) -> str:
    lines = [
        "## Order (issue 19, item 6)",
        "",
        "The Evaluate facility-year in three orders, timed in turn (`bench/shuffled.py`): **as generated** "
        "(the Checks grouped placement by placement, each in time order: the order max_gap works in), "
        "**by time** (every sheet by its first date-time column, as a logging system exports: the checks "
        "of all placements interleaved) and **shuffled** (one permutation per sheet); rows numbered again "
        "from 2, as a file written in that order. Before timing, the three are checked to agree on every "
        "requirement: status and counts, and the evidence (sheet, verdict, detail, and the row mapped "
        "back, except for the records that stand for several rows and cite the first in the file: "
        "cadence gaps, location-days, unit-weeks). Reproduce: `.venv/bin/python bench/shuffled.py "
        "--readme`.",
        "",
        f"Data: {sizes}. Machine: {machine()}, pandas {pd.__version__}, numpy {np.__version__}; "
        f"{started:%-d %B %Y at %H:%M} UTC, load average (1 min) before / after {load[0]:.1f} / "
        f"{load[1]:.1f} (the 2 cores shared with other sessions: CPU seconds, this process's, are the "
        f"steadier figure). One warm-up round, then {reps} rounds in which the three take turns; "
        "medians, seconds wall (CPU).",
        "",
        *table,
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
