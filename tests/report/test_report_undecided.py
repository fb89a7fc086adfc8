"""Indeterminate results on the report faces (facility PDF, view): shown with their three counts,
listed apart from the findings as evidence needed, never as compliant. Known answers in undecided.py."""

from __future__ import annotations

import re

import pytest
from report_scenarios import pdf_text, squeeze
from undecided import HIDDEN, PREGNANCY_WHY

from auditor.glossary import humanise
from auditor.report.view import evidence_needed_rows, facility_view, headline, record_counts


def test_the_hand_built_results_have_the_known_answers(undecided):
    s = undecided.summary
    assert (s.deficient, s.priority_deficiencies, s.repeat_deficiencies) == (1, 1, 1)
    assert (s.compliant, s.indeterminate, s.not_assessed, s.not_applicable) == (1, 2, 1, 1)
    assert (s.decided, s.in_scope, s.coverage_percent) == (2, 5, 40.0)
    assert s.rating == "Incomplete"
    for result in undecided.results:
        assert result.population == result.violations + result.compliant + result.indeterminate


def test_headline_is_odos_counts_and_coverage_with_the_policy_minimum(undecided):
    head = headline(undecided)
    assert head.text == (
        "1 deficiency (1 priority, 1 repeat); decided 2 of 5 requirements in scope (40 %). "
        "Our rating (this project's policy, not ICE's): Incomplete."
    )
    assert (head.minimum_coverage, head.meets_coverage) == (50.0, 75.0)
    assert head.coverage_rule == (
        "Policy auditor-rating-2026.2 rates nothing below 50 % coverage; Meets Standards needs 75 %."
    )


def test_headline_of_a_version_1_file_counts_coverage_from_its_results(undecided):
    old = undecided.to_dict()
    old["schema_version"] = "1"
    for key in ("indeterminate", "in_scope", "decided", "coverage_percent"):
        del old["summary"][key]
    from auditor.contracts.results import Results

    head = headline(Results.from_dict(old))
    assert (head.decided, head.in_scope, head.coverage_percent) == (2, 5, 40.0)


def test_three_counts_of_a_version_1_result_count_every_non_violation_compliant(undecided):
    """Version 1 files carry no compliant count: nothing was indeterminate then."""
    from auditor.contracts.results import Results

    old = undecided.to_dict()
    old["schema_version"] = "1"
    row = next(r for r in old["results"] if r["requirement_id"] == "SMU-NOTIFY-VULNERABLE")
    for key in ("compliant", "indeterminate", "absent_columns", "in_scope"):
        del row[key]
    row["population"] = 4
    result = Results.from_dict(old).by_id()["SMU-NOTIFY-VULNERABLE"]
    assert record_counts(result) == "1 violation · 3 compliant · 0 indeterminate of 4 placements"


def test_three_counts_per_requirement(undecided):
    by_id = undecided.by_id()
    assert record_counts(by_id["SMU-NOTIFY-VULNERABLE"]) == (
        "1 violation · 1 compliant · 2 indeterminate of 4 placements"
    )
    assert record_counts(by_id[HIDDEN]) == "0 violations · 1 compliant · 2 indeterminate of 3 admissions"


def ids(areas) -> set[str]:
    return {f.result.requirement_id for a in areas for s in a.standards for f in s.findings}


def test_view_keeps_undecided_requirements_out_of_findings_and_plan(undecided):
    view = facility_view(undecided)
    assert ids(view["areas"]) == {"SMU-NOTIFY-VULNERABLE"}
    assert ids(view["undecided"]) == {HIDDEN, "HR-VULNERABLE"}
    assert [row["result"].requirement_id for row in view["ucap"]] == ["SMU-NOTIFY-VULNERABLE"]
    needed = {row["result"].requirement_id: row["why"] for row in evidence_needed_rows(undecided)}
    assert set(needed) == {"SMU-NOTIFY-VULNERABLE", HIDDEN, "HR-VULNERABLE"}
    assert needed[HIDDEN] == PREGNANCY_WHY
    # one indeterminate requirement in Security (HR-VULNERABLE), one in Care (MC-PREGNANCY-TEST)
    assert str(view["area_chart"]).count("<title>1 indeterminate</title>") == 2


