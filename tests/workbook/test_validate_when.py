"""`when`: a problem's date or time as the inspector wrote it, in the facility's local clock."""

from __future__ import annotations

import numpy as np
import pandas as pd

from auditor.workbook.validate import when

UTC = ["2026-03-01T06:00", "2026-03-08T08:00", "2026-03-01T10:15:30", "NaT", "2026-03-01T10:15:00.5"]


def test_local_times_to_the_day_minute_or_second_they_need() -> None:
    values = pd.Series(np.array(UTC, dtype="datetime64[us]"), index=[2, 5, 7, 9, 11])
    shown = when(values, "America/Chicago")
    assert list(shown.index) == [2, 5, 7, 9, 11] and shown.dtype == object
    # 06:00 UTC is midnight CST; 08:00 UTC on 8 March is 03:00 CDT (the clocks sprang forward at 2)
    assert shown.tolist()[:3] == ["2026-03-01", "2026-03-08 03:00", "2026-03-01 04:15:30"]
    assert pd.isna(shown[9]) and shown[11] == "2026-03-01 04:15"  # no time; a fraction of a second not shown


def test_without_a_zone_times_are_shown_as_written() -> None:
    values = pd.Series(np.array(UTC[:3], dtype="datetime64[us]"))
    assert when(values).tolist() == ["2026-03-01 06:00", "2026-03-08 08:00", "2026-03-01 10:15:30"]
