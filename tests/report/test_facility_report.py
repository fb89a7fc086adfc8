"""The facility report (PDF and its HTML preview) of the realistic inspection, read back as text.

Known answers come from how report_scenarios.realistic builds the inspection: 31 admissions
without a mental-health screening (30 built so, plus the valid sheets' A000000003), a current
waiver on MC-DENTAL-SCREEN, an expired one on SMU-CHECKS, MC-INTAKE-SCREEN tailored to 8 hours,
and a previous inspection deficient in 5 requirements, 4 of which are deficient again.
"""

from __future__ import annotations

import hashlib
import re
from html.parser import HTMLParser

import pytest
from pypdf import PdfReader
from report_scenarios import (
    DUE_PRIORITY,
    DUE_STANDARD,
    WAIVER_JUSTIFICATION,
    pdf_text,
    squeeze,
)

PRIORITY_DEFICIENT = {"MC-MH-SCREEN", "MC-HEALTH-ASSESS", "SSH-CONSTANT"}
REPEATS = {"MC-MH-SCREEN", "EHS-FIRE-DRILL", "REC-DAILY", "FS-STORAGE"}


def test_the_scenario_has_the_known_answers(rendered):
    """The inspection the other tests read: if the engine changes these, the expectations move too."""
    s = rendered.results.summary
    by_id = rendered.results.by_id()
    assert (s.deficient, s.priority_deficiencies, s.repeat_deficiencies, s.waived) == (14, 3, 4, 1)
    assert s.rating == "Does Not Meet Standards"
    assert {r.requirement_id for r in rendered.results.results if r.status == "deficient" and r.priority} == (
        PRIORITY_DEFICIENT
    )
    assert {r.requirement_id for r in rendered.results.results if r.repeat} == REPEATS
    assert by_id["MC-MH-SCREEN"].evidence_total == 31
    assert by_id["MC-DENTAL-SCREEN"].status == "waived"
    assert by_id["SMU-CHECKS"].waiver.expired


def test_cover_names_the_facility_inspection_and_rating_as_project_policy(rendered):
    text = squeeze(pdf_text(rendered.pdf).split("\f")[0])
    assert "Fictional Service Processing Center" in text
    assert "SPC · AOR ATL · GA · PBNDS-2011" in text
    # codes spelled out from the glossary
    assert "SPC — Service Processing Center (ICE-owned)" in text and "ATL — Atlanta field office" in text
    assert "INSP-2026-0001, full" in text
    assert "6 April 2026 to 9 April 2026" in text
    assert "1 January 2026 to 31 March 2026" in text
    assert "AUDITOR RATING — PROJECT POLICY, NOT AN ICE RATING" in text
    assert "Does Not Meet Standards" in text
    assert "A priority component is deficient." in text
    assert "this is not an ICE rating" in text


def test_executive_summary_is_an_odo_style_conclusion(rendered):
    text = squeeze(rendered.text)
    assert (
        "The auditor found 14 deficiencies in 10 standards, of which 3 were priority components and "
        "4 were repeat deficiencies." in text
    )
    # 30 requirements of 15 standards, and issue 18's 18 that apply here, all compliant in the valid sheets
    # (SAAPI-REASSESS, SMU-NOTIFY-30D and -14IN21 not applicable), adding 2.10, 2.13, 4.2, 4.7 and 6.2
    assert "assessed the facility's compliance with 48 requirements of 20 standards under PBNDS-2011" in text
    assert "1 further deficiency is covered by a current waiver." in text
    assert "20 requirements could not be assessed" in text  # UOF-CALC-CHEMICAL-CONSULT: no UseOfForce
    # the blanks of the valid sheets (dates of birth, fixture counts, phones…) leave 7 undecided
    assert "For 7 requirements the data proved no violation but could not decide every record" in text
    assert "The auditor decided 48 of 75 requirements in scope (64 %)." in text
    assert (
        "Compared with the previous inspection (INSP-2025-0001, ended 2025-04-10, rated Does Not Meet "
        "Standards, 5 deficiencies): 11 deficiencies are new, 1 was resolved (FS-HOT-HOLD) and 4 are "
        "repeated." in text
    )