def test_facility_pdf_shows_indeterminate_and_the_three_counts(undecided_pdf):
    pages = pdf_text(undecided_pdf).split("\f")
    cover, text = squeeze(pages[0]), squeeze(" ".join(pages))
    layout_cover = pdf_text(undecided_pdf, layout=True).split("\f")[0]
    # the headline figures: ODO's counts first, then the rating beside them
    odo = r"\n\s*1\s+2 of 5\n\s*deficiency · 1 priority · 1 repeat\s+requirements in scope decided"
    assert re.search(odo, layout_cover)
    figures = r"\n\s*2\s+1\s+2\s+1\n\s*requirements assessed of 6\s+compliant\s+indeterminate \(not"
    assert re.search(figures, layout_cover)
    assert cover.index("deficiency · 1 priority") < cover.index("AUDITOR RATING")
    assert "Decided 2 of 5 requirements in scope (40 %)." in cover
    assert "rates nothing below 50 % coverage; Meets Standards needs 75 %" in cover
    assert "AUDITOR RATING — PROJECT POLICY, NOT AN ICE RATING" in cover
    assert "1 violation · 1 compliant · 2 indeterminate of 4 placements" in text
    assert "0 violations · 1 compliant · 2 indeterminate of 3 admissions" in text
    # each finding's extent says its counts once, the decided and undecided records apart
    assert "Found in 1 of 4 placements reviewed (25 %, pattern; 1 compliant, 2 indeterminate)" in text
    assert "Found in 0 of 3 admissions reviewed (0 %; 1 compliant, 2 indeterminate)" in text
    assert "Absent columns: Serious medical illness, with own children (not in the workbook;" in text
    assert "For 2 requirements the data proved no violation but could not decide every record" in text
    assert "Indeterminate: Serious mental illness is blank and the notice was late" in text
    assert text.count("Indeterminate: " + squeeze(humanise(PREGNANCY_WHY))) == 2  # labels, not field names
    assert "2 indeterminate requirements are not in the plan" in text


def test_facility_pdf_never_lists_an_indeterminate_requirement_as_compliant(undecided_pdf):
    layout = pdf_text(undecided_pdf, layout=True)
    appendix = layout[layout.index("Every requirement and its threshold") :]
    row = r"^([A-Z][A-Z0-9-]+)(?: P)?\s{2,}.*?\s{2,}(Compliant|Deficient|Indeterminate)\s"
    status = {m.group(1): m.group(2) for m in re.finditer(row, appendix, re.M)}
    assert status == {
        "AR-JUVENILE": "Compliant",
        "HR-VULNERABLE": "Indeterminate",
        "SMU-NOTIFY-VULNERABLE": "Deficient",
        HIDDEN: "Indeterminate",
    }
    findings = squeeze(layout[layout.index("Findings\n") : layout.index("Evidence needed\n")])
    assert HIDDEN not in findings and "HR-VULNERABLE" not in findings
    plan = squeeze(layout[layout.index("Corrective-action plan\n") : layout.index("Appendix\n")])
    assert HIDDEN not in plan


