"""Whole-process `auditor audit` time and peak memory at 10k, 100k and 1M admissions.

The inspections come from `auditor generate` (other sheets in proportion: about 15 observation
checks, 3 temperature readings and 0.12 grievances per admission). They are CSV folders, since
the 1M-admission Checks sheet (about 15 million rows) is beyond Excel's 1,048,576 rows; the xlsx
read path is measured by bench/ingest.py. Each audit is a fresh `auditor audit` process under GNU
time, so its time and peak memory are what a user sees. Run:
`.venv/bin/python bench/scale.py [--sizes 10000,100000] [--runs N] [--readme [--profile note.md]]`; with
`--base TREE` (a worktree of another commit) it times that tree's audit and ours in turn instead.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path
from unittest import mock

import numpy as np
import pandas as pd
from readme import README, write_section  # bench/readme.py, beside this script
from startup import PYCACHE  # bench/startup.py

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache" / "scale"
SIZES = (10_000, 100_000, 1_000_000)
RUNS = {10_000: 5, 100_000: 3, 1_000_000: 3}
# The bounded reader's defaults (2 GiB, 120 s, docs/security.md) refuse the 1M-admission folder
# (770 MB of CSV): an operator auditing one that large raises them, as here.
# The modules' bytecode cached as an installed package has it (bench/startup.py's `once`): a machine
# that sets PYTHONDONTWRITEBYTECODE would compile the auditor's modules from source every run.
LIMITS = {
    **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
    "PYTHONPYCACHEPREFIX": str(PYCACHE),
    "AUDITOR_READ_MEMORY": "12GiB",
    "AUDITOR_READ_OUTPUT": "8GiB",
    "AUDITOR_READ_SECONDS": "900",
}

# One whole `auditor audit` process per run, as a user runs it (imports, the bounded reader child,
# parse, validate, evaluate, the results JSON written), under GNU time: wall seconds, peak RSS (the
# largest of the process and the reader child it waited for, in KB), user and system CPU seconds.
TIME_FORMAT = "%e %M %U %S"


def inspection(size: int) -> Path:
    """The cached synthetic inspection of `size` admissions (generated once)."""
    folder = CACHE / str(size)
    done = folder / "SYN-0001" / "Facility.csv"
    if not done.exists():
        from auditor.contracts import facility_time
        from auditor.generate.synthetic import write_synthetic

        started = time.perf_counter()
        with mock.patch.object(facility_time, "wall_clock", monotone_wall_clock):
            write_synthetic(folder, 1, size, seed=2026, deficiency_rate=0.02, csv=True)
        moved = offset_repeated_hour(folder / "SYN-0001")
        print(f"generated {size:,} admissions in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        print(f"{moved} times of the repeated hour given their offset", file=sys.stderr)
    return folder / "SYN-0001"


def monotone_wall_clock(values: np.ndarray, zone: str | None) -> np.ndarray:
    """facility_time.wall_clock, but a time the spring-forward change skipped becomes the first one
    after it (03:00) instead of an hour on. The generator's own choice reorders events: an arrival
    drawn at 02:30 became 03:30, after a screening drawn at 03:10, and from 100,000 admissions on the
    inspection is refused (screening before arrival). Moving to 03:00 keeps every pair in order."""
    local = np.asarray(values, dtype="datetime64[us]")
    if zone is None or not len(local):
        return local
    index = pd.DatetimeIndex(local).tz_localize(zone, ambiguous=True, nonexistent="shift_forward")
    return index.tz_localize(None).to_numpy(dtype="datetime64[us]")


# The generator writes bare local times, some inside the hour repeated when Chicago's clocks fell
# back (2025-11-02 01:xx), which the reader refuses as ambiguous. They are written here as the first
# of the two instants, with its offset (what the generator meant: it localises them as daylight time).
REPEATED_HOUR = ("America/Chicago", "2025-11-02 01:", "-05:00")


def offset_repeated_hour(folder: Path) -> int:
    """Give every bare time of the repeated hour its daylight-time offset; the number rewritten."""
    zone, hour, offset = REPEATED_HOUR
    facility = (folder / "Facility.csv").read_text(encoding="utf-8")
    if f"time_zone,{zone}" not in facility:
        raise SystemExit(f"{folder}: the synthetic facility is no longer in {zone}; update REPEATED_HOUR")
    pattern = re.compile(re.escape(hour) + r"(\d\d)(?=[,\n])")
    day, clock = hour.split(" ")
    rewritten = 0
    for csv in sorted(folder.glob("*.csv")):
        text = csv.read_text(encoding="utf-8")
        new, count = pattern.subn(lambda m: f"{day}T{clock}{m.group(1)}{offset}", text)
        if count:
            csv.write_text(new, encoding="utf-8")
            rewritten += count
    return rewritten


def audit_once(path: Path, tree: Path | None = None) -> tuple[dict, str]:
    """One whole-process `auditor audit` of `path` (with the code of `tree`, another checkout, when
    given): its wall and CPU seconds, peak RSS and deficient count, and its verdicts' digest."""
    import hashlib
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "results.json"
        command = [sys.executable, "-m", "auditor.cli", "audit", str(path), "-f", "json", "-o", str(out)]
        env = LIMITS if tree is None else {**LIMITS, "PYTHONPATH": str(tree)}
        done = subprocess.run(
            ["/usr/bin/time", "-f", TIME_FORMAT, *command],
            capture_output=True,
            text=True,
            env=env,
            cwd=tree or HERE.parent,
        )
        if done.returncode not in (0, 3) or not out.exists():
            raise SystemExit(f"auditor audit failed ({done.returncode}): {done.stderr[-2000:]}")
        results = json.loads(out.read_text(encoding="utf-8"))
    wall, peak_kb, user, system = (float(v) for v in done.stderr.strip().splitlines()[-1].split())
    verdicts = [
        (r["requirement_id"], r["status"], r.get("violations"), r.get("compliant"), r.get("indeterminate"))
        for r in results["results"]
    ]
    sample = {
        "audit": wall,
        "peak_mb": peak_kb / 1024,
        "cpu": user + system,
        "deficient": results["summary"]["deficient"],
    }
    return sample, hashlib.sha256(repr(verdicts).encode()).hexdigest()[:12]


