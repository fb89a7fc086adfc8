"""prohibited: the engine and the reference classify every generated record alike."""

from __future__ import annotations

from generated_inspections import PROFILE, Drawn, assert_agree, dropped_columns, requirements_of, rows_of
from hypothesis import given, settings
from hypothesis import strategies as st

REQUIREMENTS = requirements_of("prohibited")


@st.composite
def cases(draw: st.DrawFn):
    edition, req = draw(st.sampled_from(REQUIREMENTS))
    sheet = req.check["sheet"]
    sheets = {sheet: draw(rows_of(sheet, 1, 6))}
    if sheet != "Intake":  # dates of birth may come from Intake
        sheets["Intake"] = draw(rows_of("Intake", 0, 4))
    return edition, req, Drawn(sheets, dropped={sheet: draw(dropped_columns(sheet))})


@settings(PROFILE)
@given(cases())
def test_prohibited_agrees_with_the_reference(case) -> None:
    edition, req, drawn = case
    assert_agree(edition, req, drawn)
