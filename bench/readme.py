"""What the benchmarks share: timing by turns, and each writing its own section of bench/README.md
(leaving the others alone)."""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
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
