"""Start-up benchmark: what a command costs as a whole process, against `python -c "import pandas"`.

Three commands, each a fresh process, run in turn (A B C A B C …) so that a busy moment on the
shared machine falls on all three:

    pandas    python -c "import pandas"            the floor every pandas tool pays
    help      python -m auditor --help             typer and rich, nothing else
    validate  python -m auditor validate SMALL     a sample facility's workbook (sample_data/)

Each figure is the median and the minimum over --runs runs (after one warm-up round) of the wall
time and of the CPU time (user + system, the child the reader forks included: os.wait4's own
accounting). The goal (issue 19): help and validate at most 0.3 s more than pandas.

Run: `.venv/bin/python bench/startup.py [--runs N] [--workbook FILE] [--tree DIR]` (--tree: another
commit's source, e.g. a `git worktree`, run by the same interpreter). Nothing here is asserted.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SMALL = ROOT / "sample_data" / "pine-hollow-usms" / "inspection.xlsx"


def commands(workbook: Path) -> dict[str, list[str]]:
    python = sys.executable
    return {
        "pandas": [python, "-c", "import pandas"],
        "help": [python, "-m", "auditor", "--help"],
        "validate": [python, "-m", "auditor", "validate", str(workbook)],
    }


def once(argv: list[str], tree: Path = ROOT) -> tuple[float, float]:
    """Wall and CPU seconds of one whole process (its forked children included), run from `tree`."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    start = time.perf_counter()
    process = subprocess.Popen(argv, cwd=tree, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        message = process.stderr.read().decode(errors="replace") if process.stderr else ""
        raise SystemExit(f"{' '.join(argv)} exited {process.returncode}: {message.strip()[-300:]}")
    if process.stderr:
        process.stderr.close()
    return wall, usage.ru_utime + usage.ru_stime


def measure(argvs: dict[str, list[str]], runs: int, tree: Path) -> dict[str, list[tuple[float, float]]]:
    for argv in argvs.values():  # warm-up round: the page cache and the .pyc files
        once(argv, tree)
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in argvs}
    for _ in range(runs):
        for name, argv in argvs.items():
            times[name].append(once(argv, tree))
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs of each command (at least 5)")
    parser.add_argument("--workbook", type=Path, default=SMALL, help="the workbook `validate` reads")
    parser.add_argument("--tree", type=Path, default=ROOT, help="the source tree to run (another commit's)")
    args = parser.parse_args()
    runs = max(5, args.runs)
    argvs = commands(args.workbook)
    times = measure(argvs, runs, args.tree.resolve())
    print(f"# start-up, whole processes: {platform.python_version()}, {os.cpu_count()} CPUs, {runs} runs")
    print(f"# the tree {args.tree.resolve()}; validate reads {args.workbook.resolve()}")
    base_wall = statistics.median(w for w, _ in times["pandas"])
    base_cpu = statistics.median(c for _, c in times["pandas"])
    header = ("command", "wall med", "wall min", "cpu med", "cpu min", "+wall", "+cpu")
    print(f"{header[0]:<10}" + "".join(f"{h:>10}" for h in header[1:]))
    for name, pairs in times.items():
        wall, cpu = [w for w, _ in pairs], [c for _, c in pairs]
        wall_med, cpu_med = statistics.median(wall), statistics.median(cpu)
        figures = (wall_med, min(wall), cpu_med, min(cpu))
        extra = (wall_med - base_wall, cpu_med - base_cpu)
        print(
            f"{name:<10}" + "".join(f"{f:>10.3f}" for f in figures) + "".join(f"{e:>+10.3f}" for e in extra)
        )
    print("# +wall, +cpu: the median over the median of `pandas` (goal: at most +0.300)")


if __name__ == "__main__":
    main()
