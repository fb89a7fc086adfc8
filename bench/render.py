"""Render benchmark: what our report templates cost on top of WeasyPrint itself, and the process pool.

1. One facility report with every PBNDS-2011 requirement deficient and 25 evidence rows each
   (a synthetic Results object, built from the real catalogue): median seconds and pages per
   second, against a bare WeasyPrint render of a plain HTML table with the same page count,
   measured in the same run (runs interleaved, so a busy machine slows both alike).
   Goal: our templates cost ≤ 1.3× that baseline per page.
2. The portfolio report of 200 facilities: median seconds.
3. The 200 facility PDFs with facility_reports(jobs=1) against jobs=2 (goal: speed-up ≥ 1.8×),
   in alternating blocks of 50 facilities. These facilities have 0 to 10 deficient requirements
   with 3 evidence rows each (not 25 × 68), so the two passes take minutes rather than hours.

Run: `make bench` or `.venv/bin/python bench/render.py [--reps N] [--facilities N] [--parts 1,2,3]`.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from auditor import __version__  # noqa: E402
from auditor.contracts.results import Evidence, Extent, Results  # noqa: E402
from auditor.engine.evaluate import result_for  # noqa: E402
from auditor.engine.rating import extent_tier, summarise  # noqa: E402
from auditor.report.facility import facility_html, facility_pdf  # noqa: E402
from auditor.report.portfolio import facility_reports, portfolio_pdf  # noqa: E402
from auditor.standards.load import load_edition  # noqa: E402
from auditor.workbook.declarations import AORS  # noqa: E402

EDITION = "PBNDS-2011"
TYPES = ("SPC", "CDF", "IGSA", "DIGSA", "USMS-IGA")


# ---------------------------------------------------------------------------- synthetic results


def evidence_rows(requirement_id: str, count: int, seed: int) -> list[Evidence]:
    """Evidence as the engine writes it: sheet, Excel row, masked cells, a one-line detail."""
    rng = random.Random(f"{requirement_id}-{seed}")
    rows = []
    for i in range(count):
        row = 2 + i * 3 + rng.randrange(3)
        day = 1 + (i * 7 + rng.randrange(7)) % 28
        month = 1 + i % 3
        rows.append(
            Evidence(
                sheet="Intake",
                row=row,
                cells=[
                    {"column": "detainee_id", "ref": f"A{row}", "value": f"****{rng.randrange(10000):04d}"},
                    {"column": "arrival", "ref": f"B{row}", "value": f"2026-{month:02d}-{day:02d} 08:15"},
                    {"column": "housing_unit", "ref": f"E{row}", "value": rng.choice(["A-1", "B-2", "SMU"])},
                    {"column": "medical_screening", "ref": f"J{row}", "value": ""},
                ],
                detail=f"no medical_screening recorded; due by 2026-{month:02d}-{day:02d} 20:15",
            )
        )
    return rows


def synthetic_results(
    *,
    deficient: int | None = None,
    rows: int = 25,
    seed: int = 0,
    facility_id: str = "BENCH-SPC-0001",
    name: str = "Benchmark Service Processing Center (fictional)",
    facility_type: str = "SPC",
    aor: str = "ATL",
) -> Results:
    """Results for every requirement of the edition: `deficient` of them (all when None) deficient
    with `rows` evidence rows each, the others compliant."""
    edition = load_edition(EDITION)
    requirements = list(edition.requirements.values())
    rng = random.Random(seed)
    chosen = (
        {r.id for r in requirements}
        if deficient is None
        else {r.id for r in rng.sample(requirements, min(deficient, len(requirements)))}
    )
    results = []
    for req in requirements:
        bad = req.id in chosen
        population = rows * 4 if bad else 40
        violations = rows if bad else 0
        evidence = evidence_rows(req.id, rows, seed) if bad else []
        results.append(
            result_for(
                req,
                status="deficient" if bad else "compliant",
                repeat=bad and rng.random() < 0.2,
                population=population,
                violations=violations,
                evidence=evidence,
                extent=Extent(
                    violations,
                    population,
                    round(100 * violations / population, 1),
                    extent_tier(violations, population, edition.policy),
                ),
                remarks=None if req.type == "data" else "observed during the walk-through of every unit",
                evidence_total=len(evidence),
            )
        )
    return Results(
        facility={
            "facility_id": facility_id,
            "facility_name": name,
            "facility_type": facility_type,
            "detention_standard": EDITION,
            "aor": aor,
            "state": "GA",
            "rated_capacity": 1200,
        },
        inspection={
            "inspection_id": f"INSP-{facility_id}",
            "inspection_type": "full",
            "inspection_start": "2026-04-06",
            "inspection_end": "2026-04-09",
            "review_period_start": "2026-01-01",
            "review_period_end": "2026-03-31",
            "lead_inspector": "Bench Inspector",
            "previous_inspection_id": None,
        },
        standards={
            "edition": edition.name,
            "title": edition.title,
            "catalogue_version": edition.catalogue_version,
            "sha256": edition.sha256,
            "source": "",
        },
        inputs=[{"name": "synthetic.xlsx", "sha256": "0" * 64}],
        summary=summarise(results, edition.policy),
        results=results,
        rating_policy=edition.policy.as_dict(),
        software={"name": "auditor", "version": __version__},
    )


def portfolio_set(count: int, *, deficient: int = 5, rows: int = 3) -> list[Results]:
    rng = random.Random(42)
    return [
        synthetic_results(
            deficient=rng.choice([0, 1, deficient, deficient, deficient * 2]),
            rows=rows,
            seed=i,
            facility_id=f"BENCH-{i:04d}",
            name=f"Benchmark Facility {i:04d} (fictional)",
            facility_type=rng.choice(TYPES),
            aor=rng.choice(AORS),
        )
        for i in range(count)
    ]


# ---------------------------------------------------------------------------- baseline


def plain_table_html(rows: int) -> str:
    """A plain HTML table: WeasyPrint's default stylesheet, one font, nothing of ours."""
    body = "".join(
        f"<tr><td>Intake row {i + 2}</td><td>A{i + 2} detainee_id ****{i % 10000:04d} · B{i + 2} arrival "
        f"2026-01-{1 + i % 28:02d} 08:15</td><td>no medical_screening recorded; due by 2026-01-"
        f"{1 + i % 28:02d} 20:15</td></tr>"
        for i in range(rows)
    )
    return (
        "<!doctype html><html><head><meta charset='utf-8'><style>body { font-family: 'DejaVu Sans'; "
        "font-size: 8pt } table { border-collapse: collapse; width: 100% } td { border: 0.5pt solid #999 }"
        "</style></head><body><table>" + body + "</table></body></html>"
    )


