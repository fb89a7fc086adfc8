"""Render benchmark: what our report templates cost on top of WeasyPrint itself, and the process pool.

1. One facility report with every PBNDS-2011 requirement deficient and 25 evidence rows each
   (a synthetic Results object, built from the real catalogue), against the strongest simple
   baseline printing the same rows: a bare WeasyPrint table of the same evidence rows (the same
   words in the same three columns, font and page) with a fixed layout and separate borders
   (WeasyPrint's fast path), tagged as ours is. Taking turns, after a warm-up; per evidence row.
   Goal (issue 19): ours ≤ 1.3× the bare table per evidence row. `--profile` also splits both
   renders by phase (cProfile: HTML parse, style cascade, boxes, layout, draw, tags, PDF writing).
2. The portfolio report of --facilities facilities: median seconds.
3. Their facility PDFs with facility_reports(jobs=1) against jobs=2 (goal: speed-up ≥ 1.8×),
   in alternating blocks. These facilities have 0 to 10 deficient requirements with 3 evidence
   rows each (not 25 × 68), so the two passes take minutes rather than hours.

Run: `make bench` or `.venv/bin/python bench/render.py [--reps N] [--facilities N] [--parts 1,2,3]
[--profile] [--readme]`.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from readme import Timing, load_average, machine, markdown_table, ratio, turns, write_section  # noqa: E402

from auditor import __version__  # noqa: E402
from auditor.contracts.results import Evidence, Extent, Results  # noqa: E402
from auditor.engine.evaluate import result_for  # noqa: E402
from auditor.engine.rating import extent_tier, summarise  # noqa: E402
from auditor.glossary import column_label, humanise  # noqa: E402
from auditor.report.facility import facility_html, facility_pdf  # noqa: E402
from auditor.report.portfolio import facility_reports, portfolio_pdf  # noqa: E402
from auditor.report.view import EVIDENCE_CAP  # noqa: E402
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

BARE_CSS = (
    "@page { size: Letter; margin: 20mm 17mm 18mm 17mm }"
    "html { font-family: 'DejaVu Sans'; font-size: 7.2pt; line-height: 1.38 }"
    "table { table-layout: fixed; border-collapse: separate; border-spacing: 0; width: 100% }"
    "th { text-align: left; font-weight: normal; border-bottom: 0.75pt solid #98a2b3; padding: 1.5pt 3pt }"
    "td { border-bottom: 0.4pt solid #eaecf0; padding: 1.5pt 3pt; vertical-align: top }"
)


def bare_table_html(results: Results) -> str:
    """The evidence rows our report shows (25 a finding at most), as one bare table: the same words
    in the same three columns, widths, font and page, a fixed layout, separate borders."""
    body = []
    for result in results.results:
        for e in result.evidence[:EVIDENCE_CAP]:
            cells = " · ".join(
                f"{c['ref']}\u00a0{column_label(c['column'], e.sheet)}: {c['value'] or '(empty)'}"
                for c in e.cells
            )
            where = f"{e.sheet} row {e.row}" if e.row else e.sheet
            body.append(
                f"<tr><td>{escape(where)}</td><td>{escape(cells)}</td><td>{escape(humanise(e.detail))}</td></tr>"
            )
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Evidence</title>"
        f"<style>{BARE_CSS}</style></head><body><table><colgroup><col style='width: 17%'>"
        "<col style='width: 45%'><col style='width: 38%'></colgroup><thead><tr><th>Where</th><th>Cells</th>"
        "<th>Finding</th></tr></thead><tbody>" + "".join(body) + "</tbody></table></body></html>"
    )


def evidence_shown(results: Results) -> int:
    return sum(min(len(r.evidence), EVIDENCE_CAP) for r in results.results)


def render_bare(html: str, out: Path, *, tags: bool = True, cached: bool = False) -> int:
    """The bare table as WeasyPrint ships (pydyf's page_references rebuilt for every tagged element),
    or, `cached`, with the cache our report installs (auditor/report/page_references.py)."""
    import pydyf
    from weasyprint import HTML

    from auditor.report import page_references

    page_references.install()
    ours = pydyf.PDF.page_references
    if not cached:
        pydyf.PDF.page_references = page_references._ORIGINAL  # pydyf's own, for this render only
    try:
        document = HTML(string=html).render(pdf_tags=tags)
        document.write_pdf(out, pdf_tags=tags)
    finally:
        pydyf.PDF.page_references = ours
    return len(document.pages)


PHASES = (  # (label, weasyprint function whose cumulative time is the phase)
    ("HTML parse", "tinyhtml5/parser.py", "parse"),
    ("style cascade", "weasyprint/css/__init__.py", "get_all_computed_styles"),
    ("boxes", "formatting_structure/build.py", "build_formatting_structure"),
    ("layout", "weasyprint/layout/__init__.py", "layout_document"),
    ("draw", "weasyprint/draw/__init__.py", "draw_page"),
    ("tags", "weasyprint/pdf/tags.py", "add_tags"),
    ("PDF writing", "pydyf/__init__.py", "write"),
)


def phases(fn: Callable[[], object]) -> dict[str, float]:
    """Seconds of each phase of one render (cProfile, so slower than unprofiled; read the shares)."""
    import cProfile
    import pstats

    profile = cProfile.Profile()
    started = time.perf_counter()
    profile.runcall(fn)
    total = time.perf_counter() - started
    summary = pstats.Stats(profile)
    stats = summary.stats  # type: ignore[attr-defined]
    # Python function calls: what the machine's load does not move, unlike seconds
    out = {"total": total, "calls": float(summary.total_calls)}  # type: ignore[attr-defined]
    for label, path, name in PHASES:
        out[label] = max(
            (
                cumulative
                for (file, _, func), (_, _, _, cumulative, _) in stats.items()
                if file.endswith(path) and func == name
            ),
            default=0.0,
        )
    return out


# ---------------------------------------------------------------------------- timing


def median_time(fn: Callable[[], object], reps: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), times


def pages_of(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(path).pages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--facilities", type=int, default=200)
    parser.add_argument("--parts", default="1,2,3", help="which measurements to run (default: 1,2,3)")
    parser.add_argument("--evidence", type=int, default=25, help="1: evidence rows of each finding")
    parser.add_argument("--profile", action="store_true", help="1: split both renders by phase (cProfile)")
    parser.add_argument("--readme", action="store_true", help="write part 1's figures to bench/README.md")
    args = parser.parse_args()
    before = load_average()
    print(f"auditor {__version__} · {machine()} · load average {before:.2f}")
    with tempfile.TemporaryDirectory(prefix="bench-render-") as folder:
        work = Path(folder)
        parts = {int(p) for p in args.parts.split(",")}
        first = facility_against_bare(work, args.reps, args.profile, args.evidence) if 1 in parts else None
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
    if args.readme and first is not None:
        write_section(readme_section(first, args.reps, (before, load_average())))


def readme_section(first: dict, reps: int, load: tuple[float, float]) -> str:
    from importlib.metadata import version

    timed: dict[str, Timing] = first["timed"]
    ours, bare, untagged, one = timed["ours"], timed["bare"], timed["untagged"], timed["ours_one"]
    cached = timed["bare_cached"]
    rows = first["rows"]

    def cpu(it: Timing) -> str:
        return f"{ours.cpu_median / it.cpu_median:.2f}×"

    table = [
        (
            "measure",
            "pages",
            "median s (min)",
            "CPU s",
            "ms per evidence row",
            "ours / it (min)",
            "CPU ours / it",
        ),
        (
            f"bare table, fixed layout, separate borders, tagged: the {rows:,} rows (baseline)",
            str(first["pages"]["bare"]),
            f"{bare.median:.2f} ({bare.min:.2f})",
            f"{bare.cpu_median:.2f}",
            f"{bare.median / rows * 1000:.2f}",
            f"**{ratio(ours, bare)}**",
            f"**{cpu(bare)}**",
        ),
        (
            "the same table with pydyf's page references cached, as our report has them",
            str(first["pages"]["bare"]),
            f"{cached.median:.2f} ({cached.min:.2f})",
            f"{cached.cpu_median:.2f}",
            f"{cached.median / rows * 1000:.2f}",
            ratio(ours, cached),
            cpu(cached),
        ),
        (
            "the same table, untagged",
            str(first["pages"]["bare"]),
            f"{untagged.median:.2f} ({untagged.min:.2f})",
            f"{untagged.cpu_median:.2f}",
            f"{untagged.median / rows * 1000:.2f}",
            ratio(ours, untagged),
            cpu(untagged),
        ),
        (
            f"facility report: every requirement deficient, {rows:,} evidence rows shown (tagged)",
            str(first["pages"]["ours"]),
            f"{ours.median:.2f} ({ours.min:.2f})",
            f"{ours.cpu_median:.2f}",
            f"{ours.median / rows * 1000:.2f}",
            "",
            "",
        ),
        (
            f"the same report with 1 evidence row a finding ({first['rows_one']:,} rows)",
            str(first["pages"]["ours_one"]),
            f"{one.median:.2f} ({one.min:.2f})",
            f"{one.cpu_median:.2f}",
            "",
            "",
            "",
        ),
        (
            "one more evidence row in our report: the difference of the two, per row",
            "",
            "",
            "",
            f"{first['marginal'] * 1000:.2f}",
            f"**{first['marginal'] / (bare.median / rows):.2f}×** the bare table's row",
            "",
        ),
    ]
    lines = [
        "## Render",
        "",
        "The facility report against WeasyPrint printing the same evidence rows bare (`bench/render.py`, "
        "part of `make bench`). Reproduce with `.venv/bin/python bench/render.py --parts 1 --profile "
        "--readme`. Inputs are synthetic `Results` built from the real PBNDS-2011 catalogue, so no "
        "workbook is read or audited.",
        "",
        f"Machine: {machine()}, WeasyPrint {version('weasyprint')}. One warm-up round, then {reps} rounds "
        "in which the five take turns; medians (minimums); the ratio is of the medians (of the "
        f"minimums in brackets). Load average (1 min) before / after: {load[0]:.1f} / {load[1]:.1f}.",
        "",
        *markdown_table(table),
        "",
        "- Baseline: one HTML table of exactly the evidence rows our report shows (25 a finding), the same "
        "words in the same three columns, widths, font size and page, with `table-layout: fixed` and "
        "`border-collapse: separate` (WeasyPrint's fast path) and a repeated header, tagged for screen "
        "readers as ours must be (the untagged row says what tagging costs). Both are per evidence row: "
        "the same rows, so the ratio of times. Ours also prints the cover, the summary with its charts, "
        "each finding's title, facts and corrective action, the plan, the appendix's table of every "
        "requirement, running heads and bookmarks: work the bare table does not do.",
        "- The bare table before issue 19 used automatic layout and collapsed borders (WeasyPrint's slow "
        "path), and was matched by page count, not rows: ours looked 0.64× per page.",
    ]
    split = first["split"]
    if split:
        calls = {name: split[name]["calls"] for name in ("ours", "bare", "bare_cached")}
        lines += [
            f"- Python function calls of one render (cProfile; the machine's load does not move them): ours "
            f"{calls['ours']:,.0f}, the bare table {calls['bare']:,.0f} "
            f"(**{calls['ours'] / calls['bare']:.2f}×**), with pydyf's page references cached "
            f"{calls['bare_cached']:,.0f} ({calls['ours'] / calls['bare_cached']:.2f}×).",
            "",
            "Where the time goes, one profiled render of each (cProfile's cumulative seconds, so slower than "
            "the timed runs; the phases overlap where one calls another, e.g. layout inside drawing):",
            "",
            *markdown_table(
                [("phase", "ours s", "bare s", "ours / bare")]
                + [
                    (
                        label,
                        f"{split['ours'][label]:.2f}",
                        f"{split['bare'][label]:.2f}",
                        f"{split['ours'][label] / split['bare'][label]:.2f}×" if split["bare"][label] else "",
                    )
                    for label in ("total", *(p[0] for p in PHASES))
                ]
            ),
        ]
    return "\n".join(lines) + "\n"


def facility_against_bare(work: Path, reps: int, profile: bool, evidence: int = 25) -> dict[str, object]:
    """1. The facility report against a bare fixed-layout table of the same evidence rows."""
    results = synthetic_results(rows=evidence)
    rows = evidence_shown(results)
    # the same report with one evidence row a finding: what the rest of the report costs, so that
    # (ours - ours_one) / (rows - rows_one) is what one more evidence row costs in our report
    one = synthetic_results(rows=1)
    rows_one = evidence_shown(one)
    ours_pdf, bare_pdf, untagged_pdf = work / "facility.pdf", work / "bare.pdf", work / "untagged.pdf"
    started = time.perf_counter()
    html = facility_html(results)
    jinja = time.perf_counter() - started
    bare_html = bare_table_html(results)
    timed = turns(
        {
            "ours": lambda: facility_pdf(results, ours_pdf),
            "ours_one": lambda: facility_pdf(one, work / "one.pdf"),
            "bare": lambda: render_bare(bare_html, bare_pdf),
            "bare_cached": lambda: render_bare(bare_html, bare_pdf, cached=True),
            "untagged": lambda: render_bare(bare_html, untagged_pdf, tags=False),
        },
        reps,
    )
    pages = {name: pages_of(path) for name, path in (("ours", ours_pdf), ("bare", bare_pdf))}
    ours, bare, untagged = timed["ours"], timed["bare"], timed["untagged"]
    print(
        f"\n1. facility report: {results.summary.deficient} requirements deficient, "
        f"{rows} evidence rows shown, "
        f"{len(html) / 1e6:.1f} MB of HTML (view + jinja {jinja:.2f} s)"
    )
    for name, timing in timed.items():
        print(
            f"   {name:<9}: median {timing.median:.2f} s, min {timing.min:.2f} s, "
            f"CPU {timing.cpu_median:.2f} s"
        )
    print(
        f"   per evidence row, ours / bare tagged table: {ratio(ours, bare)}; "
        f"/ the same with pydyf's page references cached: {ratio(ours, timed['bare_cached'])}; "
        f"/ untagged: {ratio(ours, untagged)} "
        f"(goal ≤ 1.3×); pages {pages}"
    )
    split = {}
    if profile:
        split = {
            "ours": phases(lambda: facility_pdf(results, ours_pdf)),
            "bare": phases(lambda: render_bare(bare_html, bare_pdf)),
            "bare_cached": phases(lambda: render_bare(bare_html, bare_pdf, cached=True)),
        }
        for label in ("total", *(p[0] for p in PHASES)):
            print(f"   {label:<14} ours {split['ours'][label]:6.2f} s   bare {split['bare'][label]:6.2f} s")
        calls = {name: int(parts["calls"]) for name, parts in split.items()}
        print(f"   function calls: {calls}")
    marginal = (ours.median - timed["ours_one"].median) / (rows - rows_one)
    print(
        f"   one more evidence row in ours: {marginal * 1000:.2f} ms, {marginal / (bare.median / rows):.2f}× "
        f"the bare table's {bare.median / rows * 1000:.2f} ms a row"
    )
    pages["ours_one"] = pages_of(work / "one.pdf")
    return {
        "timed": timed,
        "pages": pages,
        "rows": rows,
        "rows_one": rows_one,
        "marginal": marginal,
        "jinja": jinja,
        "split": split,
    }


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