def test_charts_are_inline_svg_with_their_numbers(rendered):
    assert rendered.html.count('<svg class="chart"') == 2
    assert 'aria-label="Requirements by functional area and status"' in rendered.html
    assert 'aria-label="Deficiencies by standard"' in rendered.html
    # the bars carry their labels and values as text, in the PDF too
    text = squeeze(rendered.text)
    assert "4.3 Medical Care" in text
    assert "Administration" in text


def test_findings_show_citation_flags_extent_and_threshold(rendered):
    text = squeeze(rendered.text)
    assert "Initial mental-health screening within 12 hours of arrival" in text
    assert "MC-MH-SCREEN · Deficient · Priority component · Repeat deficiency" in text
    assert "PBNDS-2011 4.3 Medical Care" in text
    assert "Found in 31 of 42 admissions reviewed (73.8 %, widespread): every record" in text
    assert "Mental-health screening within 12 hours of arrival" in text  # labels, not field names
    assert "(unverified threshold)" in text and "Unverified threshold" in text
    assert "FS-STORAGE · Deficient · Repeat deficiency · Corrected on site" in text
    assert "Observed by the inspector: dry storage pallets against the wall" in text
    # the tailored threshold, with the catalogue default beside it
    assert "Medical screening within 8 hours" in text
    assert "(tailored; default: Medical screening within 12 hours of arrival)" in text


def test_findings_are_grouped_by_area_then_standard(rendered):
    text = squeeze(rendered.text)
    findings = text[text.index("Findings Safety") : text.index("What could not be assessed These")]
    order = [
        "Safety 1.2 Environmental Health and Safety",
        "Security 2.2 Custody Classification System",
        "2.11 Sexual Abuse and Assault Prevention and Intervention",
        "2.12 Special Management Units",
        "Care 4.1 Food Service",
        "4.3 Medical Care",
        "Activities 5.4 Recreation",
        "Justice 6.3 Law Libraries and Legal Material",
    ]
    positions = [findings.index(heading) for heading in order]
    assert positions == sorted(positions)


def test_identifiers_are_masked(rendered):
    assert "****0002" in rendered.text
    assert "****0025" in rendered.text
    for text in (rendered.text, rendered.html):
        assert "A000000002" not in text
        assert not re.search(r"A\d{9}", text), "an unmasked detainee id"
        assert "1990-04-01" not in text  # a date of birth


def test_evidence_is_capped_at_25_rows_with_the_rest_in_the_annex(rendered):
    text = squeeze(rendered.text)
    assert text.count("no mental-health screening recorded") == 25
    more = "… and 6 more rows of evidence (31 in all) in the workbook annex: auditor ucap writes every row."
    assert more in text
    # the same cap in the preview: 25 rows in the finding's evidence table
    assert evidence_rows(rendered.html, "finding-MC-MH-SCREEN") == 25
    assert evidence_rows(rendered.html, "finding-SMU-CHECKS") == 2
    assert "and 64 more rows of evidence (89 in all)" in text  # FS-TEMP-LOG-DAILY
    # past the cap, how many of the rows are undecided records rather than violations
    by_id = rendered.results.by_id()
    undecided = sum(e.verdict == "indeterminate" for e in by_id["LL-WEEKLY"].evidence)
    assert undecided == by_id["LL-WEEKLY"].indeterminate == 25
    assert "and 23 more rows of evidence (48 in all, 25 of them indeterminate)" in text


def test_waiver_shows_justification_and_expiry(rendered):
    text = squeeze(rendered.text)
    assert "MC-DENTAL-SCREEN · Waived · Waived" in text
    approved = "approved by J. Rivera, Field Office Director."
    assert f"Waived until 31 December 2026; {approved} {WAIVER_JUSTIFICATION}" in text
    assert "Expired 31 January 2026 — not applied; approved by J. Rivera" in text
    assert "SMU-CHECKS · Deficient · Waiver expired" in text