def render_plain(html: str, out: Path) -> int:
    from weasyprint import HTML

    document = HTML(string=html).render()
    document.write_pdf(out)
    return len(document.pages)


def plain_rows_for(pages: int, out: Path) -> tuple[int, int]:
    """Rows of the plain table that fill this many pages: rows per page from a short render, then
    at most two full renders to land on the page count."""
    from weasyprint import HTML

    sample = HTML(string=plain_table_html(400)).render()
    per_page = sum(1 for _ in _rows(sample.pages[0]))  # rows of a full page
    rows = per_page * pages - per_page // 2
    got = render_plain(plain_table_html(rows), out)
    for _ in range(2):
        if got == pages:
            break
        rows += per_page * (pages - got)
        got = render_plain(plain_table_html(rows), out)
    return rows, got


def _rows(page) -> object:
    """The table rows laid out on a page (boxes of display table-row)."""
    stack = [page._page_box]
    while stack:
        box = stack.pop()
        if getattr(box, "element_tag", None) == "tr":
            yield box
            continue
        stack.extend(getattr(box, "children", []))


# ---------------------------------------------------------------------------- timing


def median_time(fn: Callable[[], object], reps: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), times


def interleaved(
    a: Callable[[], object], b: Callable[[], object], reps: int
) -> tuple[list[float], list[float]]:
    """Alternate a and b, so both see the same machine load."""
    ta, tb = [], []
    for _ in range(reps):
        for fn, times in ((a, ta), (b, tb)):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
    return ta, tb


