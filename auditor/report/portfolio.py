"""The portfolio report across facilities, and rendering many facility reports on every core."""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from auditor import __version__
from auditor.contracts.results import Results
from auditor.contracts.roster import Roster
from auditor.report import charts
from auditor.report.charts import Segment
from auditor.report.environment import render
from auditor.report.pdf import write_pdf
from auditor.report.roster import roster_view
from auditor.report.view import RATING_CSS, headline

RATINGS = ("Does Not Meet Standards", "Incomplete", "Meets Standards")
TOP = 15
PRIORITY_ON_COVER = 10  # rows of the priority list that page 1 holds under the counts; the rest follow
# the requirement verdicts summed over the facilities' latest inspections, in the cover's order
VERDICTS = (
    ("deficient", "deficient", "bad"),
    ("waived", "waived (deficient, under a current waiver)", "waived"),
    ("indeterminate", "indeterminate (not compliant: evidence needed)", "undecided"),
    ("compliant", "compliant", "ok"),
    ("not_assessed", "not assessed", "grey"),
)


@dataclass
class FacilityAudits:
    """One facility of the portfolio: its latest inspection and the earlier ones (newest first)."""

    latest: Results
    earlier: list[Results]


def by_facility(all_results: Iterable[Results]) -> list[FacilityAudits]:
    """One entry per facility id, its latest inspection by inspection end date; the same inspection
    given twice (same facility and inspection id: the same file, or a copy) counts once."""
    seen: dict[tuple[str, str], Results] = {}
    for results in all_results:
        seen.setdefault((_facility_id(results), str(results.inspection.get("inspection_id"))), results)
    inspections: dict[str, list[Results]] = defaultdict(list)
    for (facility, _), results in seen.items():
        inspections[facility].append(results)
    entries = []
    for found in inspections.values():
        newest_first = sorted(found, key=_inspection_order, reverse=True)
        entries.append(FacilityAudits(newest_first[0], newest_first[1:]))
    return entries


def latest_inspections(all_results: Iterable[Results]) -> list[Results]:
    """The latest inspection of every facility (see by_facility)."""
    return [entry.latest for entry in by_facility(all_results)]


def _facility_id(results: Results) -> str:
    return str(results.facility.get("facility_id"))


def _inspection_order(results: Results) -> tuple[str, str]:
    inspection = results.inspection
    return (str(inspection.get("inspection_end") or ""), str(inspection.get("inspection_id") or ""))


def portfolio_view(all_results: list[Results], report_links: dict[str, str] | None = None) -> dict[str, Any]:
    """The portfolio of our audits: one row per facility (its latest inspection, earlier ones as its
    history); the counts, charts and most-often-deficient requirements are of those latest ones.
    `report_links` maps a facility id to the href of its report (see report_links)."""
    links = report_links or {}
    facilities = by_facility(all_results)
    latest = [entry.latest for entry in facilities]
    rows = sorted(
        (
            _row(entry.latest, entry.earlier) | {"link": links.get(_facility_id(entry.latest))}
            for entry in facilities
        ),
        key=lambda row: (RATINGS.index(row["rating"]) if row["rating"] in RATINGS else 0, row["name"]),
    )
    ratings = Counter(row["rating"] for row in rows)
    by_id = {_facility_id(results): results for results in latest}
    return {
        "rows": rows,
        "verdicts": verdict_counts(latest),
        "priority_findings": priority_findings([by_id[row["id"]] for row in rows], links),
        "priority_on_cover": PRIORITY_ON_COVER,
        "ratings": [(rating, ratings.get(rating, 0), RATING_CSS.get(rating, "fails")) for rating in RATINGS],
        "total": len(rows),
        "inspections": sum(1 + len(entry.earlier) for entry in facilities),
        "deficiencies": sum(row["deficient"] for row in rows),
        "priority": sum(row["priority"] for row in rows),
        "repeat": sum(row["repeat"] for row in rows),
        "indeterminate": sum(row["indeterminate"] for row in rows),
        "coverage_rule": _coverage_rule(latest),
        "aor_chart": _rating_chart(rows, "aor", "Ratings by area of responsibility"),
        "type_chart": _rating_chart(rows, "type", "Ratings by facility type"),
        "top": most_often_deficient(latest),
        "editions": sorted({row["edition"] for row in rows}),
    }


