"""Waivers in the web app (issue 17, item 7): the facility is always chosen (one ID, or every facility
as a choice of its own, never a default), and revoking asks first on a page that needs no script."""

from __future__ import annotations

import re

import httpx
from fastapi import FastAPI
from webclient import Client, run

WAIVER = {
    "requirement_id": "FS-HOT-HOLD",
    "justification": "Steam table on order.",
    "approved_by": "A. Delgado",
    "expires": "2030-06-30",
}


def _error(answer: httpx.Response) -> str:
    assert answer.status_code == 422, answer.text
    return answer.text.split('role="alert"><h2>There is a problem</h2><p>')[1].split("</p>")[0]


def test_a_waiver_names_its_facility_or_every_facility_explicitly(app: FastAPI) -> None:
    async def scenario() -> None:
        async with Client(app) as ada:
            await ada.sign_in("ada")
            form = (await ada.get("/waivers")).text
            facility_input = re.search(r'<input name="facility_id"[^>]*>', form).group(0)
            assert 'value=""' in facility_input  # empty, not "*"
            assert re.search(r'<input type="checkbox" name="every" value="yes" >', form)  # unchecked

            none = await ada.form("/waivers", **WAIVER)
            assert _error(none) == (
                "The waiver was not saved: the facility is required: "
                "one facility&#39;s ID, or every facility (*)."
            )
            both = await ada.form("/waivers", **WAIVER, facility_id="FIC-CDF-0002", every="yes")
            assert _error(both) == (
                "The waiver was not saved: give one facility&#39;s ID or choose every facility, not both."
            )
            assert 'value="FIC-CDF-0002"' in both.text  # the form keeps what was typed
            api = await ada.api("POST", "/api/waivers", json=WAIVER)
            assert api.status_code == 422 and "facility_id" in api.text
            assert (await ada.get("/api/waivers")).json()["waivers"] == []

            one = await ada.form("/waivers", **WAIVER, facility_id="FIC-CDF-0002")
            every = await ada.form("/waivers", **WAIVER, facility_id="", every="yes")
            assert one.status_code == every.status_code == 303
            made = (await ada.get("/api/waivers")).json()["waivers"]
            assert [w["facility_id"] for w in made] == ["*", "FIC-CDF-0002"]  # newest first
            listed = (await ada.get("/waivers")).text
            assert '<td class="mono small">every facility</td>' in listed
            assert '<td class="mono small">FIC-CDF-0002</td>' in listed

    run(scenario())


def test_revoking_asks_first_on_a_page_of_its_own(app: FastAPI) -> None:
    async def scenario() -> None:
        async with Client(app) as ada, Client(app) as ines:
            await ada.sign_in("ada")
            await ines.sign_in("ines")
            assert (await ada.form("/waivers", **WAIVER, facility_id="FIC-CDF-0002")).status_code == 303
            listed = (await ada.get("/waivers")).text
            assert '<a class="button danger" href="/waivers/1/revoke">Revoke…</a>' in listed
            assert 'action="/waivers/1/revoke"' not in listed  # no one-click revoke on the list

            confirm = await ada.get("/waivers/1/revoke")
            assert confirm.status_code == 200
            assert "<h1>Revoke waiver 1?</h1>" in confirm.text
            assert '<span class="mono">FIC-CDF-0002</span>' in confirm.text
            assert 'action="/waivers/1/revoke"' in confirm.text
            assert (await ada.get("/api/waivers")).json()["waivers"][0][
                "state"
            ] == "active"  # asking changes nothing
            assert (await ines.get("/waivers/1/revoke")).status_code == 403

            assert (await ada.form("/waivers/1/revoke")).status_code == 303
            assert (await ada.get("/api/waivers")).json()["waivers"][0]["state"] == "revoked"
            assert (await ada.get("/waivers/1/revoke")).status_code == 404
            assert (await ada.get("/waivers/99/revoke")).status_code == 404

    run(scenario())
