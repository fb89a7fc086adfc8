"""Print layout (issue 17, item 5): running finding names on continued evidence tables, no table
row left alone at a page's foot or head, hyphenation instead of words cut anywhere, a compact waived
finding, and a portfolio whose first page carries its date, the verdicts summed and the priority
findings of every facility, linked to each facility's report.

Known answers (tests/report/report_scenarios.realistic): MC-MH-SCREEN "Initial mental-health
screening within 12 hours of arrival" shows 25 of its 31 evidence rows, more than a Letter page
holds under its facts, so its table continues on a second page. It has 14 deficient requirements, 1 waived
(MC-DENTAL-SCREEN) and 7 indeterminate; priority deficiencies
MC-HEALTH-ASSESS (1 of 42 admissions), MC-MH-SCREEN (31 of 42) and SSH-CONSTANT (1 of 1 placements).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path

import pytest
from pypdf import PdfReader
from report_scenarios import pdf_text, squeeze, variant

from auditor.contracts.results import Results
from auditor.report import portfolio as portfolio_module
from auditor.report.facility import facility_html
from auditor.report.fetcher import PackagedAssetFetcher
from auditor.report.portfolio import portfolio_html, portfolio_pdf, report_links, report_names

MH_TITLE = "Initial mental-health screening within 12 hours of arrival"
HYPHEN = "\u2010"  # the hyphen WeasyPrint sets where it hyphenates a word
LONG_WORD = "Pneumonoultramicroscopicsilicovolcanoconiosis"  # wider than any table column
SECOND = {"facility_id": "ELP-CDF-0002", "facility_name": f"{LONG_WORD} County Detention Center"}
PRIORITY = {  # the extent of each priority deficiency, as the report's macro writes it
    "MC-HEALTH-ASSESS": "1 of 42 admissions (2.4 %) — isolated",
    "MC-MH-SCREEN": "31 of 42 admissions (73.8 %) — widespread",
    "SSH-CONSTANT": "1 of 1 placements (100 %) — widespread",
}


def pages_text(pdf: Path) -> list[str]:
    """pdftotext -layout of every page, margin boxes included (the first line: the running head)."""
    return pdf_text(pdf, layout=True).split("\f")[:-1]


def lines(page: str) -> list[str]:
    return [line.strip() for line in page.splitlines() if line.strip()]


# ---------------------------------------------------------------------------- the facility report


def test_a_continued_evidence_table_names_its_finding_at_the_top_of_the_page(rendered):
    pages = pages_text(rendered.pdf)
    continued = [i for i, page in enumerate(pages) if f"{MH_TITLE} (continued)" in lines(page)[0]]
    assert len(continued) == 1, [lines(p)[0] for p in pages]
    page = continued[0]
    # the finding's head (title, id) is on the page before; this page opens with the repeated table head
    assert MH_TITLE in squeeze(pages[page - 1]) and "MC-MH-SCREEN" in pages[page - 1]
    assert re.match(r"Where\s+Cells\s+Finding$", lines(pages[page])[1])
    assert "… and 6 more rows of evidence (31 in all)" in squeeze(pages[page])


def test_only_a_page_that_opens_inside_a_finding_is_marked_continued(rendered):
    pages = pages_text(rendered.pdf)
    for number, page in enumerate(pages, 1):
        head, first = lines(page)[0], lines(page)[1]
        opens_inside = re.match(r"Where\s+Cells\s+Finding$", first) or first.startswith("… and ")
        assert ("(continued)" in head) == bool(opens_inside), (number, head, first)
    assert sum("(continued)" in lines(page)[0] for page in pages) >= 1


@pytest.fixture(scope="module")
def layout(scenario) -> list:
    """The realistic report laid out by WeasyPrint: its pages' boxes, to measure."""
    from weasyprint import HTML

    document = HTML(string=facility_html(scenario.results), url_fetcher=PackagedAssetFetcher()).render()
    return document.pages


