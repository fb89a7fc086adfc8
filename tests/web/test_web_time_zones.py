"""Times in the facility's time zone (issue 17, item 7): a facility's pages (its uploads, inspections
and the facility itself) show times in the zone its inspection was read in and say which; UTC, said
so, when no audited inspection names one; pages of no facility stay in UTC."""

from __future__ import annotations

import datetime as dt
import json

from fastapi import FastAPI
from webclient import Client, Workbooks, run, upload_id

from auditor.web.zones import local_time

PHOENIX = "Times are in the facility's time zone, America/Phoenix."  # Red Mesa is in Arizona
NO_ZONE = "Times are in UTC: no audited inspection of this facility names its time zone."


def test_local_time_reads_a_stored_utc_stamp_in_the_zone_with_daylight_time() -> None:
    assert local_time("2026-07-01T18:30:00Z", "America/Denver") == "2026-07-01 12:30 MDT"
    assert local_time("2026-01-15T18:30:00Z", "America/Denver") == "2026-01-15 11:30 MST"
    assert local_time("2026-07-01T18:30:00Z", "America/Phoenix") == "2026-07-01 11:30 MST"  # no DST
    assert local_time("2026-01-01T02:00:00Z", "America/New_York") == "2025-12-31 21:00 EST"  # the day before
    assert local_time("2026-07-01T18:30:00Z", None) == "2026-07-01 18:30 UTC"
    assert local_time("not a time", "America/Denver") == "not a time UTC"


def _phoenix(stamp: str) -> str:
    """Hand-computed: Arizona keeps UTC-7 all year."""
    at = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00")) - dt.timedelta(hours=7)
    return f"{at:%Y-%m-%d %H:%M} MST"


def test_a_facilitys_pages_show_its_zone_and_others_stay_in_utc(app: FastAPI, workbooks: Workbooks) -> None:
    ws = app.state.web.workspace

    async def scenario() -> None:
        async with Client(app) as ada:
            await ada.sign_in("ada")
            upload = upload_id(await ada.upload(workbooks.red_mesa))
            stored = (await ada.get(f"/api/uploads/{upload}")).json()["upload"]
            page = (await ada.get(f"/uploads/{upload}")).text
            assert PHOENIX in page
            assert f"<tr><th>Received</th><td>{_phoenix(stored['uploaded_at'])} from ada</td></tr>" in page
            assert f"<tr><th>Checked</th><td>{_phoenix(stored['processed_at'])}</td></tr>" in page
            assert PHOENIX in (await ada.get("/facilities/FIC-CDF-0002")).text
            inspection = page.split('href="/inspections/')[1].split('"')[0]
            assert PHOENIX in (await ada.get(f"/inspections/{inspection}")).text

            rejected = upload_id(await ada.upload(workbooks.pdf))  # no facility: UTC, no zone note
            page = (await ada.get(f"/uploads/{rejected}")).text
            assert "Times are in" not in page and " UTC from ada</td>" in page

            results = ws.outputs(upload) / "results.json"  # as results written before they had the zone
            data = json.loads(results.read_text())
            del data["facility"]["time_zone"]
            results.write_text(json.dumps(data))
            page = (await ada.get(f"/uploads/{upload}")).text
            assert NO_ZONE in page and f"<td>{stored['processed_at'].replace('T', ' ')[:16]} UTC</td>" in page

    run(scenario())
