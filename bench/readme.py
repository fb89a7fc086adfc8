"""What the benchmarks share: timing by turns (in this process, or as whole processes), and each
writing its own section of bench/README.md (leaving the others alone)."""

from __future__ import annotations

import gc
import os
import platform
import resource
import statistics
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

README = Path(__file__).resolve().parent / "README.md"


def write_section(section: str) -> None:
    """Replace the section whose `## Title` opens `section`, or append it."""
    text = README.read_text(encoding="utf-8") if README.exists() else "# Benchmarks\n"
    title = section.splitlines()[0]
    start = text.find(title + "\n")
    if start < 0:
        text = text.rstrip() + "\n\n" + section
    else:
        end = text.find("\n## ", start + len(title))
        text = text[:start] + section.rstrip() + "\n" + (text[end:] if end >= 0 else "")
    README.write_text(text.rstrip() + "\n", encoding="utf-8")


def medians(fns: list[Callable[[], object]], reps: int) -> list[tuple[float, float, object]]:
    """Median wall and CPU seconds (all threads) and the last result of each function. The
    functions take turns, so a busy moment on a shared machine does not fall on one only."""
    walls: list[list[float]] = [[] for _ in fns]
    cpus: list[list[float]] = [[] for _ in fns]
    results: list[object] = [None] * len(fns)
    for _ in range(reps):
        for i, fn in enumerate(fns):
            gc.collect()
            wall, cpu = time.perf_counter(), time.process_time()
            results[i] = fn()
            walls[i].append(time.perf_counter() - wall)
            cpus[i].append(time.process_time() - cpu)
    return [
        (statistics.median(w), statistics.median(c), r) for w, c, r in zip(walls, cpus, results, strict=True)
    ]


@dataclass
class Timing:
    """Seconds of each counted run: wall and CPU (user + system; a whole process's children
    included), and a whole process's peak resident memory in MB."""

    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    peak_mb: list[float] = field(default_factory=list)
    result: object = None

    @property
    def median(self) -> float:
        return statistics.median(self.wall)

    @property
    def min(self) -> float:
        return min(self.wall)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu)

    @property
    def peak(self) -> float:
        return max(self.peak_mb) if self.peak_mb else float("nan")


def turns(fns: dict[str, Callable[[], object]], reps: int, warmup: int = 1) -> dict[str, Timing]:
    """Each function run in turn (A B C A B C …) after `warmup` uncounted rounds, so a busy moment
    on a shared machine falls on all of them alike. CPU: this process's and its reaped children's."""
    timings = {name: Timing() for name in fns}
    for round_ in range(warmup + reps):
        for name, fn in fns.items():
            gc.collect()
            wall, cpu = time.perf_counter(), _cpu()
            result = fn()
            wall, cpu = time.perf_counter() - wall, _cpu() - cpu
            timing = timings[name]
            timing.result = result
            if round_ >= warmup:
                timing.wall.append(wall)
                timing.cpu.append(cpu)
    return timings


def _cpu() -> float:
    """CPU seconds of this process (every thread) and of its children reaped so far (the bounded
    reader child that load() forks)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def process_turns(
    commands: dict[str, Sequence[str]],
    reps: int,
    warmup: int = 1,
    env: dict[str, str] | None = None,
    allowed: tuple[int, ...] = (0,),
) -> dict[str, Timing]:
    """Each command as a whole process, in turn, after `warmup` uncounted rounds: wall seconds from
    start to exit, CPU seconds and peak memory from the kernel's accounting of that process and its
    children (os.wait4). A command ending with another exit code than `allowed` stops the bench
    (its figures would time an error, not the work)."""
    timings = {name: Timing() for name in commands}
    for round_ in range(warmup + reps):
        for name, command in commands.items():
            started = time.perf_counter()
            child = subprocess.Popen(
                list(command), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env
            )
            assert child.stderr is not None
            errors = child.stderr.read()  # read while it runs: a full pipe would block the child
            _, status, usage = os.wait4(child.pid, 0)
            wall = time.perf_counter() - started
            child.returncode = os.waitstatus_to_exitcode(status)
            child.stderr.close()
            if child.returncode not in allowed:
                raise SystemExit(f"{name}: exit {child.returncode}: {errors.decode(errors='replace')[-500:]}")
            if round_ >= warmup:
                timing = timings[name]
                timing.wall.append(wall)
                timing.cpu.append(usage.ru_utime + usage.ru_stime)
                timing.peak_mb.append(usage.ru_maxrss / 1024)
    return timings


def ratio(ours: Timing, baseline: Timing) -> str:
    """Ours against the baseline: the ratio of the medians, and of the minimums in brackets."""
    return f"{ours.median / baseline.median:.2f}× ({ours.min / baseline.min:.2f}×)"


def machine() -> str:
    """One line on the machine and its load, for each section's header."""
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def load_average() -> float:
    return os.getloadavg()[0]


def markdown_table(rows: list[tuple[str, ...]]) -> list[str]:
    header, *body = rows
    return [
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
        *("| " + " | ".join(row) + " |" for row in body),
    ]