def measure(size: int, runs: int) -> dict:
    """Medians of `runs` whole-process audits of the `size` inspection; the verdicts of every run
    must be the same (a digest of each requirement's status and counts)."""
    path = inspection(size)
    samples, digests = [], set()
    for _ in range(runs):
        sample, digest = audit_once(path)
        samples.append(sample)
        digests.add(digest)
    if len(digests) != 1:
        raise SystemExit(f"{size:,} admissions: the runs gave different verdicts ({sorted(digests)})")
    return {
        "size": size,
        "runs": runs,
        "rows": rows_in(path),
        "audit": statistics.median(s["audit"] for s in samples),
        "audit_min": min(s["audit"] for s in samples),
        "cpu": statistics.median(s["cpu"] for s in samples),
        "peak_mb": max(s["peak_mb"] for s in samples),
        "deficient": samples[0]["deficient"],
        "verdicts": digests.pop(),
    }


def against(size: int, runs: int, base: Path) -> None:
    """This tree's whole-process audit against `base`'s (another checkout), taking turns (ours, then
    base, `runs` times); prints the medians of wall and CPU seconds, the peaks and the digests."""
    path = inspection(size)
    load = os.getloadavg()[0]
    samples: dict[str, list[dict]] = {"ours": [], "base": []}
    digests: dict[str, set[str]] = {"ours": set(), "base": set()}
    for _ in range(runs):
        for name, tree in (("ours", None), ("base", base)):
            sample, digest = audit_once(path, tree)
            samples[name].append(sample)
            digests[name].add(digest)
            print(
                f"  {name}: {sample['audit']:.2f} s, CPU {sample['cpu']:.1f} s, {sample['peak_mb']:,.0f} MB"
            )
    print(
        f"{size:,} admissions, {runs} rounds, {time.strftime('%d %b %H:%M UTC', time.gmtime())}, load "
        f"average {load:.1f} / {os.getloadavg()[0]:.1f}; base {base}"
    )
    for name, rows in samples.items():
        wall, cpu = (statistics.median(s[k] for s in rows) for k in ("audit", "cpu"))
        peak = statistics.median(s["peak_mb"] for s in rows)
        print(
            f"  {name}: wall {wall:.2f} s (min {min(s['audit'] for s in rows):.2f}), CPU {cpu:.1f} s, "
            f"peak {peak:,.0f} MB (max {max(s['peak_mb'] for s in rows):,.0f}); "
            f"verdicts {sorted(digests[name])}"
        )


def rows_in(folder: Path) -> int:
    """Data rows in the folder's CSV files (lines after each header; the Facility sheet's fields too)."""
    return sum(max(0, csv.read_bytes().count(b"\n") - 1) for csv in folder.glob("*.csv"))


