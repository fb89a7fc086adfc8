"""Web benchmark: upload-to-results latency through a real server (`auditor serve`, uvicorn).

1. One 10,000-admission synthetic workbook (generated once with `write_synthetic` and cached under
   bench/.cache/): POST /api/uploads, then poll GET /api/uploads/{id} until it is audited; the
   time from sending the first byte to the results being there. Repeated --reps times.
2. --concurrent (20) simultaneous uploads of a 500-admission workbook: each one's latency to
   being stored (the 201 of `?wait=0`) and to its results (median and max), then a check that
   every one was stored, recorded and audited.

Run: `make bench` or `.venv/bin/python bench/web.py [--reps N] [--concurrent N] [--readme]`.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from readme import write_section  # noqa: E402  (bench/readme.py, beside this script)

from auditor.db import Database  # noqa: E402
from auditor.generate.synthetic import write_synthetic  # noqa: E402
from auditor.service.accounts import add_user  # noqa: E402
from auditor.service.assignments import assign  # noqa: E402

CACHE = ROOT / "bench" / ".cache"
README = ROOT / "bench" / "README.md"
USER, PASSWORD = "bench", "bench-password"
PENDING = {"received", "processing"}


def workbook(admissions: int) -> Path:
    """A synthetic inspection with this many admissions, written once (writing xlsx is slow) for each
    version of the generator and the workbook contract (a workbook an older generator wrote may no
    longer be valid: it would measure validation alone)."""
    import hashlib

    generator = sorted((ROOT / "auditor" / "generate").glob("*.py"))
    sources = [*generator, ROOT / "auditor" / "workbook" / "declarations.py"]
    version = hashlib.sha256(b"".join(p.read_bytes() for p in sources)).hexdigest()[:10]
    folder = CACHE / f"web-{admissions}-{version}"
    path = folder / "SYN-0001.xlsx"
    if not path.exists():
        print(f"writing a {admissions:,}-admission workbook into {folder} (once) …", flush=True)
        write_synthetic(folder, 1, admissions, seed=1)
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """`auditor serve` in a subprocess on a free port, with a fresh data folder."""

    def __init__(self, data: Path) -> None:
        self.data = data
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        data.mkdir(parents=True, exist_ok=True)
        db = Database(data / "auditor.sqlite3")
        add_user(db, USER, "inspector", PASSWORD)
        assign(db, None, USER, ["SYN-0001"])  # the synthetic workbooks' facility: hers to upload
        self.log = (data.parent / "server.log").open("w")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "auditor.cli",
                "serve",
                "--port",
                str(self.port),
                "--data",
                str(data),
                "--max-upload-mb",
                "200",
                "--insecure-cookies",  # plain http on loopback: the session cookie must not be Secure
            ],
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        for _ in range(600):
            try:
                if httpx.get(f"{self.url}/login", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.1)
        raise SystemExit("the server did not start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=60)
        self.log.close()


async def sign_in(client: httpx.AsyncClient) -> str:
    """Sign the client in; returns the session's CSRF token."""
    answer = await client.post("/api/session", json={"name": USER, "password": PASSWORD})
    answer.raise_for_status()
    return answer.json()["csrf_token"]


async def upload_to_results(
    client: httpx.AsyncClient, csrf: str, path: Path, data: bytes
) -> tuple[float, float, dict]:
    """Seconds from sending the upload to it being stored (the 201, `?wait=0`) and to its results
    being there (polling), and the upload's final state."""
    started = time.perf_counter()
    answer = await client.post(
        "/api/uploads?wait=0", files={"file": (path.name, data)}, headers={"X-CSRF-Token": csrf}
    )
    answer.raise_for_status()
    stored = time.perf_counter() - started
    upload = answer.json()["upload"]
    while upload["status"] in PENDING:
        await asyncio.sleep(0.1)
        upload = (await client.get(f"/api/uploads/{upload['id']}")).json()["upload"]
    return stored, time.perf_counter() - started, upload


async def single(url: str, path: Path, reps: int) -> list[float]:
    data = path.read_bytes()
    times = []
    async with httpx.AsyncClient(base_url=url, timeout=httpx.Timeout(900)) as client:
        csrf = await sign_in(client)
        for rep in range(reps):
            _, seconds, upload = await upload_to_results(client, csrf, path, data)
            assert upload["status"] == "audited", upload
            page = time.perf_counter()
            assert (await client.get(f"/uploads/{upload['id']}")).status_code == 200
            print(
                f"  run {rep + 1}: {seconds:.2f} s to results ({upload['rating']}); results page "
                f"{time.perf_counter() - page:.2f} s",
                flush=True,
            )
            times.append(seconds)
    return times