def test_portfolio_shows_odos_counts_decided_of_in_scope_and_indeterminate(undecided, tmp_path):
    from report_scenarios import variant

    from auditor.report.portfolio import portfolio_pdf, portfolio_view

    both = [undecided, variant(undecided, facility_id="OTHER-1", facility_name="Other Facility")]
    view = portfolio_view(both)
    assert (view["deficiencies"], view["priority"], view["repeat"], view["indeterminate"]) == (2, 2, 2, 4)
    row = view["rows"][0]
    assert (row["decided"], row["in_scope"], row["coverage"], row["indeterminate"]) == (2, 5, 40.0, 2)
    layout = pdf_text(portfolio_pdf(both, tmp_path / "portfolio.pdf"), layout=True)
    cover = squeeze(layout.split("\f")[0])
    assert cover.index("deficiencies · 2 priority · 2 repeat") < cover.index("OUR RATING, BY THIS PROJECT")
    assert re.search(r"2\s+4\s+deficiencies · 2 priority · 2 repeat\s+requirements indeterminate", cover)
    assert "rates nothing below 50 % coverage; Meets Standards needs 75 %" in cover
    # after the rating: deficient, priority, repeat, decided, indeterminate, not assessed
    rows = re.findall(r"Incomplete\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+ of \d+)\s+(\d+)\s+(\d+)", layout)
    assert rows == [("1", "1", "1", "2 of 5", "2", "1")] * 2


def test_ucap_lists_undecided_requirements_apart_from_the_plan(undecided, tmp_path):
    import openpyxl

    from auditor.report.ucap import write_ucap

    book = openpyxl.load_workbook(write_ucap(undecided, tmp_path / "plan.xlsx"))
    assert book.sheetnames == ["Corrective actions", "Evidence needed", "Evidence", "About"]
    plan = [
        dict(zip([c.value for c in book["Corrective actions"][1]], row, strict=True))
        for row in book["Corrective actions"].iter_rows(min_row=2, values_only=True)
    ]
    assert [row["Requirement"] for row in plan] == ["SMU-NOTIFY-VULNERABLE"]
    assert plan[0]["Extent"] == "1 of 4 (25 %); 1 compliant, 2 indeterminate (see Evidence needed)"
    needed = book["Evidence needed"]
    header = [c.value for c in needed[1]]
    rows = {
        row[1]: dict(zip(header, row, strict=True)) for row in needed.iter_rows(min_row=2, values_only=True)
    }
    assert set(rows) == {"SMU-NOTIFY-VULNERABLE", HIDDEN, "HR-VULNERABLE"}
    counts = ("Status", "Violations", "Compliant", "Indeterminate", "Population")
    # in the glossary's words (statuses, verdicts and field names as labels), as the report says them
    assert [rows[HIDDEN][k] for k in counts] == ["Evidence needed", 0, 1, 2, 3]
    assert [rows["SMU-NOTIFY-VULNERABLE"][k] for k in counts] == ["Deficient", 1, 1, 2, 4]
    assert rows["HR-VULNERABLE"]["Absent columns"] == "With own children"
    assert rows[HIDDEN]["What is missing"] == humanise(PREGNANCY_WHY)
    evidence = [row for row in book["Evidence"].iter_rows(min_row=2, values_only=True)]
    verdicts = [(row[0], row[-1]) for row in evidence]
    assert verdicts.count((HIDDEN, "Undecided")) == 2
    assert verdicts.count(("SMU-NOTIFY-VULNERABLE", "Violation")) == 1
    assert verdicts.count(("SMU-NOTIFY-VULNERABLE", "Undecided")) == 2
    about = {row[0]: row[1] for row in book["About"].iter_rows(values_only=True)}
    assert about["Requirements decided"] == "decided 2 of 5 requirements in scope (40 %)"
    assert about["Indeterminate (not compliant)"] == "2 (see Evidence needed)"
    assert about["Compliant"] == "1"
    # nowhere in the workbook is an undecided requirement called compliant
    for ws in book:
        for row in ws.iter_rows(values_only=True):
            if HIDDEN in row:
                assert "compliant" not in row


