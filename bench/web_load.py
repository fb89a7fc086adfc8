"""Web load test: 50 signed-in users reading pages while 20 others upload, on the loopback only.

`auditor serve` runs in a subprocess on 127.0.0.1 (a fresh data folder, 70 inspector accounts).
Each reader signs in, then reads the home page, the uploads list, the facilities page and the API's
uploads, one request after another with a pause (--think seconds) between them; each uploader
signs in and sends one 500-admission workbook (`POST /api/uploads?wait=0`), then polls until it
is audited. The readers stop when every upload is done or --seconds have passed, and each makes
at most --max-requests: the test is bounded in count and time and stops by itself.

Reported: page latency (p50, p95, max) while the uploads are processed, answers other than 200,
and whether every upload was stored, recorded and audited, with its bytes intact (none lost).

`--workers-rounds N` measures instead what the upload workers gain from a second core: 20
simultaneous uploads of the 500-admission workbook (no readers), against a server with one
processing worker and one with two, taking turns (1, 2, then 2, 1, ...) for N rounds: the time
from the first upload sent to the last one audited, and the CPU seconds the server and its
children used meanwhile (what else ran on the shared machine is not counted there).

Run: `.venv/bin/python bench/web_load.py [--readers 50] [--uploaders 20] [--readme]`, or
`.venv/bin/python bench/web_load.py --workers-rounds 5 [--readme]`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import os
import platform
import pstats
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from readme import write_section  # noqa: E402  (bench/readme.py, beside this script)
from web import PENDING, free_port, workbook  # noqa: E402  (bench/web.py)

from auditor.db import Database  # noqa: E402
from auditor.service.accounts import add_user  # noqa: E402
from auditor.service.assignments import assign  # noqa: E402

PASSWORD = "load-test-password"
FACILITY = "SYN-0001"  # the synthetic workbook's facility
PAGES = ("/", "/uploads", "/facilities", "/api/uploads")


@dataclass
class Figures:
    latencies: list[float] = field(default_factory=list)  # seconds, every page read
    not_ok: list[str] = field(default_factory=list)  # "GET / → 500"
    stored: list[float] = field(default_factory=list)  # upload → 201
    results: list[float] = field(default_factory=list)  # upload → audited
    uploads: dict[str, dict] = field(default_factory=dict)  # uploader → its upload, as last seen


def start_server(
    data: Path, users: list[str], port: int, workers: int = 2, profile: Path | None = None
) -> subprocess.Popen:
    data.mkdir(parents=True)
    db = Database(data / "auditor.sqlite3")
    for name in users:
        add_user(db, name, "inspector", PASSWORD)
        assign(db, None, name, [FACILITY])  # an inspector uploads only for the facilities assigned
    log = (data.parent / "server.log").open("w")
    command = [sys.executable, "-m", "auditor.cli", "serve", "--port", str(port), "--data", str(data)]
    if profile is not None:  # every thread of the server process under cProfile (bench/serve_profiled.py)
        command[1:3] = [str(ROOT / "bench" / "serve_profiled.py"), str(profile)]
    command += ["--workers", str(workers)]
    process = subprocess.Popen([*command, "--insecure-cookies"], stdout=log, stderr=subprocess.STDOUT)
    for _ in range(600):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/login", timeout=1).status_code == 200:
                return process
        except httpx.TransportError:
            time.sleep(0.1)
    process.terminate()
    raise SystemExit("the server did not start")


async def sign_in(http: httpx.AsyncClient, name: str) -> str:
    """Sign the client in; returns the session's CSRF token."""
    answer = await http.post("/api/session", json={"name": name, "password": PASSWORD})
    answer.raise_for_status()
    return answer.json()["csrf_token"]


def client(url: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url=url, timeout=httpx.Timeout(120))


async def reader(
    url: str, name: str, figures: Figures, done: asyncio.Event, args: argparse.Namespace
) -> None:
    async with client(url) as http:
        await sign_in(http, name)
        for turn in range(args.max_requests):
            if done.is_set():
                return
            page = PAGES[turn % len(PAGES)]
            started = time.perf_counter()
            answer = await http.get(page)
            figures.latencies.append(time.perf_counter() - started)
            if answer.status_code != 200:
                figures.not_ok.append(f"GET {page} → {answer.status_code}")
            with contextlib.suppress(TimeoutError):  # the pause, cut short when the test ends
                await asyncio.wait_for(done.wait(), args.think)


