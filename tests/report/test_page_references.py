"""auditor/report/page_references.py: the cached pydyf page_references gives what pydyf's own gives,
page by page as pages are added, and a tagged PDF's structure still points at the right pages."""

from __future__ import annotations

import pydyf
import pytest
from pypdf import PdfReader

from auditor.report import page_references


def _pdf_with_pages(count: int) -> pydyf.PDF:
    pdf = pydyf.PDF()
    for _ in range(count):
        pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
    return pdf


def test_the_cached_references_are_pydyfs_as_pages_are_added() -> None:
    assert page_references.install() and page_references.install()  # once, however often called
    original = page_references._ORIGINAL.fget
    pdf = _pdf_with_pages(3)
    # objects 0-2 are pydyf's own (free object, pages, catalog): the pages are objects 3, 4, 5
    assert pdf.page_references == original(pdf) == (b"3 0 R", b"4 0 R", b"5 0 R")
    assert pdf.page_references is pdf.page_references  # cached: not rebuilt on every read
    pdf.add_object(pydyf.Dictionary({}))  # object 6, not a page
    pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))  # object 7
    assert pdf.page_references == original(pdf) == (b"3 0 R", b"4 0 R", b"5 0 R", b"7 0 R")
    other = _pdf_with_pages(1)  # each document its own references
    assert other.page_references == (b"3 0 R",) and len(pdf.page_references) == 4


def test_a_tagged_report_points_each_structure_element_at_its_own_page(tmp_path) -> None:
    from auditor.report.pdf import write_pdf

    paragraphs = "".join(f"<h2>Part {n}</h2><p>Paragraph {n}</p>" for n in range(1, 4))
    style = "<style>h2 { break-before: page }</style>"
    html = f"<html lang='en'><head><title>t</title>{style}</head><body>{paragraphs}</body></html>"
    reader = PdfReader(write_pdf(html, tmp_path / "tagged.pdf"))
    pages = {page.indirect_reference.idnum: number for number, page in enumerate(reader.pages, 1)}
    assert len(pages) == 3
    headings = []  # the page each H2 structure element names
    stack = [reader.trailer["/Root"]["/StructTreeRoot"]]
    while stack:
        node = stack.pop().get_object()
        if not isinstance(node, dict):  # a marked-content id, not an element
            continue
        kids = node.get("/K", [])
        stack += [kid for kid in (kids if isinstance(kids, list) else [kids]) if hasattr(kid, "get_object")]
        if node.get("/S") == "/H2":
            headings.append(pages[node.raw_get("/Pg").idnum])
    # a cache that kept an earlier page list would point later headings at the wrong page (or none)
    assert sorted(headings) == [1, 2, 3]
    assert [reader.pages[n].extract_text().split()[:2] for n in range(3)] == [
        ["Part", str(n)] for n in (1, 2, 3)
    ]


@pytest.fixture(autouse=True)
def _installed():
    page_references.install()
