"""Numbers from one source (issue 17.4): what the facility report shows on its first pages (the
cover's tiles and headline, the executive summary's sentences and key figures, the charts' tables)
and the sections after them (findings, plan) reconcile with one another and with the results they
were drawn from, on every sample facility, on generated inspections and on the realistic one
(waivers, a previous inspection, repeats).

The report is read as a reader reads it, from the rendered HTML; the expected figures are counted
here from the requirements' statuses, independently of the summary the engine wrote.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from lxml import html as lxml_html

from auditor.contracts.results import Results
from auditor.core import audit_inspection
from auditor.generate.inspection import generate
from auditor.generate.synthetic import NOTICE, synthetic_profile
from auditor.report.facility import facility_html
from auditor.workbook.write import write_inspection

REPO = Path(__file__).resolve().parents[2]
SAMPLES = sorted(p.parent for p in (REPO / "sample_data").glob("*/sample.yml"))
ASSESSED = ("compliant", "deficient", "waived")


def _sample_input(folder: Path) -> Path:
    workbook = folder / "inspection.xlsx"
    return workbook if workbook.exists() else folder / "inspection"


def _audited(path: Path, **options: Path) -> Results:
    done = audit_inspection(path, **options)
    assert done.results is not None, f"{path}: {done.loaded.problems.records()[:3]}"
    return done.results


@pytest.fixture(scope="module", params=[p.name for p in SAMPLES])
def sample(request: pytest.FixtureRequest) -> Results:
    return _audited(_sample_input(REPO / "sample_data" / request.param))


@pytest.fixture(scope="module", params=[0, 1, 2, 3])
def generated(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Results:
    """A synthetic facility (each index another type and edition), audited against a previous
    inspection in which some of today's deficiencies, and some others, were already found."""
    folder = tmp_path_factory.mktemp(f"generated{request.param}")
    profile = synthetic_profile(request.param, 400, seed=17, deficiency_rate=0.08)
    facility, sheets = generate(profile)
    workbook = write_inspection(folder / "inspection.xlsx", facility, sheets, notice=NOTICE)
    first = _audited(workbook).to_dict()
    first["inspection"] |= {"inspection_id": "EARLIER", "inspection_start": "2025-01-06"}
    first["inspection"]["inspection_end"] = "2025-01-09"
    deficient = [row for row in first["results"] if row["status"] == "deficient"]
    for row in deficient[1::2]:  # every other deficiency is new today, the rest repeated
        row["status"] = "compliant"
    for row in [row for row in first["results"] if row["status"] == "compliant"][:2]:  # resolved since
        row["status"], row["underlying_status"] = "deficient", None
    previous = folder / "previous.json"
    previous.write_text(json.dumps(first), encoding="utf-8")
    return _audited(workbook, previous=previous)


def _page(results: Results) -> lxml_html.HtmlElement:
    return lxml_html.fromstring(facility_html(results, preview=True))


def _text(node: lxml_html.HtmlElement) -> str:
    return re.sub(r"\s+", " ", node.text_content().replace("\u00ad", "")).strip()  # soft hyphens


def _expected(results: Results) -> dict[str, int]:
    count = Counter(r.status for r in results.results)
    deficient = [r for r in results.results if r.status == "deficient"]
    return {
        "total": len(results.results),
        "assessed": sum(count[s] for s in ASSESSED),
        "compliant": count["compliant"],
        "deficient": count["deficient"],
        "waived": count["waived"],
        "indeterminate": count["indeterminate"],
        "not_applicable": count["not_applicable"],
        "not_assessed": count["not_assessed"] + count["error"],
        "priority": sum(r.priority for r in deficient),
        "repeat": sum(bool(r.repeat) for r in deficient),
        "in_scope": sum(r.in_scope and r.status != "not_applicable" for r in results.results),
        "decided": sum(r.in_scope and r.status in ASSESSED for r in results.results),
    }


def _tiles(page: lxml_html.HtmlElement) -> dict[str, str]:
    """The cover's tiles, by their words: {"compliant": "52", ...}."""
    tiles = {}
    for tile in page.xpath('//section[contains(@class, "cover")]//div[contains(@class, "figure")]'):
        number = _text(tile.xpath('.//span[@class="n"]')[0])
        words = _text(tile.xpath('.//span[@class="t"]')[0])
        tiles[words] = number
    return tiles


def _tile(tiles: dict[str, str], starts: str) -> str:
    found = [number for words, number in tiles.items() if words.startswith(starts)]
    assert len(found) == 1, f"one tile {starts!r} on the cover: {tiles}"
    return found[0]


def _chart_table(page: lxml_html.HtmlElement, caption: str) -> tuple[list[str], list[list[str]]]:
    tables = [
        t
        for t in page.xpath('//table[@class="chart-table"]')
        if _text(t.xpath("caption")[0]).startswith(caption)
    ]
    assert len(tables) == 1, caption
    head = [_text(th) for th in tables[0].xpath("thead/tr/th")]
    rows = [[_text(cell) for cell in tr.xpath("th|td")] for tr in tables[0].xpath("tbody/tr")]
    return head, rows


