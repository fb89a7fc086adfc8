"""The same work timed on this tree and on an earlier commit's, in the same run, taking turns.

Each tree runs in a server process of its own (PYTHONPATH set to it), warmed by one run, then asked
for one run at a time, the two servers in turn, so a busy moment on a shared machine falls on both.
Workloads (the inputs are generated once into bench/.cache/ by this tree's code):

    ingest   load() of the ingest benchmark's Intake workbook (read + parse + validate), --rows rows
    audit    the scale benchmark's whole audit of one synthetic facility (CSV folder), --size admissions
    evaluate the evaluate benchmark's evaluate() of a facility-year built in memory by each tree's own
             bench/evaluate.py: --size admissions, ten times as many checks, half as many readings
    report   facility_pdf of the render benchmark's 68-requirement report (bench/render.py's own)
    portfolio  portfolio_pdf of --size facilities (200) from the render benchmark's portfolio_set

evaluate and audit evaluate only the requirements both trees have (--all-requirements: each its own),
so that requirements added since the code before do not count as the same work done slower.

`audit --process` times the whole `auditor audit FOLDER -f json -o FILE` process of each tree instead
(start-up, the read, the same requirements, the results JSON written), a fresh process per run, in turn:
what a user waits for, without the warm server's reuse of freed memory (a reader child forked from it
cannot share that: it copies each page it writes to). `ingest --process` likewise times each tree's
`auditor validate FILE -f json` of the workbook, a fresh process per run.

Run: `git worktree add /tmp/base 0b98d90; .venv/bin/python bench/against.py --base /tmp/base ingest`.
Prints median wall and CPU seconds of each tree and the ratio ours / base. `ingest --parts` times,
in this tree alone, the parts of the ingest the code before did not do (the bounded reader child,
the container check, facility time).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
COMMON_IDS = "AUDITOR_BENCH_COMMON_IDS"  # evaluate and audit: only the requirements both trees have


def _work(workload: str, path: Path, tree: Path):
    """The function a server times, in the server's own tree."""
    if workload in ("report", "portfolio"):
        sys.path.insert(0, str(tree / "bench"))
        import render

        out = Path(render.tempfile.mkdtemp(prefix="bench-against-")) / "out.pdf"
        if workload == "report":
            results = render.synthetic_results()
            return lambda: render.facility_pdf(results, out) and render.pages_of(out)
        many = render.portfolio_set(int(path.name))
        return lambda: render.portfolio_pdf(many, out) and render.pages_of(out)
    if workload == "evaluate":
        sys.path.insert(0, str(tree / "bench"))
        import evaluate as bench_evaluate

        from auditor.engine.evaluate import evaluate
        from auditor.standards.load import load_edition

        size = int(path.name)
        inspection = bench_evaluate.facility_year(size, 10 * size, size // 2)
        edition = _common(load_edition("PBNDS-2011"))
        return lambda: evaluate(inspection, edition).summary.deficient
    if workload == "ingest":
        from auditor.workbook.inspection import load

        def run() -> int:
            loaded = load(path)
            assert not loaded.problems.has_errors, loaded.problems.frame.head()
            return len(loaded.inspection.sheets["Intake"])

        return run
    import inspect

    from auditor.core import validate_inspection
    from auditor.engine.evaluate import evaluate
    from auditor.standards.load import load_edition

    # as `auditor audit` loads it in each tree: without the cells' text where the tree can
    lean = {"text": False} if "text" in inspect.signature(validate_inspection).parameters else {}

    def audit() -> int:
        loaded = validate_inspection(path, **lean)
        assert loaded.valid, loaded.problems.frame.head()
        edition = _common(load_edition(loaded.inspection.facility["detention_standard"]))
        return evaluate(loaded.inspection, edition).summary.deficient

    return audit


# `audit --process`: one tree's own command line in a fresh interpreter (cwd and PYTHONPATH the tree), its
# core's editions cut to the requirements both trees have, as the warm servers' are.
PROCESS = """
import dataclasses, os, sys
import auditor.core as core
keep = set(filter(None, os.environ["AUDITOR_BENCH_COMMON_IDS"].split(",")))
whole = core.load_edition
def common(name):
    edition = whole(name)
    kept = {k: v for k, v in edition.requirements.items() if k in keep}
    return dataclasses.replace(edition, requirements=kept)
if keep:
    core.load_edition = common
from auditor.cli import main
sys.argv = ["auditor", "audit", *sys.argv[1:]]
main()
"""


# `ingest --process`: one tree's `auditor validate FILE -f json` of the workbook in a fresh interpreter (the
# command a user runs to read, parse and validate it; it exits 0 only when the workbook is valid).
INGEST_PROCESS = """
import sys
from auditor.cli import main
sys.argv = ["auditor", "validate", *sys.argv[1:], "-f", "json"]
main()
"""


def run_process(workload: str, path: Path, tree: Path) -> dict:
    """One whole process of `tree` (`auditor audit`, or `auditor validate` for ingest), with its
    modules' bytecode cached as an installed package has it (bench/startup.py's `once`): wall and CPU
    seconds, and its answer (deficient requirements, or "valid")."""
    import tempfile

    import startup  # bench/startup.py, beside this script (the script's folder is on sys.path)

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "answer"
        if workload == "ingest":  # `once` stops the bench unless it exits 0: valid
            wall, cpu = startup.once([sys.executable, "-c", INGEST_PROCESS, str(path)], tree)
            return {"wall": wall, "cpu": cpu, "answer": "valid"}
        command = [sys.executable, "-c", PROCESS, str(path), "-f", "json", "-o", str(out)]
        wall, cpu = startup.once(command, tree)
        deficient = json.loads(out.read_text(encoding="utf-8"))["summary"]["deficient"]
    return {"wall": wall, "cpu": cpu, "answer": deficient}


def _common(edition):
    """The edition with only the requirements both trees have (COMMON_IDS, set by main): the same
    work on both sides, whatever requirements were added since the code before."""
    import dataclasses

    ids = os.environ.get(COMMON_IDS)
    if not ids:
        return edition
    keep = set(ids.split(","))
    return dataclasses.replace(
        edition, requirements={k: v for k, v in edition.requirements.items() if k in keep}
    )


def requirement_ids(tree: Path, edition: str = "PBNDS-2011") -> set[str]:
    """The requirement ids of an edition as the code and standards of `tree` load it."""
    code = f"from auditor.standards.load import load_edition; print(*load_edition({edition!r}).requirements)"
    env = {**os.environ, "PYTHONPATH": str(tree)}
    done = subprocess.run([sys.executable, "-c", code], env=env, cwd=tree, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{tree}: cannot load {edition}: {done.stderr.strip()[-300:]}")
    return set(done.stdout.split())


def serve(workload: str, path: Path, tree: Path) -> None:
    run = _work(workload, path, tree)
    print(json.dumps({"ready": run()}), flush=True)
    for _ in sys.stdin:
        wall, cpu = time.perf_counter(), _cpu()
        answer = run()
        print(
            json.dumps({"wall": time.perf_counter() - wall, "cpu": _cpu() - cpu, "answer": answer}),
            flush=True,
        )


def _cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _input(workload: str, size: int) -> Path:
    sys.path[:0] = [str(ROOT), str(HERE)]
    if workload == "ingest":
        import ingest

        return ingest.workbook(size)
    import scale

    return _without_offsets(scale.inspection(size))


def _without_offsets(folder: Path) -> Path:
    """A copy of a generated CSV folder whose times carry no UTC offset: the generator writes one
    for a time in the hour the clocks fall back (never guessed by our reader), which the code before
    cannot read. Moved an hour on, such a time means one instant in both trees."""
    import re
    import shutil

    offset = re.compile(r"(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})[-+]\d{2}:\d{2}")
    copy = HERE / ".cache" / "against" / folder.parent.name / folder.name
    if not copy.exists():
        shutil.copytree(folder, copy)
        for path in copy.glob("*.csv"):
            text = path.read_text(encoding="utf-8")
            fixed = offset.sub(lambda m: f"{m[1]} {int(m[2]) + 1:02d}:{m[3]}", text)
            if fixed != text:
                path.write_text(fixed, encoding="utf-8")
    return copy


def parts(path: Path, reps: int) -> dict[str, float]:
    """ingest --parts: medians (this tree, this process) of the work the code before did not do: the
    bounded reader child (load() against the same read in this process), the container check of the
    bytes, and facility time (converting the sheets' local times to UTC, inside parsing)."""
    sys.path[:0] = [str(ROOT)]
    from auditor.contracts import facility_time
    from auditor.workbook.container import check_container
    from auditor.workbook.inspection import load, load_raw
    from auditor.workbook.read import _file_bytes, read_here
    from auditor.workbook.sniff import sniff

    spent = [0.0]
    convert = facility_time.local_to_utc

    def timed(*args, **kwargs):
        started = time.perf_counter()
        try:
            return convert(*args, **kwargs)
        finally:
            spent[0] += time.perf_counter() - started

    def parse_only() -> tuple[float, float]:
        raw = read_here(path)
        spent[0] = 0.0
        facility_time.local_to_utc = timed
        try:
            started = time.perf_counter()
            load_raw(raw)
            return spent[0], time.perf_counter() - started
        finally:
            facility_time.local_to_utc = convert

    data = _file_bytes(path)
    figures: dict[str, list[float]] = {}
    for _ in range(reps + 1):  # the first round warms up
        laps = {}
        started = time.perf_counter()
        load(path)
        laps["load() (read in a bounded child, parse, validate)"] = time.perf_counter() - started
        started = time.perf_counter()
        read_here(path)
        laps["the same read in this process"] = time.perf_counter() - started
        started = time.perf_counter()
        check_container(path, sniff(path, data), data=data)
        laps["container check of the bytes (inside the read)"] = time.perf_counter() - started
        zone, parse = parse_only()
        laps["parse + validate"] = parse
        laps["facility time: local times to UTC (inside parse)"] = zone
        for name, lap in laps.items():
            figures.setdefault(name, []).append(lap)
    return {name: statistics.median(laps[1:]) for name, laps in figures.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workload", choices=["ingest", "audit", "evaluate", "report", "portfolio"])
    parser.add_argument("--base", type=Path, required=True, help="the earlier commit's tree (a git worktree)")
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument(
        "--size", type=int, help="rows (ingest, 200,000) or admissions (audit 10,000, evaluate 200,000)"
    )
    parser.add_argument(
        "--all-requirements",
        action="store_true",
        help="evaluate and audit: every requirement of each tree, not only those both have",
    )
    parser.add_argument(
        "--parts", action="store_true", help="ingest: time this tree's new work separately (no base run)"
    )
    parser.add_argument("--process", action="store_true", help="audit, ingest: a whole process a run")
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.workload, args.serve, args.base)
        return
    if args.parts:
        if args.workload != "ingest":
            raise SystemExit("--parts: only the ingest workload")
        path = _input("ingest", args.size or 200_000)
        for name, seconds in parts(path, args.reps).items():
            print(f"{seconds:8.2f} s  {name}")
        return
    size = args.size or {"audit": 10_000, "report": 1, "portfolio": 200}.get(args.workload, 200_000)
    made = args.workload in ("evaluate", "report", "portfolio")  # built in memory by each tree
    path = Path(str(size)) if made else _input(args.workload, size)
    common = ""
    if args.workload in ("evaluate", "audit") and not args.all_requirements:
        ours_ids, base_ids = requirement_ids(ROOT), requirement_ids(args.base.resolve())
        common = ",".join(sorted(ours_ids & base_ids))
        print(
            f"requirements: {len(ours_ids)} here, {len(base_ids)} before; the {len(ours_ids & base_ids)} "
            "both have are evaluated"
        )
    load_before = os.getloadavg()[0]
    if args.process:
        if args.workload not in ("audit", "ingest"):
            raise SystemExit("--process: only the audit and ingest workloads")
        trees = {"ours": ROOT, "base": args.base.resolve()}
        os.environ[COMMON_IDS] = common  # `once` passes this process's environment to each run
        runs = {name: [] for name in trees}
        for _ in range(args.reps + 1):  # the first round warms the page cache and is not counted
            for name, tree in trees.items():
                runs[name].append(run_process(args.workload, path, tree))
        runs = {name: rs[1:] for name, rs in runs.items()}
        _print(args, size, runs, {name: rs[0]["answer"] for name, rs in runs.items()}, load_before)
        return
    servers = {}
    for name, tree in (("ours", ROOT), ("base", args.base.resolve())):
        command = [sys.executable, __file__, args.workload, "--base", str(tree), "--serve", str(path)]
        pipe = subprocess.PIPE
        env = {**os.environ, "PYTHONPATH": str(tree), COMMON_IDS: common}
        servers[name] = subprocess.Popen(command, stdin=pipe, stdout=pipe, text=True, env=env, cwd=tree)
    answers = {name: json.loads(server.stdout.readline())["ready"] for name, server in servers.items()}
    runs: dict[str, list[dict]] = {name: [] for name in servers}
    for _ in range(args.reps):
        for name, server in servers.items():
            server.stdin.write("go\n")
            server.stdin.flush()
            runs[name].append(json.loads(server.stdout.readline()))
    for server in servers.values():
        server.stdin.close()
        server.wait(timeout=60)
    _print(args, size, runs, answers, load_before)


def _print(
    args: argparse.Namespace, size: int, runs: dict[str, list[dict]], answers: dict, load_before: float
) -> None:
    load_after = os.getloadavg()[0]
    wall = {name: statistics.median(r["wall"] for r in rs) for name, rs in runs.items()}
    cpu = {name: statistics.median(r["cpu"] for r in rs) for name, rs in runs.items()}
    ours = f"{wall['ours']:.2f} s (CPU {cpu['ours']:.2f})"
    base = f"{wall['base']:.2f} s (CPU {cpu['base']:.2f})"
    ratio = f"{wall['ours'] / wall['base']:.2f} (CPU {cpu['ours'] / cpu['base']:.2f})"
    what = f"{args.workload} (whole process)" if args.process else args.workload
    print(
        f"{what} {size:,}: ours {ours}, base {base}, ratio {ratio}; answers {answers}; "
        f"medians of {args.reps}; load average {load_before:.1f} / {load_after:.1f}"
    )


if __name__ == "__main__":
    main()