def test_cli_text_puts_odos_headline_first_and_lists_indeterminate_apart(undecided):
    import io

    from rich.console import Console

    from auditor.cli import print_summary

    buffer = io.StringIO()
    print_summary(undecided, Console(file=buffer, width=200, highlight=False))
    text = " ".join(buffer.getvalue().split())
    odo = "Found 1 deficiency (1 priority, 1 repeat); decided 2 of 5 requirements in scope (40 %)."
    rating = "Rating: Incomplete (this project's policy, not an ICE rating) — The data decided"
    assert text.index(odo) < text.index(rating)
    assert "rates nothing below 50 % coverage; Meets Standards needs 75 %." in text
    assert (
        "6 requirements: 1 compliant, 1 deficient (1 priority, 1 repeat), 2 indeterminate, 0 waived, "
        "1 not applicable, 1 not assessed"
    ) in text
    deficient, undecided_part = text.split("Indeterminate (2): no violation proven")
    assert "PR SMU-NOTIFY-VULNERABLE" in deficient
    assert "1 violation · 1 compliant · 2 indeterminate of 4 placements" in deficient
    assert HIDDEN not in deficient and "HR-VULNERABLE" not in deficient
    assert f"{HIDDEN} Pregnancy test at intake for women aged 18 to 56 0 violations · 1 compliant · 2" in (
        undecided_part
    )
    assert "2 indeterminate of 2 placements with_children" in undecided_part


def test_cli_ucap_of_results_says_how_many_are_indeterminate(cli, undecided, tmp_path):
    source = undecided.write(tmp_path / "results.json")
    result = cli("ucap", source, "-o", tmp_path / "plan.xlsx")
    assert result.exit_code == 0, result.output
    assert "1 deficiencies; 2 indeterminate (evidence needed)" in squeeze(result.output)


def test_demo_verdict_line_carries_the_headline_and_the_indeterminate(undecided, tmp_path):
    from auditor.demo import DemoFacility

    line = DemoFacility("x", undecided, tmp_path, tmp_path, tmp_path).verdict
    assert line == (
        "Fictional Service Processing Center: Incomplete (our policy) — 1 deficient (1 priority, 1 repeat), "
        "decided 2 of 5 requirements in scope (40 %), 2 indeterminate, 0 waived, 1 not assessed"
    )


def test_cli_report_line_has_the_headline(cli, undecided, tmp_path):
    source = undecided.write(tmp_path / "results.json")
    out = tmp_path / "report.pdf"
    result = cli("report", source, "-o", out)
    assert result.exit_code == 0, result.output
    assert (
        f"Report: {out} — Fictional Service Processing Center: Incomplete (our policy); 1 deficiency "
        "(1 priority, 1 repeat); decided 2 of 5 requirements in scope (40 %); 2 indeterminate"
    ) in squeeze(result.output)


@pytest.mark.parametrize(
    "rules",
    [
        [{"when": "coverage_below", "value": "half"}],
        [{"when": "coverage_below", "value": True}],
        [{"when": "coverage_below", "value": 7}],
        ["coverage_below"],
        "coverage_below",
        None,
    ],
)
def test_a_policy_not_shaped_as_the_engine_writes_it_states_no_minimum(undecided, rules):
    """A results file is an input: its policy may be anything, and the headline must not fail on it."""
    from auditor.contracts.results import Results

    odd = Results.from_dict(undecided.to_dict())
    odd.rating_policy["rules"] = rules
    head = headline(odd)
    assert (head.minimum_coverage, head.meets_coverage) == (None, None)
    assert head.coverage_rule == "Policy auditor-rating-2026.2 sets no coverage minimum."


def test_cli_portfolio_line_totals_odos_counts_and_the_indeterminate(cli, undecided, tmp_path):
    from report_scenarios import variant

    folder = tmp_path / "results"
    folder.mkdir()
    undecided.write(folder / "a.json")
    variant(undecided, facility_id="OTHER-1", facility_name="Other").write(folder / "b.json")
    result = cli("portfolio", folder, "-o", tmp_path / "portfolio.pdf")
    assert result.exit_code == 0, result.output
    assert "2 facilities; 2 deficiencies (2 priority, 2 repeat), 4 requirements indeterminate" in squeeze(
        result.output
    )
