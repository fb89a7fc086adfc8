"""The portfolio started from ICE's roster: every facility, ICE's last rating, our latest audit,
and the facilities overdue for inspection."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from report_scenarios import pdf_text, squeeze, variant

from auditor.contracts.roster import Facility, Roster
from auditor.imports.roster import name_key
from auditor.report.portfolio import portfolio_html, portfolio_pdf
from auditor.report.roster import governed, latest_audits, months_before, roster_view

AS_OF = dt.date(2026, 11, 28)  # overdue: no inspection ended on or after 2025-11-28


def facility(name, state, aor, end, status="inspected", rating="Pass", outcome="pass", **extra):
    fields = {
        "facility_id": f"ICE-{state}-{name.replace(' ', '-')}", "name": name, "address": None, "city": "TOWN",
        "state": state, "zip": "00001", "aor": aor, "facility_type": "IGSA", "facility_type_label": "IGSA",
        "detention_standard": "NDS-2019", "detention_standard_label": "NDS 2019",
        "last_inspection_type": "ODO", "last_inspection_type_label": "ODO", "last_inspection_end": end,
        "last_inspection_status": status, "final_rating": rating, "final_rating_label": rating,
        "rating_outcome": outcome, "guaranteed_minimum": None, "pending_inspection": None, "row": 8,
        "ref": "'Facilities FY27'!A8",
    }  # fmt: skip
    return Facility(**(fields | extra))


@pytest.fixture(scope="module")
def roster() -> Roster:
    return Roster(
        source={"file": "FY27.xlsx", "sheet": "Facilities FY27", "first_row": 8, "last_row": 11,
                "title": "ICE Facilities Data, FY27", "data_date": "2026-10-01"},
        facilities=[
            facility("THIRD REGIONAL JAIL", "WA", "SEA", "2025-11-28"),  # exactly 12 months: not overdue
            facility("NORTH COUNTY JAIL", "WA", "SEA", "2025-11-27", rating="Fail", outcome="fail"),
            facility("EAST STAGING", "TX", "SNA", None, status="scheduled FY27", rating=None, outcome=None),
            facility("WEST CDF", "CA", "LOS", "2026-06-30", rating="Pending Final Report", outcome="pending"),
        ],
    )  # fmt: skip


@pytest.fixture(scope="module")
def audits(small_results, scenario):
    """Our audits: two of the Third Regional Jail (the later one counts) and one of a facility ICE
    does not list."""
    earlier = variant(small_results, facility_id="SEA-IGSA-0003", facility_name="Third Regional Jail (WA)")
    later = variant(scenario.results, facility_id="SEA-IGSA-0003", facility_name="THIRD REGIONAL JAIL")
    later.inspection["inspection_end"] = "2099-01-01"
    later.facility["state"] = "WA"
    stranger = variant(small_results, facility_id="XX-1", facility_name="Nowhere Hold Room")
    return [earlier, later, stranger]


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2026, 11, 28), 12, dt.date(2025, 11, 28)),
        (dt.date(2026, 3, 31), 1, dt.date(2026, 2, 28)),
        (dt.date(2024, 3, 31), 1, dt.date(2024, 2, 29)),
        (dt.date(2026, 1, 15), 13, dt.date(2024, 12, 15)),
    ],
)
def test_months_before(day, months, expected):
    assert months_before(day, months) == expected


def test_names_match_across_sources_without_case_punctuation_or_state_suffix():
    assert name_key("Stewart Detention Center (GA)") == ("STEWART DETENTION CENTER", "GA")
    assert name_key("BAKER COUNTY SHERIFF'S OFFICE", "fl") == ("BAKER COUNTY SHERIFF S OFFICE", "FL")


def test_our_latest_audit_is_matched_by_name_and_state(roster, audits):
    matched = latest_audits(roster, audits)
    assert list(matched) == ["ICE-WA-THIRD-REGIONAL-JAIL"]
    assert matched["ICE-WA-THIRD-REGIONAL-JAIL"].inspection["inspection_end"] == "2099-01-01"


def test_overdue_means_no_inspection_ended_within_the_months(roster, audits):
    view = roster_view(roster, audits, as_of=AS_OF)
    assert view["cutoff"] == "2025-11-28"
    assert [r["name"] for r in view["overdue"]] == ["EAST STAGING", "NORTH COUNTY JAIL"]
    assert (view["never"], view["audited"], view["total"]) == (1, 1, 4)
    assert view["outcomes"] == [
        ("Fail", 1, "fails"),
        ("Pending", 1, "incomplete"),
        ("Pass", 1, "meets"),
        ("No rating reported", 1, "na"),
    ]
    assert [aor for aor, _ in view["groups"]] == ["LOS", "SEA", "SNA"]
    shorter = roster_view(roster, audits, as_of=AS_OF, overdue_months=6)
    assert len(shorter["overdue"]) == 3  # Third Regional Jail too: 2025-11-28 < 2026-05-28


def test_the_pdf_lists_every_facility_by_aor_with_ice_and_our_ratings(roster, audits, tmp_path):
    text = squeeze(pdf_text(portfolio_pdf(audits, tmp_path / "p.pdf", roster=roster, as_of=AS_OF)))
    assert "4 facilities these standards govern" in text and "As of 2026-11-28" in text
    assert "2 of 4 facilities have no inspection that ended on or after 2025-11-28" in text
    assert "1 of them no inspection end date at all" in text
    for name in ("THIRD REGIONAL JAIL", "NORTH COUNTY JAIL", "EAST STAGING", "WEST CDF"):
        assert name in text
    assert "scheduled FY27" in text and "Pending Final Report" in text
    assert "2099-01-01 ·" in text  # our latest audit beside ICE's facts
    assert "Audited facilities" in text  # and our audits' own sections follow


def test_a_roster_alone_makes_a_portfolio(roster):
    html = portfolio_html([], roster=roster, as_of=AS_OF)
    assert "4 facilities these standards govern" in html
    assert "Audited facilities" not in html and "Requirements most often deficient" not in html


@pytest.mark.realdata
def test_the_cli_portfolio_from_the_fy26_roster(cli, realdata, tmp_path):
    source = realdata / "FY26_detentionStats_02122026.xlsx"
    assert cli("facilities", "import", source, "-f", "json", "-o", tmp_path / "roster.json").exit_code == 0
    facilities = [Facility(**f) for f in json.loads((tmp_path / "roster.json").read_text())["facilities"]]
    counted = [f for f in facilities if governed(f)[0]]
    overdue = [f for f in counted if not f.last_inspection_end or f.last_inspection_end < "2025-02-05"]
    # FY26 as of its data date: 20 BOP, family, state, DoD, staging and FPBDS sites are not counted
    assert (len(counted), len(overdue)) == (200, 154)
    out = tmp_path / "portfolio.pdf"
    result = cli("portfolio", "--roster", tmp_path / "roster.json", "--as-of", "2026-02-05", "-o", out)
    assert result.exit_code == 0, result.output
    said = squeeze(result.stdout)  # the console wraps long lines
    assert "200 of the 220 facilities in ICE's roster governed by these standards" in said
    assert "standards, 154 overdue as of 2026-02-05, 0 audited" in said
    text = squeeze(pdf_text(out))
    assert "154 of 200 facilities have no inspection that ended on or after 2025-02-05" in text
    assert "WYATT DETENTION CENTER" in text


def test_the_cli_portfolio_needs_results_or_a_roster(cli, tmp_path):
    result = cli("portfolio", "-o", tmp_path / "p.pdf")
    assert result.exit_code == 2
    assert "--roster" in result.stderr


def test_the_cli_refuses_a_bad_as_of_date(cli, tmp_path):
    (tmp_path / "r.json").write_text(json.dumps({"source": {}, "facilities": []}))
    result = cli(
        "portfolio", "--roster", tmp_path / "r.json", "--as-of", "28/11/2026", "-o", tmp_path / "p.pdf"
    )
    assert result.exit_code == 2  # a usage error (ConfigError)
    assert "YYYY-MM-DD" in result.stderr


def test_our_audit_beside_ice_shows_odos_counts_decided_and_indeterminate(roster, undecided):
    audit = variant(undecided, facility_id="SEA-IGSA-0002", facility_name="North County Jail")
    audit.facility["state"] = "WA"
    view = roster_view(roster, [audit], as_of=AS_OF)
    (row,) = [r for _, rows in view["groups"] for r in rows if r["audit"]]
    assert row["name"] == "NORTH COUNTY JAIL"
    counts = ("deficient", "priority", "repeat", "decided", "in_scope", "indeterminate")
    assert [row["audit"][k] for k in counts] == [1, 1, 1, 2, 5, 2]
    html = squeeze(portfolio_html([audit], roster=roster, as_of=AS_OF))
    assert "1 deficient (1 priority, 1 repeat) · decided 2 of 5 in scope · 2 indeterminate" in html


def test_a_data_folders_open_items_stand_beside_our_latest_audit(roster, audits):
    items = {"SEA-IGSA-0003": {"open": 3, "overdue": 2}, "XX-1": {"open": 9, "overdue": 9}}
    view = roster_view(roster, audits, as_of=AS_OF, open_items=items)
    audited = {r["name"]: r["audit"] for _, rows in view["groups"] for r in rows if r["audit"]}
    assert audited["THIRD REGIONAL JAIL"]["cap"] == {"open": 3, "overdue": 2}  # XX-1 is in no roster row
    assert "cap" not in roster_view(roster, audits, as_of=AS_OF)["groups"][1][1][1]["audit"]
    html = squeeze(portfolio_html(audits, roster=roster, as_of=AS_OF, open_items=items))
    # beside our latest audit in the roster's table, and in the audited facilities' table
    assert html.count("3 open corrective-action items, 2 overdue") == 2
    assert html.count("9 open corrective-action items, 9 overdue") == 1  # XX-1: audited, not in the roster
    assert "open corrective-action" not in portfolio_html(audits, roster=roster, as_of=AS_OF)