def svg_plot(rows: list[dict]) -> str:
    """Two log-log panels against admissions: whole-process audit seconds, and peak memory (MB) with
    the 2 GB goal; each with the linear reference through the smallest size."""
    import math

    panel, height, pad = 330, 320, 60
    xs = [math.log10(r["size"]) for r in rows]
    lo_x, hi_x = min(xs) - 0.2, max(xs) + 0.2

    def one(left: float, key: str, unit: str, title: str, goal: float | None) -> str:
        ys = [math.log10(r[key]) for r in rows]
        linear = [ys[0] + (x - xs[0]) for x in xs]
        extra = [math.log10(goal)] if goal else []
        lo_y, hi_y = min(ys + linear + extra) - 0.3, max(ys + linear + extra) + 0.3

        def point(x: float, y: float) -> tuple[float, float]:
            return (
                left + pad + (x - lo_x) / (hi_x - lo_x) * (panel - pad - 20),
                height - pad - (y - lo_y) / (hi_y - lo_y) * (height - 2 * pad),
            )

        def path(values: list[float]) -> str:
            return " ".join(
                f"{'M' if i == 0 else 'L'}{point(x, y)[0]:.1f},{point(x, y)[1]:.1f}"
                for i, (x, y) in enumerate(zip(xs, values, strict=True))
            )

        marks = "".join(
            f'<circle cx="{point(x, y)[0]:.1f}" cy="{point(x, y)[1]:.1f}" r="4" fill="#b42318"/>'
            f'<text x="{point(x, y)[0] - 4:.1f}" y="{point(x, y)[1] - 8:.1f}" font-size="10" '
            'text-anchor="end">'
            f"{r['size']:,}: {r[key]:,.1f} {unit}</text>"
            for x, y, r in zip(xs, ys, rows, strict=True)
        )
        line = ""
        if goal:
            (x0, y0), (x1, _) = point(lo_x, math.log10(goal)), point(hi_x, math.log10(goal))
            line = (
                f'<path d="M{x0:.1f},{y0:.1f} L{x1:.1f},{y0:.1f}" stroke="#027a48" stroke-dasharray="2,3"/>'
                f'<text x="{x0 + 4:.1f}" y="{y0 - 4:.1f}" font-size="10" fill="#027a48">'
                f"goal {goal:,.0f} {unit}</text>"
            )
        return (
            f'<text x="{left + pad}" y="24" font-size="13">{title}</text>'
            f'<path d="{path(linear)}" stroke="#98a2b3" stroke-dasharray="5,4" fill="none"/>{line}'
            f'<path d="{path(ys)}" stroke="#b42318" stroke-width="2" fill="none"/>{marks}'
        )

    width = 2 * panel
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        'font-family="DejaVu Sans, sans-serif">'
        f'<rect width="{width}" height="{height}" fill="white"/>'
        + one(0, "audit", "s", "auditor audit, whole process: seconds", 15)
        + one(panel, "peak_mb", "MB", "peak memory (RSS)", 2048)
        + f'<text x="{width - 20}" y="{height - 14}" font-size="11" text-anchor="end">'
        "log-log against admissions; dashed: linear growth from the smallest size</text></svg>"
    )


CHART = "![Audit time and peak memory by admissions](scale.svg)"


def earlier(measured: set[int]) -> tuple[list[str], str]:
    """The README's Scale rows of the sizes not measured in this run, and the notes under its chart, as
    they are: `make bench` measures 10,000 and 100,000 admissions and the 1M row is measured alone, so
    neither run may drop the other's figures or the profile written under them."""
    text = README.read_text(encoding="utf-8") if README.exists() else ""
    start = text.find("## Scale\n")
    if start < 0:
        return [], ""
    end = text.find("\n## ", start + 1)
    section = text[start : end if end >= 0 else len(text)]
    rows = []
    for line in section.splitlines():
        found = re.match(r"\| ([\d,]+) \|", line)
        if found and int(found[1].replace(",", "")) not in measured:
            rows.append(line)
    notes = section.split(CHART, 1)[1].strip() if CHART in section else ""
    return rows, notes