def reconcile(results: Results) -> None:
    want = _expected(results)
    page = _page(results)
    cover = _text(page.xpath('//section[contains(@class, "cover")]')[0])
    tiles = _tiles(page)

    # the cover: ODO's headline, then our tiles, which add up to what was assessed
    head = _tile(tiles, "deficienc")
    assert int(head) == want["deficient"]
    assert f"{want['priority']} priority · {want['repeat']} repeat" in cover
    assert _tile(tiles, "requirements in scope decided") == f"{want['decided']} of {want['in_scope']}"
    assert int(_tile(tiles, "requirements assessed of")) == want["assessed"]
    assert f"requirements assessed of {want['total']}" in tiles
    assert int(_tile(tiles, "compliant")) == want["compliant"]
    assert int(_tile(tiles, "indeterminate")) == want["indeterminate"]
    assert int(_tile(tiles, "not assessed")) == want["not_assessed"]
    waived = [n for words, n in tiles.items() if words.startswith("waived")]
    shown_waived = int(waived[0]) if waived else 0
    # a reader adds the cover's parts: compliant + deficient (+ waived, shown when there is one)
    statuses = Counter(r.status for r in results.results)
    assert want["compliant"] + want["deficient"] + shown_waived == want["assessed"], (tiles, statuses)

    # the executive summary: its sentences and its key figures
    summary = " ".join(_text(p) for p in page.xpath('//p[@class="conclusion"]'))
    assert f"compliance with {want['assessed']} requirements" in summary
    assert f"in compliance with {want['compliant']} of those requirements" in summary
    if want["deficient"]:
        found = re.search(r"The auditor found (\d+) deficienc", summary)
        assert found and int(found.group(1)) == want["deficient"]
    keyfigures = page.xpath('//table[@class="keyfigures"]')[0]
    names = [_text(th) for th in keyfigures.xpath(".//thead//th")]
    values = dict(zip(names, [_text(td) for td in keyfigures.xpath(".//tbody//td")], strict=True))
    assert int(values["Deficient"]) == want["deficient"]
    assert int(values["Priority"]) == want["priority"]
    assert int(values["Repeat"]) == want["repeat"]
    assert values["Decided in scope"] == f"{want['decided']} of {want['in_scope']}"
    assert int(values["Compliant"]) == want["compliant"]
    assert int(values["Indeterminate"]) == want["indeterminate"]
    assert int(values["Waived"]) == want["waived"]
    assert int(values["Not applicable"]) == want["not_applicable"]
    assert int(values["Not assessed"]) == want["not_assessed"]

    # the previous inspection: the repeated ones are the headline's repeats (and any waived ones,
    # said so), and the resolved ones are named
    previous = results.previous
    if previous:
        sentence = re.search(r"Compared with the previous inspection.*", summary)
        assert sentence, summary
        repeated = re.search(r"(\d+) (?:is|are) repeated", sentence.group(0))
        assert repeated
        waived_repeats = sum(
            r.status == "waived" and r.requirement_id in previous["repeat"] for r in results.results
        )
        assert int(repeated.group(1)) == want["repeat"] + waived_repeats
        if waived_repeats:
            assert "waived" in sentence.group(0).split("repeated", 1)[1]
        for rid in previous["resolved"]:
            assert rid in sentence.group(0), f"the resolved {rid} is named"

    # the charts' tables: by area, a column per status adding up to the counts; by standard, the
    # deficiencies
    header, rows = _chart_table(page, "Requirements by functional area")
    column = {name: [int(row[i]) for row in rows] for i, name in enumerate(header) if i}
    for name, key in (
        ("Compliant", "compliant"),
        ("Deficient", "deficient"),
        ("Indeterminate", "indeterminate"),
        ("Waived", "waived"),
        ("Not applicable", "not_applicable"),
        ("Not assessed", "not_assessed"),
    ):
        assert sum(column[name]) == want[key], name
    assert sum(column["Total"]) == want["total"]
    if want["deficient"]:
        _, rows = _chart_table(page, "Deficiencies by standard")
        assert sum(int(row[1]) for row in rows) == want["deficient"]

    # the sections after: a finding per deficient or waived requirement, a plan row per deficiency
    findings = page.xpath('//h1[@id="evidence-needed"]/preceding::article[contains(@class, "finding")]')
    assert len(findings) == want["deficient"] + want["waived"]
    plan = page.xpath('//table[contains(@class, "ucap")]/tbody/tr')
    assert len(plan) == want["deficient"]


def test_every_sample_reconciles(sample: Results) -> None:
    reconcile(sample)


def test_generated_inspections_reconcile(generated: Results) -> None:
    assert generated.previous and generated.previous["repeat"]  # the case that needs reconciling
    reconcile(generated)


def test_the_realistic_inspection_reconciles(scenario) -> None:
    """Waivers (one applied, one expired), a tailored threshold and a previous inspection."""
    assert scenario.results.summary.waived and scenario.results.previous["resolved"]
    reconcile(scenario.results)