def test_what_could_not_be_assessed_says_why(rendered):
    text = squeeze(rendered.text)
    start, end = text.index("What could not be assessed These"), text.index("Corrective-action plan Uniform")
    section = text[start:end]
    unassessed = [r for r in rendered.results.results if r.status in ("not_assessed", "error")]
    assert len(unassessed) == 20
    for result in unassessed:
        assert result.requirement_id in unbroken(section)
    assert "no Checklist row for this requirement" in section
    assert "Not applicable" in section


def test_indeterminate_requirements_are_listed_as_such_never_as_compliant(rendered):
    undecided = {r.requirement_id for r in rendered.results.results if r.status == "indeterminate"}
    assert undecided == {"AR-JUVENILE", "MC-ACUTE-EVAL", "PH-SHOWERS", "PH-TOILETS", "PH-WASHBASINS",
                         "SMU-NOTIFY-VULNERABLE", "TA-PHONES"}  # fmt: skip
    layout = rendered.layout
    appendix = layout[layout.index("Every requirement and its threshold") :]
    row = r"^([A-Z][A-Z0-9-]+)(?: P)?\s{2,}.*?\s{2,}(Compliant|Deficient|Indeterminate|Waived)\s"
    status = {m.group(1): m.group(2) for m in re.finditer(row, appendix, re.M)}
    assert {rid for rid, word in status.items() if word == "Indeterminate"} == undecided
    needed = squeeze(layout[layout.index("Evidence needed\n") : layout.index("What could not be assessed\n")])
    for rid in undecided:
        assert f"{rid} · Indeterminate" in unbroken(needed)  # its finding: id, status
    # the undecided finding's extent: no violation, and its decided and undecided records apart
    assert "Found in 0 of 42 admissions reviewed (0 %; 41 compliant, 1 indeterminate)" in needed


def test_ucap_has_one_row_per_deficiency_due_by_severity(rendered):
    lines = rendered.layout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == "Corrective-action plan")
    end = next(i for i, line in enumerate(lines) if line.strip() == "Appendix")
    ucap = lines[start:end]
    assert re.search(r"Requirement\s+Deficiency\s+Severity\s+Due\s+Owner\s+Status", "\n".join(ucap))
    deficient = [r for r in rendered.results.results if r.status == "deficient"]
    rows = [line for line in ucap if re.match(r"\s*\d+\s+[A-Z]+-[A-Z0-9-]+\s", line)]
    assert len(rows) == len(deficient) == 14
    for result in deficient:
        (row,) = [line for line in rows if re.search(rf"\s{re.escape(result.requirement_id)}\s", line)]
        severity, due = ("Priority", DUE_PRIORITY) if result.priority else ("Standard", DUE_STANDARD)
        assert re.search(rf"{severity}\s+{due}\s+Open", row), row
    assert "MC-DENTAL-SCREEN" not in "\n".join(rows)  # waived: no corrective action due


def test_appendix_lists_policy_hashes_software_and_thresholds(rendered):
    scenario = rendered.scenario
    text = squeeze(rendered.text)
    appendix = text[text.rindex("Appendix Rating policy") :]
    assert "Auditor rating policy 2026.2 (auditor-rating-2026.2)" in appendix
    tiers = "Extent tiers: isolated below 10 % of the population, pattern from 10 %, widespread from 50 %."
    assert tiers in appendix
    assert rendered.results.standards["sha256"] in appendix
    assert len(rendered.results.standards["sha256"]) == 64
    for path in (scenario.workbook, scenario.tailoring, scenario.waivers, scenario.previous):
        assert hashlib.sha256(path.read_bytes()).hexdigest() in appendix, path.name
    assert "Input realistic.xlsx" in appendix
    assert "catalogue 2026.11.0" in appendix
    assert "auditor 0.1.0" in appendix
    tailored = (
        "MC-INTAKE-SCREEN Medical screening within 12 hours of arrival Medical screening within 8 hours"
    )
    assert tailored in appendix
    # every requirement of the edition, with its threshold, grouped by area and standard
    for result in rendered.results.results:
        assert result.requirement_id in unbroken(appendix)
    assert "Care · 4.3 Medical Care" in appendix


