"""Results made stale by a waiver (issue 17, item 7): an audited upload whose facility's waivers (its
own or every facility's) were created or revoked after it was checked says so, lists the changes
and offers the administrator the re-check; checking again makes it current, with the waiver applied."""

from __future__ import annotations

import time

from fastapi import FastAPI
from webclient import Client, Workbooks, run, upload_id

from auditor.service.waivers import changed_since

RED_MESA = "FIC-CDF-0002"  # deficient FS-HOT-HOLD
WAIVER = {"justification": "Steam table on order.", "approved_by": "A. Delgado", "expires": "2030-06-30"}
STALE = "<h2>These results are out of date</h2>"


def test_a_waiver_after_the_audit_marks_its_results_stale_until_checked_again(
    app: FastAPI, workbooks: Workbooks
) -> None:
    async def scenario() -> None:
        async with Client(app) as ada, Client(app) as ines:
            await ada.sign_in("ada")
            await ines.sign_in("ines")
            upload = upload_id(await ines.upload(workbooks.red_mesa))
            page = (await ada.get(f"/uploads/{upload}")).text
            assert STALE not in page

            other = await ada.form(
                "/waivers", requirement_id="FS-HOT-HOLD", facility_id="FIC-SPC-0001", **WAIVER
            )
            assert other.status_code == 303  # another facility's waiver changes nothing here
            assert STALE not in (await ada.get(f"/uploads/{upload}")).text

            made = await ada.form("/waivers", requirement_id="FS-HOT-HOLD", facility_id=RED_MESA, **WAIVER)
            assert made.status_code == 303
            page = (await ada.get(f"/uploads/{upload}")).text
            assert STALE in page
            assert '<li>waiver 2, <span class="rid">FS-HOT-HOLD</span>: created ' in page
            assert f'action="/uploads/{upload}/reprocess"' in page.split(STALE)[1].split("</section>")[0]
            inspector = (await ines.get(f"/uploads/{upload}")).text
            assert STALE in inspector and "An administrator can check it again" in inspector

            time.sleep(1.1)  # stored times have whole seconds: a change in the check's second counts as after
            checked = await ada.form(f"/uploads/{upload}/reprocess")
            assert checked.headers["location"] == f"/uploads/{upload}?done=reprocessed"
            page = (await ada.get(f"/uploads/{upload}")).text
            assert STALE not in page
            results = (await ada.get(f"/api/uploads/{upload}/results")).json()["results"]
            assert {r["requirement_id"]: r["status"] for r in results}["FS-HOT-HOLD"] == "waived"

            time.sleep(1.1)
            assert (await ada.form("/waivers/2/revoke")).status_code == 303
            page = (await ada.get(f"/uploads/{upload}")).text
            assert '<li>waiver 2, <span class="rid">FS-HOT-HOLD</span>: revoked ' in page

    run(scenario())


def test_changes_since_name_what_changed_for_the_facility_or_every_facility(
    app: FastAPI, workbooks: Workbooks
) -> None:
    db = app.state.web.db
    with db.write() as conn:
        conn.execute(
            "INSERT INTO users (name, role, password_hash, created_at) VALUES ('x', 'administrator', 'h', '')"
        )
        rows = [
            ("FS-HOT-HOLD", RED_MESA, "2026-03-01T10:00:00Z", None),  # before: unchanged since
            ("FS-HOT-HOLD", "*", "2026-03-01T10:00:00Z", "2026-03-02T09:00:00Z"),  # revoked after
            ("STAFF-CPR", RED_MESA, "2026-03-02T08:00:00Z", None),  # created after
            ("STAFF-CPR", "*", "2026-03-02T08:00:00Z", "2026-03-02T08:30:00Z"),  # both after
            ("STAFF-CPR", "FIC-SPC-0001", "2026-03-02T08:00:00Z", None),  # another facility
        ]
        for rid, facility, created, revoked in rows:
            conn.execute(
                "INSERT INTO waivers (requirement_id, facility_id, justification, approved_by, expires,"
                " created_by, created_at, revoked_by, revoked_at)"
                " VALUES (?, ?, 'j', 'a', '2030-01-01', 1, ?, ?, ?)",
                (rid, facility, created, 1 if revoked else None, revoked),
            )
    assert changed_since(db, RED_MESA, "2026-03-02T09:00:00Z")[0]["change"] == "revoked"  # the same second
    changes = changed_since(db, RED_MESA, "2026-03-01T12:00:00Z")
    assert [(c["id"], c["change"], c["at"]) for c in changes] == [
        (2, "revoked", "2026-03-02T09:00:00Z"),
        (3, "created", "2026-03-02T08:00:00Z"),
        (4, "created and revoked", "2026-03-02T08:30:00Z"),
    ]