async def uploader(
    url: str,
    name: str,
    data: bytes,
    figures: Figures,
    wait: int = 0,
    signed_in: asyncio.Barrier | None = None,
) -> None:
    """Upload, then poll until audited; with `wait`, the request itself waits that long for the audit
    first, as the web page's upload form does (the server's wait_seconds). With `signed_in`, the
    upload starts once every client has signed in."""
    async with client(url) as http:
        try:
            csrf = await sign_in(http, name)
        except BaseException:
            if signed_in is not None:
                await signed_in.abort()  # the others stop waiting
            raise
        if signed_in is not None:
            await signed_in.wait()
        started = time.perf_counter()
        answer = await http.post(
            f"/api/uploads?wait={wait}",
            files={"file": (f"{name}.xlsx", data)},
            headers={"X-CSRF-Token": csrf},
        )
        if answer.status_code != 201:
            figures.not_ok.append(f"POST /api/uploads → {answer.status_code}")
            return
        figures.stored.append(time.perf_counter() - started)
        upload = answer.json()["upload"]
        while upload["status"] in PENDING:
            await asyncio.sleep(0.5)
            upload = (await http.get(f"/api/uploads/{upload['id']}")).json()["upload"]
        figures.results.append(time.perf_counter() - started)
        figures.uploads[name] = upload


async def load(url: str, args: argparse.Namespace, data: bytes) -> Figures:
    figures, done = Figures(), asyncio.Event()
    readers = [
        asyncio.create_task(reader(url, f"reader{i:02d}", figures, done, args)) for i in range(args.readers)
    ]
    await asyncio.sleep(1)  # the readers are signed in and reading before the uploads start
    uploads = asyncio.gather(
        *(uploader(url, f"uploader{i:02d}", data, figures) for i in range(args.uploaders))
    )
    try:
        await asyncio.wait_for(uploads, args.seconds)
    except TimeoutError:
        print(f"stopped after {args.seconds} s with uploads still pending", flush=True)
    done.set()
    await asyncio.gather(*readers)
    return figures


def lost_uploads(figures: Figures, args: argparse.Namespace, data: bytes, data_dir: Path) -> int:
    """Uploads not stored, not audited, or whose stored bytes differ from those sent."""
    audited = sum(1 for upload in figures.uploads.values() if upload["status"] == "audited")
    stored = data_dir / "uploads" / hashlib.sha256(data).hexdigest()
    intact = stored.exists() and stored.read_bytes() == data
    return args.uploaders - audited if intact else args.uploaders


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) a process and its descendants used: the live ones' own, and the
    ended ones' as their parents counted them when they reaped them (utime, stime, cutime, cstime)."""
    return sum(split_cpu(pid))


def split_cpu(pid: int) -> tuple[float, float]:
    """The CPU seconds of `tree_cpu`, split: the process's own (utime, stime), and its descendants'
    (the live ones' own and what it and they counted of the ended ones they reaped)."""
    ticks = os.sysconf("SC_CLK_TCK")
    parents: dict[int, int] = {}
    used: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry.name)] = int(fields[1])
        used[int(entry.name)] = [int(v) for v in fields[11:15]]
    tree, frontier = {pid}, [pid]
    while frontier:
        parent = frontier.pop()
        children = [child for child, of in parents.items() if of == parent and child not in tree]
        tree.update(children)
        frontier += children
    own = sum(used.get(pid, [0, 0])[:2]) / ticks
    reaped = sum(used.get(pid, [0, 0, 0, 0])[2:]) / ticks
    descendants = sum(sum(used.get(p, [0])) for p in tree - {pid}) / ticks
    return own, reaped + descendants


