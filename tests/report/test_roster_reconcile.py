"""The roster portfolio's headline figures are counts of its own tables (issue 16.6): a hand-made
roster of nine facilities whose every figure was worked out by hand, then the rendered page read
back, its tables summed and compared with its headline."""

from __future__ import annotations

import datetime as dt

import lxml.html
import pytest
from report_scenarios import pdf_text, squeeze

from auditor.contracts.roster import Facility, Roster
from auditor.errors import ConfigError
from auditor.report.portfolio import portfolio_html, portfolio_pdf
from auditor.report.roster import as_of_day, governed, roster_view

AS_OF = dt.date(2026, 6, 30)  # 12 months before: 2025-06-30


def facility(name, kind, standard, end, outcome=None, aor="SEA", status="inspected") -> Facility:
    rating = {"pass": "Pass", "fail": "Fail", "pending": "Pending Final Report"}.get(outcome)
    return Facility(
        facility_id=f"ICE-{name}", name=name, address=None, city="TOWN", state="WA", zip=None, aor=aor,
        facility_type=kind, facility_type_label=kind, detention_standard=standard,
        detention_standard_label=standard, last_inspection_type="ODO" if end else None,
        last_inspection_type_label="ODO" if end else None, last_inspection_end=end,
        last_inspection_status=status if end else "none reported", final_rating=rating,
        final_rating_label=rating, rating_outcome=outcome, guaranteed_minimum=None,
        pending_inspection=None, row=11, ref="'Facilities FY27'!A11",
    )  # fmt: skip


# name, type, standard, last inspection end, ICE outcome, AOR → counted?, due (by hand, as of 2026-06-30)
ROSTER = Roster(
    source={"file": "FY27.xlsx", "sheet": "Facilities FY27", "first_row": 11, "last_row": 19,
            "title": "ICE Facilities Data, FY27", "data_date": "2026-05-01"},
    facilities=[
        facility("A SPC", "SPC", "PBNDS-2011", "2025-12-01", "pass"),           # counted, current
        facility("B JAIL", "IGSA", None, None, None, aor="DEN"),                # counted (type), overdue
        facility("C USMS", "USMS-IGA", "NDS-2019", "2025-01-15", "fail"),       # counted, overdue
        facility("D USMS", "USMS-IGA", "FPBDS", "2026-01-10", "pass"),          # not counted: FPBDS
        facility("E PRISON", "BOP", None, None, None, aor="NYC"),               # not counted: BOP
        facility("F STAGING", "STAGING", "PBNDS-2011", "2025-06-30", "pass"),   # counted (edition), current
        facility("G FAMILY", "FAMILY", "FRS", "2025-05-01", "pass"),            # not counted: FRS
        facility("H DIGSA", "DIGSA", "NDS-2025", "2026-08-01", "pending"),      # counted, after as-of
        facility("I UNKNOWN", None, None, "2025-09-01", "pass", aor="DEN"),     # not counted: nothing said
    ],
)  # fmt: skip


def test_which_facilities_these_standards_govern_and_why():
    decided = {f.name: governed(f) for f in ROSTER.facilities}
    assert {name for name, (counts, _) in decided.items() if counts} == {
        "A SPC", "B JAIL", "C USMS", "F STAGING", "H DIGSA",
    }  # fmt: skip
    assert "FPBDS" in decided["D USMS"][1]
    assert "Bureau of Prisons" in decided["E PRISON"][1]
    assert "Family Residential Standards" in decided["G FAMILY"][1]
    assert "PBNDS-2011" in decided["F STAGING"][1]  # its type alone would leave it out
    assert "neither its type nor a standard" in decided["I UNKNOWN"][1]