def report(rows: list[dict], profile: str) -> str:
    base = rows[0]
    lines = [
        "## Scale",
        "",
        "`auditor audit FOLDER -f json -o results.json` of one synthetic facility (CSV folder), as a whole",
        "process under GNU time (`/usr/bin/time`): imports, the bounded reader child, parse, validate,",
        "evaluate and the results written. Wall seconds (median and min), CPU seconds (user + system,",
        "median) and peak RSS (the largest of the process and the reader child; max of the runs). Every run",
        "of a size must give the same verdicts (a digest of each requirement's status and counts).",
        "Reproduce with `.venv/bin/python bench/scale.py [--readme]` (inputs generated once into",
        "`bench/.cache/`).",
        "",
        "| admissions | rows in the files | runs | audit, median / min (s) | CPU (s) | µs per row "
        "| growth vs the size before | peak memory (MB) | deficient | verdicts digest |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for before, r in zip([None, *rows], rows, strict=False):
        growth = (
            f"{r['audit'] / before['audit']:.1f}× time for {r['rows'] / before['rows']:.1f}× rows"
            if before
            else ""
        )
        lines.append(
            f"| {r['size']:,} | {r['rows']:,} | {r['runs']} | {r['audit']:.2f} / {r['audit_min']:.2f} "
            f"| {r['cpu']:.1f} | {1e6 * r['audit'] / r['rows']:.2f} | {growth} | {r['peak_mb']:,.0f} "
            f"| {r['deficient']} | `{r['verdicts']}` |"
        )
    del base
    kept, notes = earlier({r["size"] for r in rows})
    if kept:  # in order of size, the rows of other runs among this run's
        table = lines[-len(rows) :] + kept
        lines[-len(rows) :] = sorted(table, key=lambda line: int(line.split("|")[1].replace(",", "")))
    named = [f"{r['size']:,}" for r in rows]
    sizes = " and ".join([", ".join(named[:-1]), named[-1]] if len(named) > 1 else named)
    now = time.gmtime()
    when = f"{now.tm_mday} {time.strftime('%B %Y at %H:%M UTC', now)}"
    load = os.getloadavg()[0]
    ran = f"The rows of {sizes} admissions were measured on {when} (load average {load:.1f}) at {_commit()}"
    ran += "; the others, and the notes below, come from their own runs, dated there." if kept else "."
    lines += ["", ran, "", CHART, "", (profile or notes).rstrip(), ""]
    return "\n".join(lines)


def _point(line: str) -> dict:
    """What the chart needs of a README row kept from another run: size, median audit seconds, peak MB."""
    cells = [cell.strip() for cell in line.strip("|").split("|")]
    number = lambda text: float(text.replace(",", ""))  # noqa: E731
    return {
        "size": int(number(cells[0])),
        "audit": number(cells[3].split("/")[0]),
        "peak_mb": number(cells[7]),
    }


def _commit() -> str:
    done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=HERE)
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--", ":/auditor"], capture_output=True, text=True, cwd=HERE
    )
    return done.stdout.strip() + (" with uncommitted changes to auditor/" if dirty.stdout.strip() else "")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default=",".join(str(s) for s in SIZES))
    parser.add_argument("--runs", type=int, default=0, help="runs per size (default: 5, 3, 3)")
    parser.add_argument(
        "--profile", type=Path, help="a Markdown note (the memory profile) put under the table"
    )
    parser.add_argument(
        "--base", type=Path, help="another checkout (a git worktree): its audit and ours in turn; no README"
    )
    parser.add_argument(
        "--readme", action="store_true", help="write the Scale section of bench/README.md and scale.svg"
    )
    args = parser.parse_args()
    if args.base:
        for size in (int(s) for s in args.sizes.split(",")):
            against(size, args.runs or RUNS.get(size, 3), args.base.resolve())
        return
    rows = []
    sizes = [int(s) for s in args.sizes.split(",")]
    audit_once(inspection(min(sizes)))  # not counted: writes the modules' bytecode cache
    for size in sizes:
        rows.append(measure(size, args.runs or RUNS.get(size, 3)))
        r = rows[-1]
        print(
            f"{size:>9,} admissions  {r['rows']:>11,} rows  audit {r['audit']:7.2f} s "
            f"(min {r['audit_min']:.2f})  CPU {r['cpu']:.1f} s  peak {r['peak_mb']:,.0f} MB  "
            f"deficient {r['deficient']}  {r['verdicts']}",
            flush=True,
        )
    if not args.readme:
        return
    kept = [_point(line) for line in earlier({r["size"] for r in rows})[0]]
    (HERE / "scale.svg").write_text(svg_plot(sorted(rows + kept, key=lambda r: r["size"])), encoding="utf-8")
    profile = args.profile.read_text(encoding="utf-8") if args.profile else ""
    write_section(report(rows, profile))


if __name__ == "__main__":
    main()