def self_cpu() -> float:
    """CPU seconds this (the clients') process has used."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def upload_all(url: str, names: list[str], data: bytes, start: Callable[[], None]) -> Figures:
    """Every client signs in, then `start` (the clock), then all upload at once. Signing in is left
    out of the time: each password check (argon2) costs the server's process about 0.1 s of CPU,
    which was half its CPU in the round. Each request waits for its audit rather than polling."""
    figures = Figures()
    signed_in = asyncio.Barrier(len(names) + 1)
    tasks = [
        asyncio.create_task(uploader(url, name, data, figures, wait=300, signed_in=signed_in))
        for name in names
    ]
    await signed_in.wait()
    start()
    await asyncio.gather(*tasks)
    return figures


def workers_round(
    workers: int, uploaders: int, data: bytes, profile: Path | None = None
) -> tuple[float, float, int]:
    """Seconds from the first upload sent to the last audited, CPU seconds of the server's process
    tree meanwhile, and the uploads lost, with `workers` processing workers. Prints where the CPU
    went: the server process itself, its children (the audits), and this process (the clients)."""
    names = [f"uploader{i:02d}" for i in range(uploaders)]
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        server = start_server(Path(tmp) / "data", names, port, workers, profile)
        try:
            time.sleep(2)  # the warm readers started, as a server that has been up a while
            marks: dict[str, Any] = {}

            def start() -> None:
                marks.update(cpu=split_cpu(server.pid), clients=self_cpu(), time=time.perf_counter())

            figures = asyncio.run(upload_all(f"http://127.0.0.1:{port}", names, data, start))
            elapsed = time.perf_counter() - marks["time"]
            before = marks["cpu"]
            after, clients = split_cpu(server.pid), self_cpu() - marks["clients"]
            own, children = after[0] - before[0], after[1] - before[1]
            print(f"    CPU: server {own:.1f} s, its children {children:.1f} s, clients {clients:.1f} s")
            args = argparse.Namespace(uploaders=uploaders)
            lost = lost_uploads(figures, args, data, Path(tmp) / "data")
        finally:
            server.terminate()
            server.wait(timeout=60)
    return elapsed, own + children, lost


def compare_workers(args: argparse.Namespace, data: bytes) -> None:
    """One worker against two, by turns; figures printed and, with --readme, written."""
    walls: dict[int, list[float]] = {1: [], 2: []}
    cpus: dict[int, list[float]] = {1: [], 2: []}
    lost = 0
    load_before = os.getloadavg()[0]
    for turn in range(args.workers_rounds):
        for workers in (1, 2) if turn % 2 == 0 else (2, 1):
            wall, cpu, gone = workers_round(workers, args.uploaders, data)
            walls[workers].append(wall)
            cpus[workers].append(cpu)
            lost += gone
            print(
                f"  round {turn + 1}, {workers} worker(s): {wall:.2f} s, CPU {cpu:.1f} s, {gone} lost",
                flush=True,
            )
    one, two = statistics.median(walls[1]), statistics.median(walls[2])
    ratios = sorted(a / b for a, b in zip(walls[1], walls[2], strict=True))
    rows = [
        "| processing workers | median s | min s | CPU s (median) | uploads audited / s |",
        "|---|---|---|---|---|",
        *(
            f"| {w} | {statistics.median(walls[w]):.2f} | {min(walls[w]):.2f} | "
            f"{statistics.median(cpus[w]):.1f} | {args.uploaders / statistics.median(walls[w]):.2f} |"
            for w in (1, 2)
        ),
    ]
    print("\n".join(rows))
    print(
        f"two workers: {one / two:.2f}x one worker (medians); paired rounds {ratios[0]:.2f}x to "
        f"{ratios[-1]:.2f}x; {lost} uploads lost"
    )
    if args.readme:
        section = "\n".join(
            [
                "## Web: upload workers",
                "",
                f"{args.uploaders} simultaneous uploads of the 500-admission workbook (no readers), against "
                "`auditor serve --workers 1` and `--workers 2`, taking turns (1, 2, then 2, 1, ...) for "
                f"{args.workers_rounds} rounds, each on a fresh server and data folder: the time from the "
                "first upload sent to the last one audited, and the CPU time of the server and its children "
                "meanwhile. Each upload is read, validated and audited in a child process of its own "
                "(`auditor/service/checking.py`), so the two workers use both cores. Reproduce with "
                f"`.venv/bin/python bench/web_load.py --workers-rounds {args.workers_rounds} --readme`.",
                "",
                f"Machine: {platform.machine()}, {os.cpu_count()} cores (shared), Python "
                f"{platform.python_version()}. Load average (1 min) before / after: {load_before:.1f} / "
                f"{os.getloadavg()[0]:.1f}.",
                "",
                *rows,
                "",
                f"- Two workers against one: **{one / two:.2f}×** (ratio of the medians), "
                f"{min(walls[1]) / min(walls[2]):.2f}× (of the minimums); the paired rounds range "
                f"{ratios[0]:.2f}× to {ratios[-1]:.2f}×, median {statistics.median(ratios):.2f}×. Uploads "
                f"lost: {lost}. The goal is ≥ 1.8×.",
                "- Before (issue 19): the workers were threads in the server, and two gave 0.92× one.",
                "- CPU time is the server's process tree (the children's counted as they are reaped): "
                "about the same for both, so the gain is the second core, not less work.",
                "",
            ]
        )
        write_section(section)
        print("bench/README.md updated", flush=True)
    if lost:
        raise SystemExit(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readers", type=int, default=50)
    parser.add_argument("--uploaders", type=int, default=20)
    parser.add_argument("--think", type=float, default=1.0, help="seconds between one reader's pages")
    parser.add_argument("--seconds", type=float, default=300, help="stop the test after this long")
    parser.add_argument("--max-requests", type=int, default=400, help="pages each reader reads at most")
    parser.add_argument("--readme", action="store_true", help="write the figures into bench/README.md")
    parser.add_argument(
        "--workers-rounds", type=int, default=0, help="compare 1 and 2 processing workers, N rounds"
    )
    parser.add_argument(
        "--profile-server",
        type=Path,
        metavar="OUT",
        help="one round of uploads, 2 workers, the server process under cProfile into OUT; prints its top",
    )
    args = parser.parse_args()
    data = workbook(500).read_bytes()
    if args.profile_server:
        workers_round(2, args.uploaders, data, profile=args.profile_server)
        pstats.Stats(str(args.profile_server)).sort_stats("tottime").print_stats(30)
        return
    if args.workers_rounds:
        compare_workers(args, data)
        return
    users = [f"reader{i:02d}" for i in range(args.readers)] + [
        f"uploader{i:02d}" for i in range(args.uploaders)
    ]
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        server = start_server(Path(tmp) / "data", users, port)
        try:
            started = time.perf_counter()
            figures = asyncio.run(load(f"http://127.0.0.1:{port}", args, data))
            elapsed = time.perf_counter() - started
            lost = lost_uploads(figures, args, data, Path(tmp) / "data")
        finally:
            server.terminate()
            server.wait(timeout=60)
    lat = figures.latencies
    p50, p95, worst = percentile(lat, 0.5), percentile(lat, 0.95), max(lat)
    print(
        f"{len(lat)} page reads by {args.readers} users in {elapsed:.0f} s: p50 {p50 * 1000:.0f} ms, "
        f"p95 {p95 * 1000:.0f} ms, max {worst * 1000:.0f} ms; {len(figures.not_ok)} answers not 200"
    )
    print(
        f"{args.uploaders} uploads: {len(figures.stored)} stored (201), {args.uploaders - lost} audited, "
        f"{lost} lost; results in {statistics.median(figures.results):.1f} s median, "
        f"{max(figures.results):.1f} s max"
    )
    if figures.not_ok:
        print("not 200:", ", ".join(sorted(set(figures.not_ok))))
    if args.readme:
        section = "\n".join(
            [
                "## Web under load",
                "",
                f"{args.readers} signed-in users read pages (home, uploads, facilities, `GET /api/uploads`"
                f" in turn, one every {args.think:g} s each) while {args.uploaders} others each upload a "
                "500-admission workbook (`POST /api/uploads?wait=0`, then polling until audited), against "
                "`auditor serve` (uvicorn with its header and body deadlines, 2 processing workers) on "
                "127.0.0.1. The readers stop when every upload is done; the test is bounded to "
                f"{args.seconds:g} s and {args.max_requests} pages per reader. Reproduce with "
                "`.venv/bin/python bench/web_load.py --readme`.",
                "",
                f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}. "
                f"Load average (1 min) before / after: {load_before:.1f} / {os.getloadavg()[0]:.1f}.",
                "",
                "| measure | figure |",
                "|---|---|",
                f"| page reads while the uploads are processed | {len(lat)} in {elapsed:.0f} s |",
                f"| page latency p50 / p95 / max | {p50 * 1000:.0f} / {p95 * 1000:.0f} / "
                f"{worst * 1000:.0f} ms |",
                f"| answers other than 200 | {len(figures.not_ok)} |",
                f"| uploads stored (201) / audited / lost | {len(figures.stored)} / "
                f"{args.uploaders - lost} / {lost} |",
                f"| upload → results, median / max | {statistics.median(figures.results):.1f} / "
                f"{max(figures.results):.1f} s |",
                "",
                "- The audits run in the processing workers' child processes; pages only read SQLite (WAL).",
                "- Lost: uploads not stored, not audited, or whose stored bytes differ from those sent.",
                "- The load average before the run is what else shared the machine's 2 cores meanwhile.",
                "",
            ]
        )
        write_section(section)
        print("bench/README.md updated", flush=True)
    if lost or figures.not_ok:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
