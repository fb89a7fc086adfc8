"""Reading an upload once (issue 12, item 4): the reader and the annotated copy, before and after.

Before, one upload was opened about 16 times (sniffed, checked, read by fastexcel, scanned sheet
by sheet, hashed, and opened again by openpyxl for the annotated copy) and each sheet's XML was
inflated twice (the container check and the scan). Now it is opened once and each sheet inflated
once. This times, on the same workbook, the code of a baseline commit (checked out into a
temporary git worktree) against the working tree's, in subprocesses that take turns:

    read_here   the reader in the process (no bounded child)
    read        the reader in a bounded child forked from the caller (as the CLI reads)
    annotate    the annotated copy (openpyxl, in a bounded child) of what `read` gave, one mark

and the largest resident size of a bounded child (ru_maxrss of the children).

Run: `.venv/bin/python bench/read_once.py [--baseline REF] [--rounds N] [--reps N]`.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from web import workbook  # noqa: E402

SAMPLE = ROOT / "sample_data" / "cedar-flats-spc" / "inspection.xlsx"

MEASURE = """
import json, resource, sys, time
from pathlib import Path
from auditor.contracts.problems import Problems, problem
from auditor.workbook.annotate import annotate
from auditor.workbook.read import read, read_here

path, out, reps, annotating = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]), sys.argv[4] == "1"
problems = Problems.collect([problem("bench", "one mark", sheet="Intake", cell="B2", row=2)])
read_here(path)  # the readers' first-use costs, paid by neither
times = {"read_here": [], "read": [], "annotate": []}


def timed(key, fn):
    started = time.perf_counter()
    answer = fn()
    times[key].append(time.perf_counter() - started)
    return answer


for _ in range(reps):
    timed("read_here", lambda: read_here(path))
    raw = timed("read", lambda: read(path))
    if annotating:
        timed("annotate", lambda: annotate(raw, problems, out))
times["child_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps(times))
"""


def run(tree: Path, path: Path, out: Path, reps: int, annotating: bool) -> dict:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, str(path), str(out), str(reps), "1" if annotating else "0"],
        env=env,
        cwd=tree,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default="263e1f9^", help="the commit to compare with")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--no-annotate", action="store_true", help="time the readers only")
    args = parser.parse_args()
    big = workbook(10_000)
    with tempfile.TemporaryDirectory(prefix="read-once-") as scratch:
        base = Path(scratch) / "baseline"
        subprocess.run(
            ["git", "worktree", "add", "--detach", str(base), args.baseline],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        try:
            rows = []
            for label, path in (("sample inspection", SAMPLE), ("10,000 admissions", big)):
                found: dict[str, dict[str, list[float]]] = {"before": {}, "after": {}}
                for _ in range(args.rounds):
                    for name, tree in (("before", base), ("after", ROOT)):
                        out = Path(scratch) / f"{name}.xlsx"
                        times = run(tree, path, out, args.reps, not args.no_annotate)
                        for key, value in times.items():
                            found[name].setdefault(key, []).extend(
                                value if isinstance(value, list) else [value]
                            )
                size = f"{path.stat().st_size / 1e6:.2f} MB"
                for key in ("read_here", "read", "annotate", "child_mb"):
                    if not found["after"].get(key):
                        continue
                    before = statistics.median(found["before"][key])
                    after = statistics.median(found["after"][key])
                    unit = "MB" if key == "child_mb" else "s"
                    figures = f"{before:.3f} {unit} | {after:.3f} {unit} | {after / before:.2f}"
                    rows.append(f"| {label} ({size}) | {key} | {figures} |")
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(base)], cwd=ROOT, capture_output=True)
    load = os.getloadavg()[0]
    print(f"baseline {args.baseline}; medians of {args.rounds} rounds × {args.reps} reps, load {load:.1f}")
    print("| workbook | measure | before | after | after/before |\n|---|---|---|---|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