async def concurrent(
    url: str, path: Path, count: int, data_dir: Path
) -> tuple[list[float], list[float], int]:
    data = path.read_bytes()
    async with httpx.AsyncClient(base_url=url, timeout=httpx.Timeout(900)) as client:
        csrf = await sign_in(client)
        done = await asyncio.gather(*(upload_to_results(client, csrf, path, data) for _ in range(count)))
        ids = {upload["id"] for _, _, upload in done}
        listed = {u["id"]: u for u in (await client.get("/api/uploads")).json()["uploads"]}
    lost = count - len(ids)
    lost += sum(1 for i in ids if listed.get(i, {}).get("status") != "audited")
    stored = data_dir / "uploads" / hashlib.sha256(data).hexdigest()
    lost += 0 if stored.read_bytes() == data else count
    return [stored for stored, _, _ in done], [seconds for _, seconds, _ in done], lost


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--concurrent", type=int, default=20)
    parser.add_argument("--admissions", type=int, default=10_000)
    parser.add_argument("--readme", action="store_true", help="write the figures into bench/README.md")
    args = parser.parse_args()
    big, small = workbook(args.admissions), workbook(500)
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        server = Server(Path(tmp) / "data")
        try:
            print(f"{args.admissions:,} admissions ({big.stat().st_size / 1e6:.1f} MB), {args.reps} runs:")
            single_times = asyncio.run(single(server.url, big, args.reps))
            print(
                f"{args.concurrent} simultaneous uploads of {small.stat().st_size / 1e6:.2f} MB:", flush=True
            )
            stored_times, many_times, lost = asyncio.run(
                concurrent(server.url, small, args.concurrent, server.data)
            )
        finally:
            server.stop()
    rows = [
        (
            f"one upload, {args.admissions:,} admissions ({big.stat().st_size / 1e6:.1f} MB), "
            "upload → results",
            f"{statistics.median(single_times):.2f}",
            f"{max(single_times):.2f}",
            f"{args.reps} runs",
        ),
        (
            f"{args.concurrent} simultaneous uploads, 500 admissions each "
            f"({small.stat().st_size / 1e6:.2f} MB), upload → stored (fsynced, recorded, 201)",
            f"{statistics.median(stored_times):.2f}",
            f"{max(stored_times):.2f}",
            f"{args.concurrent - lost} of {args.concurrent} stored",
        ),
        (
            f"{args.concurrent} simultaneous uploads, 500 admissions each, upload → results",
            f"{statistics.median(many_times):.2f}",
            f"{max(many_times):.2f}",
            f"{args.concurrent - lost} of {args.concurrent} audited, {lost} lost",
        ),
    ]
    table = ["| measure | median s | max s | notes |", "|---|---|---|---|"]
    table += [f"| {' | '.join(row)} |" for row in rows]
    print("\n".join(table))
    if lost:
        raise SystemExit(f"{lost} upload(s) lost")
    if args.readme:
        write_readme(table, load_before, os.getloadavg()[0], args)


def write_readme(table: list[str], load_before: float, load_after: float, args: argparse.Namespace) -> None:
    import fastapi
    import uvicorn

    section = "\n".join(
        [
            "## Web",
            "",
            "Upload-to-results latency through a real server: `auditor serve` (uvicorn, 2 processing "
            "workers) in a subprocess on the loopback interface, called over HTTP by httpx; the time from "
            "sending the upload to `GET /api/uploads/{id}` reporting it audited (stored, fsynced, recorded, "
            "validated, evaluated); for the simultaneous uploads also the time to the `201` of "
            "`POST /api/uploads?wait=0`, which answers once the file is fsynced and recorded. "
            "Reproduce with `.venv/bin/python bench/web.py --readme` (the "
            "workbooks are generated once into `bench/.cache/`).",
            "",
            f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"fastapi {fastapi.__version__}, uvicorn {uvicorn.__version__}. Load average (1 min) before / "
            f"after: {load_before:.1f} / {load_after:.1f}.",
            "",
            *table,
            "",
            "- The 20 uploads send the same workbook at once: each becomes its own upload (and a new "
            "version of the same inspection); the check afterwards finds every one recorded and audited, "
            "and the stored bytes identical to the sent ones.",
            "- The simultaneous uploads queue for the two processing workers: their latency is mostly "
            "waiting for the ones ahead (20 audits on 2 cores), not receiving or storing.",
            "",
        ]
    )
    write_section(section)
    print(f"wrote the Web section of {README}")


if __name__ == "__main__":
    main()