def pages_of(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(path).pages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--facilities", type=int, default=200)
    parser.add_argument("--parts", default="1,2,3", help="which measurements to run (default: 1,2,3)")
    args = parser.parse_args()
    print(
        f"auditor {__version__} · Python {platform.python_version()} · {os.cpu_count()} cores · "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    with tempfile.TemporaryDirectory(prefix="bench-render-") as folder:
        work = Path(folder)

        parts = {int(p) for p in args.parts.split(",")}
        if 1 in parts:
            facility_against_plain(work, args.reps)
        many = portfolio_set(args.facilities)
        if 2 in parts:
            portfolio_out = work / "portfolio.pdf"
            portfolio, times = median_time(lambda: portfolio_pdf(many, portfolio_out), args.reps)
            print(
                f"\n2. portfolio of {len(many)} facilities: {pages_of(portfolio_out)} pages, "
                f"median {portfolio:.2f} s  runs {fmt(times)}"
            )
        if 3 in parts:
            process_pool(work, many)


def facility_against_plain(work: Path, reps: int) -> None:
    """1. The facility report against a plain table of the same page count."""
    results = synthetic_results()
    deficient = results.summary.deficient
    rows = sum(r.evidence_total for r in results.results)
    ours_pdf = work / "facility.pdf"
    start = time.perf_counter()
    html = facility_html(results)
    jinja = time.perf_counter() - start
    facility_pdf(results, ours_pdf)
    pages = pages_of(ours_pdf)
    plain_rows, plain_pages = plain_rows_for(pages, work / "plain.pdf")
    plain_html = plain_table_html(plain_rows)
    ours_times, plain_times = interleaved(
        lambda: facility_pdf(results, ours_pdf),
        lambda: render_plain(plain_html, work / "plain.pdf"),
        reps,
    )
    ours, plain = statistics.median(ours_times), statistics.median(plain_times)
    ratio = (ours / pages) / (plain / plain_pages)
    print(
        f"\n1. facility report: {deficient} requirements deficient, {rows} evidence rows "
        f"(25 shown each), {len(html) / 1e6:.1f} MB of HTML (view + jinja {jinja:.2f} s)"
    )
    print(
        f"   ours : {pages} pages, median {ours:.2f} s ({pages / ours:.1f} pages/s)  runs {fmt(ours_times)}"
    )
    print(
        f"   plain: {plain_pages} pages ({plain_rows} table rows), median {plain:.2f} s "
        f"({plain_pages / plain:.1f} pages/s)  runs {fmt(plain_times)}"
    )
    print(f"   cost per page, ours / plain: {ratio:.2f}× (goal ≤ 1.3×)")


def process_pool(work: Path, many: list[Results], block: int = 50) -> None:
    """3. One report per facility, on one process and on two: blocks of facilities alternate between
    jobs=1 and jobs=2, so a change in the machine's load during the run hits both alike."""
    sources = [r.write(work / f"{r.facility['facility_id']}.json") for r in many]
    example = facility_pdf(many[0], work / "example.pdf")
    one = two = 0.0
    for start in range(0, len(sources), block):
        chunk = sources[start : start + block]
        for jobs in (1, 2):
            began = time.perf_counter()
            facility_reports(chunk, work / f"jobs{jobs}", jobs=jobs)
            elapsed = time.perf_counter() - began
            one, two = (one + elapsed, two) if jobs == 1 else (one, two + elapsed)
    written = [len(list((work / f"jobs{jobs}").glob("*.pdf"))) for jobs in (1, 2)]
    assert written == [len(sources)] * 2, written
    print(
        f"\n3. {len(sources)} facility reports (0–10 deficient requirements × 3 evidence rows, about "
        f"{pages_of(example)} pages each), in blocks of {block}: jobs=1 {one:.1f} s "
        f"({one / len(sources):.2f} s a report), jobs=2 {two:.1f} s, speed-up {one / two:.2f}× "
        f"(goal ≥ 1.8×; one run each; load average now {os.getloadavg()[0]:.2f})"
    )


def fmt(times: list[float]) -> str:
    return ", ".join(f"{t:.2f}" for t in times)


if __name__ == "__main__":
    main()
