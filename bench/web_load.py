"""Web load test: 50 signed-in users reading pages while 20 others upload, on the loopback only.

`auditor serve` runs in a subprocess on 127.0.0.1 (a fresh data folder, 70 inspector accounts).
Each reader signs in, then reads the home page, the uploads list, the facilities page and the API's
uploads, one request after another with a pause (--think seconds) between them; each uploader
signs in and sends one 500-admission workbook (`POST /api/uploads?wait=0`), then polls until it
is audited. The readers stop when every upload is done or --seconds have passed, and each makes
at most --max-requests: the test is bounded in count and time and stops by itself.

Reported: page latency (p50, p95, max) while the uploads are processed, answers other than 200,
and whether every upload was stored, recorded and audited, with its bytes intact (none lost).

Run: `.venv/bin/python bench/web_load.py [--readers 50] [--uploaders 20] [--readme]`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from readme import write_section  # noqa: E402  (bench/readme.py, beside this script)
from web import PENDING, free_port, workbook  # noqa: E402  (bench/web.py)

from auditor.db import Database  # noqa: E402
from auditor.service.accounts import add_user  # noqa: E402

PASSWORD = "load-test-password"
PAGES = ("/", "/uploads", "/facilities", "/api/uploads")


@dataclass
class Figures:
    latencies: list[float] = field(default_factory=list)  # seconds, every page read
    not_ok: list[str] = field(default_factory=list)  # "GET / → 500"
    stored: list[float] = field(default_factory=list)  # upload → 201
    results: list[float] = field(default_factory=list)  # upload → audited
    uploads: dict[str, dict] = field(default_factory=dict)  # uploader → its upload, as last seen


def start_server(data: Path, users: list[str], port: int) -> subprocess.Popen:
    data.mkdir(parents=True)
    db = Database(data / "auditor.sqlite3")
    for name in users:
        add_user(db, name, "inspector", PASSWORD)
    log = (data.parent / "server.log").open("w")
    command = [sys.executable, "-m", "auditor.cli", "serve", "--port", str(port), "--data", str(data)]
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


async def uploader(url: str, name: str, data: bytes, figures: Figures) -> None:
    async with client(url) as http:
        csrf = await sign_in(http, name)
        started = time.perf_counter()
        answer = await http.post(
            "/api/uploads?wait=0", files={"file": (f"{name}.xlsx", data)}, headers={"X-CSRF-Token": csrf}
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readers", type=int, default=50)
    parser.add_argument("--uploaders", type=int, default=20)
    parser.add_argument("--think", type=float, default=1.0, help="seconds between one reader's pages")
    parser.add_argument("--seconds", type=float, default=300, help="stop the test after this long")
    parser.add_argument("--max-requests", type=int, default=400, help="pages each reader reads at most")
    parser.add_argument("--readme", action="store_true", help="write the figures into bench/README.md")
    args = parser.parse_args()
    data = workbook(500).read_bytes()
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