def _row(results: Results, earlier: Sequence[Results] = ()) -> dict[str, Any]:
    f, s, head = results.facility, results.summary, headline(results)
    return {
        "name": f["facility_name"],
        "id": f["facility_id"],
        "type": f["facility_type"] or "not known",  # an imported export may not say
        "aor": f["aor"] or "not known",
        "edition": results.standards["edition"],
        "inspection": results.inspection["inspection_id"],
        "date": results.inspection["inspection_end"],
        "rating": s.rating,
        "css": RATING_CSS.get(s.rating, "fails"),
        "deficient": s.deficient,
        "priority": s.priority_deficiencies,
        "repeat": s.repeat_deficiencies,
        "unassessed": s.not_assessed + s.error,
        "indeterminate": s.indeterminate,
        "decided": head.decided,
        "in_scope": head.in_scope,
        "coverage": head.coverage_percent,
        "compliance": s.compliance_percent,
        "history": [
            {
                "inspection": r.inspection["inspection_id"],
                "date": r.inspection["inspection_end"],
                "rating": r.summary.rating,
                "deficient": r.summary.deficient,
            }
            for r in earlier
        ],
    }


def verdict_counts(latest: Sequence[Results]) -> list[tuple[str, int, str]]:
    """(label, requirements, css) of each verdict, summed over these inspections; not assessed
    includes the requirements an error stopped."""
    total: Counter = Counter()
    for results in latest:
        s = results.summary
        total.update(
            deficient=s.deficient,
            waived=s.waived,
            indeterminate=s.indeterminate,
            compliant=s.compliant,
            not_assessed=s.not_assessed + s.error,
        )
    return [(label, total[key], css) for key, label, css in VERDICTS]