def test_running_header_and_page_x_of_y_footer(rendered):
    pages = pdf_text(rendered.pdf, layout=True).split("\f")[:-1]
    count = len(PdfReader(rendered.pdf).pages)
    assert len(pages) == count > 10
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {count}" in page
        assert "Auditor compliance report · INSP-2026-0001" in page
    for page in pages[1:]:  # the cover carries no running header
        first = next(line for line in page.splitlines() if line.strip())
        assert first.strip().startswith("Fictional Service Processing Center")
    assert any(re.search(r"Fictional Service Processing Center\s+Findings", p) for p in pages)
    assert any(re.search(r"Fictional Service Processing Center\s+Appendix", p) for p in pages)


def test_metadata_title_subject_author(rendered):
    meta = PdfReader(rendered.pdf).metadata
    assert meta.title == "Compliance report — Fictional Service Processing Center — INSP-2026-0001"
    assert meta.subject == (
        "PBNDS-2011 compliance of Fictional Service Processing Center (ATL-SPC-0001), "
        "inspection INSP-2026-0001: Does Not Meet Standards"
    )
    assert meta.author == "auditor 0.1.0"


def unbroken(text: str) -> str:
    """Text with the line breaks a narrow column puts after hyphens undone (for requirement ids)."""
    return re.sub(r"-\s+", "-", text)


def outline_titles(outline, depth=0):
    for item in outline:
        if isinstance(item, list):
            yield from outline_titles(item, depth + 1)
        else:
            yield depth, item.title


def test_bookmarks_follow_the_headings(rendered):
    titles = list(outline_titles(PdfReader(rendered.pdf).outline))
    top = [t for depth, t in titles if depth == 0]
    assert top == [
        "Cover",
        "Facility overview",
        "Executive summary",
        "Findings",
        "Evidence needed",
        "What could not be assessed",
        "Previous corrective-action plan",  # the scenario has previous results
        "Corrective-action plan",
        "Appendix",
    ]
    assert (1, "Care") in titles
    assert (2, "4.3 Medical Care") in titles
    assert (3, "Initial mental-health screening within 12 hours of arrival") in titles
    assert (1, "Rating policy") in titles


def test_pdf_is_tagged(rendered):
    root = PdfReader(rendered.pdf).trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"].value is True
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "en"


def test_html_preview_uses_the_same_template(rendered):
    html = rendered.html
    assert '<body class="preview">' in html
    assert "Executive summary" in html and "Corrective-action plan" in html and "Appendix" in html
    assert "The auditor found 14 deficiencies in 10 standards" in html
    # the preview cannot resolve auditor-asset: URLs: the logo is inlined
    assert "auditor-asset:" not in html
    assert '<span class="logo"><svg' in html


@pytest.mark.parametrize("anchor", ["finding-MC-MH-SCREEN", "finding-FS-TEMP-LOG-DAILY"])
def test_preview_and_pdf_show_the_same_findings(rendered, anchor):
    assert f'id="{anchor}"' in rendered.html


class _EvidenceRows(HTMLParser):
    """Counts the evidence table's body rows of the finding whose heading has this id."""

    def __init__(self, anchor: str) -> None:
        super().__init__()
        self.anchor, self.inside, self.depth, self.tbody, self.rows = anchor, False, 0, False, 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "h4" and attrs.get("id") == self.anchor:
            self.inside, self.depth = True, 0
        if not self.inside:
            return
        if tag == "article":
            self.depth += 1
        if tag == "table" and "evidence" in (attrs.get("class") or ""):
            self.tbody = False
        if tag == "tbody":
            self.tbody = True
        if tag == "tr" and self.tbody:
            self.rows += 1

    def handle_endtag(self, tag):
        if self.inside and tag == "tbody":
            self.tbody = False
        if self.inside and tag == "article":
            self.inside = False


def evidence_rows(html: str, anchor: str) -> int:
    parser = _EvidenceRows(anchor)
    parser.feed(html)
    return parser.rows
