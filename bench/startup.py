"""Start-up benchmark: what a command costs as a whole process, against `python -c "import pandas"`.

Three commands, each a fresh process, run in turn (A B C A B C …) so that a busy moment on the
shared machine falls on all three:

    pandas    python -c "import pandas"            the floor every pandas tool pays
    help      python -m auditor --help             typer and rich, nothing else
    validate  python -m auditor validate SMALL     a sample facility's workbook (sample_data/)

Each figure is the median and the minimum over --runs runs (after one warm-up round) of the wall
time and of the CPU time (user + system, the child the reader forks included: os.wait4's own
accounting), with the modules' bytecode cached as an installed package has it (see `once`). The
goal (issue 19): help and validate at most 0.3 s more than pandas.

Run: `.venv/bin/python bench/startup.py [--runs N] [--workbook FILE] [--base DIR]`; --base adds the
two auditor commands run from another commit's source (a `git worktree`, the same interpreter),
in the same turns. Nothing here is asserted.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SMALL = ROOT / "sample_data" / "pine-hollow-usms" / "inspection.xlsx"
PYCACHE = Path(tempfile.gettempdir()) / "auditor-bench-startup-pycache"


Command = tuple[list[str], Path]  # argv, and the source tree it runs from


def commands(workbook: Path, tree: Path, base: Path | None) -> dict[str, Command]:
    python = sys.executable
    auditor = {
        "help": [python, "-m", "auditor", "--help"],
        "validate": [python, "-m", "auditor", "validate", str(workbook)],
    }
    out: dict[str, Command] = {"pandas": ([python, "-c", "import pandas"], tree)}
    out |= {name: (argv, tree) for name, argv in auditor.items()}
    if base is not None:
        out |= {f"{name}@base": (argv, base) for name, argv in auditor.items()}
    return out


def once(argv: list[str], tree: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one whole process (its forked children included), run from `tree`.

    With bytecode cached, as an installed auditor has it (pip compiles a wheel's modules when it
    installs them, as it did pandas's): a machine that sets PYTHONDONTWRITEBYTECODE, as this one
    does, would otherwise compile the auditor's modules from source on every run (0.4 s of CPU).
    The cache goes to a folder of its own (PYTHONPYCACHEPREFIX), not into the tree."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env |= {"PYTHONPATH": str(tree), "PYTHONPYCACHEPREFIX": str(PYCACHE)}
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


def measure(commands: dict[str, Command], runs: int) -> dict[str, list[tuple[float, float]]]:
    for argv, tree in commands.values():  # warm-up round: the page cache, the .pyc files, lint's record
        once(argv, tree)
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, (argv, tree) in commands.items():
            times[name].append(once(argv, tree))
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs of each command (at least 5)")
    parser.add_argument("--workbook", type=Path, default=SMALL, help="the workbook `validate` reads")
    parser.add_argument("--tree", type=Path, default=ROOT, help="the source tree to run")
    parser.add_argument(
        "--base", type=Path, help="another commit's tree, run in turn with this one (name@base)"
    )
    args = parser.parse_args()
    runs = max(5, args.runs)
    tree = args.tree.resolve()
    times = measure(commands(args.workbook.resolve(), tree, args.base.resolve() if args.base else None), runs)
    print(f"# start-up, whole processes: {platform.python_version()}, {os.cpu_count()} CPUs, {runs} runs")
    based = f", base {args.base.resolve()}" if args.base else ""
    print(f"# the tree {tree}{based}; validate reads {args.workbook}")
    base_wall = statistics.median(w for w, _ in times["pandas"])
    base_cpu = statistics.median(c for _, c in times["pandas"])
    header = ("command", "wall med", "wall min", "cpu med", "cpu min", "+wall", "+cpu")
    print(f"{header[0]:<14}" + "".join(f"{h:>10}" for h in header[1:]))
    for name, pairs in times.items():
        wall, cpu = [w for w, _ in pairs], [c for _, c in pairs]
        wall_med, cpu_med = statistics.median(wall), statistics.median(cpu)
        figures = (wall_med, min(wall), cpu_med, min(cpu))
        extra = (wall_med - base_wall, cpu_med - base_cpu)
        print(
            f"{name:<14}" + "".join(f"{f:>10.3f}" for f in figures) + "".join(f"{e:>+10.3f}" for e in extra)
        )
    print("# +wall, +cpu: the median over the median of `pandas` (goal: at most +0.300)")


if __name__ == "__main__":
    main()