def priority_findings(latest: Sequence[Results], links: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """Every deficient priority requirement of these inspections (the facilities in the order
    given, their requirements by id): what the summaries count as priority deficiencies, so the
    list has as many rows as the cover's priority figure. A waived one is not a current deficiency."""
    links = links or {}
    return [
        {
            "facility": results.facility["facility_name"],
            "facility_id": _facility_id(results),
            "inspection": results.inspection["inspection_id"],
            "link": links.get(_facility_id(results)),
            "result": result,
        }
        for results in latest
        for result in sorted(results.results, key=lambda r: r.requirement_id)
        if result.status == "deficient" and result.priority
    ]


def report_names(sources: Sequence[str | Path]) -> list[str]:
    """The file name facility_reports gives each results file's report: its stem, and -2, -3...
    after a stem already taken."""
    taken: Counter = Counter()
    names = []
    for source in sources:
        stem = Path(source).stem
        taken[stem] += 1
        names.append(f"{stem}.pdf" if taken[stem] == 1 else f"{stem}-{taken[stem]}.pdf")
    return names


def report_links(
    sources: Sequence[tuple[str | Path, Results]], reports: Path, portfolio: Path
) -> dict[str, str]:
    """Facility id → the href of its report (facility_reports(sources, reports)), relative to the
    portfolio's folder, so that the links hold wherever the two are moved together."""
    names = report_names([source for source, _ in sources])
    start = Path(portfolio).resolve().parent
    return {
        _facility_id(results): Path(os.path.relpath((Path(reports) / name).resolve(), start)).as_posix()
        for (_, results), name in zip(sources, names, strict=True)
    }


def _coverage_rule(latest: list[Results]) -> str:
    """The coverage minimum of the policies the facilities were rated by (one sentence each)."""
    return " ".join(sorted({headline(results).coverage_rule for results in latest}))


def _rating_chart(rows: list[dict[str, Any]], key: str, caption: str):
    groups: dict[str, Counter] = defaultdict(Counter)
    for row in rows:
        groups[row[key]][row["rating"]] += 1
    css = {"Meets Standards": "meets", "Does Not Meet Standards": "fails", "Incomplete": "incomplete"}
    bars = [
        (
            name,
            [
                Segment(groups[name][rating], css[rating], f"{groups[name][rating]} {rating}")
                for rating in RATINGS
            ],
        )
        for name in sorted(groups)
    ]
    legend = [
        ("fails", "Does Not Meet Standards"),
        ("incomplete", "Incomplete"),
        ("meets", "Meets Standards"),
    ]
    return charts.stacked_bars(bars, legend, caption)


def most_often_deficient(all_results: list[Results], top: int = TOP) -> list[dict[str, Any]]:
    """Requirements deficient at the most facilities (a waived deficiency still counts)."""
    deficient: Counter = Counter()
    assessed: Counter = Counter()
    titles: dict[str, str] = {}
    for results in all_results:
        for result in results.results:
            if result.status in ("compliant", "deficient", "waived"):
                assessed[result.requirement_id] += 1
            if result.deficient:
                deficient[result.requirement_id] += 1
                titles.setdefault(result.requirement_id, result.title)
    ranked = sorted(deficient.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    return [
        {
            "id": rid,
            "title": titles[rid],
            "facilities": n,
            "assessed": assessed[rid],
            "share": round(100 * n / assessed[rid], 1) if assessed[rid] else None,
        }
        for rid, n in ranked
    ]


def portfolio_html(
    all_results: list[Results],
    *,
    preview: bool = False,
    roster: Roster | None = None,
    as_of: dt.date | None = None,
    overdue_months: int = 12,
    report_links: dict[str, str] | None = None,
    open_items: dict[str, dict[str, int]] | None = None,
) -> str:
    """The portfolio of our audits; given ICE's roster, it starts from every facility ICE lists.
    Dated `as_of` (default today); `report_links` as for portfolio_view; `open_items`, a data
    folder's open and overdue corrective-action items by facility id, beside each facility."""
    view = portfolio_view(all_results, report_links)
    for row in view["rows"] if open_items is not None else []:
        row["cap"] = open_items.get(row["id"], {"open": 0, "overdue": 0})
    roster_part = (
        roster_view(
            roster,
            all_results,
            as_of=as_of or dt.date.today(),
            overdue_months=overdue_months,
            open_items=open_items,
        )
        if roster
        else None
    )
    chart = (
        charts.bars(
            [(t["id"], t["facilities"]) for t in view["top"]],
            "bad",
            "Requirements most often deficient",
            "facilities",
            label_width=charts.LABEL_WIDTH,
        )
        if view["top"]
        else None
    )
    count = roster_part["total"] if roster_part else view["total"]
    return render(
        "portfolio.html",
        **view,
        roster=roster_part,
        top_chart=chart,
        preview=preview,
        prepared=(as_of or dt.date.today()).isoformat(),
        version=__version__,
        title=f"Portfolio compliance report — {count} facilities",
        subject=f"Compliance of {count} detention facilities"
        + (f" against {', '.join(view['editions'])}" if view["editions"] else ""),
    )


def portfolio_pdf(all_results: list[Results], out: str | Path, **options: Any) -> Path:
    """Write the portfolio PDF; `roster`, `as_of`, `overdue_months`, `report_links` and
    `open_items` as for portfolio_html."""
    return write_pdf(portfolio_html(all_results, **options), out)


def _render_one(job: tuple[str, str, bool, str | None]) -> str:
    from auditor.report.facility import facility_pdf
    from auditor.report.trend import results_trend

    source, out, pdf_a, previous = job
    results = Results.read(source)
    trend = results_trend(results, [Results.read(previous)]) if previous else None
    return str(facility_pdf(results, out, pdf_a=pdf_a, trend=trend))


def facility_reports(
    sources: list[Path],
    out_dir: Path,
    *,
    jobs: int | None = None,
    pdf_a: bool = False,
    previous: list[Path | None] | None = None,
) -> list[Path]:
    """Render one facility report per results file, in parallel processes (layout is CPU-bound);
    `previous`, one per source, gives the earlier results a report's trend chart starts from."""
    out_dir.mkdir(parents=True, exist_ok=True)
    earlier = previous or [None] * len(sources)
    work = [
        (str(source), str(out_dir / name), pdf_a, str(before) if before else None)
        for source, name, before in zip(sources, report_names(sources), earlier, strict=True)
    ]
    jobs = jobs or min(len(work), os.cpu_count() or 1)
    if jobs <= 1 or len(work) <= 1:
        return [Path(_render_one(w)) for w in work]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        return [Path(p) for p in pool.map(_render_one, work)]