def boxes(box, found=None):
    """Every box under `box`, depth first."""
    found = [] if found is None else found
    found.append(box)
    for child in getattr(box, "children", []) or []:
        boxes(child, found)
    return found


def classes(box) -> set[str]:
    element = getattr(box, "element", None)
    return set((element.get("class") or "").split()) if element is not None else set()


def test_no_table_leaves_a_single_row_at_a_page_foot_or_head(layout):
    """Every table split over pages keeps at least two of its rows on each page."""
    fragments: dict[int, list[int]] = {}  # table element → body rows on each page it spans
    for page in layout:
        for box in boxes(page._page_box):
            if type(box).__name__ == "TableBox":
                body = [g for g in box.children if g.element is not None and g.element.tag == "tbody"]
                rows = sum(len(group.children) for group in body)
                fragments.setdefault(id(box.element), []).append(rows)
    split = {key: rows for key, rows in fragments.items() if len(rows) > 1}
    assert split, "the realistic report has tables split over pages"
    for rows in split.values():
        assert min(rows) >= 2, rows


def test_the_waived_finding_is_compact_and_shares_its_page(layout):
    articles = []  # (page number, box) of every finding, in reading order
    for number, page in enumerate(layout, 1):
        articles += [
            (number, b)
            for b in boxes(page._page_box)
            if "finding" in classes(b) and b.element.tag == "article"
        ]
    waived = [(n, b) for n, b in articles if "waived" in classes(b)]
    assert len(waived) == 1  # MC-DENTAL-SCREEN, on one page, not split
    number, box = waived[0]
    assert "MC-DENTAL-SCREEN" in "".join(box.element.itertext())
    # it does not take a page of its own: it follows the end of the finding before it on one page
    before = articles[articles.index((number, box)) - 1]
    assert before[0] == number and "waived" not in classes(before[1])

    # its evidence is set tighter: a line of its evidence cells is shorter than a deficient finding's
    deficient = [b for _, b in articles if "deficient" in classes(b) and evidence_lines(b)]
    assert deficient
    assert max(evidence_lines(box)) < min(min(evidence_lines(b)) for b in deficient)


def evidence_lines(article) -> list[float]:
    """The heights of the text lines in a finding's evidence table cells."""
    tables = [b for b in boxes(article) if type(b).__name__ == "TableBox" and "evidence" in classes(b)]
    cells = [
        c for t in tables for c in boxes(t) if type(c).__name__ == "TableCellBox" and c.element.tag == "td"
    ]
    return [line.height for cell in cells for line in boxes(cell) if type(line).__name__ == "LineBox"]


# ---------------------------------------------------------------------------- the portfolio


@pytest.fixture(scope="module")
def two(scenario) -> list[Results]:
    """The realistic facility and a copy of it whose name holds a word wider than any column."""
    return [scenario.results, variant(scenario.results, **SECOND)]


