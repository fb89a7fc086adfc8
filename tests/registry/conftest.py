"""Two made-up ICE rosters a year apart: the later one changes a rating and adds a facility."""

from __future__ import annotations

from pathlib import Path

import pytest
from rosters import FAMILY, NORTH, SOUTH, changed, write_roster


@pytest.fixture
def rosters(tmp_path: Path) -> tuple[Path, Path]:
    first = write_roster(tmp_path / "FY27.xlsx", [NORTH, SOUTH])
    later = write_roster(
        tmp_path / "FY28.xlsx",
        [changed(NORTH, Last_Final_Rating="Fail"), SOUTH, FAMILY],
        year="FY28",
        data_date="01/05/2028",
    )
    return first, later