def test_the_view_has_the_hand_computed_figures():
    view = roster_view(ROSTER, [], as_of=AS_OF)
    assert (view["listed"], view["total"], len(view["left_out"])) == (9, 5, 4)
    assert [r["name"] for r in view["overdue"]] == ["B JAIL", "C USMS"]  # no end date sorts first
    assert (view["never"], view["current"], [r["name"] for r in view["unknown"]]) == (1, 2, ["H DIGSA"])
    assert view["outcomes"] == [
        ("Fail", 1, "fails"), ("Pending", 1, "incomplete"), ("Pass", 2, "meets"),
        ("No rating reported", 1, "na"),
    ]  # fmt: skip
    assert (view["as_of"], view["cutoff"], view["after_data"]) == ("2026-06-30", "2025-06-30", True)


def _figure(page, figure_id: str) -> int:
    return int(page.get_element_by_id(figure_id).find_class("n")[0].text_content())


def _rows(table) -> list:
    return table.findall("./tbody/tr")


def test_the_headline_figures_are_the_sums_of_the_tables():
    page = lxml.html.fromstring(portfolio_html([], roster=ROSTER, as_of=AS_OF))
    cover = page.get_element_by_id("cover").text_content()
    counted = int(cover.split()[0])
    aor_rows = [row for table in page.find_class("aor") for row in _rows(table)]
    left_out = _rows(page.get_element_by_id("not-counted-list"))
    overdue_rows = _rows(page.get_element_by_id("overdue-list"))
    unknown_rows = _rows(page.get_element_by_id("unknown-list"))
    # the roster's total is the counted facilities (in the AOR tables) and the ones left out
    assert (counted, len(aor_rows), len(left_out)) == (5, 5, 4)
    assert "5 of the 9 facilities" in page.text_content()
    # the overdue figure is the overdue table's rows and the facilities marked overdue in the AOR tables
    marked = sum(1 for row in aor_rows if row.find_class("overdue"))
    assert _figure(page, "figure-overdue") == len(overdue_rows) == marked == 2
    assert len(unknown_rows) == 1
    # ICE's ratings on the cover are the counts of the rating chips in the AOR tables
    figures = {
        f.find_class("t")[0].text_content().removeprefix("ICE rating: "): int(f.find_class("n")[0].text)
        for f in page.find_class("figure")
        if f.find_class("t")[0].text_content().startswith("ICE rating:")
    }
    chips = [row.find_class("rating-chip")[0].get("class").split()[1] for row in aor_rows]
    css = {"Fail": "fails", "Pending": "incomplete", "Pass": "meets", "No rating reported": "na"}
    assert figures == {label: chips.count(css[label]) for label in css} == {
        "Fail": 1, "Pending": 1, "Pass": 2, "No rating reported": 1,
    }  # fmt: skip
    assert sum(figures.values()) == counted
    assert _figure(page, "figure-audited") == 0


def test_the_pdf_states_the_as_of_date_and_what_is_counted(tmp_path):
    text = squeeze(pdf_text(portfolio_pdf([], tmp_path / "p.pdf", roster=ROSTER, as_of=AS_OF)))
    assert "5 facilities these standards govern" in text
    assert "As of 2026-06-30 · 5 of the 9 facilities" in text
    assert "Overdue as of 2026-06-30" in text
    assert "Not counted: facilities these standards do not govern" in text
    assert "The roster's data are of 2026-05-01" in text  # as-of later than the data: said so
    assert "2 of 5 facilities have no inspection that ended on or after 2025-06-30" in text


@pytest.mark.parametrize("text", ["28/11/2026", "2026-13-01", "1066-10-14", "x" * 10_000])
def test_an_unusable_as_of_date_is_one_line(text):
    with pytest.raises(ConfigError, match=r"YYYY-MM-DD|between 1990 and 2200") as caught:
        as_of_day(text)
    assert len(str(caught.value)) < 120


def test_no_as_of_date_means_today():
    assert as_of_day(None, today=dt.date(2026, 1, 2)) == dt.date(2026, 1, 2)
    assert as_of_day("  ", today=dt.date(2026, 1, 2)) == dt.date(2026, 1, 2)
    assert as_of_day("2026-02-05") == dt.date(2026, 2, 5)