@pytest.fixture(scope="module")
def portfolio(two, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("portfolio")
    (folder / "results").mkdir()
    sources = [(r.write(folder / "results" / f"{r.facility['facility_id']}.json"), r) for r in two]
    links = report_links(sources, folder / "out" / "reports", folder / "out" / "portfolio.pdf")
    return portfolio_pdf(
        two, folder / "out" / "portfolio.pdf", as_of=dt.date(2026, 12, 4), report_links=links
    )


def test_the_portfolio_cover_has_its_date_the_verdicts_and_the_priority_findings(portfolio, two):
    cover = squeeze(pdf_text(portfolio).split("\f")[0])
    assert (
        "Prepared 4 December 2026, from inspections that ended between 9 April 2026 and 9 April 2026."
        in cover
    )
    # the verdicts summed, figures above their labels, counted here from the statuses themselves
    status = Counter(result.status for results in two for result in results.results)
    figures = [status["deficient"], status["waived"], status["indeterminate"], status["compliant"]]
    figures.append(status["not_assessed"] + status["error"])
    assert figures[:3] == [28, 2, 14]  # 2 × (14 deficient, 1 waived: MC-DENTAL-SCREEN, 7 indeterminate)
    layout = pdf_text(portfolio, layout=True).split("\f")[0]
    numbers = r"\s+".join(str(n) for n in figures)
    assert re.search(
        rf"^\s*{numbers}\s*\n\s*deficient\s+waived .*indeterminate .*compliant\s+not assessed\s*$",
        layout,
        re.M,
    ), layout
    assert "6 priority requirements found deficient; a facility's name opens its report." in cover
    # every priority finding of both facilities, with its extent
    for rid, extent in PRIORITY.items():
        assert cover.count(f"{rid} ") == 2 and cover.count(extent) == 2, rid
    assert "Fictional Service Processing Center" in cover and "County Detention Center" in cover
    # and the date on every page's foot
    assert all(
        "Portfolio of 2 facilities, 4 December 2026" in squeeze(p)
        for p in pdf_text(portfolio).split("\f")[:-1]
    )


def test_the_portfolio_links_each_facility_to_its_report(portfolio):
    reader = PdfReader(portfolio)
    targets = [
        a.get_object()["/A"]["/URI"] for a in reader.pages[0].get("/Annots", []) if "/A" in a.get_object()
    ]
    # three priority rows per facility on the cover, each naming it with a link (a link of one line
    # for ATL's name; the other's wraps, one annotation per line)
    assert set(targets) == {"reports/ATL-SPC-0001.pdf", "reports/ELP-CDF-0002.pdf"}
    assert targets.count("reports/ATL-SPC-0001.pdf") == 3 and targets.count("reports/ELP-CDF-0002.pdf") >= 3
    facilities_page = next(p for p in reader.pages if "Facilities" in p.extract_text())
    assert {a.get_object()["/A"]["/URI"] for a in facilities_page.get("/Annots", [])} == {
        "reports/ATL-SPC-0001.pdf",
        "reports/ELP-CDF-0002.pdf",
    }


def test_a_long_word_is_hyphenated_not_cut(portfolio):
    text = pdf_text(portfolio)
    # the last token of every line that ends inside the long word (a piece of it, not its end)
    ends = [line.split()[-1] for line in text.splitlines() if line.split()]
    inside = [
        end
        for end in ends
        if len(core := end.removesuffix(HYPHEN)) >= 5 and core in LONG_WORD and not LONG_WORD.endswith(core)
    ]
    assert len(inside) >= 2, "the long word is wider than its columns, in the cover's list and the table"
    assert all(end.endswith(HYPHEN) for end in inside), inside
    assert LONG_WORD in text.replace(f"{HYPHEN}\n", "")


def test_report_links_are_relative_to_the_portfolio_and_follow_the_report_names(tmp_path, two):
    assert report_names(["a/x.json", "b/x.json", "y.json"]) == ["x.pdf", "x-2.pdf", "y.pdf"]
    sources = [(tmp_path / "in" / "x.json", two[0]), (tmp_path / "other" / "x.json", two[1])]
    links = report_links(sources, tmp_path / "reports", tmp_path / "out" / "portfolio.pdf")
    assert links == {"ATL-SPC-0001": "../reports/x.pdf", "ELP-CDF-0002": "../reports/x-2.pdf"}


def test_priority_findings_beyond_the_cover_follow_in_their_own_section(two, monkeypatch):
    monkeypatch.setattr(portfolio_module, "PRIORITY_ON_COVER", 4)
    html = portfolio_html(two, as_of=dt.date(2026, 12, 4))
    cover, rest = html.split('<h1 id="ratings"', 1)
    assert cover.count('<span class="rid">') == 4
    assert "The other 2 are listed under Priority findings, after the facilities." in cover
    section = rest.split('<h1 id="priority">', 1)[1].split("<h1", 1)[0]
    assert section.count('<span class="rid">') == 6
    # without links, no anchor: the names are plain text
    assert "<a " not in html.split("<body", 1)[1]
