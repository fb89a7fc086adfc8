"""A waiver made in the web app (service/waivers.create_waiver) takes its expiry as strictly as a
waivers file does (configs/waivers.parse_expiry): `date.fromisoformat` alone took 20261231 and
2026-W01-1 (which is 2025-12-29)."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.db import Database
from auditor.service.accounts import add_user
from auditor.service.waivers import WaiverInputError, create_waiver, list_waivers


@pytest.fixture
def made(tmp_path: Path):
    db = Database(tmp_path / "auditor.sqlite")
    ada = add_user(db, "ada", "administrator", "a long enough password")

    def make(expires: str) -> int:
        return create_waiver(
            db,
            ada,
            requirement_id="FS-HOT-HOLD",
            facility_id="*",
            justification="Steam table on order.",
            approved_by="A. Delgado",
            expires=expires,
        )

    return db, make


@pytest.mark.parametrize(
    ("expires", "why"),
    [
        ("20261231", "the expiry '20261231' is not a YYYY-MM-DD date"),
        ("2026-W01-1", "the expiry '2026-W01-1' is not a YYYY-MM-DD date"),
        ("2026-12-31T00:00", "the expiry '2026-12-31T00:00' is not a YYYY-MM-DD date"),
        ("2026-02-30", "the expiry '2026-02-30' is not a date (day is out of range for month)"),
        ("", "the expiry '' is not a YYYY-MM-DD date"),
    ],
)
def test_an_expiry_that_is_not_yyyy_mm_dd_is_refused(made, expires: str, why: str) -> None:
    db, make = made
    with pytest.raises(WaiverInputError) as caught:
        make(expires)
    assert str(caught.value) == why
    assert list_waivers(db) == []  # nothing stored


def test_a_yyyy_mm_dd_expiry_is_stored_as_given(made) -> None:
    db, make = made
    make(" 2026-12-31 ")
    assert [w["expires"] for w in list_waivers(db)] == ["2026-12-31"]
