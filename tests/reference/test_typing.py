"""The generated sheets are typed directly, for speed; they must be what the workbook's parser gives."""

from __future__ import annotations

import pandas as pd
import pytest
from generated_inspections import PROFILE, _typed, parsed, rows_of
from hypothesis import given, settings
from hypothesis import strategies as st

SHEETS = ["Intake", "Placements", "Checks", "UseOfForce", "Grievances", "FoodTemps", "Housing", "Staff",
          "Activities", "SafetyLog", "Checklist", "SickCall", "Requests", "Restraints", "Searches",
          "Incidents"]  # fmt: skip


@pytest.mark.parametrize("sheet", SHEETS)
@settings(PROFILE, max_examples=5)
@given(data=st.data())
def test_direct_typing_is_the_parsers(sheet: str, data: st.DataObject) -> None:
    rows = data.draw(rows_of(sheet, 1, 4))
    pd.testing.assert_frame_equal(_typed(sheet, rows, set()), parsed(sheet, rows))
